package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What ECS reports about the service and its rollout, plus what the operator remembers between reconciles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What ECS reports of the service and its rollout (task definition, counts, deployments, recent "
    + "events), with the Ready, Reconciling and Stalled conditions, and what the operator remembers between passes. "
    + "Written by the operator.")
public class EcsServiceStatus extends AwsResourceStatus {
  @JsonPropertyDescription("ARN of the service.")
  public String serviceArn;

  @JsonPropertyDescription("ECS's status of the service: ACTIVE, DRAINING or INACTIVE.")
  public String status;

  @JsonPropertyDescription("ARN of the task definition the service runs (its PRIMARY deployment's).")
  public String taskDefinition;

  @JsonPropertyDescription("The task definition the service runs as family:revision (the -o wide column).")
  public String taskDefinitionRevision;

  @JsonPropertyDescription("Tasks ECS keeps running (set by the spec, or by the autoscaler).")
  public Integer desiredCount;

  @JsonPropertyDescription("Tasks running.")
  public Integer runningCount;

  @JsonPropertyDescription("Tasks starting.")
  public Integer pendingCount;

  @JsonPropertyDescription("The service's deployments (rolling update controller): PRIMARY is the newest.")
  public List<Deployment> deployments;

  @JsonPropertyDescription("The service's task sets (CODE_DEPLOY and EXTERNAL controllers).")
  public List<TaskSet> taskSets;

  @JsonPropertyDescription("The last few service events ECS reported, newest first.")
  public List<ServiceEvent> recentEvents;

  @JsonPropertyDescription("The task definition ARN the spec asks for (resolved from taskDefinitionRef or "
      + "taskDefinition).")
  public String targetTaskDefinition;

  @JsonPropertyDescription("A task definition ARN whose rollout failed or was rolled back: it is not applied again "
      + "until the desired task definition changes or a reconcile or redeploy is requested by annotation.")
  public String failedTaskDefinition;

  @JsonPropertyDescription("Id of the deployment the operator's last CreateService or UpdateService started.")
  public String lastDeploymentId;

  @JsonPropertyDescription("The task definition ARN the service ran before the operator's last UpdateService sent "
      + "another one, until that rollout completes: a circuit-breaker rollback returns to it.")
  public String previousTaskDefinition;

  @JsonPropertyDescription("The last value of the ecsbridge.io/redeploy-requested-at annotation the operator handled.")
  public String lastHandledRedeployAt;

  @JsonPropertyDescription("Application Auto Scaling resource id (service/<cluster>/<service>) while the operator "
      + "manages a scalable target for this service.")
  public String autoScalingResourceId;

  @JsonPropertyDescription("spec.autoScaling.minCapacity as last registered (or found registered): with scheduled "
      + "actions, which change the live min and max, the scalable target is registered again only when the spec's "
      + "values change.")
  public Integer appliedMinCapacity;

  @JsonPropertyDescription("spec.autoScaling.maxCapacity as last registered (or found registered); see "
      + "appliedMinCapacity.")
  public Integer appliedMaxCapacity;

  @JsonPropertyDescription("Not used: an earlier version's hash of the Service Connect configuration it sent (Service "
      + "Connect is now compared with what ECS reports). Cleared on the next pass.")
  public String serviceConnectHash;

  @JsonPropertyDescription("What the ROLLOUT column shows: for a ROLLING service its PRIMARY deployment's "
      + "rolloutState; for BLUE_GREEN, LINEAR and CANARY the service deployment's lifecycle stage while it runs, its "
      + "status once finished.")
  public String rolloutPhase;

  @JsonPropertyDescription("The service's current service deployment (BLUE_GREEN, LINEAR and CANARY services), as "
      + "ECS last reported it (DescribeServiceDeployments, read only while one is not finished).")
  public ServiceDeploymentStatus rollout;

  @JsonPropertyDescription("The last value of the ecsbridge.io/rollback-requested-at annotation the operator handled.")
  public String lastHandledRollbackAt;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceDeploymentStatus {
    @JsonPropertyDescription("ARN of the service deployment.")
    public String serviceDeploymentArn;

    @JsonPropertyDescription("The deployment strategy it runs with: BLUE_GREEN, LINEAR, CANARY (or ROLLING).")
    public String strategy;

    @JsonPropertyDescription("PENDING, IN_PROGRESS, SUCCESSFUL, STOP_REQUESTED, STOPPED, ROLLBACK_REQUESTED, "
        + "ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED.")
    public String status;

    @JsonPropertyDescription("ECS's explanation of the status.")
    public String statusReason;

    @JsonPropertyDescription("The lifecycle stage, e.g. PRE_SCALE_UP, SCALE_UP, TEST_TRAFFIC_SHIFT, "
        + "PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP.")
    public String lifecycleStage;

    @JsonPropertyDescription("The service revision being deployed (green).")
    public ServiceRevision targetServiceRevision;

    @JsonPropertyDescription("The service revisions being replaced (blue).")
    public List<ServiceRevision> sourceServiceRevisions;

    @JsonPropertyDescription("Why and when ECS rolled back, and to which revision.")
    public String rollbackReason;

    @JsonPropertyDescription("When the deployment started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When it finished (RFC 3339).")
    public String finishedAt;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceRevision {
    @JsonPropertyDescription("ARN of the service revision.")
    public String arn;

    @JsonPropertyDescription("Tasks requested.")
    public Integer requestedTaskCount;

    @JsonPropertyDescription("Tasks running.")
    public Integer runningTaskCount;

    @JsonPropertyDescription("Tasks starting.")
    public Integer pendingTaskCount;

    @JsonPropertyDescription("Percent of production traffic ECS sends to it (where ECS reports it).")
    public Double requestedProductionTrafficWeight;

    @JsonPropertyDescription("Percent of test traffic ECS sends to it (where ECS reports it).")
    public Double requestedTestTrafficWeight;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Deployment {
    @JsonPropertyDescription("Deployment id (ecs-svc/...).")
    public String id;

    @JsonPropertyDescription("PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE.")
    public String status;

    @JsonPropertyDescription("IN_PROGRESS, COMPLETED or FAILED.")
    public String rolloutState;

    @JsonPropertyDescription("ECS's explanation of the rollout state.")
    public String rolloutStateReason;

    @JsonPropertyDescription("Task definition ARN of the deployment.")
    public String taskDefinition;

    @JsonPropertyDescription("Tasks the deployment should run.")
    public Integer desiredCount;

    @JsonPropertyDescription("Tasks of the deployment running.")
    public Integer runningCount;

    @JsonPropertyDescription("Tasks of the deployment starting.")
    public Integer pendingCount;

    @JsonPropertyDescription("Tasks of the deployment that failed to start.")
    public Integer failedTasks;

    @JsonPropertyDescription("When the deployment was created (RFC 3339).")
    public String createdAt;

    @JsonPropertyDescription("When the deployment last changed (RFC 3339).")
    public String updatedAt;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TaskSet {
    @JsonPropertyDescription("Task set id.")
    public String id;

    @JsonPropertyDescription("PRIMARY, ACTIVE or DRAINING.")
    public String status;

    @JsonPropertyDescription("STEADY_STATE or STABILIZING.")
    public String stabilityStatus;

    @JsonPropertyDescription("Task definition ARN of the task set.")
    public String taskDefinition;

    @JsonPropertyDescription("Tasks running.")
    public Integer runningCount;

    @JsonPropertyDescription("Tasks the task set should run.")
    public Integer computedDesiredCount;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceEvent {
    @JsonPropertyDescription("When ECS reported it (RFC 3339).")
    public String createdAt;

    @JsonPropertyDescription("ECS's message.")
    public String message;
  }
}
