package io.ecsbridge.kinds.ecs;

import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * What an EcsService's status shows of the live ECS service, as DescribeServices (or the CreateService / UpdateService
 * answer) reports it: its ARN, state, task definition and counts, its deployments, its task sets (external
 * controllers) and its last few service events. Facts only, copied as they are: the verdict ({@link Rollout}) and the
 * status memory (what was applied, the deployment started) are the reconciler's.
 */
final class ServiceFacts {
  private static final int RECENT_EVENTS = 5;

  private ServiceFacts() {}

  /** Copies what ECS reports of the service into status, overwriting what the last read put there. */
  static void fill(EcsServiceStatus status, Service service) {
    status.serviceArn = service.serviceArn();
    status.status = service.status();
    status.taskDefinition = service.taskDefinition();
    status.taskDefinitionRevision = service.taskDefinition() == null ? null
        : ShortNames.taskDefinition(service.taskDefinition());
    status.desiredCount = service.desiredCount();
    status.runningCount = service.runningCount();
    status.pendingCount = service.pendingCount();
    status.deployments = service.deployments().stream().map(d -> {
      EcsServiceStatus.Deployment s = new EcsServiceStatus.Deployment();
      s.id = d.id();
      s.status = d.status();
      s.rolloutState = d.rolloutStateAsString();
      s.rolloutStateReason = d.rolloutStateReason();
      s.taskDefinition = d.taskDefinition();
      s.desiredCount = d.desiredCount();
      s.runningCount = d.runningCount();
      s.pendingCount = d.pendingCount();
      s.failedTasks = d.failedTasks();
      s.createdAt = d.createdAt() == null ? null : d.createdAt().toString();
      s.updatedAt = d.updatedAt() == null ? null : d.updatedAt().toString();
      return s;
    }).toList();
    status.taskSets = service.taskSets().isEmpty() ? null : service.taskSets().stream().map(t -> {
      EcsServiceStatus.TaskSet s = new EcsServiceStatus.TaskSet();
      s.id = t.id();
      s.status = t.status();
      s.stabilityStatus = t.stabilityStatusAsString();
      s.taskDefinition = t.taskDefinition();
      s.runningCount = t.runningCount();
      s.computedDesiredCount = t.computedDesiredCount();
      return s;
    }).toList();
    status.recentEvents = service.events().isEmpty() ? null : service.events().stream().limit(RECENT_EVENTS)
        .map(e -> {
          EcsServiceStatus.ServiceEvent s = new EcsServiceStatus.ServiceEvent();
          s.createdAt = e.createdAt() == null ? null : e.createdAt().toString();
          s.message = e.message();
          return s;
        }).toList();
  }
}
