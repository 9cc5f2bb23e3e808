package io.ecsbridge.kinds.ecr;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import io.ecsbridge.aws.BatchedReads;
import io.ecsbridge.aws.BatchingRepositoryGateway;
import io.ecsbridge.aws.EcrGateway.Details;
import io.ecsbridge.aws.EcrGateway.Repository;
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

/**
 * How an EcrRepository pass reads its repository. A pass that must read afresh (a person's change, a resource not
 * Ready at its generation, a deletion) reads as before: DescribeRepositories of its one name, then its tags, policies
 * and images. A resync of a Ready repository reads its tags and policies (ECR has no batched form of those), its images
 * only when due ({@link RepositoryImagesDue}), and takes its DescribeRepositories from a read made ahead for it, or
 * makes one that also reads ahead up to {@value #COMPANIONS} other repositories of the same identity and region (one
 * registry) that are due soonest, whose passes it then asks for at once. See DESIGN.md "Batched reads".
 *
 * <p>A pass takes a read ahead only under {@code ServiceReadAhead}'s rules: Ready at its generation, not a person's
 * change ({@link #freshReadRequired}), the same resourceVersion the read was made for, at most
 * {@link BatchingRepositoryGateway#FRESHNESS} old, no write to the repository after it; and here also the same ARN as
 * the pass's status. A pass whose read ahead shows a difference reads again before it writes
 * ({@link EcrRepositoryReconciler}).
 */
final class RepositoryReadAhead {
  /** Companions per call: a read-ahead page less the pass's own repository. */
  static final int COMPANIONS = BatchingRepositoryGateway.PAGE - 1;
  private static final long PASS_NANOS = Duration.ofMinutes(1).toNanos();

  private record Known(ResourceID id, String name, long readAt) {}

  private record Group(AwsIdentity identity, String region) {}

  private record Candidate(ResourceID id, BatchedReads.Companion companion, long readAt) {}

  /** What a pass read, and whether its DescribeRepositories came from a read ahead. */
  record Read(Optional<Repository> repository, boolean kept) {}

  private final BatchingRepositoryGateway ecr;
  private final RepositoryImagesDue images;
  private final long dueNanos;
  private final LongSupplier nanos;
  private final Map<Group, Map<ResourceID, Known>> known = new ConcurrentHashMap<>();
  /** Passes that read and have not reached their verdict (by when they started): never a companion meanwhile. */
  private final Map<ResourceID, Long> inPass = new ConcurrentHashMap<>();
  /** Passes whose DescribeRepositories was read ahead: they read again before a write. */
  private final Set<ResourceID> tookKept = ConcurrentHashMap.newKeySet();
  private volatile BooleanSupplier freshReadRequired = () -> false;
  private volatile IndexerResourceCache<EcrRepository> cache;
  private volatile Trigger trigger;

  RepositoryReadAhead(BatchingRepositoryGateway ecr, Duration resyncPeriod) {
    this(ecr, resyncPeriod, System::nanoTime);
  }

  RepositoryReadAhead(BatchingRepositoryGateway ecr, Duration resyncPeriod, LongSupplier nanos) {
    this.ecr = ecr;
    this.images = new RepositoryImagesDue(resyncPeriod, nanos);
    // a repository last read more than half a resync period ago is due within the other half: read it ahead
    this.dueNanos = resyncPeriod.toNanos() / 2;
    this.nanos = nanos;
  }

  /** The seam for the frame's lane: true when this pass must read AWS afresh (a person's change). */
  void freshReadRequired(BooleanSupplier required) {
    this.freshReadRequired = Objects.requireNonNull(required);
  }

  /** The event source that asks for the passes of the repositories read ahead. */
  EventSource<Void, EcrRepository> eventSource(EventSourceContext<EcrRepository> context) {
    this.cache = context.getPrimaryCache();
    Trigger t = new Trigger();
    this.trigger = t;
    return t;
  }

  /** The repository of this pass (see the class). */
  Read describe(EcrRepository resource, String region) {
    String name = resource.repositoryName();
    ResourceID id = ResourceID.fromResource(resource);
    Group group = new Group(AwsScope.bound(), region);
    inPass.put(id, nanos.getAsLong());
    tookKept.remove(id);
    String token = token(resource);
    boolean withImages = images.due(resource, region, token == null);
    Read read = token == null ? new Read(fresh(region, name, withImages), false)
        : resync(resource, region, group, id, token, withImages);
    if (read.repository().isEmpty()) {
      forget(resource);
    } else {
      if (read.kept()) {
        tookKept.add(id);
      }
      note(group, id, name);
      if (read.repository().get().imagesRead()) {
        images.read(resource, region);
      }
    }
    return read;
  }

  /** A fresh read of the repository alone, as before any read-ahead (one that may not exist reads alone). */
  Optional<Repository> fresh(String region, String name, boolean withImages) {
    return ecr.describeAll(region, List.of(name)).getOrDefault(name, Optional.empty())
        .flatMap(r -> ecr.details(region, name, r.repositoryArn(), withImages).map(d -> d.of(r)));
  }

  /**
   * A resync: the details first (so that a pass deferred for its AWS budget keeps what was read ahead for its next
   * run), then the DescribeRepositories kept for it, or a fresh one with companions.
   */
  private Read resync(EcrRepository resource, String region, Group group, ResourceID id, String token,
      boolean withImages) {
    String name = resource.repositoryName();
    String arn = resource.getStatus().arn;
    if (arn != null && ecr.ahead(region, name)) {
      Optional<Details> details = ecr.details(region, name, arn, withImages);
      if (details.isEmpty()) {
        return new Read(fresh(region, name, withImages), false); // gone meanwhile: looked at alone
      }
      var kept = ecr.kept(region, name, token);
      if (kept.isPresent() && kept.get().filter(r -> arn.equals(r.repositoryArn())).isPresent()) {
        return new Read(Optional.of(details.get().of(kept.get().get())), true);
      }
      var read = withCompanions(resource, region, group, id);
      if (read.isPresent() && arn.equals(read.get().repositoryArn())) {
        return new Read(Optional.of(details.get().of(read.get())), false);
      }
      return new Read(fresh(region, name, withImages), false);
    }
    var read = withCompanions(resource, region, group, id);
    if (read.isEmpty()) {
      return new Read(Optional.empty(), false); // a fresh read said so (a missing name is told apart, SdkEcrGateway)
    }
    return new Read(ecr.details(region, name, read.get().repositoryArn(), withImages).map(d -> d.of(read.get())),
        false);
  }

  private Optional<software.amazon.awssdk.services.ecr.model.Repository> withCompanions(EcrRepository resource,
      String region, Group group, ResourceID id) {
    List<Candidate> companions = companions(group, id, region);
    var read = ecr.read(region, resource.repositoryName(), companions.stream().map(Candidate::companion).toList());
    Trigger t = trigger;
    if (t != null) {
      companions.forEach(c -> t.ask(c.id()));
    }
    return read;
  }

  /** Whether this pass's DescribeRepositories was read ahead (then it reads again before a write). */
  boolean tookKept(EcrRepository resource) {
    return tookKept.contains(ResourceID.fromResource(resource));
  }

  /** The pass reached its verdict: the repository may be read ahead for its next one. */
  void ended(EcrRepository resource) {
    ResourceID id = ResourceID.fromResource(resource);
    inPass.remove(id);
    tookKept.remove(id);
  }

  /** The resource or its repository is gone: it is no companion any more, its images are read on its next pass. */
  void forget(EcrRepository resource) {
    ResourceID id = ResourceID.fromResource(resource);
    known.values().forEach(m -> m.remove(id));
    inPass.remove(id);
    tookKept.remove(id);
    images.forget(resource);
  }

  /** How many repositories are known (tests, memory). */
  int knownCount() {
    return known.values().stream().mapToInt(Map::size).sum();
  }

  /**
   * The state a read ahead must have been made for to serve this pass (its resourceVersion), or null when this pass
   * reads afresh: a person's change (the lane), a deletion, not Ready at its generation, no ARN in status.
   */
  String token(EcrRepository resource) {
    if (freshReadRequired.getAsBoolean() || resource.getMetadata().getDeletionTimestamp() != null
        || !readyAtGeneration(resource) || resource.getStatus().arn == null || asked(resource)) {
      return null;
    }
    return resource.getMetadata().getResourceVersion();
  }

  static boolean readyAtGeneration(EcrRepository resource) {
    var status = resource.getStatus();
    Long generation = resource.getMetadata().getGeneration();
    return status != null && generation != null && generation.equals(status.getObservedGeneration())
        && Conditions.find(status.getConditions(), Conditions.READY)
            .filter(c -> "True".equals(c.getStatus()) && generation.equals(c.getObservedGeneration())).isPresent();
  }

  /**
   * Up to {@value #COMPANIONS} repositories of the group whose passes are due soonest: read longest ago, at least half
   * a resync period ago; only those whose own pass may take a read ahead, not in a pass, not already read ahead.
   */
  private List<Candidate> companions(Group group, ResourceID self, String region) {
    IndexerResourceCache<EcrRepository> primaries = cache;
    Map<ResourceID, Known> members = known.get(group);
    if (primaries == null || members == null) {
      return List.of();
    }
    long now = nanos.getAsLong();
    return members.values().stream()
        .filter(k -> !k.id().equals(self))
        .map(k -> candidate(k, primaries.get(k.id()), members, now, region))
        .filter(Objects::nonNull)
        .sorted(Comparator.comparingLong(Candidate::readAt))
        .limit(COMPANIONS)
        .toList();
  }

  private Candidate candidate(Known k, Optional<EcrRepository> found, Map<ResourceID, Known> members, long now,
      String region) {
    if (found.isEmpty()) {
      members.remove(k.id()); // deleted: no longer a companion
      return null;
    }
    EcrRepository r = found.get();
    Long passing = inPass.get(k.id());
    if ((passing != null && now - passing < PASS_NANOS) || now - k.readAt() < dueNanos) {
      return null; // its own pass is under way, or it is not due yet
    }
    if (r.getMetadata().getDeletionTimestamp() != null || !readyAtGeneration(r) || r.getStatus().arn == null
        || asked(r) || !k.name().equals(r.repositoryName()) || ecr.ahead(region, k.name())) {
      return null; // its pass reads afresh (a person's request among them), or it is read ahead already
    }
    return new Candidate(k.id(), new BatchedReads.Companion(k.name(), r.getMetadata().getResourceVersion()),
        k.readAt());
  }

  /** A reconcile request no pass handled yet: its pass runs in the USER lane and reads afresh. */
  private static boolean asked(EcrRepository r) {
    String asked = r.getMetadata().getAnnotations() == null ? null
        : r.getMetadata().getAnnotations().get(Annotations.RECONCILE_REQUESTED_AT);
    return asked != null && !asked.equals(r.getStatus().getLastHandledReconcileAt());
  }

  private void note(Group group, ResourceID id, String name) {
    known.forEach((g, m) -> {
      if (!g.equals(group)) {
        m.remove(id); // its account or region changed
      }
    });
    known.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(id, new Known(id, name, nanos.getAsLong()));
  }

  /** Asks for a resource's pass (JOSDK merges it with one already queued). */
  static final class Trigger extends AbstractEventSource<Void, EcrRepository> {
    Trigger() {
      super(Void.class, "ecrrepository-read-ahead");
    }

    void ask(ResourceID id) {
      if (isRunning()) {
        getEventHandler().handleEvent(new Event(id));
      }
    }

    @Override
    public Set<Void> getSecondaryResources(EcrRepository primary) {
      return Set.of();
    }
  }
}
