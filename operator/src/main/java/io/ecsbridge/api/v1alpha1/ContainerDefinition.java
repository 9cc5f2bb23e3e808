package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
 * One container of a task definition, in the shape of ECS's ContainerDefinition (the JSON of
 * {@code aws ecs register-task-definition --cli-input-json}), so an exported definition pastes in unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.image) != has(self.imageFrom)",
    message = "give exactly one of image and imageFrom")
public class ContainerDefinition {

  @JsonPropertyDescription("Name of the container, unique in the task definition (letters, digits, - and _).")
  @Required
  @Size(min = 1, max = 255)
  @Pattern("^[a-zA-Z0-9_-]+$")
  public String name;

  @JsonPropertyDescription("Image to run: repository-url/image:tag or @digest. Exactly one of image and imageFrom.")
  @Size(min = 1, max = 1024)
  public String image;

  @JsonPropertyDescription("Kubernetes-only, instead of image: a tag of an EcrRepository of this namespace, pinned "
      + "by ecs-bridge to its digest (<repositoryUri>@sha256:...); the tag pushed again registers a new revision.")
  public ImageFrom imageFrom;

  @JsonPropertyDescription("CPU units reserved for the container (1024 = one vCPU). ECS default 0.")
  @Min(0)
  public Integer cpu;

  @JsonPropertyDescription("Hard memory limit in MiB: the container is killed above it.")
  @Min(4)
  public Integer memory;

  @JsonPropertyDescription("Soft memory limit (reservation) in MiB.")
  @Min(4)
  public Integer memoryReservation;

  @JsonPropertyDescription("If true (the default), the task stops when this container stops. At least one container "
      + "must be essential.")
  @Default("true")
  public Boolean essential;

  @JsonPropertyDescription("Command passed to the container (Docker CMD), in order.")
  public List<String> command;

  @JsonPropertyDescription("Entry point (Docker ENTRYPOINT), in order.")
  public List<String> entryPoint;

  @JsonPropertyDescription("Working directory of the command.")
  public String workingDirectory;

  @JsonPropertyDescription("Environment variables: a name and either a value or valueFrom (a ConfigMap key of this "
      + "namespace, resolved by ecs-bridge into the plain environment). Order does not matter; an entry here wins "
      + "over environmentFrom on the same name.")
  public List<EnvironmentVariable> environment;

  @JsonPropertyDescription("Kubernetes-only (like a Pod's envFrom): every key of a ConfigMap of this namespace as a "
      + "plain environment variable, or of a Secret of this namespace as a secret variable (through Secrets Manager), "
      + "with an optional prefix. A later source wins over an earlier one on the same "
      + "name, and environment wins over them all.")
  public List<EnvironmentFrom> environmentFrom;

  @JsonPropertyDescription("Files in S3 holding environment variables, in order (later files win).")
  @Size(max = 10)
  public List<EnvironmentFile> environmentFiles;

  @JsonPropertyDescription("Environment variables from Secrets Manager or SSM Parameter Store: valueFrom (an ARN or "
      + "parameter name), or secretKeyRef (a key of a Kubernetes Secret of this namespace, which ecs-bridge copies "
      + "into a Secrets Manager secret it owns and references). No secret value is ever stored here.")
  public List<SecretVariable> secrets;

  @JsonPropertyDescription("Ports the container listens on. Order does not matter.")
  public List<PortMapping> portMappings;

  @JsonPropertyDescription("Task volumes mounted into the container.")
  public List<MountPoint> mountPoints;

  @JsonPropertyDescription("Containers whose volumes are mounted into this one.")
  public List<VolumeFrom> volumesFrom;

  @JsonPropertyDescription("Docker health check of the container.")
  public HealthCheck healthCheck;

  @JsonPropertyDescription("Log driver and its options (for example awslogs with awslogs-group).")
  public LogConfiguration logConfiguration;

  @JsonPropertyDescription("Containers this one waits for, and for what condition.")
  public List<ContainerDependency> dependsOn;

  @JsonPropertyDescription("Legacy Docker links to other containers (bridge network mode only), as name:alias.")
  public List<String> links;

  @JsonPropertyDescription("User (and group) the command runs as: user, user:group, uid, uid:gid.")
  public String user;

  @JsonPropertyDescription("Mount the root filesystem read-only. Default false.")
  public Boolean readonlyRootFilesystem;

  @JsonPropertyDescription("Run privileged (EC2 only). Default false.")
  public Boolean privileged;

  @JsonPropertyDescription("Resource limits (ulimits). Order does not matter.")
  public List<Ulimit> ulimits;

  @JsonPropertyDescription("Linux-specific settings: capabilities, init process, shared memory, swap.")
  public LinuxParameters linuxParameters;

  @JsonPropertyDescription("Seconds to wait after SIGTERM before the container is killed (max 120 on Fargate).")
  @Min(0)
  public Integer stopTimeout;

  @JsonPropertyDescription("Seconds to wait for dependencies to reach their condition before giving up.")
  @Min(0)
  public Integer startTimeout;

  @JsonPropertyDescription("Docker labels of the container.")
  public Map<String, String> dockerLabels;

  @JsonPropertyDescription("Credentials for a private registry (an ARN of a Secrets Manager secret).")
  public RepositoryCredentials repositoryCredentials;

  @JsonPropertyDescription("GPUs or inference accelerators reserved for the container.")
  public List<ResourceRequirement> resourceRequirements;

  @JsonPropertyDescription("FireLens log router configuration (this container is the router).")
  public FirelensConfiguration firelensConfiguration;

  @JsonPropertyDescription("Namespaced kernel parameters (sysctls).")
  public List<SystemControl> systemControls;

  @JsonPropertyDescription("Entries added to /etc/hosts (not with awsvpc).")
  public List<HostEntry> extraHosts;

  @JsonPropertyDescription("DNS servers of the container, in order (not with awsvpc).")
  public List<String> dnsServers;

  @JsonPropertyDescription("DNS search domains of the container, in order (not with awsvpc).")
  public List<String> dnsSearchDomains;

  @JsonPropertyDescription("Host name of the container (not with awsvpc).")
  public String hostname;

  @JsonPropertyDescription("Disable networking in the container. Default false.")
  public Boolean disableNetworking;

  @JsonPropertyDescription("Keep stdin open (docker run -i). Default false.")
  public Boolean interactive;

  @JsonPropertyDescription("Allocate a TTY (docker run -t). Default false.")
  public Boolean pseudoTerminal;

  @JsonPropertyDescription("enabled (ECS default): tasks run the image digest resolved at deployment; disabled: the "
      + "tag is resolved again by each task.")
  public VersionConsistency versionConsistency;

  @JsonPropertyDescription("Restart the container in place when it exits, instead of stopping the task.")
  public RestartPolicy restartPolicy;

  @JsonPropertyDescription("Docker security options (SELinux and AppArmor labels, credentialspec), in order.")
  public List<String> dockerSecurityOptions;

  @JsonPropertyDescription("Credential specs for Active Directory authentication (Windows and Linux gMSA), in order.")
  public List<String> credentialSpecs;

  public enum VersionConsistency { enabled, disabled }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KeyValuePair {
    @JsonPropertyDescription("Name.")
    @Required
    @Size(min = 1, max = 1024)
    public String name;

    @JsonPropertyDescription("Value.")
    public String value;

    public KeyValuePair() {}

    public KeyValuePair(String name, String value) {
      this.name = name;
      this.value = value;
    }
  }

  /** An environment variable: ECS's name/value, or (Kubernetes-only) a value read from a ConfigMap key. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!(has(self.value) && has(self.valueFrom))",
      message = "value and valueFrom are exclusive: give one (or neither, for an empty value, as ECS and Kubernetes "
          + "accept)")
  public static class EnvironmentVariable {
    @JsonPropertyDescription("Name.")
    @Required
    @Size(min = 1, max = 1024)
    public String name;

    @JsonPropertyDescription("Value.")
    public String value;

    @JsonPropertyDescription("Kubernetes-only: where the value is read from (a ConfigMap key of this namespace). "
        + "The value read is written into the task definition's plain environment (or, with as: Parameter, into a "
        + "Parameter Store parameter referenced from secrets).")
    public EnvironmentValueFrom valueFrom;

    public EnvironmentVariable() {}

    public EnvironmentVariable(String name, String value) {
      this.name = name;
      this.value = value;
    }
  }

  /** Where an environment variable's value is read from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EnvironmentValueFrom {
    @JsonPropertyDescription("A key of a ConfigMap in this namespace.")
    @Required
    public ConfigMapKeySelector configMapKeyRef;
  }

  /** Where ConfigMap values go: the plain environment, or Parameter Store parameters referenced from secrets[]. */
  public enum ConfigMapValueAs { Environment, Parameter }

  /** A key of a ConfigMap in the resource's own namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ConfigMapKeySelector {
    @JsonPropertyDescription("Name of the ConfigMap (in this namespace).")
    @Required
    @Size(min = 1, max = 253)
    public String name;

    @JsonPropertyDescription("Key in the ConfigMap's data.")
    @Required
    @Size(min = 1, max = 253)
    public String key;

    @JsonPropertyDescription("If true, a missing ConfigMap or key leaves the variable out; else (the default) the "
        + "task definition waits for it (Reconciling ReferenceNotReady).")
    public Boolean optional;

    @JsonPropertyDescription("Where the value goes: Environment (the default: the task definition's plain "
        + "environment) or Parameter (an SSM Parameter Store String parameter ecs-bridge owns, referenced from the "
        + "container's secrets by its ARN: for large or shared configuration; the execution role needs "
        + "ssm:GetParameters on it).")
    public ConfigMapValueAs as;
  }

  /** Every key of a ConfigMap (or Secret) as environment (or secret) variables (Kubernetes' envFrom). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "has(self.configMapRef) != has(self.secretRef)",
      message = "give exactly one of configMapRef and secretRef")
  public static class EnvironmentFrom {
    @JsonPropertyDescription("The ConfigMap (in this namespace) whose keys become environment variables.")
    public ConfigMapEnvSource configMapRef;

    @JsonPropertyDescription("The Secret (in this namespace) whose keys become secret variables: ecs-bridge stores "
        + "them in a Secrets Manager secret it owns and the container's secrets reference it.")
    public SecretEnvSource secretRef;

    @JsonPropertyDescription("Prepended to every key of the ConfigMap.")
    @Size(max = 255)
    public String prefix;
  }

  /** A ConfigMap in the resource's own namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ConfigMapEnvSource {
    @JsonPropertyDescription("Name of the ConfigMap (in this namespace).")
    @Required
    @Size(min = 1, max = 253)
    public String name;

    @JsonPropertyDescription("If true, a missing ConfigMap adds nothing; else (the default) the task definition waits "
        + "for it (Reconciling ReferenceNotReady).")
    public Boolean optional;

    @JsonPropertyDescription("Where the values go: Environment (the default: the task definition's plain "
        + "environment) or Parameter (one SSM Parameter Store String parameter per key, owned by ecs-bridge, "
        + "referenced from the container's secrets by ARN: for large or shared configuration; the execution role "
        + "needs ssm:GetParameters on them).")
    public ConfigMapValueAs as;
  }

  /** A Secret in the resource's own namespace, all of its keys. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretEnvSource {
    @JsonPropertyDescription("Name of the Secret (in this namespace).")
    @Required
    @Size(min = 1, max = 253)
    public String name;

    @JsonPropertyDescription("If true, a missing Secret adds nothing; else (the default) the task definition waits "
        + "for it (Reconciling ReferenceNotReady).")
    public Boolean optional;
  }

  /** A key of a Secret in the resource's own namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretKeySelector {
    @JsonPropertyDescription("Name of the Secret (in this namespace).")
    @Required
    @Size(min = 1, max = 253)
    public String name;

    @JsonPropertyDescription("Key in the Secret's data.")
    @Required
    @Size(min = 1, max = 253)
    public String key;

    @JsonPropertyDescription("If true, a missing Secret or key leaves the variable out; else (the default) the task "
        + "definition waits for it (Reconciling ReferenceNotReady).")
    public Boolean optional;
  }

  /**
   * A secret variable of a container: ECS's name/valueFrom, or (Kubernetes-only) a key of a Secret, stored by
   * ecs-bridge in Secrets Manager and referenced by its ARN.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "has(self.valueFrom) != has(self.secretKeyRef)",
      message = "give exactly one of valueFrom (an ARN or parameter name) and secretKeyRef (a key of a Secret of this "
          + "namespace)")
  public static class SecretVariable {
    @JsonPropertyDescription("Name of the variable to set.")
    @Required
    @Size(min = 1, max = 1024)
    public String name;

    @JsonPropertyDescription("ARN of the Secrets Manager secret or the SSM parameter (or its name in the same "
        + "region).")
    @Size(min = 1, max = 2048)
    @Pattern(AwsValidation.SECRET_VALUE_FROM)
    public String valueFrom;

    @JsonPropertyDescription("Kubernetes-only: a key of a Secret of this namespace. ecs-bridge copies the value into "
        + "a Secrets Manager secret it owns and sets valueFrom to it; the value never appears in the task definition.")
    public SecretKeySelector secretKeyRef;

    public SecretVariable() {}

    public SecretVariable(String name, String valueFrom) {
      this.name = name;
      this.valueFrom = valueFrom;
    }
  }

  public enum EnvironmentFileType { s3 }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EnvironmentFile {
    @JsonPropertyDescription("ARN of the S3 object holding the variables: arn:aws:s3:::<bucket>/<key>.")
    @Required
    @Pattern(AwsValidation.S3_OBJECT_ARN)
    public String value;

    @JsonPropertyDescription("File type: s3.")
    @Required
    public EnvironmentFileType type;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Secret {
    @JsonPropertyDescription("Name of the variable (or log option) to set.")
    @Required
    @Size(min = 1, max = 1024)
    public String name;

    @JsonPropertyDescription("ARN of the Secrets Manager secret or the SSM parameter (or its name in the same "
        + "region).")
    @Required
    @Size(min = 1, max = 2048)
    @Pattern(AwsValidation.SECRET_VALUE_FROM)
    public String valueFrom;
  }

  public enum TransportProtocol { tcp, udp }

  public enum ApplicationProtocol { http, http2, grpc }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PortMapping {
    @JsonPropertyDescription("Port the container listens on.")
    @Min(0)
    @Max(65535)
    public Integer containerPort;

    @JsonPropertyDescription("Port on the host. Under awsvpc and host network modes it equals containerPort (the "
        + "default there); under bridge, 0 or absent picks an ephemeral port.")
    @Min(0)
    @Max(65535)
    public Integer hostPort;

    @JsonPropertyDescription("tcp (default) or udp.")
    public TransportProtocol protocol;

    @JsonPropertyDescription("Name of the port mapping, used by Service Connect.")
    @Size(max = 64)
    public String name;

    @JsonPropertyDescription("Application protocol for Service Connect: http, http2 or grpc.")
    public ApplicationProtocol appProtocol;

    @JsonPropertyDescription("A range of container ports, as 8000-8100 (instead of containerPort).")
    public String containerPortRange;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class MountPoint {
    @JsonPropertyDescription("Name of the task volume to mount.")
    public String sourceVolume;

    @JsonPropertyDescription("Path in the container.")
    public String containerPath;

    @JsonPropertyDescription("Mount read-only. Default false.")
    public Boolean readOnly;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VolumeFrom {
    @JsonPropertyDescription("Container whose volumes are mounted.")
    public String sourceContainer;

    @JsonPropertyDescription("Mount read-only. Default false.")
    public Boolean readOnly;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HealthCheck {
    @JsonPropertyDescription("The check, in order: [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"] or "
        + "[\"CMD\", ...].")
    @Required
    @Size(min = 1)
    public List<String> command;

    @JsonPropertyDescription("Seconds between checks, 5 to 300. ECS default 30.")
    @Min(5)
    @Max(300)
    public Integer interval;

    @JsonPropertyDescription("Seconds a check may take, 2 to 60. ECS default 5.")
    @Min(2)
    @Max(60)
    public Integer timeout;

    @JsonPropertyDescription("Failures in a row before the container is unhealthy, 1 to 10. ECS default 3.")
    @Min(1)
    @Max(10)
    public Integer retries;

    @JsonPropertyDescription("Grace period in seconds before failures count, 0 to 300. Default 0 (off).")
    @Min(0)
    @Max(300)
    public Integer startPeriod;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LogConfiguration {
    @JsonPropertyDescription("Log driver: awslogs, awsfirelens, splunk, fluentd, gelf, json-file, journald, syslog.")
    @Required
    @Pattern("^(awslogs|awsfirelens|splunk|fluentd|gelf|json-file|journald|syslog|logentries)$")
    public String logDriver;

    @JsonPropertyDescription("Options of the log driver (for awslogs: awslogs-group, awslogs-region, "
        + "awslogs-stream-prefix).")
    public Map<String, String> options;

    @JsonPropertyDescription("Log driver options taken from secrets (name and valueFrom ARN).")
    public List<Secret> secretOptions;
  }

  public enum DependencyCondition { START, COMPLETE, SUCCESS, HEALTHY }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ContainerDependency {
    @JsonPropertyDescription("The container depended on.")
    @Required
    public String containerName;

    @JsonPropertyDescription("START, COMPLETE, SUCCESS or HEALTHY.")
    @Required
    public DependencyCondition condition;
  }

  public enum UlimitName {
    core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Ulimit {
    @JsonPropertyDescription("The limit: nofile, nproc, memlock, core, ...")
    @Required
    public UlimitName name;

    @JsonPropertyDescription("Soft limit.")
    @Required
    public Integer softLimit;

    @JsonPropertyDescription("Hard limit.")
    @Required
    public Integer hardLimit;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LinuxParameters {
    @JsonPropertyDescription("Linux capabilities added to or dropped from Docker's default set.")
    public Capabilities capabilities;

    @JsonPropertyDescription("Run an init process (tini) as PID 1 that reaps zombies. Default false.")
    public Boolean initProcessEnabled;

    @JsonPropertyDescription("Size of /dev/shm in MiB (EC2 only).")
    @Min(0)
    public Integer sharedMemorySize;

    @JsonPropertyDescription("Swap in MiB the container may use (EC2 only).")
    @Min(0)
    public Integer maxSwap;

    @JsonPropertyDescription("Swappiness 0 to 100 (EC2 only).")
    @Min(0)
    @Max(100)
    public Integer swappiness;

    @JsonPropertyDescription("Host devices exposed to the container (EC2 only). Order does not matter.")
    public List<Device> devices;

    @JsonPropertyDescription("tmpfs mounts of the container (EC2 only). Order does not matter.")
    public List<Tmpfs> tmpfs;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Device {
    @JsonPropertyDescription("Path of the device on the host.")
    @Required
    public String hostPath;

    @JsonPropertyDescription("Path of the device in the container (default: hostPath).")
    public String containerPath;

    @JsonPropertyDescription("read, write and/or mknod.")
    public List<DevicePermission> permissions;
  }

  public enum DevicePermission { read, write, mknod }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Tmpfs {
    @JsonPropertyDescription("Mount path in the container.")
    @Required
    public String containerPath;

    @JsonPropertyDescription("Size in MiB.")
    @Required
    @Min(1)
    public Integer size;

    @JsonPropertyDescription("Mount options, for example noexec or nosuid.")
    public List<String> mountOptions;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RestartPolicy {
    @JsonPropertyDescription("Restart the container when it exits.")
    @Required
    public Boolean enabled;

    @JsonPropertyDescription("Exit codes that do not restart the container (up to 50).")
    @Size(max = 50)
    public List<Integer> ignoredExitCodes;

    @JsonPropertyDescription("Seconds the container must run before a restart is attempted, 60 to 1800 (default 300).")
    @Min(60)
    @Max(1800)
    public Integer restartAttemptPeriod;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Capabilities {
    @JsonPropertyDescription("Capabilities to add, for example SYS_PTRACE (Fargate allows only SYS_PTRACE).")
    public List<String> add;

    @JsonPropertyDescription("Capabilities to drop, for example ALL or NET_RAW.")
    public List<String> drop;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RepositoryCredentials {
    @JsonPropertyDescription("ARN or name of the Secrets Manager secret with the registry credentials.")
    @Required
    @Pattern(AwsValidation.SECRET_ARN_OR_NAME)
    public String credentialsParameter;
  }

  public enum ResourceType { GPU, InferenceAccelerator }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceRequirement {
    @JsonPropertyDescription("GPU or InferenceAccelerator.")
    @Required
    public ResourceType type;

    @JsonPropertyDescription("Number of GPUs, or the accelerator's deviceName.")
    @Required
    public String value;
  }

  public enum FirelensType { fluentd, fluentbit }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class FirelensConfiguration {
    @JsonPropertyDescription("fluentd or fluentbit.")
    @Required
    public FirelensType type;

    @JsonPropertyDescription("Options of the log router (enable-ecs-log-metadata, config-file-type, "
        + "config-file-value).")
    public Map<String, String> options;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SystemControl {
    @JsonPropertyDescription("The kernel parameter, for example net.core.somaxconn.")
    public String namespace;

    @JsonPropertyDescription("Its value.")
    public String value;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HostEntry {
    @JsonPropertyDescription("Host name.")
    @Required
    public String hostname;

    @JsonPropertyDescription("IP address.")
    @Required
    public String ipAddress;
  }

  /** An image given by a tag of an EcrRepository custom resource, resolved to its digest. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ImageFrom {
    @JsonPropertyDescription("The EcrRepository custom resource (in this namespace) holding the image.")
    @Required
    public ObjectRef ecrRepositoryRef;

    @JsonPropertyDescription("The tag whose current digest is run; a tag pushed again is a new revision.")
    @Required
    @Size(min = 1, max = 300)
    public String tag;

    @JsonPropertyDescription("Highest severity of ECR scan findings allowed (CRITICAL, HIGH, MEDIUM, LOW, "
        + "INFORMATIONAL, UNDEFINED): a digest with findings above it is not rolled out (Stalled ImageVulnerable); "
        + "absent: no scan gate.")
    public Severity maxSeverity;
  }

  /** ECR's finding severities, highest first. */
  public enum Severity { CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED }
}
