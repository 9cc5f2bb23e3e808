package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What ECR reports of the registry, and which settings this resource wrote. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EcrRegistryStatus extends AwsResourceStatus implements IdentityStatus {
  @JsonPropertyDescription("The registry (the AWS account id).")
  public String registryId;

  @JsonPropertyDescription("The registry's scanning type as ECR reports it.")
  public String scanType;

  @JsonPropertyDescription("The registry settings this resource claimed and wrote (\"registry <region>\"); only these "
      + "are reset when it is deleted.")
  public String ownedIdentity;

  @Override
  public String getOwnedIdentity() {
    return ownedIdentity;
  }

  @Override
  public void setOwnedIdentity(String identity) {
    ownedIdentity = identity;
  }
}
