package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Desired state of an ECS capacity provider, in the shape of ECS's CreateCapacityProvider request: exactly one of
 * autoScalingGroupProvider (an EC2 Auto Scaling group, account-wide) and managedInstancesProvider (ECS Managed
 * Instances, scoped to one cluster).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.autoScalingGroupProvider) != has(self.managedInstancesProvider)",
    message = "exactly one of autoScalingGroupProvider and managedInstancesProvider is required")
@ValidationRule(value = "has(self.managedInstancesProvider) == has(self.cluster)",
    message = "cluster is required with managedInstancesProvider (ECS Managed Instances capacity providers belong to "
        + "one cluster), and allowed only with it")
@ValidationRule(value = "has(self.autoScalingGroupProvider) == has(oldSelf.autoScalingGroupProvider)",
    message = "the kind of capacity provider (autoScalingGroupProvider or managedInstancesProvider) is immutable")
@ValidationRule(value = "has(self.name) == has(oldSelf.name)",
    message = "name is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.cluster) == has(oldSelf.cluster)",
    message = "cluster is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
@JsonClassDescription("The desired capacity provider, in the shape of ECS's CreateCapacityProvider request: exactly "
    + "one of autoScalingGroupProvider and managedInstancesProvider. The name defaults to metadata.name.")
public class EcsCapacityProviderSpec extends AwsResourceSpec {

  static final String NAME_RULE = "!self.lowerAscii().matches(r'^(aws|ecs|fargate)')";

  @JsonPropertyDescription("Name of the capacity provider in ECS: 1 to 255 letters, digits, - and _, not starting "
      + "with aws, ecs or fargate (in any case). Defaults to metadata.name. Immutable.")
  @Size(min = 1, max = 255)
  @Pattern("^[a-zA-Z0-9_-]+$")
  @ValidationRule(value = NAME_RULE, message = "name must not start with aws, ecs or fargate (in any case): AWS "
      + "reserves them")
  @ValidationRule(value = "self == oldSelf", message = "name is immutable")
  public String name;

  @JsonPropertyDescription("The cluster (name) a managedInstancesProvider capacity provider belongs to; ECS makes it "
      + "available in that cluster only. Required with managedInstancesProvider, not allowed otherwise. Immutable.")
  @Size(min = 1, max = 255)
  @Pattern("^[a-zA-Z0-9_-]+$")
  @ValidationRule(value = "self == oldSelf", message = "cluster is immutable")
  public String cluster;

  @JsonPropertyDescription("An EC2 Auto Scaling group's capacity provider. autoScalingGroupArn is immutable; "
      + "managedScaling, managedTerminationProtection and managedDraining are changed with UpdateCapacityProvider.")
  public AutoScalingGroupProvider autoScalingGroupProvider;

  @JsonPropertyDescription("An ECS Managed Instances capacity provider (ECS launches and manages the EC2 instances). "
      + "Every field is changed with UpdateCapacityProvider.")
  public ManagedInstancesProvider managedInstancesProvider;

  @JsonPropertyDescription("Tags of the capacity provider: the whole set, other tags are removed. Keys 1 to 128 "
      + "characters, values up to 256, both of letters, digits, spaces and _ . : / = + - @; keys starting with "
      + "ecsbridge.io/ or aws: (any case) are reserved.")
  @Size(max = 49)
  @ValidationRule(value = AwsValidation.TAG_KEYS_RESERVED, message = AwsValidation.TAG_KEYS_RESERVED_MESSAGE)
  @ValidationRule(value = AwsValidation.TAG_KEYS_LENGTH, message = AwsValidation.TAG_KEYS_LENGTH_MESSAGE)
  @ValidationRule(value = AwsValidation.ECS_TAG_CHARACTERS, message = AwsValidation.ECS_TAG_CHARACTERS_MESSAGE)
  public Map<String, @Size(max = 256) String> tags;

  public enum Toggle { ENABLED, DISABLED }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AutoScalingGroupProvider {
    @JsonPropertyDescription("The Auto Scaling group: its ARN, or its name (ECS reports the ARN). Immutable.")
    @Required
    @Size(min = 1, max = 1600)
    @ValidationRule(value = "self == oldSelf", message = "autoScalingGroupArn is immutable")
    @ValidationRule(value = "!self.startsWith('arn:') || self.matches(r'^arn:aws(-[a-z]+)*:autoscaling:[a-z0-9-]+:"
        + "[0-9]{12}:autoScalingGroup:[0-9a-fA-F-]+:autoScalingGroupName/.{1,255}$')",
        message = "autoScalingGroupArn must be an Auto Scaling group ARN: arn:<partition>:autoscaling:<region>:"
            + "<12-digit account>:autoScalingGroup:<uuid>:autoScalingGroupName/<name>, or the group's name")
    public String autoScalingGroupArn;

    @JsonPropertyDescription("Managed scaling: ECS scales the group to keep targetCapacity percent of it in use.")
    public ManagedScaling managedScaling;

    @JsonPropertyDescription("ENABLED: instances running tasks are protected from scale-in (needs managed scaling and "
        + "the group's scale-in protection). ECS reports DISABLED when it is not set.")
    public Toggle managedTerminationProtection;

    @JsonPropertyDescription("ENABLED: instances are drained of tasks before the group terminates them. ECS reports "
        + "ENABLED when it is not set.")
    public Toggle managedDraining;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.minimumScalingStepSize) || !has(self.maximumScalingStepSize) || "
      + "self.minimumScalingStepSize <= self.maximumScalingStepSize",
      message = "minimumScalingStepSize must not be greater than maximumScalingStepSize")
  public static class ManagedScaling {
    @JsonPropertyDescription("ENABLED or DISABLED.")
    public Toggle status;

    @JsonPropertyDescription("Target utilization of the group, in percent (1 to 100; ECS's default 100).")
    @Min(1)
    @Max(100)
    public Integer targetCapacity;

    @JsonPropertyDescription("Fewest instances added or removed at once (1 to 10000; ECS's default 1).")
    @Min(1)
    @Max(10000)
    public Integer minimumScalingStepSize;

    @JsonPropertyDescription("Most instances added or removed at once (1 to 10000; ECS's default 10000).")
    @Min(1)
    @Max(10000)
    public Integer maximumScalingStepSize;

    @JsonPropertyDescription("Seconds a new instance takes before it counts toward the group's metrics (0 to 10000; "
        + "ECS's default 300).")
    @Min(0)
    @Max(10000)
    public Integer instanceWarmupPeriod;
  }

  public enum PropagateTags { CAPACITY_PROVIDER, NONE }

  public enum Monitoring { BASIC, DETAILED }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ManagedInstancesProvider {
    @JsonPropertyDescription("IAM role ECS assumes to manage the instances (the ECS infrastructure role).")
    @Required
    @ValidationRule(value = AwsValidation.EXECUTION_ROLE_ARN, message = "infrastructureRoleArn must be an IAM role "
        + "ARN: arn:<partition>:iam::<12-digit account>:role/<optional path/><name>")
    public String infrastructureRoleArn;

    @JsonPropertyDescription("How ECS launches the instances.")
    @Required
    public InstanceLaunchTemplate instanceLaunchTemplate;

    @JsonPropertyDescription("CAPACITY_PROVIDER: the capacity provider's tags go to the instances it launches; NONE.")
    public PropagateTags propagateTags;

    @JsonPropertyDescription("How ECS consolidates idle or underused instances.")
    public InfrastructureOptimization infrastructureOptimization;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class InfrastructureOptimization {
    @JsonPropertyDescription("Seconds an idle or underused instance waits before ECS may end it (-1: never; 0 to "
        + "3600).")
    @Min(-1)
    @Max(3600)
    public Integer scaleInAfter;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class InstanceLaunchTemplate {
    @JsonPropertyDescription("The instance profile of the instances (ARN).")
    @Required
    @ValidationRule(value = "self.matches(r'^arn:aws(-[a-z]+)*:iam::[0-9]{12}:instance-profile/([!-~]*/)?"
        + "[\\w+=,.@-]{1,128}$')", message = "ec2InstanceProfileArn must be an IAM instance profile ARN: "
        + "arn:<partition>:iam::<12-digit account>:instance-profile/<optional path/><name>")
    public String ec2InstanceProfileArn;

    @JsonPropertyDescription("The subnets and security groups of the instances.")
    @Required
    public NetworkConfiguration networkConfiguration;

    @JsonPropertyDescription("The root volume of the instances.")
    public StorageConfiguration storageConfiguration;

    @JsonPropertyDescription("CloudWatch monitoring of the instances: BASIC (5-minute) or DETAILED (1-minute).")
    public Monitoring monitoring;

    @JsonPropertyDescription("The instance types ECS may launch, by attributes (EC2's attribute-based selection).")
    public InstanceRequirements instanceRequirements;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NetworkConfiguration {
    @JsonPropertyDescription("Subnet ids of the instances.")
    @Required
    @Size(min = 1, max = 16)
    public List<@Pattern("^subnet-[0-9a-f]+$") String> subnets;

    @JsonPropertyDescription("Security group ids of the instances.")
    @Size(max = 5)
    public List<@Pattern("^sg-[0-9a-f]+$") String> securityGroups;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StorageConfiguration {
    @JsonPropertyDescription("Size of each instance's root volume, in GiB.")
    @Min(1)
    @Max(16384)
    public Integer storageSizeGiB;
  }

  /** EC2's attribute-based instance type selection, as ECS's InstanceRequirementsRequest. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!(has(self.excludedInstanceTypes) && has(self.allowedInstanceTypes))",
      message = "excludedInstanceTypes and allowedInstanceTypes are mutually exclusive")
  public static class InstanceRequirements {
    @JsonPropertyDescription("vCPUs per instance: min (required) and max.")
    @Required
    public RequiredIntRange vCpuCount;

    @JsonPropertyDescription("Memory per instance in MiB: min (required) and max.")
    @Required
    public RequiredIntRange memoryMiB;

    @JsonPropertyDescription("intel, amd, amazon-web-services.")
    public List<@Pattern("^(intel|amd|amazon-web-services)$") String> cpuManufacturers;

    @JsonPropertyDescription("Memory per vCPU in GiB: min and max.")
    public DoubleRange memoryGiBPerVCpu;

    @JsonPropertyDescription("Instance types to exclude (wildcards allowed, e.g. m5a.*). Not with "
        + "allowedInstanceTypes.")
    @Size(max = 400)
    public List<@Size(min = 1, max = 30) String> excludedInstanceTypes;

    @JsonPropertyDescription("current, previous.")
    public List<@Pattern("^(current|previous)$") String> instanceGenerations;

    @JsonPropertyDescription("Price protection for Spot instances, in percent above the lowest priced current "
        + "generation type.")
    @Min(0)
    public Integer spotMaxPricePercentageOverLowestPrice;

    @JsonPropertyDescription("Price protection for On-Demand instances, in percent above the lowest priced current "
        + "generation type.")
    @Min(0)
    public Integer onDemandMaxPricePercentageOverLowestPrice;

    @JsonPropertyDescription("included, required or excluded.")
    @Pattern("^(included|required|excluded)$")
    public String bareMetal;

    @JsonPropertyDescription("included, required or excluded.")
    @Pattern("^(included|required|excluded)$")
    public String burstablePerformance;

    @JsonPropertyDescription("Only instance types that support hibernation.")
    public Boolean requireHibernateSupport;

    @JsonPropertyDescription("Network interfaces per instance: min and max.")
    public IntRange networkInterfaceCount;

    @JsonPropertyDescription("included, required or excluded.")
    @Pattern("^(included|required|excluded)$")
    public String localStorage;

    @JsonPropertyDescription("hdd, ssd.")
    public List<@Pattern("^(hdd|ssd)$") String> localStorageTypes;

    @JsonPropertyDescription("Total local storage in GB: min and max.")
    public DoubleRange totalLocalStorageGB;

    @JsonPropertyDescription("Baseline EBS bandwidth in Mbps: min and max.")
    public IntRange baselineEbsBandwidthMbps;

    @JsonPropertyDescription("gpu, fpga, inference.")
    public List<@Pattern("^(gpu|fpga|inference)$") String> acceleratorTypes;

    @JsonPropertyDescription("Accelerators per instance: min and max.")
    public IntRange acceleratorCount;

    @JsonPropertyDescription("amazon-web-services, amd, nvidia, xilinx, habana.")
    public List<@Pattern("^(amazon-web-services|amd|nvidia|xilinx|habana)$") String> acceleratorManufacturers;

    @JsonPropertyDescription("a100, inferentia, k520, k80, m60, radeon-pro-v520, t4, vu9p, v100, a10g, h100, t4g.")
    public List<@Pattern("^(a100|inferentia|k520|k80|m60|radeon-pro-v520|t4|vu9p|v100|a10g|h100|t4g)$") String>
        acceleratorNames;

    @JsonPropertyDescription("Total accelerator memory in MiB: min and max.")
    public IntRange acceleratorTotalMemoryMiB;

    @JsonPropertyDescription("Network bandwidth in Gbps: min and max.")
    public DoubleRange networkBandwidthGbps;

    @JsonPropertyDescription("The only instance types ECS may launch (wildcards allowed). Not with "
        + "excludedInstanceTypes.")
    @Size(max = 400)
    public List<@Size(min = 1, max = 30) String> allowedInstanceTypes;

    @JsonPropertyDescription("Price protection for Spot instances, in percent of the optimal On-Demand price.")
    @Min(0)
    public Integer maxSpotPriceAsPercentageOfOptimalOnDemandPrice;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.max) || self.min <= self.max", message = "min must not be greater than max")
  public static class RequiredIntRange {
    @JsonPropertyDescription("Minimum.")
    @Required
    @Min(0)
    public Integer min;

    @JsonPropertyDescription("Maximum (absent: no limit).")
    @Min(0)
    public Integer max;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max",
      message = "min must not be greater than max")
  public static class IntRange {
    @JsonPropertyDescription("Minimum (absent: no limit).")
    @Min(0)
    public Integer min;

    @JsonPropertyDescription("Maximum (absent: no limit).")
    @Min(0)
    public Integer max;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max",
      message = "min must not be greater than max")
  public static class DoubleRange {
    @JsonPropertyDescription("Minimum (absent: no limit).")
    @Min(0)
    @JsonSerialize(using = WholeNumbers.class)
    public Double min;

    @JsonPropertyDescription("Maximum (absent: no limit).")
    @Min(0)
    @JsonSerialize(using = WholeNumbers.class)
    public Double max;
  }
}
