package io.ecsbridge.reconciler;

import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec.CapacityProviderStrategyItem;
import io.ecsbridge.api.v1alpha1.EcsClusterStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.ClusterGateway;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.ClusterServiceConnectDefaultsRequest;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandConfiguration;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandLogConfiguration;
import software.amazon.awssdk.services.ecs.model.ManagedStorageConfiguration;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;

/**
 * EcsCluster: one DescribeClusters read (tags, settings, configuration), then UpdateCluster for settings and
 * configuration, PutClusterCapacityProviders for the capacity providers and default strategy, Tag/UntagResource for
 * tags, each only when it differs. Deletion waits while the cluster still has services.
 */
@ControllerConfiguration(name = "ecscluster")
public class EcsClusterReconciler
    extends ContractReconciler<EcsCluster, EcsClusterSpec, EcsClusterStatus, String, Cluster> {

  /** How often a cluster that ECS is still provisioning, or that still has services on deletion, is looked at. */
  static final Duration RECHECK = Duration.ofSeconds(10);

  private final ClusterGateway ecs;
  private final Function<String, String> regions;

  public EcsClusterReconciler(OperatorContext op, ClusterGateway ecs, Function<String, String> regions) {
    super(op);
    this.ecs = ecs;
    this.regions = regions;
  }

  @Override
  protected EcsClusterStatus newStatus() {
    return new EcsClusterStatus();
  }

  @Override
  protected String what() {
    return "ECS cluster";
  }

  @Override
  protected Placed<String> place(EcsCluster resource, EcsClusterStatus status, Context<EcsCluster> context) {
    return Placed.at(regions.apply(resource.getSpec().getRegion()));
  }

  @Override
  protected String describe(EcsCluster resource) {
    return "ECS cluster " + resource.clusterName();
  }

  @Override
  protected Optional<Cluster> observe(EcsCluster resource, String region) {
    return ecs.describe(region, resource.clusterName());
  }

  @Override
  protected Map<String, String> tags(Cluster live) {
    return Tags.fromEcs(live.tags());
  }

  /** CreateCluster answers with the existing cluster when one of that name exists: judged by its tags then. */
  @Override
  protected Optional<Cluster> create(EcsCluster resource, String region, String owner) {
    return Optional.of(ecs.create(region, createRequest(resource.clusterName(), resource.getSpec(),
        Tags.desired(resource.getSpec().tags, owner, false))));
  }

  @Override
  protected void report(EcsClusterStatus status, Cluster live) {
    status.arn = live.clusterArn();
    status.status = live.status();
    status.activeServicesCount = live.activeServicesCount();
    status.runningTasksCount = live.runningTasksCount();
    status.pendingTasksCount = live.pendingTasksCount();
  }

  @Override
  protected List<Change> diff(EcsCluster resource, Cluster live, String region, String owner) {
    return changes(resource.getSpec(), live, region, owner);
  }

  @Override
  protected Result health(EcsCluster resource, Cluster live, boolean created) {
    return health(live, created ? "created" : "in sync");
  }

  private Result health(Cluster live, String what) {
    String name = live.clusterName();
    return switch (String.valueOf(live.status())) {
      case "ACTIVE" -> Result.of(Health.ready("Synced", "ECS cluster " + name + " is " + what));
      case "FAILED" -> Result.of(Health.stalled("ClusterFailed", "ECS reports cluster " + name + " FAILED"));
      default -> Result.of(Health.progressing("Provisioning", "ECS cluster " + name + " is " + live.status()),
          RECHECK);
    };
  }

  List<Change> changes(EcsClusterSpec spec, Cluster live, String region, String owner) {
    String name = live.clusterName();
    List<Change> changes = new ArrayList<>();
    if (spec.settings != null) {
      Map<String, String> have = new TreeMap<>();
      live.settings().forEach(s -> have.put(s.nameAsString(), s.value()));
      List<ClusterSetting> differing = spec.settings.stream()
          .filter(s -> !s.value.name().equals(have.get(s.name.name())))
          .map(s -> ClusterSetting.builder().name(s.name.name()).value(s.value.name()).build())
          .toList();
      if (!differing.isEmpty()) {
        changes.add(new Change("settings", "Set cluster settings " + differing.stream()
            .map(s -> s.nameAsString() + "=" + s.value()).toList(),
            () -> ecs.update(region, UpdateClusterRequest.builder().cluster(name).settings(differing).build())));
      }
    }
    if (spec.configuration != null) {
      ClusterConfiguration want = configuration(spec.configuration);
      if (!Objects.equals(normalize(want), normalize(live.configuration()))) {
        changes.add(new Change("configuration", "Updated the cluster configuration",
            () -> ecs.update(region, UpdateClusterRequest.builder().cluster(name).configuration(want).build())));
      }
    }
    if (spec.serviceConnectDefaults != null && !serviceConnectMatches(spec.serviceConnectDefaults.namespace, live)) {
      changes.add(new Change("serviceConnectDefaults",
          "Set the Service Connect namespace to " + spec.serviceConnectDefaults.namespace,
          () -> ecs.update(region, UpdateClusterRequest.builder().cluster(name)
              .serviceConnectDefaults(ClusterServiceConnectDefaultsRequest.builder()
                  .namespace(spec.serviceConnectDefaults.namespace).build()).build())));
    }
    if (spec.capacityProviders != null) {
      Set<String> wantProviders = new TreeSet<>(spec.capacityProviders);
      List<String> wantStrategy = strategyKeys(spec.defaultCapacityProviderStrategy);
      List<String> haveStrategy = live.defaultCapacityProviderStrategy().stream()
          .map(s -> key(s.capacityProvider(), s.weight(), s.base())).sorted().toList();
      if (!wantProviders.equals(new TreeSet<>(live.capacityProviders())) || !wantStrategy.equals(haveStrategy)) {
        changes.add(new Change("capacityProviders",
            "Set capacity providers " + wantProviders + " with default strategy " + wantStrategy,
            () -> ecs.putCapacityProviders(region, PutClusterCapacityProvidersRequest.builder().cluster(name)
                .capacityProviders(wantProviders).defaultCapacityProviderStrategy(strategy(spec)).build())));
      }
    }
    boolean observeOnly = spec.getManagementPolicy() == ManagementPolicy.ObserveOnly;
    Tags.diff(Tags.desired(spec.tags, owner, observeOnly), Tags.fromEcs(live.tags()), observeOnly, changes,
        add -> ecs.tag(region, live.clusterArn(), add), remove -> ecs.untag(region, live.clusterArn(), remove));
    return changes;
  }

  @Override
  protected DeleteResult remove(EcsCluster resource, Cluster live, String region) {
    String name = live.clusterName();
    // checked here, not left to ECS alone: emulators let the delete through, and the wait deserves a clear status
    List<String> services = ecs.liveServices(region, name);
    if (!services.isEmpty()) {
      List<String> names = services.stream().map(arn -> arn.substring(arn.lastIndexOf('/') + 1)).sorted().toList();
      return waitForServices(name, services.size() + " service(s) still in the cluster: "
          + String.join(", ", names.size() > 10 ? names.subList(0, 10) : names) + (names.size() > 10 ? ", ..." : ""));
    }
    try {
      ecs.delete(region, name);
    } catch (AwsException e) {
      if (e.errorCode() != null && e.errorCode().startsWith("ClusterContains")) {
        return waitForServices(name, e.getMessage());
      }
      throw e;
    }
    op.events().normal(resource, "Deleted", "Deleted ECS cluster " + name);
    return DeleteResult.finished();
  }

  private static DeleteResult waitForServices(String name, String why) {
    return DeleteResult.waiting(Health.progressing("ClusterNotEmpty", "ECS cluster " + name + " is not deleted yet: "
        + why + "; waiting for them to be deleted"), RECHECK);
  }



  static CreateClusterRequest createRequest(String name, EcsClusterSpec spec, Map<String, String> tags) {
    CreateClusterRequest.Builder b = CreateClusterRequest.builder().clusterName(name)
        .tags(Tags.toEcs(tags));
    if (spec.settings != null) {
      b.settings(spec.settings.stream()
          .map(s -> ClusterSetting.builder().name(s.name.name()).value(s.value.name()).build()).toList());
    }
    if (spec.configuration != null) {
      b.configuration(configuration(spec.configuration));
    }
    if (spec.capacityProviders != null) {
      b.capacityProviders(spec.capacityProviders).defaultCapacityProviderStrategy(strategy(spec));
    }
    if (spec.serviceConnectDefaults != null) {
      b.serviceConnectDefaults(ClusterServiceConnectDefaultsRequest.builder()
          .namespace(spec.serviceConnectDefaults.namespace).build());
    }
    return b.build();
  }

  private static List<software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem> strategy(
      EcsClusterSpec spec) {
    if (spec.defaultCapacityProviderStrategy == null) {
      return List.of();
    }
    return spec.defaultCapacityProviderStrategy.stream()
        .map(s -> software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem.builder()
            .capacityProvider(s.capacityProvider).weight(orZero(s.weight)).base(orZero(s.base)).build())
        .toList();
  }

  private static List<String> strategyKeys(List<CapacityProviderStrategyItem> items) {
    return items == null ? List.of()
        : items.stream().map(s -> key(s.capacityProvider, s.weight, s.base)).sorted().toList();
  }

  private static String key(String provider, Integer weight, Integer base) {
    return provider + ":" + orZero(weight) + ":" + orZero(base);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  static ClusterConfiguration configuration(EcsClusterSpec.ClusterConfiguration spec) {
    ClusterConfiguration.Builder b = ClusterConfiguration.builder();
    var exec = spec.executeCommandConfiguration;
    if (exec != null) {
      ExecuteCommandConfiguration.Builder e = ExecuteCommandConfiguration.builder().kmsKeyId(exec.kmsKeyId)
          .logging(exec.logging == null ? null : exec.logging.name());
      if (exec.logConfiguration != null) {
        var log = exec.logConfiguration;
        e.logConfiguration(ExecuteCommandLogConfiguration.builder()
            .cloudWatchLogGroupName(log.cloudWatchLogGroupName)
            .cloudWatchEncryptionEnabled(log.cloudWatchEncryptionEnabled)
            .s3BucketName(log.s3BucketName)
            .s3EncryptionEnabled(log.s3EncryptionEnabled)
            .s3KeyPrefix(log.s3KeyPrefix).build());
      }
      b.executeCommandConfiguration(e.build());
    }
    var storage = spec.managedStorageConfiguration;
    if (storage != null) {
      b.managedStorageConfiguration(ManagedStorageConfiguration.builder().kmsKeyId(storage.kmsKeyId)
          .fargateEphemeralStorageKmsKeyId(storage.fargateEphemeralStorageKmsKeyId).build());
    }
    return b.build();
  }

  /**
   * The configuration as ECS reports it: logging DEFAULT when unset, encryption flags false when unset, and an
   * empty block equal to no block.
   */
  static ClusterConfiguration normalize(ClusterConfiguration c) {
    if (c == null) {
      return ClusterConfiguration.builder().build();
    }
    ClusterConfiguration.Builder b = ClusterConfiguration.builder();
    ExecuteCommandConfiguration exec = c.executeCommandConfiguration();
    if (exec != null) {
      ExecuteCommandLogConfiguration log = exec.logConfiguration();
      ExecuteCommandConfiguration.Builder e = exec.toBuilder()
          .logging(exec.logging() == null ? "DEFAULT" : exec.loggingAsString());
      if (log != null) {
        e.logConfiguration(log.toBuilder()
            .cloudWatchEncryptionEnabled(Boolean.TRUE.equals(log.cloudWatchEncryptionEnabled()))
            .s3EncryptionEnabled(Boolean.TRUE.equals(log.s3EncryptionEnabled())).build());
      }
      ExecuteCommandConfiguration normalized = e.build();
      if (!normalized.equals(ExecuteCommandConfiguration.builder().logging("DEFAULT").build())) {
        b.executeCommandConfiguration(normalized);
      }
    }
    ManagedStorageConfiguration storage = c.managedStorageConfiguration();
    if (storage != null && (storage.kmsKeyId() != null || storage.fargateEphemeralStorageKmsKeyId() != null)) {
      b.managedStorageConfiguration(storage);
    }
    return b.build();
  }

  /**
   * ECS reports the Service Connect namespace as the Cloud Map namespace's ARN, which does not contain its name: a
   * name in the spec is taken as matching any namespace already set, an ARN must match exactly.
   */
  private static boolean serviceConnectMatches(String want, Cluster live) {
    String have = live.serviceConnectDefaults() == null ? null : live.serviceConnectDefaults().namespace();
    if (have == null) {
      return false;
    }
    return want.startsWith("arn:") ? want.equals(have) : true;
  }
}
