package io.ecsbridge.kinds.ecs;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Events of an EcsService beyond its changes: a rollout that completes, and a desiredCount that autoScaling
 * overrides (a Warning once per generation, not on every resync).
 */
final class ServiceNotices {
  private static final int MAX_REMEMBERED = 4096;
  /** By resource uid, the generation whose ignored desiredCount was told. */
  private final Map<String, Long> toldGeneration = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_REMEMBERED;
    }
  };

  /**
   * A Normal Event RolloutComplete when this pass finds the service Ready after a rollout (it was not Ready
   * RolloutComplete before; a transient AWS error in between is no rollout).
   *
   * @param before the service's Ready and Reconciling conditions as this pass found them
   */
  static void rolloutCompleted(EcsService resource, Optional<Condition> readyBefore,
      Optional<Condition> reconcilingBefore, Health now, Service live, EventRecorder events) {
    boolean wasComplete = readyBefore.filter(c -> "True".equals(c.getStatus())
        && "RolloutComplete".equals(c.getReason())).isPresent();
    boolean retrying = reconcilingBefore.filter(c -> "True".equals(c.getStatus())
        && "AwsRetrying".equals(c.getReason())).isPresent();
    if (now.state() != Health.State.READY || !"RolloutComplete".equals(now.reason()) || wasComplete || retrying
        || live == null) {
      return;
    }
    events.normal(resource, "RolloutComplete", "Rolled out " + ShortNames.taskDefinition(live.taskDefinition())
        + " to ECS service " + resource.serviceName() + ": " + live.runningCount() + "/" + live.desiredCount()
        + " tasks running");
  }

  /** A Warning when the spec's desiredCount differs from what ECS runs because autoScaling owns the count. */
  void desiredCountIgnored(EcsService resource, Service live, EventRecorder events) {
    var spec = resource.getSpec();
    if (spec.autoScaling == null || spec.desiredCount == null || live == null || live.desiredCount() == null
        || live.desiredCount().intValue() == spec.desiredCount) {
      return;
    }
    String uid = resource.getMetadata().getUid();
    Long generation = resource.getMetadata().getGeneration();
    synchronized (toldGeneration) {
      if (toldGeneration.containsKey(uid) && java.util.Objects.equals(generation, toldGeneration.get(uid))) {
        return;
      }
      toldGeneration.put(uid, generation);
    }
    events.warning(resource, "DesiredCountIgnored", "desiredCount " + spec.desiredCount + " is not applied: "
        + "autoScaling owns the count (ECS service " + resource.serviceName() + " has " + live.desiredCount()
        + " desired, between " + spec.autoScaling.minCapacity + " and " + spec.autoScaling.maxCapacity
        + "); desiredCount is only the initial count");
  }

  /** The conditions a pass starts from. */
  static Optional<Condition> condition(EcsService resource, String type) {
    return resource.getStatus() == null ? Optional.empty()
        : Conditions.find(resource.getStatus().getConditions(), type);
  }
}
