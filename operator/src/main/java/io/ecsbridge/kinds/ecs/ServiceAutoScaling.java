package io.ecsbridge.kinds.ecs;

import io.ecsbridge.aws.ArnNames;
import io.ecsbridge.contract.Change;

import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.AutoScalingGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.applicationautoscaling.model.PredefinedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * The Application Auto Scaling of an EcsService's desired count: the scalable target, its target tracking policies and
 * scheduled actions compared with what Application Auto Scaling reports, as {@link Change}s the reconciler applies
 * (and ObserveOnly only names), and the scalable target deregistered before the service is deleted so that the
 * autoscaler does not scale it up again. What it manages is remembered in status (autoScalingResourceId, the applied
 * min/max); a scheduled action's min/max is left alone, never fought.
 */
final class ServiceAutoScaling {

  private final AutoScalingGateway scaling;

  ServiceAutoScaling(AutoScalingGateway scaling) {
    this.scaling = scaling;
  }

  /** The resource id of a service's scalable target; the cluster given by name or ARN. */
  static String resourceId(String cluster, String service) {
    return AutoScalingGateway.resourceId(ArnNames.ecsName(cluster), service);
  }

  /**
   * The scalable target, its target tracking policies and scheduled actions, compared with what Application Auto
   * Scaling reports; read only while autoScaling is set or was set (status.autoScalingResourceId). Pure: what it
   * manages (the resource id, the applied min/max) is recorded in status by the changes, after the calls. ObserveOnly
   * manages nothing: its changes are only named, and it records nothing.
   */
  List<Change> changes(EcsServiceSpec spec, EcsServiceStatus status, String region, String resourceId,
      boolean observeOnly) {
    List<Change> changes = new ArrayList<>();
    EcsServiceSpec.AutoScaling want = spec.autoScaling;
    if (want == null) {
      if (observeOnly) {
        return changes;
      }
      // only this service's own target: status is not authority over another service's scaling
      if (!resourceId.equals(status.autoScalingResourceId)) {
        if (status.autoScalingResourceId != null) {
          changes.add(new Change("autoScaling", null, () -> forget(status)));
        }
        return changes;
      }
      scaling.policies(region, resourceId).forEach(p -> changes.add(new Change("autoScaling",
          "Deleted scaling policy " + p.policyName(), () -> scaling.deletePolicy(region, resourceId, p.policyName()))));
      scaling.scheduledActions(region, resourceId).forEach(a -> changes.add(new Change("autoScaling",
          "Deleted scheduled action " + a.scheduledActionName(),
          () -> scaling.deleteScheduledAction(region, resourceId, a.scheduledActionName()))));
      if (scaling.target(region, resourceId).isPresent()) {
        changes.add(new Change("autoScaling", "Deregistered the scalable target " + resourceId,
            () -> scaling.deregisterTarget(region, resourceId)));
      }
      changes.add(new Change("autoScaling", null, () -> forget(status)));
      return changes;
    }
    Optional<ScalableTarget> target = scaling.target(region, resourceId);
    boolean liveDiffers = target.isPresent() && (!Objects.equals(target.get().minCapacity(), want.minCapacity)
        || !Objects.equals(target.get().maxCapacity(), want.maxCapacity));
    boolean specChanged = !observeOnly && (!Objects.equals(status.appliedMinCapacity, want.minCapacity)
        || !Objects.equals(status.appliedMaxCapacity, want.maxCapacity));
    // a scheduled action works by changing the target's min and max: with actions, other live values are theirs
    boolean scheduled = want.scheduledActions != null && !want.scheduledActions.isEmpty();
    if (target.isEmpty() || liveDiffers && (!scheduled || specChanged)) {
      changes.add(new Change("autoScaling", "Registered the scalable target " + resourceId + " (min "
          + want.minCapacity + ", max " + want.maxCapacity + ")", () -> {
            scaling.registerTarget(region, resourceId, want.minCapacity, want.maxCapacity);
            record(status, resourceId, want);
          }));
    } else if (!observeOnly && (!resourceId.equals(status.autoScalingResourceId) || specChanged)) {
      changes.add(new Change("autoScaling", null, () -> record(status, resourceId, want))); // registered already
    }
    Map<String, ScalingPolicy> livePolicies = new TreeMap<>();
    (target.isEmpty() ? List.<ScalingPolicy>of() : scaling.policies(region, resourceId))
        .forEach(p -> livePolicies.put(p.policyName(), p));
    List<EcsServiceSpec.TargetTrackingPolicy> policies = want.targetTrackingPolicies == null ? List.of()
        : want.targetTrackingPolicies;
    for (EcsServiceSpec.TargetTrackingPolicy p : policies) {
      TargetTrackingScalingPolicyConfiguration config = targetTracking(p);
      ScalingPolicy existing = livePolicies.remove(p.name);
      if (existing == null || !config.equals(normalized(existing.targetTrackingScalingPolicyConfiguration()))) {
        changes.add(new Change("autoScaling", "Put target tracking policy " + p.name,
            () -> scaling.putTargetTrackingPolicy(region, resourceId, p.name, config)));
      }
    }
    livePolicies.keySet().forEach(n -> changes.add(new Change("autoScaling", "Deleted scaling policy " + n,
        () -> scaling.deletePolicy(region, resourceId, n))));
    Map<String, ScheduledAction> liveActions = new TreeMap<>();
    (target.isEmpty() ? List.<ScheduledAction>of() : scaling.scheduledActions(region, resourceId))
        .forEach(a -> liveActions.put(a.scheduledActionName(), a));
    List<EcsServiceSpec.ScheduledAction> actions = want.scheduledActions == null ? List.of() : want.scheduledActions;
    for (EcsServiceSpec.ScheduledAction a : actions) {
      ScheduledAction existing = liveActions.remove(a.name);
      if (existing == null || !a.schedule.equals(existing.schedule())
          || !timezone(a.timezone).equals(timezone(existing.timezone()))
          || existing.scalableTargetAction() == null
          || !Objects.equals(a.minCapacity, existing.scalableTargetAction().minCapacity())
          || !Objects.equals(a.maxCapacity, existing.scalableTargetAction().maxCapacity())) {
        changes.add(new Change("autoScaling", "Put scheduled action " + a.name,
            () -> scaling.putScheduledAction(region, resourceId, a.name, a.schedule, a.timezone, a.minCapacity,
                a.maxCapacity)));
      }
    }
    liveActions.keySet().forEach(n -> changes.add(new Change("autoScaling", "Deleted scheduled action " + n,
        () -> scaling.deleteScheduledAction(region, resourceId, n))));
    return changes;
  }

  /** What this service's autoscaling manages: its scalable target, with the min and max applied. */
  private static void record(EcsServiceStatus status, String resourceId, EcsServiceSpec.AutoScaling want) {
    status.autoScalingResourceId = resourceId;
    status.appliedMinCapacity = want.minCapacity;
    status.appliedMaxCapacity = want.maxCapacity;
  }

  private static void forget(EcsServiceStatus status) {
    status.autoScalingResourceId = null;
    status.appliedMinCapacity = null;
    status.appliedMaxCapacity = null;
  }

  private static String timezone(String timezone) {
    return timezone == null || timezone.isEmpty() ? "UTC" : timezone;
  }

  /** The spec's policy in the SDK's shape, normalized like the live one. */
  static TargetTrackingScalingPolicyConfiguration targetTracking(EcsServiceSpec.TargetTrackingPolicy p) {
    return normalized(TargetTrackingScalingPolicyConfiguration.builder()
        .targetValue(p.targetValue)
        .predefinedMetricSpecification(PredefinedMetricSpecification.builder()
            .predefinedMetricType(p.predefinedMetricType.name()).resourceLabel(p.resourceLabel).build())
        .scaleInCooldown(p.scaleInCooldown)
        .scaleOutCooldown(p.scaleOutCooldown)
        .disableScaleIn(p.disableScaleIn)
        .build());
  }

  /** A target tracking configuration reduced to the fields the spec manages, with the defaults filled. */
  static TargetTrackingScalingPolicyConfiguration normalized(TargetTrackingScalingPolicyConfiguration live) {
    if (live == null || live.predefinedMetricSpecification() == null) {
      return null;
    }
    return TargetTrackingScalingPolicyConfiguration.builder()
        .targetValue(live.targetValue())
        .predefinedMetricSpecification(PredefinedMetricSpecification.builder()
            .predefinedMetricType(live.predefinedMetricSpecification().predefinedMetricTypeAsString())
            .resourceLabel(live.predefinedMetricSpecification().resourceLabel()).build())
        .scaleInCooldown(live.scaleInCooldown() == null ? 300 : live.scaleInCooldown())
        .scaleOutCooldown(live.scaleOutCooldown() == null ? 300 : live.scaleOutCooldown())
        .disableScaleIn(Boolean.TRUE.equals(live.disableScaleIn()))
        .build();
  }

  /**
   * Before an ACTIVE service is deleted: deregisters its scalable target (the one recorded in status, else the spec's
   * when autoScaling is set), if it exists, so that the autoscaler does not scale the service up again. No call when
   * the service has no autoscaling. Returns what it did, for the Event.
   *
   * @param resourceId the scalable target's id from the service's cluster and name
   */
  Optional<String> deregisterBeforeDelete(EcsServiceSpec spec, EcsServiceStatus status, String region,
      String resourceId) {
    // only this service's own target, whatever status says
    String managed = resourceId.equals(status.autoScalingResourceId) || spec.autoScaling != null ? resourceId : null;
    if (managed == null || scaling.target(region, managed).isEmpty()) {
      return Optional.empty();
    }
    scaling.deregisterTarget(region, managed);
    return Optional.of("Deregistered the scalable target " + managed);
  }
}
