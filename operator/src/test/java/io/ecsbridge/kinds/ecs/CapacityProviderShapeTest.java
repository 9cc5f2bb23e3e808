package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.ShapeContract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsCapacityProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderRequest;

/** EcsCapacityProvider's mapping onto ECS: coverage of the spec, and each member's comparison with what ECS reports. */
class CapacityProviderShapeTest extends ShapeContract {
  private static final String ASG = "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:"
      + "0b4c5b1e-1111-2222-3333-444455556666:autoScalingGroupName/workers";

  @Override
  protected Shape shape() {
    return CapacityProviderShape.SHAPE;
  }

  @Override
  protected Class<? extends HasMetadata> kind() {
    return EcsCapacityProvider.class;
  }

  /** Both providers at once: admission allows one, the mapping must carry either. */
  @Override
  protected String everyField() {
    return """
        region: eu-west-1
        managementPolicy: Adopt
        deletionPolicy: Retain
        accountRef: {name: team-a}
        name: workers
        cluster: shop
        autoScalingGroupProvider:
          autoScalingGroupArn: %s
          managedScaling: {status: ENABLED, targetCapacity: 90, minimumScalingStepSize: 1, maximumScalingStepSize: 5,
                           instanceWarmupPeriod: 120}
          managedTerminationProtection: ENABLED
          managedDraining: DISABLED
        managedInstancesProvider:
          infrastructureRoleArn: arn:aws:iam::123456789012:role/ecs-infrastructure
          propagateTags: CAPACITY_PROVIDER
          infrastructureOptimization: {scaleInAfter: 300}
          instanceLaunchTemplate:
            ec2InstanceProfileArn: arn:aws:iam::123456789012:instance-profile/ecs-instance
            networkConfiguration: {subnets: [subnet-b, subnet-a], securityGroups: [sg-1]}
            storageConfiguration: {storageSizeGiB: 100}
            monitoring: DETAILED
            instanceRequirements:
              vCpuCount: {min: 2, max: 8}
              memoryMiB: {min: 4096, max: 16384}
              cpuManufacturers: [intel, amd]
              memoryGiBPerVCpu: {min: 1.5, max: 8}
              excludedInstanceTypes: [t2.*]
              instanceGenerations: [current]
              spotMaxPricePercentageOverLowestPrice: 50
              onDemandMaxPricePercentageOverLowestPrice: 20
              bareMetal: excluded
              burstablePerformance: excluded
              requireHibernateSupport: false
              networkInterfaceCount: {min: 1, max: 4}
              localStorage: included
              localStorageTypes: [ssd]
              totalLocalStorageGB: {min: 10, max: 100.5}
              baselineEbsBandwidthMbps: {min: 100, max: 1000}
              acceleratorTypes: [gpu]
              acceleratorCount: {min: 0, max: 1}
              acceleratorManufacturers: [nvidia]
              acceleratorNames: [t4]
              acceleratorTotalMemoryMiB: {min: 0, max: 16384}
              networkBandwidthGbps: {min: 1, max: 25}
              allowedInstanceTypes: [m5.large]
              maxSpotPriceAsPercentageOfOptimalOnDemandPrice: 60
        tags: {team: a}
        """.formatted(ASG);
  }

  @Override
  protected Supplier<SdkPojo> createRequest() {
    return CreateCapacityProviderRequest::builder;
  }

  @Override
  protected List<Supplier<SdkPojo>> updateRequests() {
    return List.of(UpdateCapacityProviderRequest::builder);
  }

  @Override
  protected List<Case> cases() {
    String reported = "{\"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"" + ASG + "\", \"managedScaling\": "
        + "{\"status\": \"ENABLED\", \"targetCapacity\": %d, \"minimumScalingStepSize\": 1, \"maximumScalingStepSize\": "
        + "10000, \"instanceWarmupPeriod\": 300}, \"managedTerminationProtection\": \"DISABLED\", "
        + "\"managedDraining\": \"ENABLED\"}}";
    String template = "{\"managedInstancesProvider\": {\"infrastructureRoleArn\": \"arn:aws:iam::1:role/r\", "
        + "\"propagateTags\": \"NONE\", \"instanceLaunchTemplate\": {\"ec2InstanceProfileArn\": "
        + "\"arn:aws:iam::1:instance-profile/p\", \"monitoring\": \"%s\", \"networkConfiguration\": {\"subnets\": "
        + "[\"subnet-b\", \"subnet-a\"], \"securityGroups\": []}, \"storageConfiguration\": {\"storageSizeGiB\": 100}}}}";
    return List.of(
        new Case("autoScalingGroupProvider", "autoScalingGroupProvider: {autoScalingGroupArn: workers, "
                + "managedScaling: {status: ENABLED, targetCapacity: 80}}",
            reported.formatted(80), reported.formatted(100)),
        new Case("managedInstancesProvider", """
                managedInstancesProvider:
                  infrastructureRoleArn: arn:aws:iam::1:role/r
                  instanceLaunchTemplate:
                    ec2InstanceProfileArn: arn:aws:iam::1:instance-profile/p
                    networkConfiguration: {subnets: [subnet-a, subnet-b]}
                    monitoring: DETAILED
                """, template.formatted("DETAILED"), template.formatted("BASIC")));
  }

  @Test
  void fieldsTheSpecLeavesOutKeepEcsValuesAndTheGroupIsNotSentOnUpdate() {
    var spec = spec("autoScalingGroupProvider: {autoScalingGroupArn: workers, managedDraining: ENABLED}");
    assertThat(shape().differences(spec, json("{\"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"" + ASG
        + "\", \"managedScaling\": {\"status\": \"DISABLED\"}, \"managedDraining\": \"ENABLED\"}}"))).isEmpty();
    assertThat(shape().wanted("autoScalingGroupProvider", spec)).isEqualTo(json("{\"managedDraining\": \"ENABLED\"}"));
  }

  @Test
  void aGroupNamedInTheSpecIsTheGroupOfThatNameInEcs() {
    assertThat(EcsCapacityProviderReconciler.sameGroup("workers", ASG)).isTrue();
    assertThat(EcsCapacityProviderReconciler.sameGroup(ASG, ASG)).isTrue();
    assertThat(EcsCapacityProviderReconciler.sameGroup("other", ASG)).isFalse();
  }
}
