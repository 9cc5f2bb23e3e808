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

/** Desired state of an ECS service, in the shape of ECS's CreateService / UpdateService requests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.deploymentController) || self.deploymentController.type == 'ECS' "
    + "|| !has(self.deploymentConfiguration) || ((!has(self.deploymentConfiguration.strategy) "
    + "|| self.deploymentConfiguration.strategy == 'ROLLING') && !has(self.deploymentConfiguration.bakeTimeInMinutes) "
    + "&& !has(self.deploymentConfiguration.lifecycleHooks) && !has(self.deploymentConfiguration.linearConfiguration) "
    + "&& !has(self.deploymentConfiguration.canaryConfiguration))",
    message = "deploymentConfiguration strategy, bakeTimeInMinutes, lifecycleHooks, linearConfiguration and "
        + "canaryConfiguration need the ECS deployment controller (not CODE_DEPLOY or EXTERNAL)")
@ValidationRule(value = "!has(self.deploymentConfiguration) || !has(self.deploymentConfiguration.strategy) "
    + "|| self.deploymentConfiguration.strategy == 'ROLLING' || !has(self.loadBalancers) "
    + "|| self.loadBalancers.all(lb, has(lb.advancedConfiguration))",
    message = "a BLUE_GREEN, LINEAR or CANARY service needs advancedConfiguration (alternateTargetGroupArn, "
        + "productionListenerRule, ...) on each of its loadBalancers")
@ValidationRule(value = "has(self.clusterRef) != has(self.cluster)",
    message = "exactly one of clusterRef and cluster is required")
@ValidationRule(value = "!(has(self.taskDefinitionRef) && has(self.taskDefinition))",
    message = "taskDefinitionRef and taskDefinition are mutually exclusive")
@ValidationRule(value = "has(self.taskDefinitionRef) || has(self.taskDefinition) || "
    + "(has(self.deploymentController) && self.deploymentController.type == 'EXTERNAL')",
    message = "one of taskDefinitionRef and taskDefinition is required (only an EXTERNAL deployment controller "
        + "may go without)")
@ValidationRule(value = "!(has(self.launchType) && has(self.capacityProviderStrategy))",
    message = "launchType and capacityProviderStrategy are mutually exclusive")
@ValidationRule(value = "!has(self.schedulingStrategy) || self.schedulingStrategy != 'DAEMON' || "
    + "(!has(self.desiredCount) && !has(self.autoScaling))",
    message = "a DAEMON service runs one task per instance: desiredCount and autoScaling are not allowed")
@ValidationRule(value = "has(self.serviceName) == has(oldSelf.serviceName)",
    message = "serviceName is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.cluster) == has(oldSelf.cluster) && has(self.clusterRef) == has(oldSelf.clusterRef)",
    message = "cluster and clusterRef are immutable: they cannot be added or removed after creation")
@ValidationRule(value = "has(self.launchType) == has(oldSelf.launchType)",
    message = "launchType is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.schedulingStrategy) == has(oldSelf.schedulingStrategy)",
    message = "schedulingStrategy is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.role) == has(oldSelf.role)",
    message = "role is immutable: it cannot be added or removed after creation")
@ValidationRule(value = "has(self.region) == has(oldSelf.region)",
    message = "region is immutable: it cannot be added or removed after creation")
@JsonClassDescription("The desired service, in the shape of ECS's CreateService and UpdateService requests: the "
    + "cluster (clusterRef or cluster) and task definition (taskDefinitionRef or taskDefinition) it runs, how many "
    + "tasks, where and how they are placed and reached, and how changes roll out. The name defaults to "
    + "metadata.name.")
public class EcsServiceSpec extends AwsResourceSpec {

  @JsonPropertyDescription("Name of the service in ECS, unique in its cluster. Defaults to metadata.name. Immutable.")
  @Size(min = 1, max = 255)
  @Pattern("^[a-zA-Z0-9_-]+$")
  @ValidationRule(value = "self == oldSelf", message = "serviceName is immutable")
  public String serviceName;

  @JsonPropertyDescription("The EcsCluster custom resource (same namespace) the service runs in. Exactly one of "
      + "clusterRef and cluster. Immutable.")
  @ValidationRule(value = "self == oldSelf", message = "clusterRef is immutable")
  public ObjectRef clusterRef;

  @JsonPropertyDescription("Name or ARN of an ECS cluster not managed by ecs-bridge. Exactly one of clusterRef and "
      + "cluster. Immutable.")
  @Size(min = 1, max = 2048)
  @ValidationRule(value = "self == oldSelf", message = "cluster is immutable")
  public String cluster;

  @JsonPropertyDescription("The EcsTaskDefinition custom resource (same namespace) whose current revision the "
      + "service runs: a new revision rolls out at once. Exactly one of taskDefinitionRef and taskDefinition.")
  public ObjectRef taskDefinitionRef;

  @JsonPropertyDescription("A task definition not managed by ecs-bridge: family (its latest ACTIVE revision), "
      + "family:revision, or ARN. Exactly one of taskDefinitionRef and taskDefinition.")
  @Size(min = 1, max = 2048)
  public String taskDefinition;

  @JsonPropertyDescription("How many tasks to keep running (REPLICA services). With autoScaling set it is only the "
      + "initial count: afterwards the autoscaler decides and the operator never resets it.")
  @Min(0)
  @Max(100000)
  public Integer desiredCount;

  @JsonPropertyDescription("EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES. Not with capacityProviderStrategy. "
      + "Immutable.")
  @ValidationRule(value = "self == oldSelf", message = "launchType is immutable")
  public LaunchType launchType;

  @JsonPropertyDescription("Capacity providers to spread the tasks over (instead of launchType).")
  @Size(min = 1, max = 20)
  public List<CapacityProviderStrategyItem> capacityProviderStrategy;

  @JsonPropertyDescription("Fargate platform version, for example 1.4.0. Default LATEST.")
  @Size(min = 1, max = 64)
  public String platformVersion;

  @JsonPropertyDescription("Network settings of the tasks (required by task definitions with networkMode awsvpc).")
  public NetworkConfiguration networkConfiguration;

  @JsonPropertyDescription("Load balancer target groups (or Classic Load Balancers) to register the tasks with.")
  @Size(max = 10)
  public List<LoadBalancer> loadBalancers;

  @JsonPropertyDescription("Cloud Map service discovery registries of the service.")
  @Size(max = 10)
  public List<ServiceRegistry> serviceRegistries;

  @JsonPropertyDescription("Service Connect settings: enabled, namespace, services (with TLS and timeouts), the "
      + "proxy's logConfiguration and accessLogConfiguration. A change starts a new deployment.")
  public ServiceConnectConfiguration serviceConnectConfiguration;

  @JsonPropertyDescription("Configuration of the task definition's volumes marked configuredAtLaunch: managed EBS "
      + "volumes ECS creates for each task. A change starts a new deployment.")
  @Size(max = 1)
  public List<ServiceVolumeConfiguration> volumeConfigurations;

  @JsonPropertyDescription("VPC Lattice target groups the tasks are registered with. A change starts a new "
      + "deployment.")
  @Size(max = 5)
  public List<VpcLatticeConfiguration> vpcLatticeConfigurations;

  @JsonPropertyDescription("ENABLED: ECS moves tasks to rebalance them over Availability Zones; DISABLED: it does "
      + "not. Left out: ECS's own (ENABLED for services created since 2025) is kept and reported in AWS.")
  public EnabledDisabled availabilityZoneRebalancing;

  @JsonPropertyDescription("How deployments proceed (strategy ROLLING, BLUE_GREEN, LINEAR or CANARY) and when they "
      + "are rolled back.")
  public DeploymentConfiguration deploymentConfiguration;

  @JsonPropertyDescription("Who deploys new task definitions: ECS (default, rolling update by ecs-bridge), "
      + "CODE_DEPLOY or EXTERNAL (ecs-bridge then never sends taskDefinition, loadBalancers, networkConfiguration "
      + "or platformVersion to ECS).")
  public DeploymentController deploymentController;

  @JsonPropertyDescription("Seconds to ignore failing load balancer health checks after a task starts. Default 0.")
  @Min(0)
  @Max(2147483647)
  public Integer healthCheckGracePeriodSeconds;

  @JsonPropertyDescription("Allow ECS Exec into the tasks. Default false.")
  public Boolean enableExecuteCommand;

  @JsonPropertyDescription("Let ECS add its managed tags to the tasks. Default false (affects new tasks only).")
  public Boolean enableECSManagedTags;

  @JsonPropertyDescription("Copy tags to the tasks from the TASK_DEFINITION or the SERVICE, or NONE (default).")
  public PropagateTags propagateTags;

  @JsonPropertyDescription("Rules for where tasks may be placed (EC2 and EXTERNAL capacity).")
  @Size(max = 10)
  public List<PlacementConstraint> placementConstraints;

  @JsonPropertyDescription("How tasks are spread over the instances, in order of precedence.")
  @Size(max = 5)
  public List<PlacementStrategy> placementStrategy;

  @JsonPropertyDescription("REPLICA (default: desiredCount tasks) or DAEMON (one task per instance). Immutable.")
  @ValidationRule(value = "self == oldSelf", message = "schedulingStrategy is immutable")
  public SchedulingStrategy schedulingStrategy;

  @JsonPropertyDescription("Name or ARN of the IAM role ECS uses to call the load balancer for you (only without "
      + "awsvpc; usually the service-linked role is used instead). Immutable.")
  @Size(min = 1, max = 2048)
  @ValidationRule(value = "self == oldSelf", message = "role is immutable")
  @ValidationRule(value = AwsValidation.SERVICE_ROLE, message = AwsValidation.SERVICE_ROLE_MESSAGE)
  public String role;

  @JsonPropertyDescription("Tags of the service. This is the whole set: tags added in AWS by others are removed. "
      + "Keys 1 to 128 characters, values up to 256, both of letters, digits, spaces and _ . : / = + - @; keys "
      + "starting with ecsbridge.io/ or aws: (any case) are reserved.")
  @Size(max = 49)
  @ValidationRule(value = AwsValidation.TAG_KEYS_RESERVED, message = AwsValidation.TAG_KEYS_RESERVED_MESSAGE)
  @ValidationRule(value = AwsValidation.TAG_KEYS_LENGTH, message = AwsValidation.TAG_KEYS_LENGTH_MESSAGE)
  @ValidationRule(value = AwsValidation.ECS_TAG_CHARACTERS, message = AwsValidation.ECS_TAG_CHARACTERS_MESSAGE)
  public Map<String, @Size(max = 256) String> tags;

  @JsonPropertyDescription("Application Auto Scaling of desiredCount, managed with the service. When set, "
      + "desiredCount is only the initial count. Removing it deregisters the scalable target with its policies and "
      + "scheduled actions.")
  public AutoScaling autoScaling;

  public enum LaunchType { EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES }

  public enum SchedulingStrategy { REPLICA, DAEMON }

  public enum PropagateTags { TASK_DEFINITION, SERVICE, NONE }

  public enum AssignPublicIp { ENABLED, DISABLED }

  public enum EnabledDisabled { ENABLED, DISABLED }

  public enum DeploymentControllerType { ECS, CODE_DEPLOY, EXTERNAL }

  public enum PlacementConstraintType { distinctInstance, memberOf }

  public enum PlacementStrategyType { random, spread, binpack }

  public enum PredefinedMetricType {
    ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization, ALBRequestCountPerTarget
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "has(self.capacityProvider) != has(self.capacityProviderRef)",
      message = "exactly one of capacityProvider and capacityProviderRef is required")
  public static class CapacityProviderStrategyItem {
    @JsonPropertyDescription("Name of the capacity provider (FARGATE, FARGATE_SPOT, or a custom one such as an Auto "
        + "Scaling group's). Exactly one of capacityProvider and capacityProviderRef.")
    @Size(min = 1, max = 255)
    @ValidationRule(value = AwsValidation.CAPACITY_PROVIDER_NAME, message = AwsValidation.CAPACITY_PROVIDER_MESSAGE)
    public String capacityProvider;

    @JsonPropertyDescription("An EcsCapacityProvider in this namespace, resolved to its capacity provider's name in "
        + "ECS (the service waits until it is Ready).")
    public ObjectRef capacityProviderRef;

    @JsonPropertyDescription("Relative share of the tasks placed with this provider (0 to 1000).")
    @Min(0)
    @Max(1000)
    public Integer weight;

    @JsonPropertyDescription("Minimum number of tasks on this provider before weights apply (0 to 100000).")
    @Min(0)
    @Max(100000)
    public Integer base;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NetworkConfiguration {
    @JsonPropertyDescription("Subnets and security groups of the tasks' elastic network interfaces.")
    @Required
    public AwsVpcConfiguration awsvpcConfiguration;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AwsVpcConfiguration {
    @JsonPropertyDescription("Subnet ids (up to 16), all in one VPC.")
    @Required
    @Size(min = 1, max = 16)
    public List<String> subnets;

    @JsonPropertyDescription("Security group ids (up to 5); the VPC's default group when absent.")
    @Size(max = 5)
    public List<String> securityGroups;

    @JsonPropertyDescription("ENABLED gives each task a public IP; DISABLED (default) does not.")
    public AssignPublicIp assignPublicIp;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.advancedConfiguration) || (has(self.targetGroupArn) "
      + "&& self.advancedConfiguration.alternateTargetGroupArn != self.targetGroupArn)",
      message = "advancedConfiguration needs a targetGroupArn (not a Classic Load Balancer) and an "
          + "alternateTargetGroupArn other than it")
  public static class LoadBalancer {
    @JsonPropertyDescription("ARN of the target group (Application or Network Load Balancer).")
    @Size(max = 2048)
    @ValidationRule(value = AwsValidation.TARGET_GROUP_ARN, message = AwsValidation.TARGET_GROUP_ARN_MESSAGE)
    public String targetGroupArn;

    @JsonPropertyDescription("Name of a Classic Load Balancer.")
    public String loadBalancerName;

    @JsonPropertyDescription("The container (as named in the task definition) to route to.")
    @Required
    public String containerName;

    @JsonPropertyDescription("The container port to route to.")
    @Required
    @Min(1)
    @Max(65535)
    public Integer containerPort;

    @JsonPropertyDescription("BLUE_GREEN, LINEAR and CANARY deployments: the alternate target group, the production "
        + "and test listener rules and the role ECS shifts traffic with.")
    public DeploymentStrategies.AdvancedConfiguration advancedConfiguration;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceRegistry {
    @JsonPropertyDescription("ARN of the Cloud Map service.")
    @Required
    @Size(max = 2048)
    @ValidationRule(value = AwsValidation.CLOUD_MAP_SERVICE_ARN, message = AwsValidation.CLOUD_MAP_SERVICE_ARN_MESSAGE)
    public String registryArn;

    @JsonPropertyDescription("Port of SRV records (awsvpc).")
    @Min(1)
    @Max(65535)
    public Integer port;

    @JsonPropertyDescription("Container of SRV records (bridge and host network modes).")
    public String containerName;

    @JsonPropertyDescription("Container port of SRV records (bridge and host network modes).")
    @Min(1)
    @Max(65535)
    public Integer containerPort;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.accessLogConfiguration) || has(self.logConfiguration)",
      message = "accessLogConfiguration needs a logConfiguration: the access logs are written with it")
  public static class ServiceConnectConfiguration {
    @JsonPropertyDescription("Turn Service Connect on for this service.")
    @Required
    public Boolean enabled;

    @JsonPropertyDescription("Cloud Map namespace (name or ARN); the cluster's default when absent.")
    public String namespace;

    @JsonPropertyDescription("Endpoints this service offers to the others in the namespace.")
    @Size(max = 20)
    public List<ServiceConnectService> services;

    @JsonPropertyDescription("Log configuration of the Service Connect proxy container.")
    public ContainerDefinition.LogConfiguration logConfiguration;

    @JsonPropertyDescription("Access logs of the Service Connect proxy (written with logConfiguration).")
    public ServiceConnectOptions.AccessLogConfiguration accessLogConfiguration;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceConnectService {
    @JsonPropertyDescription("Name of a port mapping of the task definition.")
    @Required
    public String portName;

    @JsonPropertyDescription("Name of the Cloud Map service; defaults to portName.")
    public String discoveryName;

    @JsonPropertyDescription("DNS names and ports the clients use.")
    @Size(max = 10)
    public List<ClientAlias> clientAliases;

    @JsonPropertyDescription("Port the Service Connect proxy listens on.")
    @Min(1)
    @Max(65535)
    public Integer ingressPortOverride;

    @JsonPropertyDescription("Timeouts of the proxy for this endpoint.")
    public ServiceConnectOptions.Timeout timeout;

    @JsonPropertyDescription("TLS between the Service Connect proxies, with a certificate of AWS Private CA.")
    public ServiceConnectOptions.Tls tls;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ClientAlias {
    @JsonPropertyDescription("Port the clients connect to.")
    @Required
    @Min(1)
    @Max(65535)
    public Integer port;

    @JsonPropertyDescription("DNS name the clients use; defaults to discoveryName.namespace.")
    public String dnsName;

    @JsonPropertyDescription("BLUE_GREEN, LINEAR and CANARY deployments: which requests are test traffic (sent to "
        + "the new revision before production traffic shifts).")
    public DeploymentStrategies.ServiceConnectTestTrafficRules testTrafficRules;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.linearConfiguration) || (has(self.strategy) && self.strategy == 'LINEAR')",
      message = "linearConfiguration is only for strategy LINEAR")
  @ValidationRule(value = "!has(self.canaryConfiguration) || (has(self.strategy) && self.strategy == 'CANARY')",
      message = "canaryConfiguration is only for strategy CANARY")
  @ValidationRule(value = "!has(self.lifecycleHooks) || size(self.lifecycleHooks) == 0 || (has(self.strategy) && "
      + DeploymentStrategies.SHIFTS_TRAFFIC + ")",
      message = "lifecycleHooks are for strategy BLUE_GREEN, LINEAR or CANARY (not ROLLING)")
  @ValidationRule(value = "!has(self.bakeTimeInMinutes) || self.bakeTimeInMinutes == 0 || (has(self.strategy) && "
      + DeploymentStrategies.SHIFTS_TRAFFIC + ")",
      message = "bakeTimeInMinutes is for strategy BLUE_GREEN, LINEAR or CANARY (not ROLLING)")
  public static class DeploymentConfiguration {
    @JsonPropertyDescription("Upper limit of running tasks during a deployment, in percent of desiredCount. "
        + "Default 200 (100 for DAEMON).")
    @Min(100)
    @Max(2000)
    public Integer maximumPercent;

    @JsonPropertyDescription("Lower limit of healthy tasks during a deployment, in percent of desiredCount. "
        + "Default 100 (0 for DAEMON).")
    @Min(0)
    @Max(100)
    public Integer minimumHealthyPercent;

    @JsonPropertyDescription("Stop a deployment whose tasks keep failing, and optionally roll back.")
    public DeploymentCircuitBreaker deploymentCircuitBreaker;

    @JsonPropertyDescription("Stop a deployment when CloudWatch alarms fire, and optionally roll back.")
    public DeploymentAlarms alarms;

    @JsonPropertyDescription("How ECS deploys a new service revision: ROLLING (default: tasks replaced within "
        + "maximumPercent/minimumHealthyPercent), BLUE_GREEN (a full green revision, test traffic, then all production "
        + "traffic at once), LINEAR (production traffic in equal steps) or CANARY (a share, then the rest). The last "
        + "three need the ECS deployment controller and, with load balancers, their advancedConfiguration.")
    public DeploymentStrategies.DeploymentStrategy strategy;

    @JsonPropertyDescription("BLUE_GREEN, LINEAR and CANARY: minutes both revisions keep running after all "
        + "production traffic has shifted, before the old one is stopped (0 to 1440; a rollback in that time is "
        + "immediate).")
    @Min(0)
    @Max(1440)
    public Integer bakeTimeInMinutes;

    @JsonPropertyDescription("BLUE_GREEN, LINEAR and CANARY: Lambda functions ECS runs at lifecycle stages of a "
        + "deployment; one that fails rolls the deployment back.")
    @Size(max = 10)
    public List<DeploymentStrategies.DeploymentLifecycleHook> lifecycleHooks;

    @JsonPropertyDescription("LINEAR only: the step (percent of production traffic) and the wait between steps.")
    public DeploymentStrategies.LinearConfiguration linearConfiguration;

    @JsonPropertyDescription("CANARY only: the canary's share of production traffic and how long it runs alone.")
    public DeploymentStrategies.CanaryConfiguration canaryConfiguration;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DeploymentCircuitBreaker {
    @JsonPropertyDescription("Turn the circuit breaker on. Default false.")
    @Required
    public Boolean enable;

    @JsonPropertyDescription("Roll back to the last completed deployment when the breaker trips. Default false.")
    @Required
    public Boolean rollback;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DeploymentAlarms {
    @JsonPropertyDescription("Names of the CloudWatch alarms to watch.")
    @Required
    @Size(max = 10)
    public List<String> alarmNames;

    @JsonPropertyDescription("Watch the alarms.")
    @Required
    public Boolean enable;

    @JsonPropertyDescription("Roll back when an alarm fires.")
    @Required
    public Boolean rollback;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DeploymentController {
    @JsonPropertyDescription("ECS (default), CODE_DEPLOY or EXTERNAL.")
    @Required
    public DeploymentControllerType type;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.type == 'distinctInstance' ? !has(self.expression) : has(self.expression)",
      message = "memberOf needs an expression; distinctInstance takes none")
  public static class PlacementConstraint {
    @JsonPropertyDescription("distinctInstance or memberOf.")
    @Required
    public PlacementConstraintType type;

    @JsonPropertyDescription("Cluster query language expression (memberOf).")
    @Size(max = 2000)
    public String expression;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PlacementStrategy {
    @JsonPropertyDescription("random, spread or binpack.")
    @Required
    public PlacementStrategyType type;

    @JsonPropertyDescription("spread: instanceId (or host) or attribute:...; binpack: cpu or memory.")
    public String field;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.minCapacity <= self.maxCapacity",
      message = "autoScaling.minCapacity must not exceed maxCapacity")
  public static class AutoScaling {
    @JsonPropertyDescription("The autoscaler never goes below this many tasks.")
    @Required
    @Min(0)
    @Max(100000)
    public Integer minCapacity;

    @JsonPropertyDescription("The autoscaler never goes above this many tasks.")
    @Required
    @Min(0)
    @Max(100000)
    public Integer maxCapacity;

    @JsonPropertyDescription("Target tracking policies on a predefined metric (names unique).")
    @Size(max = 20)
    @ValidationRule(value = "self.all(p, self.exists_one(q, q.name == p.name))",
        message = "targetTrackingPolicies names must be unique")
    public List<TargetTrackingPolicy> targetTrackingPolicies;

    @JsonPropertyDescription("Scheduled changes of the capacity range (names unique).")
    @Size(max = 50)
    @ValidationRule(value = "self.all(a, self.exists_one(b, b.name == a.name))",
        message = "scheduledActions names must be unique")
    public List<ScheduledAction> scheduledActions;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.predefinedMetricType != 'ALBRequestCountPerTarget' || has(self.resourceLabel)",
      message = "ALBRequestCountPerTarget needs a resourceLabel (app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>)")
  public static class TargetTrackingPolicy {
    @JsonPropertyDescription("Name of the scaling policy.")
    @Required
    @Size(min = 1, max = 256)
    @Pattern("^[^:]+$")
    public String name;

    @JsonPropertyDescription("ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or "
        + "ALBRequestCountPerTarget.")
    @Required
    public PredefinedMetricType predefinedMetricType;

    @JsonPropertyDescription("Target group of ALBRequestCountPerTarget: app/<lb-name>/<lb-id>/targetgroup/"
        + "<tg-name>/<tg-id>.")
    @Size(min = 1, max = 1023)
    public String resourceLabel;

    @JsonPropertyDescription("The value of the metric to keep: more than 0 (for CPU and memory a percentage of what"
        + " the tasks reserve, which tasks on EC2 can exceed).")
    @Required
    @Min(value = 0, inclusive = false)
    @JsonSerialize(using = WholeNumbers.class)
    public Double targetValue;

    @JsonPropertyDescription("Seconds after a scale-in before another scale-in. Default 300.")
    @Min(0)
    public Integer scaleInCooldown;

    @JsonPropertyDescription("Seconds after a scale-out before another scale-out. Default 300.")
    @Min(0)
    public Integer scaleOutCooldown;

    @JsonPropertyDescription("Only ever scale out. Default false.")
    public Boolean disableScaleIn;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "has(self.minCapacity) || has(self.maxCapacity)",
      message = "a scheduled action sets minCapacity, maxCapacity or both")
  @ValidationRule(value = "!has(self.minCapacity) || !has(self.maxCapacity) || self.minCapacity <= self.maxCapacity",
      message = "scheduledActions minCapacity must not exceed maxCapacity")
  public static class ScheduledAction {
    @JsonPropertyDescription("Name of the scheduled action.")
    @Required
    @Size(min = 1, max = 256)
    @Pattern("^[^:]+$")
    public String name;

    @JsonPropertyDescription("at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields).")
    @Required
    @Pattern("^(at|rate|cron)\\(.+\\)$")
    public String schedule;

    @JsonPropertyDescription("IANA time zone of the schedule, for example Europe/Paris. Default UTC.")
    public String timezone;

    @JsonPropertyDescription("New minimum capacity.")
    @Min(0)
    public Integer minCapacity;

    @JsonPropertyDescription("New maximum capacity.")
    @Min(0)
    public Integer maxCapacity;
  }
}
