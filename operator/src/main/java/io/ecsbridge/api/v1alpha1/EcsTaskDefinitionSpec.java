package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.KeyValuePair;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Desired content of a task definition family, in the shape of ECS's RegisterTaskDefinition request.
 *
 * <p>Task {@code cpu} and {@code memory} are strings as in AWS's JSON: CPU units ("256", "1024") or vCPUs ("1 vCPU",
 * "0.5 vCPU"); memory in MiB ("512", "2048") or GB ("2GB", "2 GB"). The Fargate size rule below converts both
 * spellings the way ECS does (1 vCPU = 1024 units, 1 GB = 1024 MiB) before checking the pair.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.family) == has(oldSelf.family)",
    message = "family is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
@ValidationRule(value = EcsTaskDefinitionSpec.NOT_FARGATE + " || (has(self.networkMode) && self.networkMode == 'awsvpc')",
    message = "requiresCompatibilities FARGATE needs networkMode: awsvpc")
@ValidationRule(value = EcsTaskDefinitionSpec.NOT_FARGATE + " || (has(self.cpu) && has(self.memory))",
    message = "requiresCompatibilities FARGATE needs task-level cpu and memory")
@ValidationRule(value = EcsTaskDefinitionSpec.NOT_FARGATE + " || !has(self.cpu) || !has(self.memory) || "
    + EcsTaskDefinitionSpec.FARGATE_PAIR,
    message = "cpu and memory are not a valid Fargate size: cpu 256 takes memory 512, 1024 or 2048; 512 takes "
        + "1024-4096; 1024 takes 2048-8192; 2048 takes 4096-16384 (steps of 1024); 4096 takes 8192-30720 (steps of "
        + "1024); 8192 (8 vCPU) takes 16384-61440 (steps of 4096); 16384 (16 vCPU) takes 32768-122880 (steps of "
        + "8192). 1 vCPU = 1024, 1 GB = 1024")
@ValidationRule(value = "has(self.memory) || self.containerDefinitions.all(c, has(c.memory) || "
    + "has(c.memoryReservation))",
    message = "without task-level memory, every container needs memory or memoryReservation")
@JsonClassDescription("The desired content of the family's current revision, in the shape of ECS's "
    + "RegisterTaskDefinition request: containers, task size, roles, network mode, volumes. The family defaults to "
    + "metadata.name; images may come from EcrRepository resources (imageFrom), values from Secrets and ConfigMaps.")
public class EcsTaskDefinitionSpec extends AwsResourceSpec {

  static final String NOT_FARGATE = "!(has(self.requiresCompatibilities) && "
      + "self.requiresCompatibilities.exists(c, c == 'FARGATE'))";

  /** CPU units from "256" or "1 vCPU"; MiB from "512" or "2GB" (the patterns on cpu and memory guarantee the forms). */
  private static final String CPU_UNITS = "(self.cpu.lowerAscii().contains('vcpu') ? "
      + "int(double(self.cpu.lowerAscii().replace('vcpu', '').trim()) * 1024.0) : int(self.cpu.trim()))";
  private static final String MEMORY_MIB = "(self.memory.lowerAscii().contains('gb') ? "
      + "int(double(self.memory.lowerAscii().replace('gb', '').trim()) * 1024.0) : int(self.memory.trim()))";

  /** c and m are bound by one-element comprehensions (CRD CEL has no cel.bind). */
  static final String FARGATE_PAIR = "[" + CPU_UNITS + "].exists(c, [" + MEMORY_MIB + "].exists(m, "
      + "c == 256 ? (m == 512 || m == 1024 || m == 2048) : "
      + "c == 512 ? (m >= 1024 && m <= 4096 && m % 1024 == 0) : "
      + "c == 1024 ? (m >= 2048 && m <= 8192 && m % 1024 == 0) : "
      + "c == 2048 ? (m >= 4096 && m <= 16384 && m % 1024 == 0) : "
      + "c == 4096 ? (m >= 8192 && m <= 30720 && m % 1024 == 0) : "
      + "c == 8192 ? (m >= 16384 && m <= 61440 && m % 4096 == 0) : "
      + "c == 16384 ? (m >= 32768 && m <= 122880 && m % 8192 == 0) : false))";

  @JsonPropertyDescription("The task definition family. Defaults to metadata.name. Immutable.")
  @Size(min = 1, max = 255)
  @Pattern("^[a-zA-Z0-9_-]+$")
  @ValidationRule(value = "self == oldSelf", message = "family is immutable")
  public String family;

  @JsonPropertyDescription("The containers of the task (1 to 10), names unique, at least one essential.")
  @Required
  @Size(min = 1, max = 10)
  @ValidationRule(value = "self.all(c, self.exists_one(d, d.name == c.name))",
      message = "container names must be unique")
  @ValidationRule(value = "self.exists(c, !has(c.essential) || c.essential)",
      message = "at least one container must be essential")
  public List<ContainerDefinition> containerDefinitions;

  @JsonPropertyDescription("Task CPU: units as a string (\"256\", \"1024\") or vCPUs (\"1 vCPU\", \"0.5 vCPU\"). "
      + "Required with FARGATE, where it must form a valid Fargate size with memory.")
  @Pattern("^ *([0-9]+|[0-9]+(\\.[0-9]+)? *[vV][cC][pP][uU]) *$")
  @Size(max = 16)
  public String cpu;

  @JsonPropertyDescription("Task memory: MiB as a string (\"512\", \"2048\") or GB (\"2GB\", \"2 GB\", \"0.5GB\"). "
      + "Required with FARGATE.")
  @Pattern("^ *([0-9]+|[0-9]+(\\.[0-9]+)? *[gG][bB]) *$")
  @Size(max = 16)
  public String memory;

  @JsonPropertyDescription("Docker networking mode: awsvpc (required by FARGATE), bridge (the default on EC2 Linux), "
      + "host or none.")
  public NetworkMode networkMode;

  @JsonPropertyDescription("Launch types the task definition is validated against: EC2, FARGATE, EXTERNAL, "
      + "MANAGED_INSTANCES. Order does not matter.")
  @Size(max = 4)
  public List<Compatibility> requiresCompatibilities;

  @JsonPropertyDescription("ARN of the role ECS uses to pull images and write logs (task execution role): "
      + "arn:<partition>:iam::<account>:role/<name>.")
  @Size(max = 2048)
  @ValidationRule(value = AwsValidation.EXECUTION_ROLE_ARN, message = AwsValidation.EXECUTION_ROLE_ARN_MESSAGE)
  public String executionRoleArn;

  @JsonPropertyDescription("ARN (or, as ECS allows, name) of the role the containers assume (task role).")
  @Size(max = 2048)
  @ValidationRule(value = AwsValidation.TASK_ROLE_ARN, message = AwsValidation.TASK_ROLE_ARN_MESSAGE)
  public String taskRoleArn;

  @JsonPropertyDescription("Volumes containers can mount. Order does not matter.")
  public List<Volume> volumes;

  @JsonPropertyDescription("Ephemeral storage of a Fargate task.")
  public EphemeralStorage ephemeralStorage;

  @JsonPropertyDescription("CPU architecture and operating system (required for Windows and ARM64 on Fargate).")
  public RuntimePlatform runtimePlatform;

  @JsonPropertyDescription("Placement constraints of the tasks (EC2). Order does not matter.")
  @Size(max = 10)
  public List<PlacementConstraint> placementConstraints;

  @JsonPropertyDescription("Process namespace: host or task (Fargate supports task only).")
  public PidMode pidMode;

  @JsonPropertyDescription("IPC namespace: host, task or none (not on Fargate).")
  public IpcMode ipcMode;

  @JsonPropertyDescription("App Mesh proxy configuration.")
  public ProxyConfiguration proxyConfiguration;

  @JsonPropertyDescription("Allow fault injection (AWS FIS) requests from the task's containers. Default false.")
  public Boolean enableFaultInjection;

  @JsonPropertyDescription("Elastic Inference accelerators (deprecated by AWS; kept so existing definitions paste in).")
  public List<InferenceAccelerator> inferenceAccelerators;

  @JsonPropertyDescription("Tags of the task definition revisions. This is the whole set. Not content: a change "
      + "retags the current revision, it does not register a new one. Keys 1 to 128 characters, values up to 256, "
      + "both of letters, digits, spaces and _ . : / = + - @; keys starting with ecsbridge.io/ or aws: (any case) "
      + "are reserved.")
  @Size(max = 48)
  @ValidationRule(value = AwsValidation.TAG_KEYS_RESERVED, message = AwsValidation.TAG_KEYS_RESERVED_MESSAGE)
  @ValidationRule(value = AwsValidation.TAG_KEYS_LENGTH, message = AwsValidation.TAG_KEYS_LENGTH_MESSAGE)
  @ValidationRule(value = AwsValidation.ECS_TAG_CHARACTERS, message = AwsValidation.ECS_TAG_CHARACTERS_MESSAGE)
  public Map<String, @Size(max = 256) String> tags;

  @JsonPropertyDescription("How many older revisions registered by this resource stay ACTIVE (default 5). Older ones "
      + "are deregistered, oldest first, once no EcsService in the namespace runs them.")
  @Default("5")
  @Min(0)
  @Max(1000)
  public Integer revisionHistoryLimit;

  public int revisionHistoryLimit() {
    return revisionHistoryLimit == null ? 5 : revisionHistoryLimit;
  }

  public enum NetworkMode { awsvpc, bridge, host, none }

  public enum Compatibility { EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES }

  public enum PidMode { host, task }

  public enum IpcMode { host, task, none }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.configuredAtLaunch) || !self.configuredAtLaunch || (!has(self.host) && "
      + "!has(self.efsVolumeConfiguration) && !has(self.dockerVolumeConfiguration))",
      message = "a volume configuredAtLaunch takes its configuration from the service (volumeConfigurations): it has "
          + "no host, efsVolumeConfiguration or dockerVolumeConfiguration")
  public static class Volume {
    @JsonPropertyDescription("Name of the volume, referenced by mountPoints[].sourceVolume.")
    @Required
    @Size(min = 1, max = 255)
    public String name;

    @JsonPropertyDescription("A bind mount (EC2: a host path; without sourcePath an empty per-task volume).")
    public HostVolume host;

    @JsonPropertyDescription("An Amazon EFS file system.")
    public EfsVolumeConfiguration efsVolumeConfiguration;

    @JsonPropertyDescription("A Docker volume (EC2 only).")
    public DockerVolumeConfiguration dockerVolumeConfiguration;

    @JsonPropertyDescription("The volume is configured when a task is launched, by the service's (or RunTask's) "
        + "volumeConfigurations, for example an Amazon EBS volume. Default false. Such a volume has no other source.")
    public Boolean configuredAtLaunch;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HostVolume {
    @JsonPropertyDescription("Path on the host (EC2).")
    public String sourcePath;
  }

  public enum EnabledDisabled { ENABLED, DISABLED }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EfsVolumeConfiguration {
    @JsonPropertyDescription("Id of the EFS file system (fs-...).")
    @Required
    public String fileSystemId;

    @JsonPropertyDescription("Directory of the file system to mount. Default /.")
    public String rootDirectory;

    @JsonPropertyDescription("Encrypt in transit: ENABLED or DISABLED (default; required ENABLED with IAM).")
    public EnabledDisabled transitEncryption;

    @JsonPropertyDescription("Port of the in-transit encryption tunnel.")
    @Min(0)
    @Max(65535)
    public Integer transitEncryptionPort;

    @JsonPropertyDescription("Access point and IAM authorization.")
    public EfsAuthorizationConfig authorizationConfig;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EfsAuthorizationConfig {
    @JsonPropertyDescription("Id of the EFS access point (fsap-...).")
    public String accessPointId;

    @JsonPropertyDescription("Use the task role to authorize the mount: ENABLED or DISABLED.")
    public EnabledDisabled iam;
  }

  public enum DockerVolumeScope { task, shared }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DockerVolumeConfiguration {
    @JsonPropertyDescription("task (default: removed with the task) or shared (kept).")
    public DockerVolumeScope scope;

    @JsonPropertyDescription("Create the volume if absent (scope shared only). Default false.")
    public Boolean autoprovision;

    @JsonPropertyDescription("Docker volume driver (default local).")
    public String driver;

    @JsonPropertyDescription("Options of the driver.")
    public Map<String, String> driverOpts;

    @JsonPropertyDescription("Docker labels of the volume.")
    public Map<String, String> labels;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EphemeralStorage {
    @JsonPropertyDescription("Size in GiB, 21 to 200 (Fargate's default is 20).")
    @Required
    @Min(21)
    @Max(200)
    public Integer sizeInGiB;
  }

  public enum CpuArchitecture { X86_64, ARM64 }

  public enum OperatingSystemFamily {
    LINUX, WINDOWS_SERVER_2025_CORE, WINDOWS_SERVER_2025_FULL, WINDOWS_SERVER_2022_CORE, WINDOWS_SERVER_2022_FULL,
    WINDOWS_SERVER_2019_CORE, WINDOWS_SERVER_2019_FULL, WINDOWS_SERVER_2016_FULL, WINDOWS_SERVER_2004_CORE,
    WINDOWS_SERVER_20H2_CORE
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RuntimePlatform {
    @JsonPropertyDescription("X86_64 or ARM64.")
    public CpuArchitecture cpuArchitecture;

    @JsonPropertyDescription("LINUX or a WINDOWS_SERVER_* family.")
    public OperatingSystemFamily operatingSystemFamily;
  }

  public enum PlacementConstraintType { memberOf }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PlacementConstraint {
    @JsonPropertyDescription("memberOf.")
    @Required
    public PlacementConstraintType type;

    @JsonPropertyDescription("Cluster query language expression, for example attribute:ecs.availability-zone in "
        + "[eu-west-1a].")
    @Size(max = 2000)
    public String expression;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class InferenceAccelerator {
    @JsonPropertyDescription("Name referenced by a container's resourceRequirements.")
    @Required
    public String deviceName;

    @JsonPropertyDescription("Accelerator type, for example eia2.medium.")
    @Required
    public String deviceType;
  }

  public enum ProxyType { APPMESH }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ProxyConfiguration {
    @JsonPropertyDescription("APPMESH.")
    public ProxyType type;

    @JsonPropertyDescription("Name of the container that is the proxy.")
    @Required
    public String containerName;

    @JsonPropertyDescription("Proxy settings (IgnoredUID, ProxyIngressPort, AppPorts, ...) as name/value pairs.")
    public List<KeyValuePair> properties;
  }
}
