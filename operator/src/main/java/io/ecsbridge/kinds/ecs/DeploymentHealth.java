package io.ecsbridge.kinds.ecs;

import io.ecsbridge.status.Health;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/**
 * What a service deployment (DescribeServiceDeployments) says about the health of a BLUE_GREEN, LINEAR or CANARY
 * service (pure: no AWS, no Kubernetes):
 * <ul>
 *   <li>PENDING, IN_PROGRESS: Reconciling RolloutInProgress, the lifecycle stage (and the traffic shift where ECS
 *       reports it) in the message; look again shortly.</li>
 *   <li>STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS: Reconciling RollingBack; look again shortly.</li>
 *   <li>SUCCESSFUL: Ready when the service runs the expected task definition with running == desired (else
 *       UpdatePending or Scaling, as for a rolling service).</li>
 *   <li>ROLLBACK_SUCCESSFUL: Stalled RolledBack; the expected task definition, when the service is not on it, is the
 *       failed one (not applied again).</li>
 *   <li>STOPPED, ROLLBACK_FAILED: Stalled RolloutFailed with ECS's reason; the expected task definition, when the
 *       service is not on it, is not applied again either (a stopped deployment re-applied would stop again).</li>
 * </ul>
 */
public final class DeploymentHealth {
  static final Set<String> FINISHED = Set.of("SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED");

  private DeploymentHealth() {}

  /** Whether a service deployment status is final (nothing moves any more). */
  public static boolean finished(String status) {
    return status != null && FINISHED.contains(status);
  }

  /**
   * @param expectedTaskDefinition the task definition ARN the spec asks for (null: any)
   */
  public static Rollout.Verdict assess(ServiceDeployment deployment, Service service, String expectedTaskDefinition) {
    String name = service.serviceName();
    String status = deployment.statusAsString();
    String strategy = strategy(deployment, service);
    String what = "The " + strategy + " deployment " + id(deployment.serviceDeploymentArn()) + " of ECS service "
        + name;
    String reason = deployment.statusReason() == null || deployment.statusReason().isBlank() ? ""
        : ": " + deployment.statusReason();
    String onService = service.taskDefinition();
    boolean onExpected = expectedTaskDefinition == null || expectedTaskDefinition.equals(onService);
    String failed = onExpected ? null : expectedTaskDefinition;
    switch (status == null ? "" : status) {
      case "PENDING", "IN_PROGRESS" -> {
        return new Rollout.Verdict(Health.progressing("RolloutInProgress", what + " is " + status
            + stage(deployment) + traffic(deployment.targetServiceRevision())), true, null);
      }
      case "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS" -> {
        return new Rollout.Verdict(Health.progressing("RollingBack", what + " is " + status + stage(deployment)
            + reason), true, null);
      }
      case "ROLLBACK_SUCCESSFUL" -> {
        String why = deployment.rollback() != null && deployment.rollback().reason() != null
            ? ": " + deployment.rollback().reason() : reason;
        return new Rollout.Verdict(Health.stalled("RolledBack", what + " was rolled back"
            + (failed == null ? "" : " from " + failed) + " to " + onService + why), false, failed);
      }
      case "STOPPED", "ROLLBACK_FAILED" -> {
        return new Rollout.Verdict(Health.stalled("RolloutFailed", what + " ended " + status + reason), false,
            failed);
      }
      case "SUCCESSFUL" -> {
        if (!onExpected) {
          return Rollout.Verdict.of(Health.progressing("UpdatePending", "ECS service " + name + " runs " + onService
              + ", not " + expectedTaskDefinition));
        }
        if (!Objects.equals(count(service.runningCount()), count(service.desiredCount()))) {
          return Rollout.Verdict.of(Health.progressing("Scaling", "ECS service " + name + " runs "
              + count(service.runningCount()) + " of " + count(service.desiredCount()) + " tasks"));
        }
        return Rollout.Verdict.of(Health.ready("RolloutComplete", "ECS service " + name + " runs " + onService
            + " with " + count(service.runningCount()) + "/" + count(service.desiredCount()) + " tasks (" + strategy
            + " deployment " + id(deployment.serviceDeploymentArn()) + " SUCCESSFUL)"));
      }
      default -> {
        return new Rollout.Verdict(Health.progressing("RolloutInProgress", what + " is " + status), true, null);
      }
    }
  }

  /** What the ROLLOUT column shows: the stage while the deployment runs, its status once finished. */
  public static String phase(ServiceDeployment deployment) {
    return finished(deployment.statusAsString()) || deployment.lifecycleStage() == null
        ? deployment.statusAsString() : deployment.lifecycleStageAsString();
  }

  static String strategy(ServiceDeployment deployment, Service service) {
    if (deployment.deploymentConfiguration() != null && deployment.deploymentConfiguration().strategy() != null) {
      return deployment.deploymentConfiguration().strategyAsString();
    }
    return service.deploymentConfiguration() != null && service.deploymentConfiguration().strategy() != null
        ? service.deploymentConfiguration().strategyAsString() : "ROLLING";
  }

  /** The last part of a service deployment ARN (.../service-deployment/cluster/service/ID). */
  static String id(String arn) {
    return arn == null ? "?" : arn.substring(arn.lastIndexOf('/') + 1);
  }

  private static String stage(ServiceDeployment deployment) {
    return deployment.lifecycleStage() == null ? "" : " in stage " + deployment.lifecycleStageAsString();
  }

  /** The traffic the new revision gets, where ECS reports it. */
  static String traffic(ServiceRevisionSummary target) {
    if (target == null || target.requestedProductionTrafficWeight() == null
        && target.requestedTestTrafficWeight() == null) {
      return "";
    }
    return " (new revision: production traffic " + percent(target.requestedProductionTrafficWeight())
        + ", test traffic " + percent(target.requestedTestTrafficWeight()) + ")";
  }

  private static String percent(Double weight) {
    if (weight == null) {
      return "-";
    }
    return (weight == Math.rint(weight) ? String.valueOf(weight.longValue()) : String.valueOf(weight)) + "%";
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
