package io.ecsbridge.api.v1alpha1;

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

/** Desired state of an ECS cluster, in the shape of ECS's CreateCluster request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.clusterName) == has(oldSelf.clusterName)",
    message = "clusterName is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "!has(self.defaultCapacityProviderStrategy) || self.defaultCapacityProviderStrategy.all(s, "
    + "has(s.capacityProvider) ? (has(self.capacityProviders) && s.capacityProvider in self.capacityProviders) : "
    + "(has(self.capacityProviderRefs) && self.capacityProviderRefs.exists(r, r.name == s.capacityProviderRef.name)))",
    message = "every capacityProvider of defaultCapacityProviderStrategy must be listed in capacityProviders, every "
        + "capacityProviderRef in capacityProviderRefs")
@JsonClassDescription("The desired cluster, in the shape of ECS's CreateCluster request. The name defaults to "
    + "metadata.name.")
public class EcsClusterSpec extends AwsResourceSpec {

  @JsonPropertyDescription("Name of the cluster in ECS. Defaults to metadata.name. Immutable.")
  @Size(min = 1, max = 255)
  @Pattern("^[a-zA-Z0-9_-]+$")
  @ValidationRule(value = "self == oldSelf", message = "clusterName is immutable")
  public String clusterName;

  @JsonPropertyDescription("Cluster settings (UpdateClusterSettings). Only the settings listed are managed; ECS "
      + "keeps its own value of any other.")
  @Size(max = 1)
  public List<ClusterSetting> settings;

  @JsonPropertyDescription("Execute command and managed storage configuration (UpdateCluster). Managed only when set.")
  public ClusterConfiguration configuration;

  @JsonPropertyDescription("Capacity providers of the cluster, for example FARGATE and FARGATE_SPOT "
      + "(PutClusterCapacityProviders). The whole set: the cluster's list is made equal to it. Omit the field to "
      + "leave ECS's list alone; set [] to remove every capacity provider.")
  @Size(max = 20)
  @ValidationRule(value = "self.all(c, self.exists_one(o, o == c))", message = "capacityProviders must be unique")
  @ValidationRule(value = AwsValidation.CAPACITY_PROVIDER_NAMES, message = AwsValidation.CAPACITY_PROVIDERS_MESSAGE)
  public List<@Size(min = 1, max = 255) String> capacityProviders;

  @JsonPropertyDescription("EcsCapacityProvider custom resources in this namespace whose capacity providers the "
      + "cluster uses, beside capacityProviders: PutClusterCapacityProviders gets both. The cluster waits "
      + "(Reconciling ReferenceNotReady) until each is Ready. When capacityProviders is absent, the refs are the whole "
      + "set.")
  @Size(max = 20)
  @ValidationRule(value = "self.all(r, self.exists_one(o, o.name == r.name))",
      message = "capacityProviderRefs must be unique")
  public List<ObjectRef> capacityProviderRefs;

  @JsonPropertyDescription("The default capacity provider strategy of services and tasks started without a launch "
      + "type or strategy (PutClusterCapacityProviders). Requires capacityProviders or capacityProviderRefs.")
  @Size(max = 20)
  @ValidationRule(value = "self.all(s, self.exists_one(o, (has(o.capacityProvider) ? o.capacityProvider : '') == "
      + "(has(s.capacityProvider) ? s.capacityProvider : '') && (has(o.capacityProviderRef) ? "
      + "o.capacityProviderRef.name : '') == (has(s.capacityProviderRef) ? s.capacityProviderRef.name : '')))",
      message = "each capacityProvider (or capacityProviderRef) may appear once in defaultCapacityProviderStrategy")
  @ValidationRule(value = "self.filter(s, has(s.base) && s.base > 0).size() <= 1",
      message = "only one capacity provider of a strategy may have a base")
  public List<CapacityProviderStrategyItem> defaultCapacityProviderStrategy;

  @JsonPropertyDescription("The default Service Connect namespace of services in this cluster.")
  public ServiceConnectDefaults serviceConnectDefaults;

  @JsonPropertyDescription("Tags of the cluster: the whole set, other tags are removed. Keys 1 to 128 characters, "
      + "values up to 256, both of letters, digits, spaces and _ . : / = + - @; keys starting with ecsbridge.io/ or "
      + "aws: (any case) are reserved.")
  @Size(max = 49)
  @ValidationRule(value = AwsValidation.TAG_KEYS_RESERVED, message = AwsValidation.TAG_KEYS_RESERVED_MESSAGE)
  @ValidationRule(value = AwsValidation.TAG_KEYS_LENGTH, message = AwsValidation.TAG_KEYS_LENGTH_MESSAGE)
  @ValidationRule(value = AwsValidation.ECS_TAG_CHARACTERS, message = AwsValidation.ECS_TAG_CHARACTERS_MESSAGE)
  public Map<String, @Size(max = 256) String> tags;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ClusterSetting {
    @JsonPropertyDescription("The setting: containerInsights.")
    @Required
    public SettingName name;

    @JsonPropertyDescription("containerInsights: enhanced, enabled or disabled.")
    @Required
    public ContainerInsights value;
  }

  public enum SettingName { containerInsights }

  public enum ContainerInsights { enhanced, enabled, disabled }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ClusterConfiguration {
    @JsonPropertyDescription("How ECS Exec sessions are encrypted and logged.")
    public ExecuteCommandConfiguration executeCommandConfiguration;

    @JsonPropertyDescription("KMS keys of managed storage (Fargate ephemeral storage, managed EBS volumes).")
    public ManagedStorageConfiguration managedStorageConfiguration;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "has(self.logConfiguration) == (has(self.logging) && self.logging == 'OVERRIDE')",
      message = "logConfiguration is required with logging: OVERRIDE, and allowed only with it")
  public static class ExecuteCommandConfiguration {
    @JsonPropertyDescription("KMS key (id or ARN) that encrypts the data between the client and the container.")
    @Size(max = 2048)
    public String kmsKeyId;

    @JsonPropertyDescription("NONE, DEFAULT (the task's awslogs settings) or OVERRIDE (logConfiguration). ECS "
        + "reports DEFAULT when it is not set.")
    public ExecLogging logging;

    @JsonPropertyDescription("Where ECS Exec output goes with logging: OVERRIDE.")
    public ExecLogConfiguration logConfiguration;
  }

  public enum ExecLogging { NONE, DEFAULT, OVERRIDE }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ExecLogConfiguration {
    @JsonPropertyDescription("CloudWatch Logs group to send the session output to.")
    @Size(max = 512)
    public String cloudWatchLogGroupName;

    @JsonPropertyDescription("Whether the CloudWatch log group is encrypted (required to be, when true).")
    public Boolean cloudWatchEncryptionEnabled;

    @JsonPropertyDescription("S3 bucket to send the session output to.")
    @Size(max = 63)
    public String s3BucketName;

    @JsonPropertyDescription("Whether the S3 bucket is encrypted (required to be, when true).")
    public Boolean s3EncryptionEnabled;

    @JsonPropertyDescription("Key prefix of the session logs in the bucket.")
    @Size(max = 1024)
    public String s3KeyPrefix;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ManagedStorageConfiguration {
    @JsonPropertyDescription("KMS key (id or ARN) of managed storage (EBS volumes).")
    @Size(max = 2048)
    public String kmsKeyId;

    @JsonPropertyDescription("KMS key (id or ARN) of Fargate ephemeral storage.")
    @Size(max = 2048)
    public String fargateEphemeralStorageKmsKeyId;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "has(self.capacityProvider) != has(self.capacityProviderRef)",
      message = "exactly one of capacityProvider and capacityProviderRef is required")
  public static class CapacityProviderStrategyItem {
    @JsonPropertyDescription("The capacity provider: FARGATE, FARGATE_SPOT or the name of a custom one. Exactly one "
        + "of capacityProvider and capacityProviderRef.")
    @Size(min = 1, max = 255)
    @ValidationRule(value = AwsValidation.CAPACITY_PROVIDER_NAME, message = AwsValidation.CAPACITY_PROVIDER_MESSAGE)
    public String capacityProvider;

    @JsonPropertyDescription("An EcsCapacityProvider in this namespace (listed in capacityProviderRefs), resolved to "
        + "its capacity provider's name.")
    public ObjectRef capacityProviderRef;

    @JsonPropertyDescription("Relative share of tasks placed on this provider (0 to 1000; default 0).")
    @Min(0)
    @Max(1000)
    public Integer weight;

    @JsonPropertyDescription("Tasks placed on this provider before weights apply (0 to 100000; default 0).")
    @Min(0)
    @Max(100000)
    public Integer base;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceConnectDefaults {
    @JsonPropertyDescription("Cloud Map namespace name or ARN used by Service Connect services of this cluster.")
    @Required
    @Size(min = 1, max = 1024)
    public String namespace;
  }
}
