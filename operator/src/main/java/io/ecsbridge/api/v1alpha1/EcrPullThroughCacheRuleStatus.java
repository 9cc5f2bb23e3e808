package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What ECR reports of the pull through cache rule, and which rule this resource owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What ECR reports of the rule and which rule this resource owns, with the Ready, Reconciling and "
    + "Stalled conditions. Written by the operator.")
public class EcrPullThroughCacheRuleStatus extends AwsResourceStatus implements IdentityStatus {
  @JsonPropertyDescription("The registry (the AWS account id) of the rule.")
  public String registryId;

  @JsonPropertyDescription("When ECR created the rule.")
  public String createdAt;

  @JsonPropertyDescription("When ECR last updated the rule's credentials or role.")
  public String updatedAt;

  @JsonPropertyDescription("The rule this resource created or adopted (<registry>:<region>:<ecrRepositoryPrefix>): "
      + "a rule takes no tags, so this record is what makes it this resource's own; only this rule is deleted with "
      + "it.")
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
