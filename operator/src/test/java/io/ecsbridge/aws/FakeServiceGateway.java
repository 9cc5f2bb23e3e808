package io.ecsbridge.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentAlarms;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * In-memory ECS services for unit tests, answering like real ECS (ECS-NOTES.md): defaults filled, task definitions as
 * full ARNs, subnets and load balancers in another order, placement strategy fields upper-cased and host as
 * instanceId, launchType omitted with a capacity provider strategy, a new PRIMARY deployment (IN_PROGRESS) on a new
 * task definition or forceNewDeployment. Tests move rollouts on with {@link #complete}, {@link #fail} and
 * {@link #rollBack}. Every write call is recorded, with the UpdateService requests.
 */
public class FakeServiceGateway implements ServiceGateway {
  public static final String ACCOUNT = "123456789012";
  public final Map<String, Service> services = new HashMap<>();
  public final List<String> writes = new ArrayList<>();
  public final List<UpdateServiceRequest> updates = new ArrayList<>();
  public int describes;
  public int taskDefinitionLookups;
  public int clusterReads;
  /** Tags of task definition families (every revision alike) and of clusters, by name; none unless put here. */
  public final Map<String, Map<String, String>> taskDefinitionTags = new HashMap<>();
  public final Map<String, Map<String, String>> clusterTags = new HashMap<>();
  public AwsException failCreateWith;
  /** How many of the next DescribeServices miss an existing service (ECS's eventual consistency). */
  public int describesMissing;
  public AwsException failUpdateWith;
  public AwsException failTagWith;
  private int deploymentIds;

  public static String arn(String region, String familyRevision) {
    return familyRevision.startsWith("arn:") ? familyRevision
        : "arn:aws:ecs:" + region + ":" + ACCOUNT + ":task-definition/" + familyRevision;
  }

  /** Thrown by {@link #admitResync} (the ECS budget defers the pass), null: admitted. */
  public volatile RuntimeException admission;
  public volatile int admissions;

  @Override
  public void admitResync(String region) {
    admissions++;
    if (admission != null) {
      throw admission;
    }
  }

  @Override
  public Optional<Service> describe(String region, String cluster, String serviceName) {
    describes++;
    if (describesMissing > 0) {
      describesMissing--;
      return Optional.empty();
    }
    return Optional.ofNullable(services.get(serviceName)).filter(s -> !"INACTIVE".equals(s.status()));
  }

  @Override
  public Service create(String region, CreateServiceRequest r) {
    writes.add("CreateService");
    if (failCreateWith != null) {
      throw failCreateWith;
    }
    if (services.containsKey(r.serviceName()) && !"INACTIVE".equals(services.get(r.serviceName()).status())) {
      throw new AwsException(AwsException.Kind.TERMINAL, "InvalidParameterException", 400,
          "Creation of service was not idempotent.", null); // what ECS answers
    }
    String td = r.taskDefinition() == null ? null : arn(region, r.taskDefinition());
    boolean daemon = "DAEMON".equals(r.schedulingStrategyAsString());
    DeploymentConfiguration given = r.deploymentConfiguration();
    Service.Builder s = Service.builder()
        .serviceName(r.serviceName())
        .serviceArn("arn:aws:ecs:" + region + ":" + ACCOUNT + ":service/" + r.cluster() + "/" + r.serviceName())
        .clusterArn("arn:aws:ecs:" + region + ":" + ACCOUNT + ":cluster/" + r.cluster())
        .status("ACTIVE")
        .taskDefinition(td)
        .desiredCount(daemon ? 0 : r.desiredCount() == null ? 0 : r.desiredCount())
        .runningCount(0).pendingCount(0)
        .launchType(r.hasCapacityProviderStrategy() ? null : r.launchTypeAsString())
        .capacityProviderStrategy(r.capacityProviderStrategy())
        .platformVersion(r.platformVersion() == null ? "LATEST" : r.platformVersion())
        .networkConfiguration(reordered(r.networkConfiguration()))
        .loadBalancers(reversed(r.loadBalancers()))
        .serviceRegistries(r.serviceRegistries())
        .deploymentConfiguration(DeploymentConfiguration.builder()
            .maximumPercent(given != null && given.maximumPercent() != null ? given.maximumPercent()
                : daemon ? 100 : 200)
            .minimumHealthyPercent(given != null && given.minimumHealthyPercent() != null
                ? given.minimumHealthyPercent() : daemon ? 0 : 100)
            .deploymentCircuitBreaker(given != null && given.deploymentCircuitBreaker() != null
                ? given.deploymentCircuitBreaker()
                : DeploymentCircuitBreaker.builder().enable(false).rollback(false).build())
            .alarms(given != null && given.alarms() != null ? given.alarms()
                : DeploymentAlarms.builder().alarmNames(List.of()).enable(false).rollback(false).build())
            .strategy(DeploymentStrategy.ROLLING).bakeTimeInMinutes(0)
            .build())
        .deploymentController(r.deploymentController() != null ? r.deploymentController()
            : DeploymentController.builder().type("ECS").build())
        .healthCheckGracePeriodSeconds(r.healthCheckGracePeriodSeconds() == null ? 0
            : r.healthCheckGracePeriodSeconds())
        .enableExecuteCommand(Boolean.TRUE.equals(r.enableExecuteCommand()))
        .enableECSManagedTags(Boolean.TRUE.equals(r.enableECSManagedTags()))
        .propagateTags(r.propagateTagsAsString() == null ? "NONE" : r.propagateTagsAsString())
        .placementConstraints(r.placementConstraints())
        .placementStrategy(ecsStyle(r.placementStrategy()))
        .schedulingStrategy(daemon ? "DAEMON" : "REPLICA")
        .roleArn(r.role() == null ? null : "arn:aws:iam::" + ACCOUNT + ":role/" + r.role())
        .tags(r.tags());
    s.availabilityZoneRebalancing(r.availabilityZoneRebalancing() == null ? "ENABLED"
        : r.availabilityZoneRebalancingAsString());
    boolean ecsController = r.deploymentController() == null || "ECS".equals(r.deploymentController().typeAsString());
    Service created = s.build();
    created = created.toBuilder().deployments(ecsController ? List.of(newDeployment(created, td).toBuilder()
        .serviceConnectConfiguration(r.serviceConnectConfiguration()).volumeConfigurations(r.volumeConfigurations())
        .vpcLatticeConfigurations(r.vpcLatticeConfigurations()).build()) : List.of())
        .build();
    services.put(r.serviceName(), created);
    return created;
  }

  private Deployment newDeployment(Service s, String td) {
    String id = "ecs-svc/" + (++deploymentIds);
    return Deployment.builder().id(id).status("PRIMARY").rolloutState(DeploymentRolloutState.IN_PROGRESS)
        .rolloutStateReason("ECS deployment " + id + " in progress.").taskDefinition(td)
        .desiredCount(s.desiredCount()).runningCount(0).pendingCount(s.desiredCount()).failedTasks(0)
        .createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH).build();
  }

  private static NetworkConfiguration reordered(NetworkConfiguration n) {
    if (n == null) {
      return null;
    }
    var vpc = n.awsvpcConfiguration();
    return NetworkConfiguration.builder().awsvpcConfiguration(vpc.toBuilder().subnets(reversed(vpc.subnets()))
        .securityGroups(reversed(vpc.securityGroups()))
        .assignPublicIp(vpc.assignPublicIp() == null ? "DISABLED" : vpc.assignPublicIpAsString()).build()).build();
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  private static List<PlacementStrategy> ecsStyle(List<PlacementStrategy> strategy) {
    return strategy.stream().map(p -> p.toBuilder().field(p.field() == null ? null
        : p.field().equalsIgnoreCase("host") ? "instanceId"
        : p.field().startsWith("attribute:") ? p.field() : p.field().toUpperCase(Locale.ROOT)).build()).toList();
  }

  @Override
  public Service update(String region, UpdateServiceRequest r) {
    writes.add("UpdateService");
    if (failUpdateWith != null) {
      throw failUpdateWith;
    }
    updates.add(r);
    Service s = services.get(r.service());
    Service.Builder b = s.toBuilder();
    if (r.desiredCount() != null) {
      b.desiredCount(r.desiredCount());
    }
    if (r.hasCapacityProviderStrategy()) {
      b.capacityProviderStrategy(r.capacityProviderStrategy());
    }
    if (r.platformVersion() != null) {
      b.platformVersion(r.platformVersion());
    }
    if (r.networkConfiguration() != null) {
      b.networkConfiguration(reordered(r.networkConfiguration()));
    }
    if (r.hasLoadBalancers()) {
      b.loadBalancers(reversed(r.loadBalancers()));
    }
    if (r.hasServiceRegistries()) {
      b.serviceRegistries(r.serviceRegistries());
    }
    if (r.deploymentConfiguration() != null) {
      b.deploymentConfiguration(r.deploymentConfiguration().toBuilder().strategy(DeploymentStrategy.ROLLING)
          .bakeTimeInMinutes(0).build());
    }
    if (r.deploymentController() != null) {
      b.deploymentController(r.deploymentController());
    }
    if (r.healthCheckGracePeriodSeconds() != null) {
      b.healthCheckGracePeriodSeconds(r.healthCheckGracePeriodSeconds());
    }
    if (r.enableExecuteCommand() != null) {
      b.enableExecuteCommand(r.enableExecuteCommand());
    }
    if (r.enableECSManagedTags() != null) {
      b.enableECSManagedTags(r.enableECSManagedTags());
    }
    if (r.propagateTags() != null) {
      b.propagateTags(r.propagateTagsAsString());
    }
    if (r.hasPlacementConstraints()) {
      b.placementConstraints(r.placementConstraints());
    }
    if (r.hasPlacementStrategy()) {
      b.placementStrategy(ecsStyle(r.placementStrategy()));
    }
    if (r.availabilityZoneRebalancing() != null) {
      b.availabilityZoneRebalancing(r.availabilityZoneRebalancingAsString());
    }
    String td = r.taskDefinition() == null ? s.taskDefinition() : arn(region, r.taskDefinition());
    Service updated = b.taskDefinition(td).build();
    boolean revisionMembers = r.serviceConnectConfiguration() != null || r.hasVolumeConfigurations()
        || r.hasVpcLatticeConfigurations();
    if (!td.equals(s.taskDefinition()) || Boolean.TRUE.equals(r.forceNewDeployment()) || revisionMembers) {
      Deployment before = s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst()
          .orElse(Deployment.builder().build());
      List<Deployment> deployments = new ArrayList<>();
      deployments.add(newDeployment(updated, td).toBuilder()
          .serviceConnectConfiguration(r.serviceConnectConfiguration() != null ? r.serviceConnectConfiguration()
              : before.serviceConnectConfiguration())
          .volumeConfigurations(r.hasVolumeConfigurations() ? r.volumeConfigurations()
              : before.volumeConfigurations())
          .vpcLatticeConfigurations(r.hasVpcLatticeConfigurations() ? r.vpcLatticeConfigurations()
              : before.vpcLatticeConfigurations()).build());
      s.deployments().forEach(d -> deployments.add(d.toBuilder().status("ACTIVE").build()));
      updated = updated.toBuilder().deployments(deployments).build();
    }
    services.put(r.service(), updated);
    return updated;
  }

  /** Service revisions by ARN, as DescribeServiceRevisions answers them; each read counted. */
  public final Map<String, ServiceRevision> revisions = new HashMap<>();
  public int revisionReads;

  @Override
  public List<ServiceRevision> describeRevisions(String region, List<String> revisionArns) {
    revisionReads++;
    return revisionArns.stream().map(revisions::get).filter(java.util.Objects::nonNull).toList();
  }

  /** The PRIMARY completes, older deployments are gone, running == desired. */
  public void complete(String name) {
    Service s = services.get(name);
    Deployment primary = primary(s).toBuilder().rolloutState(DeploymentRolloutState.COMPLETED)
        .rolloutStateReason("ECS deployment " + primary(s).id() + " completed.").runningCount(s.desiredCount())
        .pendingCount(0).desiredCount(s.desiredCount()).build();
    services.put(name, s.toBuilder().deployments(primary).runningCount(s.desiredCount()).pendingCount(0).build());
  }

  /** The circuit breaker trips without rollback: the PRIMARY is FAILED. */
  public void fail(String name) {
    Service s = services.get(name);
    List<Deployment> deployments = new ArrayList<>(s.deployments());
    deployments.set(0, primary(s).toBuilder().rolloutState(DeploymentRolloutState.FAILED)
        .rolloutStateReason("ECS deployment circuit breaker: tasks failed to start.").failedTasks(3).build());
    services.put(name, s.toBuilder().deployments(deployments).build());
  }

  /**
   * The circuit breaker trips with rollback, and the rollback has finished: one COMPLETED deployment of the previous
   * task definition, running == desired (the trap: it looks stable).
   */
  public void rollBack(String name) {
    rollBack(name, null);
  }

  /** The same, the PRIMARY's reason saying what ECS says while rolling back (null: "... completed."). */
  public void rollBack(String name, String reason) {
    Service s = services.get(name);
    String previous = s.deployments().stream().filter(d -> "ACTIVE".equals(d.status())).findFirst().orElseThrow()
        .taskDefinition();
    String id = "ecs-svc/" + (++deploymentIds);
    Deployment back = Deployment.builder().id(id).status("PRIMARY").rolloutState(DeploymentRolloutState.COMPLETED)
        .rolloutStateReason(reason != null ? reason : "ECS deployment " + id + " completed.").taskDefinition(previous)
        .desiredCount(s.desiredCount()).runningCount(s.desiredCount()).pendingCount(0).failedTasks(0)
        .createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH).build();
    services.put(name, s.toBuilder().taskDefinition(previous).deployments(back).runningCount(s.desiredCount())
        .build());
  }

  public static Deployment primary(Service s) {
    return s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst().orElseThrow();
  }

  /** Changes a service behind the operator's back. */
  public void edit(String name, java.util.function.UnaryOperator<Service.Builder> change) {
    services.put(name, change.apply(services.get(name).toBuilder()).build());
  }

  @Override
  public void delete(String region, String cluster, String serviceName, boolean force) {
    writes.add("DeleteService");
    Service s = services.get(serviceName);
    if (!force && s.desiredCount() > 0) {
      throw new AwsException(AwsException.Kind.TERMINAL, "InvalidParameterException", 400,
          "The service cannot be stopped while it is scaled above 0.", null);
    }
    services.put(serviceName, s.toBuilder().status("DRAINING").build());
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    writes.add("TagResource");
    if (failTagWith != null) {
      throw failTagWith;
    }
    Service s = byArn(arn);
    Map<String, String> merged = new HashMap<>();
    s.tags().forEach(t -> merged.put(t.key(), t.value()));
    merged.putAll(tags);
    services.put(s.serviceName(), s.toBuilder().tags(merged.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()).build());
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    writes.add("UntagResource");
    Service s = byArn(arn);
    services.put(s.serviceName(), s.toBuilder().tags(s.tags().stream().filter(t -> !keys.contains(t.key()))
        .toList()).build());
  }

  private Service byArn(String arn) {
    return services.values().stream().filter(s -> arn.equals(s.serviceArn())).findFirst().orElseThrow();
  }

  @Override
  public TaskDefinitionFound taskDefinition(String region, String taskDefinition) {
    taskDefinitionLookups++;
    String arn = taskDefinition.startsWith("arn:") ? taskDefinition
        : arn(region, taskDefinition.contains(":") ? taskDefinition : taskDefinition + ":7");
    return new TaskDefinitionFound(arn, taskDefinitionTags.getOrDefault(TaskDefinitionGateway.familyOf(arn),
        Map.of()));
  }

  @Override
  public Map<String, String> clusterTags(String region, String cluster) {
    clusterReads++;
    return clusterTags.getOrDefault(cluster.substring(cluster.lastIndexOf('/') + 1), Map.of());
  }
}
