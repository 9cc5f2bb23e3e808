package io.ecsbridge.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Whose credentials an AWS call is made with: the operator's own ({@link #OPERATOR}), or an AwsAccount's assumed
 * role. Two identities are the same only when they name the same AwsAccount with the same credentials provider (a
 * changed role builds a new provider, hence a new identity and new clients).
 *
 * @param account the AwsAccount's name; null for the operator's own identity
 * @param accountId the AWS account id when known (the AwsAccount's status), else null
 * @param credentials the account's credentials; null for the operator's own (the SDK's default chain or the
 *     operator's configured provider)
 * @param defaultRegion the AwsAccount's default region, or null (the operator's)
 */
public record AwsIdentity(String account, String accountId, AwsCredentialsProvider credentials,
    String defaultRegion) {

  /** The operator's own identity: its pod's credentials. */
  public static final AwsIdentity OPERATOR = new AwsIdentity(null, null, null, null);

  public boolean operator() {
    return account == null;
  }

  /** For logs and metrics: the account id, else the AwsAccount's name, else "operator". */
  public String label() {
    if (accountId != null) {
      return accountId;
    }
    return account != null ? account : "operator";
  }

  @Override
  public String toString() {
    return operator() ? "operator" : "AwsAccount " + account + (accountId != null ? " (" + accountId + ")" : "");
  }
}
