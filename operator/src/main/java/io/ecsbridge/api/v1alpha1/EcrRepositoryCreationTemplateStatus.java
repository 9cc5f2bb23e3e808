package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What ECR reports of the repository creation template, and which template this resource owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What ECR reports of the template and which template this resource owns, with the Ready, "
    + "Reconciling and Stalled conditions. Written by the operator.")
public class EcrRepositoryCreationTemplateStatus extends AwsResourceStatus implements IdentityStatus {
  @JsonPropertyDescription("The registry (the AWS account id) of the template.")
  public String registryId;

  @JsonPropertyDescription("When ECR created the template.")
  public String createdAt;

  @JsonPropertyDescription("When ECR last updated the template.")
  public String updatedAt;

  @JsonPropertyDescription("The template this resource created or adopted (<registry>:<region>:<prefix>): "
      + "a template takes no tags of its own, so this record is what makes it this resource's own; only this "
      + "template is deleted with it.")
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
