package io.ecsbridge.accounts;

import io.ecsbridge.aws.AwsErrors;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS account of the operator's own identity (STS GetCallerIdentity with its credentials), asked once and kept:
 * what status.accountId says of a resource no AwsAccount admits. A failure is classified as every AWS failure
 * (throttling, the network: retried; no credentials: Stalled NoCredentials) and asked again next time.
 */
public final class OperatorAccount implements Supplier<String> {
  private final Supplier<StsClient> sts;
  private volatile String accountId;

  /** @param sts a new STS client with the operator's own credentials (closed after the call) */
  public OperatorAccount(Supplier<StsClient> sts) {
    this.sts = sts;
  }

  @Override
  public String get() {
    String known = accountId;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (accountId == null) {
        accountId = AwsErrors.call(() -> {
          try (StsClient client = sts.get()) {
            return client.getCallerIdentity().account();
          }
        });
      }
      return accountId;
    }
  }
}
