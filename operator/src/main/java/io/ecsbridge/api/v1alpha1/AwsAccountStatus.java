package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The identity the operator has in the account (STS GetCallerIdentity with the assumed role) and who may use it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsAccountStatus extends AwsResourceStatus {
  @JsonPropertyDescription("The AWS account id, as STS reports it for the assumed role.")
  public String accountId;

  @JsonPropertyDescription("The ARN of the assumed identity (an assumed-role session), as STS reports it.")
  public String arn;

  /** The public field is this kind's (AwsAccountIT and the reconciler use it); the accessors follow it. */
  @Override
  public String getAccountId() {
    return accountId;
  }

  @Override
  public void setAccountId(String accountId) {
    this.accountId = accountId;
  }

  @JsonPropertyDescription("The namespaces namespaceSelector matches now, sorted.")
  public List<String> namespaces;

  @JsonPropertyDescription("How many namespaces namespaceSelector matches now.")
  public Integer namespaceCount;
}
