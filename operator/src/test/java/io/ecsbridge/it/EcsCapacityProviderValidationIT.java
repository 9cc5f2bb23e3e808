package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real API server rejects invalid EcsCapacityProviders at admission, with the CRD's own message: each rule. */
class EcsCapacityProviderValidationIT extends AdmissionIT {
  private static final String ASG = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:"
      + "0b4c5b1e-1111-2222-3333-444455556666:autoScalingGroupName/workers";
  private static final String MANAGED = """
      cluster: shop
      managedInstancesProvider:
        infrastructureRoleArn: arn:aws:iam::123456789012:role/ecs-infrastructure
        instanceLaunchTemplate:
          ec2InstanceProfileArn: arn:aws:iam::123456789012:instance-profile/ecs-instance
          networkConfiguration: {subnets: [subnet-0a1b]}
      """;

  EcsCapacityProviderValidationIT() {
    super("EcsCapacityProvider");
  }

  private static String group(String rest) {
    return "autoScalingGroupProvider: {autoScalingGroupArn: '" + ASG + "'" + rest + "}";
  }

  @Test
  void acceptsFullValidSpecsOfBothKinds() {
    GenericKubernetesResource asg = apply("asg", "name: workers\n" + group(", managedScaling: {status: ENABLED, "
        + "targetCapacity: 90, minimumScalingStepSize: 1, maximumScalingStepSize: 10, instanceWarmupPeriod: 60}, "
        + "managedTerminationProtection: ENABLED, managedDraining: DISABLED") + "\ntags: {team: a}");
    assertThat(asg.getMetadata().getUid()).isNotBlank();
    apply("by-name", "autoScalingGroupProvider: {autoScalingGroupArn: workers}");
    apply("managed", MANAGED + """
          storageConfiguration: {storageSizeGiB: 100}
          monitoring: DETAILED
          instanceRequirements: {vCpuCount: {min: 2, max: 8}, memoryMiB: {min: 4096}, cpuManufacturers: [intel, amd],
                                 acceleratorNames: [a10g], bareMetal: excluded}
        propagateTags: CAPACITY_PROVIDER
        infrastructureOptimization: {scaleInAfter: -1}
      """);
  }

  @Test
  void exactlyOneKindOfProvider() {
    rejected("none", "name: none", "exactly one of autoScalingGroupProvider and managedInstancesProvider");
    rejected("both", MANAGED + group(""), "exactly one of autoScalingGroupProvider and managedInstancesProvider");
  }

  @Test
  void clusterOnlyAndAlwaysWithManagedInstances() {
    rejected("nocluster", MANAGED.replace("cluster: shop\n", ""), "cluster is required with managedInstancesProvider");
    rejected("asgcluster", "cluster: shop\n" + group(""), "cluster is required with managedInstancesProvider");
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws-x", "ECS_workers", "Fargate1", "has space", "a/b"})
  void nameFollowsEcsRules(String name) {
    rejected("badname", "name: '" + name + "'\n" + group(""), "name");
  }

  @Test
  void nameGroupClusterAndKindAreImmutable() {
    apply("imm", "name: first\n" + group(""));
    rejected("imm", "name: second\n" + group(""), "name is immutable");
    rejected("imm", group(""), "name is immutable: it cannot be added or removed");
    rejected("imm", "name: first\nautoScalingGroupProvider: {autoScalingGroupArn: other}",
        "autoScalingGroupArn is immutable");
    rejected("imm", "name: first\n" + MANAGED, "the kind of capacity provider");
    apply("immc", MANAGED);
    rejected("immc", MANAGED.replace("cluster: shop", "cluster: other"), "cluster is immutable");
  }

  @Test
  void managedScalingIsInRange() {
    rejected("target", group(", managedScaling: {targetCapacity: 0}"), "targetCapacity");
    rejected("target", group(", managedScaling: {targetCapacity: 101}"), "targetCapacity");
    rejected("steps", group(", managedScaling: {minimumScalingStepSize: 5, maximumScalingStepSize: 2}"),
        "minimumScalingStepSize must not be greater than maximumScalingStepSize");
    rejected("status", group(", managedScaling: {status: ON}"), "Unsupported value");
  }

  @Test
  void groupIsAnAutoScalingGroupArnOrName() {
    rejected("arn", "autoScalingGroupProvider: {autoScalingGroupArn: 'arn:aws:ec2:us-east-1:123456789012:x'}",
        "autoScalingGroupArn must be an Auto Scaling group ARN");
  }

  @Test
  void managedInstancesFieldsAreChecked() {
    rejected("role", MANAGED.replace("role/ecs-infrastructure", "user/x"), "infrastructureRoleArn must be an IAM role");
    rejected("profile", MANAGED.replace("instance-profile/ecs-instance", "role/x"),
        "ec2InstanceProfileArn must be an IAM instance profile ARN");
    rejected("subnet", MANAGED.replace("subnet-0a1b", "net-1"), "subnets");
    rejected("range", MANAGED + "    instanceRequirements: {vCpuCount: {min: 8, max: 2}, memoryMiB: {min: 1}}\n",
        "min must not be greater than max");
    rejected("types", MANAGED + "    instanceRequirements: {vCpuCount: {min: 1}, memoryMiB: {min: 1}, "
        + "allowedInstanceTypes: [m5.large], excludedInstanceTypes: [t2.*]}\n",
        "excludedInstanceTypes and allowedInstanceTypes are mutually exclusive");
    rejected("maker", MANAGED + "    instanceRequirements: {vCpuCount: {min: 1}, memoryMiB: {min: 1}, "
        + "cpuManufacturers: [Intel]}\n", "cpuManufacturers");
  }

  @Test
  void tagsAreChecked() {
    rejected("tags", group("") + "\ntags: {'ecsbridge.io/owner': x}", "reserved");
  }

  @Test
  void theSampleIsAccepted() throws Exception {
    String yaml = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root()
        .resolve("samples/ecs-capacity-provider.yaml"));
    GenericKubernetesResource sample = k8s.getKubernetesSerialization().unmarshal(yaml,
        GenericKubernetesResource.class);
    sample.getMetadata().setNamespace(namespace);
    assertThat(k8s.resource(sample).create().getMetadata().getUid()).isNotBlank();
  }
}
