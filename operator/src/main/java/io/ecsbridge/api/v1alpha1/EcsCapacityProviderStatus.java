package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What ECS reports about the capacity provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What ECS reports of the capacity provider (ARN, status, update status), with the Ready, "
    + "Reconciling and Stalled conditions. Written by the operator.")
public class EcsCapacityProviderStatus extends AwsResourceStatus {
  @JsonPropertyDescription("ARN of the capacity provider.")
  public String capacityProviderArn;

  @JsonPropertyDescription("ECS's status of the capacity provider: PROVISIONING, ACTIVE, DEPROVISIONING, INACTIVE.")
  public String status;

  @JsonPropertyDescription("The state of its last create, update or delete: CREATE_COMPLETE, UPDATE_IN_PROGRESS, "
      + "UPDATE_FAILED, DELETE_FAILED, ...")
  public String updateStatus;

  @JsonPropertyDescription("ECS's reason for updateStatus, for example why a deletion failed.")
  public String updateStatusReason;

  @JsonPropertyDescription("EC2_AUTOSCALING or MANAGED_INSTANCES.")
  public String type;
}
