package io.ecsbridge.kinds.ecs;

import static io.ecsbridge.api.v1alpha1.Annotations.ROLLBACK_REQUESTED_AT;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.contract.AwsResourceReconciler;
import io.ecsbridge.contract.Change;
import io.ecsbridge.status.EventRecorder;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * The {@code ecsbridge.io/rollback-requested-at} annotation: each new value rolls back the service deployment in
 * progress (StopServiceDeployment, stopType ROLLBACK) once, echoed in {@code status.lastHandledRollbackAt}; with none
 * in progress, a Normal Event says so and nothing is called. The request is handled once AWS answered (a terminal
 * refusal counts as handled and is Stalled with AWS's message; a retryable failure is asked again). The deployment is
 * the one the pass read (a staged service's, read while not finished), else the current one is read when asked.
 */
final class ServiceRollback {
  /** Statuses in which ECS already stops or rolls back: nothing more to ask. */
  private static final Set<String> ALREADY = Set.of("STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS");

  private ServiceRollback() {}

  /** A rollback-requested-at value not handled yet. */
  static boolean asked(EcsService resource) {
    String value = AwsResourceReconciler.annotation(resource, ROLLBACK_REQUESTED_AT);
    return value != null && !value.equals(resource.getStatus().lastHandledRollbackAt);
  }

  /** The change that handles a new request (no description: its call tells its own Event), if one is asked. */
  static Optional<Change> change(EcsService resource, ServiceDeployment read, ServiceDeployments deployments,
      String region, String cluster, Service service, EventRecorder events) {
    if (!asked(resource)) {
      return Optional.empty();
    }
    String value = AwsResourceReconciler.annotation(resource, ROLLBACK_REQUESTED_AT);
    EcsServiceStatus status = resource.getStatus();
    String name = "ECS service " + resource.serviceName();
    return Optional.of(new Change("rollback", null, () -> {
      ServiceDeployment d = read != null ? read : deployments.read(region, cluster, service).orElse(null);
      boolean running = d != null && !DeploymentHealth.finished(d.statusAsString());
      if (!running) {
        status.lastHandledRollbackAt = value;
        events.normal(resource, "NothingToRollBack", "No deployment of " + name + " is in progress: nothing to "
            + "roll back (" + ROLLBACK_REQUESTED_AT + "=" + value + ")");
        return;
      }
      String id = DeploymentHealth.id(d.serviceDeploymentArn());
      if (ALREADY.contains(d.statusAsString())) {
        status.lastHandledRollbackAt = value;
        events.normal(resource, "NothingToRollBack", "Service deployment " + id + " of " + name + " is already "
            + d.statusAsString() + " (" + ROLLBACK_REQUESTED_AT + "=" + value + ")");
        return;
      }
      try {
        deployments.rollBack(region, d.serviceDeploymentArn());
      } catch (AwsException e) {
        if (!e.retryable()) {
          status.lastHandledRollbackAt = value;
        }
        throw e;
      }
      status.lastHandledRollbackAt = value;
      events.normal(resource, "RollbackRequested", "Asked ECS to roll back service deployment " + id + " of " + name
          + " (StopServiceDeployment ROLLBACK; " + ROLLBACK_REQUESTED_AT + "=" + value + ")");
    }));
  }
}
