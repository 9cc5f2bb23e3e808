package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/** {@link AutoScalingGateway} on the AWS SDK: one call per method. */
public class SdkAutoScalingGateway implements AutoScalingGateway {
  private final AwsClients clients;

  public SdkAutoScalingGateway(AwsClients clients) {
    this.clients = clients;
  }

  private ApplicationAutoScalingClient client(String region) {
    return clients.autoScaling(region);
  }

  @Override
  public Optional<ScalableTarget> target(String region, String resourceId) {
    return call(() -> client(region).describeScalableTargets(r -> r.serviceNamespace(NAMESPACE)
        .resourceIds(resourceId).scalableDimension(DIMENSION)).scalableTargets()).stream()
        .filter(t -> resourceId.equals(t.resourceId())).findFirst();
  }

  @Override
  public List<ScalingPolicy> policies(String region, String resourceId) {
    return call(() -> client(region).describeScalingPolicies(r -> r.serviceNamespace(NAMESPACE)
        .resourceId(resourceId).scalableDimension(DIMENSION)).scalingPolicies()).stream()
        .filter(p -> resourceId.equals(p.resourceId())).toList();
  }

  @Override
  public List<ScheduledAction> scheduledActions(String region, String resourceId) {
    return call(() -> client(region).describeScheduledActions(r -> r.serviceNamespace(NAMESPACE)
        .resourceId(resourceId).scalableDimension(DIMENSION)).scheduledActions()).stream()
        .filter(a -> resourceId.equals(a.resourceId())).toList();
  }

  @Override
  public void registerTarget(String region, String resourceId, int minCapacity, int maxCapacity) {
    call(() -> client(region).registerScalableTarget(r -> r.serviceNamespace(NAMESPACE).resourceId(resourceId)
        .scalableDimension(DIMENSION).minCapacity(minCapacity).maxCapacity(maxCapacity)));
  }

  @Override
  public void deregisterTarget(String region, String resourceId) {
    call(() -> client(region).deregisterScalableTarget(r -> r.serviceNamespace(NAMESPACE).resourceId(resourceId)
        .scalableDimension(DIMENSION)));
  }

  @Override
  public void putTargetTrackingPolicy(String region, String resourceId, String name,
      TargetTrackingScalingPolicyConfiguration configuration) {
    call(() -> client(region).putScalingPolicy(r -> r.serviceNamespace(NAMESPACE).resourceId(resourceId)
        .scalableDimension(DIMENSION).policyName(name).policyType(PolicyType.TARGET_TRACKING_SCALING)
        .targetTrackingScalingPolicyConfiguration(configuration)));
  }

  @Override
  public void deletePolicy(String region, String resourceId, String name) {
    call(() -> client(region).deleteScalingPolicy(r -> r.serviceNamespace(NAMESPACE).resourceId(resourceId)
        .scalableDimension(DIMENSION).policyName(name)));
  }

  @Override
  public void putScheduledAction(String region, String resourceId, String name, String schedule, String timezone,
      Integer minCapacity, Integer maxCapacity) {
    call(() -> client(region).putScheduledAction(r -> r.serviceNamespace(NAMESPACE).resourceId(resourceId)
        .scalableDimension(DIMENSION).scheduledActionName(name).schedule(schedule).timezone(timezone)
        .scalableTargetAction(a -> a.minCapacity(minCapacity).maxCapacity(maxCapacity))));
  }

  @Override
  public void deleteScheduledAction(String region, String resourceId, String name) {
    call(() -> client(region).deleteScheduledAction(r -> r.serviceNamespace(NAMESPACE).resourceId(resourceId)
        .scalableDimension(DIMENSION).scheduledActionName(name)));
  }
}
