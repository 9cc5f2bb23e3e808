package io.ecsbridge.kinds.ecs;

import io.ecsbridge.aws.ArnNames;
import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.ContractReconciler;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.Tags;

import static io.ecsbridge.kinds.ecs.ClusterShape.SHAPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.ecsbridge.api.v1alpha1.EcsClusterStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.BatchingClusterGateway;
import io.ecsbridge.aws.ClusterGateway;
import io.ecsbridge.aws.Lanes;
import io.ecsbridge.aws.SdkJson;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;

/**
 * EcsCluster: one DescribeClusters read (tags, settings, configuration; batched with the other EcsClusters of the
 * identity and region, and read ahead for those due soon: {@link ClusterReadAhead}), then UpdateCluster for settings and
 * configuration, PutClusterCapacityProviders for the capacity providers and default strategy, Tag/UntagResource for
 * tags, each only when it differs ({@link ClusterShape} says what is compared and how). Its place is the region and
 * the capacity providers its capacityProviderRefs resolve to ({@link CapacityProviderRefs}, watched). Deletion
 * waits while the cluster still has services.
 */
@ControllerConfiguration(name = "ecscluster")
public class EcsClusterReconciler extends ContractReconciler<EcsCluster, EcsClusterSpec, EcsClusterStatus,
    EcsClusterReconciler.Place, Cluster> {

  /** How often a cluster that ECS is still provisioning, or that still has services on deletion, is looked at. */
  static final Duration RECHECK = Duration.ofSeconds(10);

  private final BatchingClusterGateway ecs;
  private final ClusterReadAhead readAhead;
  private final Function<String, String> regions;
  private final CapacityProviderRefs<EcsCluster> capacityProviders;

  /** Where a pass works: the region, and the names in ECS of the capacity providers the refs name (by ref name). */
  record Place(String region, Map<String, String> capacityProviders) {}

  public EcsClusterReconciler(OperatorContext op, ClusterGateway ecs, Function<String, String> regions) {
    this(op, ecs, regions, CapacityProviderRefs.Lookup.informer());
  }

  EcsClusterReconciler(OperatorContext op, ClusterGateway ecs, Function<String, String> regions,
      CapacityProviderRefs.Lookup<EcsCluster> capacityProviders) {
    this(op, BatchingClusterGateway.of(ecs), null, regions, capacityProviders);
  }

  /** {@code readAhead}: one on {@code ecs} (tests), or null for the default. */
  EcsClusterReconciler(OperatorContext op, BatchingClusterGateway ecs, ClusterReadAhead readAhead,
      Function<String, String> regions, CapacityProviderRefs.Lookup<EcsCluster> capacityProviders) {
    super(op);
    this.ecs = ecs;
    this.readAhead = readAhead != null ? readAhead : new ClusterReadAhead(ecs, op.resyncPeriod());
    // a person's change (the frame's USER lane) reads its cluster afresh; a resync may use a read-ahead
    this.readAhead.freshReadRequired(() -> Lanes.current() == Lanes.Lane.USER);
    this.regions = regions;
    this.capacityProviders = CapacityProviderRefs.ofCluster(capacityProviders);
  }

  /** Watches the EcsCapacityProviders that capacityProviderRefs name ({@link CapacityProviderRefs}). */
  @Override
  protected List<EventSource<?, EcsCluster>> eventSources(EventSourceContext<EcsCluster> context) {
    List<EventSource<?, EcsCluster>> sources = new ArrayList<>(
        CapacityProviderRefs.eventSources(context, EcsCluster.class, CapacityProviderRefs::clusterRefs));
    sources.add(readAhead.eventSource(context));
    return sources;
  }

  /** Tests may replace the lane's seam (by default: a USER pass reads afresh). */
  void freshReadRequired(java.util.function.BooleanSupplier required) {
    readAhead.freshReadRequired(required);
  }

  /** A capacity provider that is Stalled is re-evaluated from the cache on every event, not on the slow backoff. */
  @Override
  protected boolean observedWhileStalled(String reason) {
    return super.observedWhileStalled(reason) || ServiceReferences.DEPENDENCY_STALLED.equals(reason);
  }

  @Override
  protected Placed<Place> place(EcsCluster resource, EcsClusterStatus status, Context<EcsCluster> context) {
    String region = regions.apply(resource.getSpec().getRegion());
    CapacityProviderRefs.Resolved refs = capacityProviders.resolve(resource, context);
    return refs.verdict() != null ? Placed.refused(refs.verdict()) : Placed.at(new Place(region, refs.names()));
  }

  /** Deleting needs no capacity provider: the references may be gone. */
  @Override
  protected Place placeForDelete(EcsCluster resource, EcsClusterStatus status, Context<EcsCluster> context) {
    return new Place(regions.apply(resource.getSpec().getRegion()), Map.of());
  }

  @Override
  protected String location(Place place) {
    return place.region();
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
  protected String describe(EcsCluster resource) {
    return "ECS cluster " + resource.clusterName();
  }

  @Override
  protected Optional<Cluster> observe(EcsCluster resource, Place place) {
    ClusterReadAhead.Read read = readAhead.describe(resource, place.region());
    if (read.cluster().isEmpty()) {
      readAhead.forget(resource);
    }
    return read.cluster();
  }

  @Override
  protected void remember(EcsCluster resource, EcsClusterStatus status, Place place) {
    readAhead.ended(resource);
  }

  @Override
  protected Map<String, String> tags(Cluster live) {
    return Tags.fromEcs(live.tags());
  }

  /** CreateCluster answers with the existing cluster when one of that name exists: judged by its tags then. */
  @Override
  protected Optional<Cluster> create(EcsCluster resource, Place place, String owner) {
    return Optional.of(ecs.create(place.region(), createRequest(resource.clusterName(), resource.getSpec(),
        place.capacityProviders(), Tags.desired(resource.getSpec().tags, owner, false))));
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
  protected List<Change> diff(EcsCluster resource, Cluster live, Place place, String owner) {
    List<Change> changes = changes(resource.getSpec(), place.capacityProviders(), live, place.region(), owner);
    if (!changes.isEmpty() && readAhead.readAgainBeforeWrite(resource)) {
      // read ahead and would write: written from a fresh read, on the same ownership or not at all
      Optional<Cluster> fresh = readAhead.fresh(place.region(), resource.clusterName());
      if (fresh.isEmpty() || !Tags.fromEcs(fresh.get().tags()).equals(Tags.fromEcs(live.tags()))) {
        throw new AwsException(AwsException.Kind.RETRYABLE, "ClusterChangedMeanwhile", 0, describe(resource)
            + " changed while it was read: reading it again", null);
      }
      changes = changes(resource.getSpec(), place.capacityProviders(), fresh.get(), place.region(), owner);
    }
    return changes;
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

  /**
   * Each member of {@link ClusterShape} that differs, with the call that sets it (the capacity providers and the
   * default strategy in one call); then the tags.
   */
  List<Change> changes(EcsClusterSpec spec, Map<String, String> capacityProviders, Cluster live, String region,
      String owner) {
    String name = live.clusterName();
    ObjectNode want = CapacityProviderRefs.clusterJson(spec, capacityProviders);
    ObjectNode have = SdkJson.toJson(live);
    List<Change> changes = new ArrayList<>();
    for (String member : SHAPE.differences(want, have)) {
      ObjectNode request = JsonNodeFactory.instance.objectNode().put("cluster", name);
      switch (member) {
        case "settings" -> {
          ArrayNode differing = ClusterShape.differingSettings(want, have);
          request.set(member, differing);
          List<String> told = new ArrayList<>();
          differing.forEach(s -> told.add(s.path("name").asText() + "=" + s.path("value").asText()));
          changes.add(new Change(member, "Set cluster settings " + told,
              () -> ecs.update(region, SdkJson.build(UpdateClusterRequest.builder(), request))));
        }
        case "configuration", "serviceConnectDefaults" -> {
          request.set(member, SHAPE.wanted(member, want));
          changes.add(new Change(member, member.equals("configuration") ? "Updated the cluster configuration"
              : "Set the Service Connect namespace to " + request.path(member).path("namespace").asText(),
              () -> ecs.update(region, SdkJson.build(UpdateClusterRequest.builder(), request))));
        }
        case "capacityProviders", "defaultCapacityProviderStrategy" -> {
          if (changes.stream().noneMatch(c -> c.field().equals("capacityProviders"))) {
            JsonNode providers = SHAPE.wanted("capacityProviders", want);
            JsonNode strategy = SHAPE.wanted("defaultCapacityProviderStrategy", want);
            request.set("capacityProviders", providers);
            request.set("defaultCapacityProviderStrategy", strategy);
            List<String> names = new ArrayList<>();
            providers.forEach(p -> names.add(p.asText()));
            changes.add(new Change("capacityProviders", "Set capacity providers " + names + " with default strategy "
                + ClusterShape.strategyKeys(strategy), () -> ecs.putCapacityProviders(region,
                    SdkJson.build(PutClusterCapacityProvidersRequest.builder(), request))));
          }
        }
        default -> throw new IllegalStateException("no ECS call sets " + member);
      }
    }
    boolean observeOnly = spec.getManagementPolicy() == ManagementPolicy.ObserveOnly;
    Tags.diff(Tags.desired(spec.tags, owner, observeOnly), Tags.fromEcs(live.tags()), observeOnly, changes,
        add -> ecs.tag(region, live.clusterArn(), add), remove -> ecs.untag(region, live.clusterArn(), remove));
    return changes;
  }

  @Override
  protected void deferred(EcsCluster resource) {
    readAhead.deferred(resource);
  }

  @Override
  protected void forgotten(EcsCluster resource) {
    readAhead.forget(resource);
  }

  @Override
  protected DeleteResult remove(EcsCluster resource, Cluster live, Place place) {
    String region = place.region();
    String name = live.clusterName();
    readAhead.forget(resource);
    // checked here, not left to ECS alone: emulators let the delete through, and the wait deserves a clear status
    List<String> services = ecs.liveServices(region, name);
    if (!services.isEmpty()) {
      List<String> names = services.stream().map(ArnNames::ecsName).sorted().toList();
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

  /**
   * CreateCluster: the spec's AWS fields as written ({@link Shape#request}), its capacity provider references resolved
   * ({@code capacityProviders}: reference name to ECS name), its name and tags.
   */
  static CreateClusterRequest createRequest(String name, EcsClusterSpec spec, Map<String, String> capacityProviders,
      Map<String, String> tags) {
    CreateClusterRequest.Builder b = CreateClusterRequest.builder();
    SdkJson.fill(b, SHAPE.request(CapacityProviderRefs.clusterJson(spec, capacityProviders)));
    return b.clusterName(name).tags(Tags.toEcs(tags)).build();
  }
}
