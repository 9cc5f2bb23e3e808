package io.ecsbridge.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/** In-memory Application Auto Scaling for unit tests: records every call (reads and writes). */
public class FakeAutoScalingGateway implements AutoScalingGateway {
  public final Map<String, ScalableTarget> targets = new LinkedHashMap<>();
  public final Map<String, ScalingPolicy> policies = new LinkedHashMap<>();
  public final Map<String, ScheduledAction> actions = new LinkedHashMap<>();
  public final List<String> writes = new ArrayList<>();
  public final List<String> reads = new ArrayList<>();

  @Override
  public Optional<ScalableTarget> target(String region, String resourceId) {
    reads.add("DescribeScalableTargets");
    return Optional.ofNullable(targets.get(resourceId));
  }

  @Override
  public List<ScalingPolicy> policies(String region, String resourceId) {
    reads.add("DescribeScalingPolicies");
    return policies.values().stream().filter(p -> p.resourceId().equals(resourceId)).toList();
  }

  @Override
  public List<ScheduledAction> scheduledActions(String region, String resourceId) {
    reads.add("DescribeScheduledActions");
    return actions.values().stream().filter(a -> a.resourceId().equals(resourceId)).toList();
  }

  @Override
  public void registerTarget(String region, String resourceId, int minCapacity, int maxCapacity) {
    writes.add("RegisterScalableTarget");
    targets.put(resourceId, ScalableTarget.builder().serviceNamespace(NAMESPACE).resourceId(resourceId)
        .scalableDimension(DIMENSION).minCapacity(minCapacity).maxCapacity(maxCapacity).build());
  }

  @Override
  public void deregisterTarget(String region, String resourceId) {
    writes.add("DeregisterScalableTarget");
    targets.remove(resourceId);
    // as in AWS: the target's policies and scheduled actions go with it
    policies.values().removeIf(p -> p.resourceId().equals(resourceId));
    actions.values().removeIf(a -> a.resourceId().equals(resourceId));
  }

  @Override
  public void putTargetTrackingPolicy(String region, String resourceId, String name,
      TargetTrackingScalingPolicyConfiguration configuration) {
    writes.add("PutScalingPolicy:" + name);
    policies.put(resourceId + "|" + name, ScalingPolicy.builder().policyName(name).resourceId(resourceId)
        .serviceNamespace(NAMESPACE).scalableDimension(DIMENSION).policyType(PolicyType.TARGET_TRACKING_SCALING)
        .targetTrackingScalingPolicyConfiguration(configuration).build());
  }

  @Override
  public void deletePolicy(String region, String resourceId, String name) {
    writes.add("DeleteScalingPolicy:" + name);
    policies.remove(resourceId + "|" + name);
  }

  @Override
  public void putScheduledAction(String region, String resourceId, String name, String schedule, String timezone,
      Integer minCapacity, Integer maxCapacity) {
    writes.add("PutScheduledAction:" + name);
    actions.put(resourceId + "|" + name, ScheduledAction.builder().scheduledActionName(name).resourceId(resourceId)
        .serviceNamespace(NAMESPACE).scalableDimension(DIMENSION).schedule(schedule)
        .timezone(timezone == null ? "UTC" : timezone)
        .scalableTargetAction(a -> a.minCapacity(minCapacity).maxCapacity(maxCapacity)).build());
  }

  @Override
  public void deleteScheduledAction(String region, String resourceId, String name) {
    writes.add("DeleteScheduledAction:" + name);
    actions.remove(resourceId + "|" + name);
  }
}
