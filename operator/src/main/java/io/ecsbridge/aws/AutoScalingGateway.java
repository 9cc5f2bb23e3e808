package io.ecsbridge.aws;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * Application Auto Scaling of an ECS service's desired count (namespace ecs, dimension ecs:service:DesiredCount,
 * resource id service/&lt;cluster&gt;/&lt;service&gt;). Free of Kubernetes types, faked in unit tests.
 */
public interface AutoScalingGateway {
  String NAMESPACE = "ecs";
  String DIMENSION = "ecs:service:DesiredCount";

  static String resourceId(String clusterName, String serviceName) {
    return "service/" + clusterName + "/" + serviceName;
  }

  Optional<ScalableTarget> target(String region, String resourceId);

  List<ScalingPolicy> policies(String region, String resourceId);

  List<ScheduledAction> scheduledActions(String region, String resourceId);

  void registerTarget(String region, String resourceId, int minCapacity, int maxCapacity);

  void deregisterTarget(String region, String resourceId);

  void putTargetTrackingPolicy(String region, String resourceId, String name,
      TargetTrackingScalingPolicyConfiguration configuration);

  void deletePolicy(String region, String resourceId, String name);

  void putScheduledAction(String region, String resourceId, String name, String schedule, String timezone,
      Integer minCapacity, Integer maxCapacity);

  void deleteScheduledAction(String region, String resourceId, String name);
}
