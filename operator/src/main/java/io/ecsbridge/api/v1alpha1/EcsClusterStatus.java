package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What ECS reports about the cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What ECS reports of the cluster (ARN, status, service and task counts), with the Ready, "
    + "Reconciling and Stalled conditions. Written by the operator.")
public class EcsClusterStatus extends AwsResourceStatus {
  @JsonPropertyDescription("ARN of the cluster.")
  public String arn;

  @JsonPropertyDescription("ECS's status of the cluster: ACTIVE, PROVISIONING, DEPROVISIONING, FAILED, INACTIVE.")
  public String status;

  @JsonPropertyDescription("Services of the cluster in the ACTIVE state.")
  public Integer activeServicesCount;

  @JsonPropertyDescription("Tasks of the cluster in the RUNNING state.")
  public Integer runningTasksCount;

  @JsonPropertyDescription("Tasks of the cluster in the PENDING state.")
  public Integer pendingTasksCount;
}
