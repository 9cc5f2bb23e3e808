package io.ecsbridge.kinds.ecs;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import io.ecsbridge.aws.BatchedReads;
import io.ecsbridge.aws.BatchingClusterGateway;
import io.ecsbridge.aws.ClusterGateway;
import io.ecsbridge.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * How an EcsCluster pass reads its cluster: from a description read ahead for it, or by one DescribeClusters that also
 * reads ahead up to 99 other EcsClusters of the same identity and region that are due soonest, whose passes it then
 * asks for at once (so that they find it). The rules are {@link ServiceReadAhead}'s (DESIGN.md "Batched reads"): a
 * pass takes a read ahead only when it is Ready at its generation, not being deleted, the lane does not ask for a
 * fresh read (a person's change), its resourceVersion is the one the read was made for, the read is at most
 * {@link BatchingClusterGateway#FRESHNESS} old with no write since, and the cluster is ACTIVE. A pass whose kept read
 * shows a difference reads again before it writes ({@link EcsClusterReconciler}).
 */
final class ClusterReadAhead {
  /** Companions per call: DescribeClusters' 100 less the pass's own cluster. */
  static final int COMPANIONS = ClusterGateway.DESCRIBE_MAX - 1;
  private static final long PASS_NANOS = Duration.ofMinutes(5).toNanos();

  private record Known(ResourceID id, String clusterName, long readAt) {}

  private record Group(AwsIdentity identity, String region) {}

  /** What a pass read, and whether it came from a read ahead. */
  record Read(Optional<Cluster> cluster, boolean kept) {}

  private record Candidate(ResourceID id, BatchedReads.Companion companion, boolean asked, long readAt) {}

  private final BatchingClusterGateway ecs;
  private final long dueNanos;
  private final LongSupplier nanos;
  private final Map<Group, Map<ResourceID, Known>> known = new ConcurrentHashMap<>();
  private final Map<ResourceID, Long> inPass = new ConcurrentHashMap<>();
  private final Map<ResourceID, String> handled = new ConcurrentHashMap<>();
  private volatile BooleanSupplier freshReadRequired = () -> false;
  private volatile boolean lanes;
  private volatile IndexerResourceCache<EcsCluster> cache;
  private volatile Trigger trigger;

  ClusterReadAhead(BatchingClusterGateway ecs, Duration resyncPeriod) {
    this(ecs, resyncPeriod, System::nanoTime);
  }

  ClusterReadAhead(BatchingClusterGateway ecs, Duration resyncPeriod, LongSupplier nanos) {
    this.ecs = ecs;
    this.dueNanos = resyncPeriod.toNanos() / 2; // read more than half a period ago: due within the other half
    this.nanos = nanos;
  }

  /** The seam for the frame's lane: true when this pass must read AWS afresh (a person's change). */
  void freshReadRequired(BooleanSupplier required) {
    this.freshReadRequired = Objects.requireNonNull(required);
    this.lanes = true;
  }

  /** The event source that asks for the passes of the clusters read ahead; the primary cache picks them. */
  EventSource<Void, EcsCluster> eventSource(EventSourceContext<EcsCluster> context) {
    this.cache = context.getPrimaryCache();
    Trigger t = new Trigger();
    this.trigger = t;
    return t;
  }

  /** The cluster of this pass: kept for it if it may be, else read (fresh) with companions. */
  Read describe(EcsCluster resource, String region) {
    String name = resource.clusterName();
    Group group = new Group(AwsScope.bound(), region);
    ResourceID id = ResourceID.fromResource(resource);
    String token = token(resource);
    inPass.put(id, nanos.getAsLong());
    if (token != null) {
      Optional<Optional<Cluster>> kept = ecs.kept(region, name, token);
      if (kept.isPresent() && kept.get().filter(c -> "ACTIVE".equals(c.status())).isPresent()) {
        note(group, id, name);
        return new Read(kept.get(), true);
      }
    }
    List<Candidate> companions = companions(group, id, region);
    Optional<Cluster> read = ecs.describe(region, name, companions.stream().map(Candidate::companion).toList());
    note(group, id, name);
    Trigger t = trigger;
    if (t != null) {
      companions.forEach(c -> t.ask(c.id()));
    }
    return new Read(read, false);
  }

  /** A fresh read (after a kept one showed a difference). */
  Optional<Cluster> fresh(String region, String name) {
    return ecs.describe(region, name);
  }

  /** The pass reached its verdict: the cluster may be read ahead for its next one. */
  void ended(EcsCluster resource) {
    ResourceID id = ResourceID.fromResource(resource);
    inPass.remove(id);
    String request = request(resource);
    if (request == null) {
      handled.remove(id);
    } else {
      handled.put(id, request);
    }
  }

  /** The resource is gone (or its cluster is): it is no companion any more. */
  void forget(EcsCluster resource) {
    ResourceID id = ResourceID.fromResource(resource);
    known.values().forEach(m -> m.remove(id));
    inPass.remove(id);
    handled.remove(id);
  }

  /** How many clusters are known (tests, memory). */
  int knownCount() {
    return known.values().stream().mapToInt(Map::size).sum();
  }

  /** The resourceVersion a read ahead must have been made for to serve this pass, or null: it reads afresh. */
  String token(EcsCluster resource) {
    if (freshReadRequired.getAsBoolean() || resource.getMetadata().getDeletionTimestamp() != null
        || !readyAtGeneration(resource)) {
      return null;
    }
    return resource.getMetadata().getResourceVersion();
  }

  static boolean readyAtGeneration(EcsCluster resource) {
    var status = resource.getStatus();
    Long generation = resource.getMetadata().getGeneration();
    return status != null && generation != null && generation.equals(status.getObservedGeneration())
        && Conditions.find(status.getConditions(), Conditions.READY)
            .filter(c -> "True".equals(c.getStatus()) && generation.equals(c.getObservedGeneration())).isPresent();
  }

  /** Up to {@value #COMPANIONS} clusters of the group whose passes are due soonest (as {@link ServiceReadAhead}). */
  private List<Candidate> companions(Group group, ResourceID self, String region) {
    IndexerResourceCache<EcsCluster> primaries = cache;
    Map<ResourceID, Known> members = known.get(group);
    if (primaries == null || members == null) {
      return List.of();
    }
    long now = nanos.getAsLong();
    return members.values().stream()
        .filter(k -> !k.id().equals(self))
        .map(k -> candidate(k, primaries.get(k.id()), members, now, region))
        .filter(Objects::nonNull)
        .sorted(Comparator.comparing((Candidate c) -> !c.asked()).thenComparingLong(Candidate::readAt))
        .limit(COMPANIONS)
        .toList();
  }

  private Candidate candidate(Known k, Optional<EcsCluster> found, Map<ResourceID, Known> members, long now,
      String region) {
    if (found.isEmpty()) {
      members.remove(k.id());
      return null;
    }
    EcsCluster r = found.get();
    Long passing = inPass.get(k.id());
    if (passing != null && now - passing < PASS_NANOS) {
      return null;
    }
    if (r.getMetadata().getDeletionTimestamp() != null || !readyAtGeneration(r)
        || !k.clusterName().equals(r.clusterName()) || ecs.ahead(region, k.clusterName())) {
      return null;
    }
    boolean asked = reconcileAsked(r);
    if (asked && lanes) {
      return null; // a person's request reads afresh in the USER lane
    }
    if (!asked && now - k.readAt() < dueNanos) {
      return null;
    }
    return new Candidate(k.id(), new BatchedReads.Companion(k.clusterName(), r.getMetadata().getResourceVersion()),
        asked, k.readAt());
  }

  private boolean reconcileAsked(EcsCluster r) {
    String asked = request(r);
    return asked != null && !asked.equals(r.getStatus().getLastHandledReconcileAt())
        && !asked.equals(handled.get(ResourceID.fromResource(r)));
  }

  private static String request(EcsCluster r) {
    return r.getMetadata().getAnnotations() == null ? null
        : r.getMetadata().getAnnotations().get(Annotations.RECONCILE_REQUESTED_AT);
  }

  private void note(Group group, ResourceID id, String clusterName) {
    known.forEach((g, m) -> {
      if (!g.equals(group)) {
        m.remove(id); // its account or region changed
      }
    });
    known.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(id, new Known(id, clusterName,
        nanos.getAsLong()));
  }

  /** Asks for a resource's pass (JOSDK merges it with one already queued). */
  static final class Trigger extends AbstractEventSource<Void, EcsCluster> {
    Trigger() {
      super(Void.class, "ecscluster-read-ahead");
    }

    void ask(ResourceID id) {
      if (isRunning()) {
        getEventHandler().handleEvent(new Event(id));
      }
    }

    @Override
    public Set<Void> getSecondaryResources(EcsCluster primary) {
      return Set.of();
    }
  }
}
