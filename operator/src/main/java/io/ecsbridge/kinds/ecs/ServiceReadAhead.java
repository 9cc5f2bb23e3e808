package io.ecsbridge.kinds.ecs;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import io.ecsbridge.aws.BatchedReads;
import io.ecsbridge.aws.BatchingServiceGateway;
import io.ecsbridge.aws.ServiceGateway;
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
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * How an EcsService pass reads its service: from a description read ahead for it, or by one DescribeServices that
 * also reads ahead up to 9 other services of the same identity, region and cluster that are due soonest, whose passes
 * it then asks for at once (so that they find it). See DESIGN.md "Batched reads".
 *
 * <p>A pass may take a description read ahead only when nothing asks for a fresh look: the resource is Ready at its
 * generation, the lane says a fresh read is not required ({@link #freshReadRequired}), its resourceVersion is the one
 * the read was made for (so the read started after the resource's last change, a reconcile request included), the
 * read is at most {@link BatchingServiceGateway#FRESHNESS} old, no write to the service came after it, and the
 * service it describes is settled (ACTIVE, one COMPLETED deployment, running = desired). A pass whose kept read shows
 * a difference reads again before it writes ({@link EcsServiceReconciler}).
 */
final class ServiceReadAhead {
  /** Companions per call: DescribeServices' 10 less the pass's own service. */
  static final int COMPANIONS = ServiceGateway.DESCRIBE_MAX - 1;

  /** A service this operator read, in its group: which resource asked and when its last read was made. */
  private record Known(ResourceID id, String serviceName, long readAt) {}

  private record Group(AwsIdentity identity, String region, String cluster) {}

  /** What a pass read, and whether it came from a read ahead. */
  record Read(Optional<Service> service, boolean kept) {}

  private final BatchingServiceGateway ecs;
  private final long dueNanos;
  private final LongSupplier nanos;
  private final Map<Group, Map<ResourceID, Known>> known = new ConcurrentHashMap<>();
  /** Passes that read and have not reached their verdict yet (by when they read): never a companion meanwhile. */
  private final Map<ResourceID, Long> inPass = new ConcurrentHashMap<>();
  private static final long PASS_NANOS = Duration.ofMinutes(5).toNanos();
  /** The reconcile request each resource's last pass handled (its status may not show it yet). */
  private final Map<ResourceID, String> handled = new ConcurrentHashMap<>();
  private volatile BooleanSupplier freshReadRequired = () -> false;
  /** The lane decides fresh reads (a pass for a person's request reads afresh): never read ahead for those. */
  private volatile boolean lanes;
  private volatile IndexerResourceCache<EcsService> cache;
  private volatile Trigger trigger;

  ServiceReadAhead(BatchingServiceGateway ecs, Duration resyncPeriod) {
    this(ecs, resyncPeriod, System::nanoTime);
  }

  ServiceReadAhead(BatchingServiceGateway ecs, Duration resyncPeriod, LongSupplier nanos) {
    this.ecs = ecs;
    // a service last read more than half a resync period ago is due within the other half: read it ahead
    this.dueNanos = resyncPeriod.toNanos() / 2;
    this.nanos = nanos;
  }

  /**
   * The seam for the frame's lane: true when this pass must read AWS afresh whatever else holds (a person's change).
   * Called on the pass's thread. By default false: the rules above decide.
   */
  void freshReadRequired(BooleanSupplier required) {
    this.freshReadRequired = Objects.requireNonNull(required);
    this.lanes = true;
  }

  /** The event source that asks for the passes of the services read ahead; the primary cache picks them. */
  EventSource<Void, EcsService> eventSource(EventSourceContext<EcsService> context) {
    this.cache = context.getPrimaryCache();
    Trigger t = new Trigger();
    this.trigger = t;
    return t;
  }

  /** The service of this pass: kept for it if it may be, else read (fresh) with companions. */
  Read describe(EcsService resource, String region, String cluster) {
    String name = resource.serviceName();
    Group group = new Group(AwsScope.bound(), region, cluster);
    ResourceID id = ResourceID.fromResource(resource);
    String token = token(resource);
    inPass.put(id, nanos.getAsLong());
    if (token != null) {
      Optional<Optional<Service>> kept = ecs.kept(region, cluster, name, token);
      if (kept.isPresent() && kept.get().filter(ServiceReadAhead::settled).isPresent()) {
        note(group, id, name);
        return new Read(kept.get(), true);
      }
    }
    List<Candidate> companions = companions(group, id, region);
    Optional<Service> read = ecs.describe(region, cluster, name,
        companions.stream().map(Candidate::companion).toList());
    note(group, id, name);
    Trigger t = trigger;
    if (t != null) {
      companions.forEach(c -> t.ask(c.id()));
    }
    return new Read(read, false);
  }

  /** A fresh read (after a kept one showed a difference, or before a deletion's end). */
  Optional<Service> fresh(String region, String cluster, String serviceName) {
    return ecs.describe(region, cluster, serviceName);
  }

  /** The pass reached its verdict: the service may be read ahead for its next one. */
  void ended(EcsService resource) {
    ResourceID id = ResourceID.fromResource(resource);
    inPass.remove(id);
    String request = request(resource);
    if (request == null) {
      handled.remove(id);
    } else {
      handled.put(id, request);
    }
  }

  /** The resource is gone: it is no companion any more. */
  void forget(EcsService resource) {
    ResourceID id = ResourceID.fromResource(resource);
    known.values().forEach(m -> m.remove(id));
    inPass.remove(id);
    handled.remove(id);
  }

  /** How many services are known (tests, memory). */
  int knownCount() {
    return known.values().stream().mapToInt(Map::size).sum();
  }

  /**
   * The state a read ahead must have been made for to serve this pass (its resourceVersion), or null when this pass
   * reads afresh: not Ready at its generation, or the lane says so.
   */
  String token(EcsService resource) {
    if (freshReadRequired.getAsBoolean() || resource.getMetadata().getDeletionTimestamp() != null
        || !readyAtGeneration(resource) || RolloutMemory.redeployAsked(resource)
        || ServiceRollback.asked(resource)) {
      return null;
    }
    return resource.getMetadata().getResourceVersion();
  }

  static boolean readyAtGeneration(EcsService resource) {
    var status = resource.getStatus();
    Long generation = resource.getMetadata().getGeneration();
    return status != null && generation != null && generation.equals(status.getObservedGeneration())
        && Conditions.find(status.getConditions(), Conditions.READY)
            .filter(c -> "True".equals(c.getStatus()) && generation.equals(c.getObservedGeneration())).isPresent();
  }

  /** ACTIVE, one deployment, COMPLETED (or not told), running = desired: nothing in flight to judge anew. */
  static boolean settled(Service s) {
    if (!"ACTIVE".equals(s.status()) || s.deployments().size() != 1) {
      return false;
    }
    Deployment d = s.deployments().get(0);
    return (d.rolloutState() == null || "COMPLETED".equals(d.rolloutStateAsString()))
        && Objects.equals(s.runningCount(), s.desiredCount());
  }

  private record Candidate(ResourceID id, BatchedReads.Companion companion, boolean asked, long readAt) {}

  /**
   * Up to {@value #COMPANIONS} services of the group whose passes are due soonest: a reconcile request not yet
   * handled first, then those read longest ago (at least half a resync period); only resources whose own pass may
   * take a read ahead (Ready at their generation), not in a pass, not already read ahead.
   */
  private List<Candidate> companions(Group group, ResourceID self, String region) {
    IndexerResourceCache<EcsService> primaries = cache;
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

  private Candidate candidate(Known k, Optional<EcsService> found, Map<ResourceID, Known> members, long now,
      String region) {
    if (found.isEmpty()) {
      members.remove(k.id()); // deleted: no longer a companion
      return null;
    }
    EcsService r = found.get();
    Long passing = inPass.get(k.id());
    if (passing != null && now - passing < PASS_NANOS) {
      return null; // its own pass is reading or judging it now
    }
    if (r.getMetadata().getDeletionTimestamp() != null || !readyAtGeneration(r)
        || !k.serviceName().equals(r.serviceName()) || ecs.ahead(region, k.serviceName())) {
      return null;
    }
    boolean asked = reconcileAsked(r);
    if (asked && lanes) {
      return null; // a person's request: its pass runs in the USER lane and reads afresh, a read ahead would be wasted
    }
    if (!asked && now - k.readAt() < dueNanos) {
      return null;
    }
    return new Candidate(k.id(), new BatchedReads.Companion(k.serviceName(),
        r.getMetadata().getResourceVersion()), asked, k.readAt());
  }

  /** A reconcile request that no pass handled yet (by status, or by a pass whose status write is not seen yet). */
  private boolean reconcileAsked(EcsService r) {
    String asked = request(r);
    return asked != null && !asked.equals(r.getStatus().getLastHandledReconcileAt())
        && !asked.equals(handled.get(ResourceID.fromResource(r)));
  }

  private static String request(EcsService r) {
    return r.getMetadata().getAnnotations() == null ? null
        : r.getMetadata().getAnnotations().get(Annotations.RECONCILE_REQUESTED_AT);
  }

  private void note(Group group, ResourceID id, String serviceName) {
    known.forEach((g, m) -> {
      if (!g.equals(group)) {
        m.remove(id); // its account or cluster changed
      }
    });
    known.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(id, new Known(id, serviceName,
        nanos.getAsLong()));
  }

  /** Asks for a resource's pass (JOSDK merges it with one already queued). */
  static final class Trigger extends AbstractEventSource<Void, EcsService> {
    Trigger() {
      super(Void.class, "ecsservice-read-ahead");
    }

    void ask(ResourceID id) {
      if (isRunning()) {
        getEventHandler().handleEvent(new Event(id));
      }
    }

    @Override
    public Set<Void> getSecondaryResources(EcsService primary) {
      return Set.of();
    }
  }
}
