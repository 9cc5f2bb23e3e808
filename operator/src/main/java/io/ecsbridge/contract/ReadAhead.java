package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.aws.ArnNames;
import io.ecsbridge.aws.AwsBudgets;
import io.ecsbridge.aws.BatchedReads;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.timer.TimerEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the read-aheads of the kinds share (DESIGN.md "Batched reads"): which resources this operator read, by group
 * (identity, region and whatever else a batched call needs), which passes are under way, which reconcile requests a
 * pass handled, which resources a pass may take a read ahead for (the common part of the token), which are due soonest
 * and so ride along as companions, the event source that asks for their passes, and whether a pass's read came from a
 * read ahead (then it reads again before it writes: {@link #readAgainBeforeWrite}). The kind's class keeps what
 * differs: the gateway calls, what a kept read must show, its own reasons to read afresh.
 *
 * @param <R> the kind
 * @param <G> the kind's group: what one batched call shares
 */
public final class ReadAhead<R extends CustomResource<?, ? extends AwsResourceStatus>, G> {
  /**
   * What differs between kinds' read-aheads.
   *
   * @param trigger the event source's name
   * @param companions at most this many companions in a call
   * @param pass a pass older than this is no longer taken to be under way (it may have died)
   * @param requestsFirst true: a reconcile request no pass handled yet makes a resource a companion first (unless the
   *     lane reads it afresh), and the requests passes handle are remembered until status shows them; false: such a
   *     resource is never a companion
   */
  public record Policy(String trigger, int companions, Duration pass, boolean requestsFirst) {}

  /** A service, cluster, repository ... this operator read, in its group: which resource and when it was read. */
  private record Known(ResourceID id, String name, long readAt) {}

  private record Candidate(ResourceID id, String uid, BatchedReads.Companion companion, boolean asked, long readAt) {}

  /** A pass under way: when it started, and whether its read came from a read ahead (not yet read again). */
  private record Pass(long startedAt, boolean kept) {}

  private final Policy policy;
  private final Function<R, String> name;
  private final BiPredicate<String, String> ahead;
  private final Predicate<R> eligible;
  private final long dueNanos;
  private final long passNanos;
  private final LongSupplier nanos;
  private final Map<G, Map<ResourceID, Known>> known = new ConcurrentHashMap<>();
  /** Every resource this operator read, whatever its group: the others are companions by their {@link #seed} only. */
  private final Set<ResourceID> read = ConcurrentHashMap.newKeySet();
  /** Namespaces whose resources were all read ({@link #notRead}): not listed for companions not read any more. */
  private final Set<String> allRead = ConcurrentHashMap.newKeySet();
  /** Resources whose last pass was deferred for its AWS budget, until their next pass starts. */
  private final Set<ResourceID> deferred = ConcurrentHashMap.newKeySet();
  /** Where a resource not read yet would be read ({@link #seed}); null: only resources read are companions. */
  private volatile Function<R, Object> seed;
  /** Passes that read and have not reached their verdict yet: never a companion meanwhile. */
  private final Map<ResourceID, Pass> inPass = new ConcurrentHashMap<>();
  /** The reconcile request each resource's last pass handled (its status may not show it yet). */
  private final Map<ResourceID, String> handled = new ConcurrentHashMap<>();
  /** When each resource's pass was last asked for by a read ahead (nanos): one ask per read ({@link #readWith}). */
  private final Map<ResourceID, Long> askedAt = new ConcurrentHashMap<>();
  /**
   * When each resource's last pass began (nanos), whatever came of it: a read under way does not ask for a pass that
   * began after it ({@link #passSince}).
   */
  private final Map<ResourceID, Long> begunAt = new ConcurrentHashMap<>();
  private volatile BooleanSupplier freshReadRequired = () -> false;
  /** When the AWS budget could take companions' passes asked now (null: all at once, the kind does not pace). */
  private volatile Pacing pacing;
  /** The lane decides fresh reads (a pass for a person's request reads afresh): never read ahead for those. */
  private volatile boolean lanes;
  private volatile IndexerResourceCache<R> cache;
  private volatile Asker trigger;

  /**
   * @param name the AWS name of a resource's object (what the batched call describes)
   * @param ahead whether a read ahead is kept already for (region, name)
   * @param eligible what else the kind needs for a resource to take a read ahead (beyond Ready at its generation)
   */
  public ReadAhead(Policy policy, Function<R, String> name, BiPredicate<String, String> ahead, Predicate<R> eligible,
      Duration resyncPeriod, LongSupplier nanos) {
    this.policy = Objects.requireNonNull(policy);
    this.name = name;
    this.ahead = ahead;
    this.eligible = eligible;
    // a resource last read more than half a resync period ago is due within the other half: read it ahead
    this.dueNanos = resyncPeriod.toNanos() / 2;
    this.passNanos = policy.pass().toNanos();
    this.nanos = nanos;
  }

  /** The seam for the frame's lane: true when this pass must read AWS afresh (a person's change). */
  public void freshReadRequired(BooleanSupplier required) {
    this.freshReadRequired = Objects.requireNonNull(required);
    this.lanes = true;
  }

  /** When an AWS budget could admit resync passes asked now, by region. */
  @FunctionalInterface
  public interface Pacing {
    /**
     * For each of the passes of {@code uids} (resources' uids, in the order asked): when to ask for it, whether it
     * comes by itself (a deferred pass), or left out (not soon enough for a read ahead); as many as asked.
     */
    List<AwsBudgets.Slot> slots(String region, List<String> uids);

    /** The passes of {@code uids} were given slots and will not be asked for after all (not read ahead). */
    default void release(String region, List<String> uids) {}

    /**
     * Of the passes of {@code uids}, those waiting for the budget (deferred: a restart's start-up pass), with how long
     * until their slot: among resources due alike, those coming soonest are the companions (their slots fall within
     * the read's freshness; the others would be left out).
     */
    default Map<String, Long> waitingFor(String region, java.util.Collection<String> uids) {
      return Map.of();
    }
  }

  /**
   * The seam for the AWS budget ({@link AwsBudgets#resyncSlots}), asked on the reading pass's thread (its identity
   * bound), before {@link #eventSource}: a read ahead then asks each companion's pass when the budget could admit it
   * (JOSDK's timer), and takes no companion it could not admit soon (its read would be stale first). Asked all at once,
   * the passes beyond the first few were deferred, their read ahead lost.
   */
  public void pacing(Pacing pacing) {
    this.pacing = Objects.requireNonNull(pacing);
  }

  /**
   * Lets resources this operator has not read yet ride along, due at once: a restart's start-up pass, where nothing is
   * known and each first pass read its object alone (DescribeServices and DescribeRepositories once per resource). A
   * resource of the reading pass's own namespace, in the primary cache, is such a companion when {@code place} (what
   * its status recorded of where its AWS object lives, and the account its spec names) equals the reading resource's,
   * not null; every other rule of a companion holds. Equal places in one namespace resolve to the same identity,
   * region and group, so one call reads both; a companion that still differs (its account changed meanwhile) is kept
   * under the reading pass's identity and group, which its own pass does not take. Never across namespaces: another
   * namespace's resources ride along only once a pass of theirs has read them under the same identity.
   */
  public void seed(Function<R, Object> place) {
    this.seed = Objects.requireNonNull(place);
  }

  /**
   * A {@link #seed} place: where the ARN {@code arn} that status recorded lives ({@link ArnNames#place}) and the account
   * the spec names; null when status has no such ARN.
   */
  public static Object place(CustomResource<? extends AwsResourceSpec, ?> resource, String arn) {
    String where = ArnNames.place(arn);
    return where == null || resource.getSpec() == null ? null
        : List.of(where, Objects.toString(resource.getSpec().accountName(), ""));
  }

  /** The event source that asks for the passes of the resources read ahead; the primary cache picks them. */
  @SuppressWarnings("unchecked")
  public EventSource<Void, R> eventSource(EventSourceContext<R> context) {
    this.cache = context.getPrimaryCache();
    if (pacing == null) {
      Trigger<R> t = new Trigger<>(policy.trigger());
      this.trigger = t;
      return t;
    }
    PacedTrigger<R> t = new PacedTrigger<>(policy.trigger());
    this.trigger = t;
    // JOSDK's timer is a source of any primary (EventSource<Void, HasMetadata>): this one's primaries are R
    return (EventSource<Void, R>) (EventSource<Void, ?>) t;
  }

  /** True when this pass reads afresh whatever the kind says: the lane, a deletion, not Ready at its generation. */
  public boolean freshRead(R resource) {
    return freshReadRequired.getAsBoolean() || resource.getMetadata().getDeletionTimestamp() != null
        || !readyAtGeneration(resource);
  }

  /**
   * A pass of this resource reads now: it is no companion until it ends ({@link #ended}), and a read ahead's ask for
   * its pass still waiting is dropped (it would run the resource again, without the read this pass takes).
   */
  public ResourceID started(R resource) {
    ResourceID id = ResourceID.fromResource(resource);
    long now = nanos.getAsLong();
    inPass.put(id, new Pass(now, false));
    begunAt.put(id, now);
    deferred.remove(id);
    Asker t = trigger;
    if (t != null) {
      t.cancel(id);
    }
    return id;
  }

  /** This pass's read came from a read ahead ({@link #keptOrRead} says so itself): it reads again before a write. */
  public void tookKept(ResourceID id) {
    inPass.computeIfPresent(id, (k, p) -> new Pass(p.startedAt(), true));
  }

  /**
   * Whether this pass's read came from a read ahead and was not read again yet: the kind then reads its object again
   * before it writes and decides on that read. True at most once a pass (the fresh read is not a kept one); false for
   * a pass that read afresh, and once the pass ended or its resource was forgotten.
   */
  public boolean readAgainBeforeWrite(R resource) {
    ResourceID id = ResourceID.fromResource(resource);
    Pass pass = inPass.get(id);
    return pass != null && pass.kept() && inPass.replace(id, pass, new Pass(pass.startedAt(), false));
  }

  /** What a pass read, and whether it came from a read ahead. */
  public record Read<T>(Optional<T> value, boolean kept) {}

  /**
   * The read of this pass (started here, {@link #started}): what was read ahead for it when its token allows
   * ({@code token} not null) and the kept answer is {@code usable}, else a fresh read with companions
   * ({@link #readWith}); either way the resource is noted in its group.
   *
   * @param kept the gateway's kept answer for a token
   * @param read the batched call, given the companions
   */
  public <T> Read<T> keptOrRead(R resource, G group, String region, String token,
      Function<String, Optional<Optional<T>>> kept, Predicate<T> usable,
      Function<List<BatchedReads.Companion>, Optional<T>> read) {
    String name = this.name.apply(resource);
    ResourceID id = started(resource);
    if (token != null) {
      Optional<Optional<T>> answer = kept.apply(token);
      if (answer.isPresent() && answer.get().filter(usable).isPresent()) {
        note(group, id, name);
        tookKept(id);
        return new Read<>(answer.get(), true);
      }
    }
    Optional<T> fresh = readWith(group, id, region, read);
    note(group, id, name);
    return new Read<>(fresh, false);
  }

  /**
   * Reads with up to {@link Policy#companions} resources of the group due soonest (those the budget could admit soon
   * enough, {@link #pacing}), then asks for their passes, each when the budget could admit it.
   *
   * @param read the batched call, given the companions
   */
  public <T> Optional<T> readWith(G group, ResourceID self, String region,
      Function<List<BatchedReads.Companion>, Optional<T>> read) {
    long began = nanos.getAsLong();
    Pacing p = pacing;
    if (p != null) {
      // the budget admits (or defers) the reading pass before its batched call, which a deferral would otherwise cut
      // for every pass coalesced in it; and before its companions are chosen: a deferred pass reads nothing (the
      // ECS gateways admit in their describe calls: BatchingServiceGateway, BatchingClusterGateway)
      p.slots(region, List.of());
    }
    List<Candidate> candidates = companions(group, self, region);
    List<AwsBudgets.Slot> slots = p == null ? AwsBudgets.Slot.allNow(candidates.size())
        : candidates.isEmpty() ? List.of() : p.slots(region, candidates.stream().map(Candidate::uid).toList());
    List<Candidate> companions = new ArrayList<>();
    List<AwsBudgets.Slot> asks = new ArrayList<>();
    for (int i = 0; i < candidates.size() && i < slots.size(); i++) {
      if (slots.get(i).companion()) {
        companions.add(candidates.get(i));
        asks.add(slots.get(i));
      }
    }
    Optional<T> result;
    try {
      result = read.apply(companions.stream().map(Candidate::companion).toList());
    } catch (RuntimeException e) {
      release(p, region, companions, asks, c -> true);
      throw e;
    }
    // a companion whose read was not made (a coalesced call full already, a call made alone after a failure) is not
    // asked for: its pass would read afresh, with companions of its own; nor one whose first pass is still queued
    // (it comes by itself): neither holds a place in the budget's queue
    release(p, region, companions, asks, c -> !ahead.test(region, c.companion().name()) || queued(c.id()));
    Asker t = trigger;
    if (t != null) {
      for (int i = 0; i < companions.size(); i++) {
        ResourceID id = companions.get(i).id();
        if (asks.get(i).ask() && ahead.test(region, companions.get(i).companion().name()) && !passSince(id, began)
            && !queued(id) && firstAskSince(id, began)) {
          t.ask(id, asks.get(i).delayNanos());
          if (passSince(id, began)) {
            t.cancel(id); // its pass began meanwhile: started() may have cancelled before this ask was made
          }
        }
      }
    }
    return result;
  }

  /**
   * Whether the resource's first pass in this process is still to come (not read, not deferred): queued since the
   * start. Asked for, JOSDK would run it twice (an event for a resource whose reconcile is submitted runs it again
   * after), the second reading afresh; left alone, it comes by itself and takes what was read for it. A paced kind's
   * ask comes later, at the budget's slot, but nothing says that pass has run by then: not asked either.
   */
  private boolean queued(ResourceID id) {
    return !read.contains(id) && !deferred.contains(id);
  }

  /**
   * Whether no read has asked for the resource's pass since {@code since} (this read's start); if so, this ask is
   * recorded. Readers that pass at the same time may choose the same companion, and share one call
   * ({@link io.ecsbridge.aws.BatchedReads}); each asked for its pass, and an ask that came while that pass ran made
   * JOSDK run it again, at the same resourceVersion: the read ahead was used, so it read afresh, behind the budget's
   * queue (PrioritiesIT's restart: 8 to 10 DescribeServices for 30 services instead of 3). A paced kind never asked
   * twice: the budget's queue gives a pass one place, and a second read finds it coming ({@code Slot.coming}).
   */
  private boolean firstAskSince(ResourceID id, long since) {
    long now = nanos.getAsLong();
    boolean[] first = {false};
    askedAt.compute(id, (k, at) -> {
      if (at != null && at - since >= 0) {
        return at;
      }
      first[0] = true;
      return now;
    });
    return first[0];
  }

  /**
   * Whether a pass of the resource began at or after {@code since} (nanos): it reads for itself, not to be asked; still
   * under way, ended, or deferred (its deferral brings it back at its place in the budget's queue). Only the passes
   * under way counted: a companion whose pass began and was deferred while the read was made was asked for too, and
   * when its deferral kept the place the read had given it ({@code ResyncQueue#defer}), the ask and its own timer
   * came together and JOSDK ran it twice (PrioritiesIT's seeded restart: 32 ListTagsForResource for 30 repositories).
   */
  private boolean passSince(ResourceID id, long since) {
    Long began = begunAt.get(id);
    return began != null && began - since >= 0;
  }

  /** Gives back the slots of the companions that {@code drop} says will not be asked for. */
  private static void release(Pacing pacing, String region, List<Candidate> companions, List<AwsBudgets.Slot> asks,
      Predicate<Candidate> drop) {
    if (pacing == null) {
      return;
    }
    List<String> dropped = new ArrayList<>();
    for (int i = 0; i < companions.size(); i++) {
      if (asks.get(i).ask() && drop.test(companions.get(i))) {
        dropped.add(companions.get(i).uid());
      }
    }
    if (!dropped.isEmpty()) {
      pacing.release(region, dropped);
    }
  }

  /** The resource was read now, in this group (a change of group drops it from its old one). */
  public void note(G group, ResourceID id, String name) {
    known.forEach((g, m) -> {
      if (!g.equals(group)) {
        m.remove(id); // its account, region or cluster changed
      }
    });
    read.add(id); // first: a concurrent choice of companions never sees it both read and not
    known.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(id, new Known(id, name, nanos.getAsLong()));
  }

  /**
   * The pass was deferred for its AWS budget: no longer under way, so that a read ahead may take it as a companion
   * while it waits (before, it counted as under way for {@link Policy#pass}, and a restart's start-up pass, deferred
   * at large, read most resources alone). What its last pass handled stays.
   */
  public void deferred(R resource) {
    ResourceID id = ResourceID.fromResource(resource);
    inPass.remove(id);
    deferred.add(id);
  }

  /** The pass reached its verdict: the resource may be read ahead for its next one. */
  public void ended(R resource) {
    ResourceID id = ResourceID.fromResource(resource);
    inPass.remove(id);
    if (policy.requestsFirst()) {
      String request = request(resource);
      if (request == null) {
        handled.remove(id);
      } else {
        handled.put(id, request);
      }
    }
  }

  /** The resource is gone: it is no companion any more. */
  public void forget(ResourceID id) {
    known.values().forEach(m -> m.remove(id));
    read.remove(id);
    id.getNamespace().ifPresent(allRead::remove); // if it is still there, its namespace is listed again
    deferred.remove(id);
    inPass.remove(id);
    handled.remove(id);
    askedAt.remove(id);
    begunAt.remove(id);
  }

  /** How many resources are known (tests, memory). */
  public int knownCount() {
    return known.values().stream().mapToInt(Map::size).sum();
  }

  /**
   * Every entry kept per resource: known, read, deferred, under way, handled, asked, begun (tests: nothing left once
   * forgotten).
   */
  public int remembered() {
    return knownCount() + read.size() + deferred.size() + inPass.size() + handled.size() + askedAt.size()
        + begunAt.size();
  }

  public static boolean readyAtGeneration(CustomResource<?, ? extends AwsResourceStatus> resource) {
    var status = resource.getStatus();
    Long generation = resource.getMetadata().getGeneration();
    return status != null && generation != null && generation.equals(status.getObservedGeneration())
        && Conditions.find(status.getConditions(), Conditions.READY)
            .filter(c -> "True".equals(c.getStatus()) && generation.equals(c.getObservedGeneration())).isPresent();
  }

  /** A reconcile request that no pass handled yet (by status, or by a pass whose status write is not seen yet). */
  public boolean asked(R r) {
    String asked = request(r);
    return asked != null && !asked.equals(r.getStatus().getLastHandledReconcileAt())
        && !asked.equals(handled.get(ResourceID.fromResource(r)));
  }

  private static String request(HasMetadata r) {
    return r.getMetadata().getAnnotations() == null ? null
        : r.getMetadata().getAnnotations().get(Annotations.RECONCILE_REQUESTED_AT);
  }

  /**
   * Up to {@link Policy#companions} resources of the group whose passes are due soonest: a reconcile request not yet
   * handled first (when the policy says so), then those read longest ago (at least half a resync period), then those
   * not read yet ({@link #seed}); only resources whose own pass may take a read ahead, not in a pass, not already read
   * ahead.
   */
  private List<Candidate> companions(G group, ResourceID self, String region) {
    IndexerResourceCache<R> primaries = cache;
    if (primaries == null) {
      return List.of();
    }
    Map<ResourceID, Known> members = known.getOrDefault(group, new ConcurrentHashMap<>());
    long now = nanos.getAsLong();
    List<Candidate> all = Stream.concat(members.values().stream(), notRead(primaries, self, now))
        .filter(k -> !k.id().equals(self))
        .map(k -> candidate(k, primaries.get(k.id()), members, now, region))
        .filter(Objects::nonNull)
        .toList();
    Pacing p = pacing;
    // a resource without a uid (tests' objects, never the API server's) waits for nothing: last among its equals
    Map<String, Long> waiting = p == null || all.size() <= policy.companions() ? Map.of()
        : p.waitingFor(region, all.stream().map(Candidate::uid).filter(Objects::nonNull).toList());
    return all.stream()
        .sorted(Comparator.comparing((Candidate c) -> !c.asked()).thenComparingLong(Candidate::readAt)
            .thenComparingLong(c -> c.uid() == null ? Long.MAX_VALUE : waiting.getOrDefault(c.uid(), Long.MAX_VALUE)))
        .limit(policy.companions())
        .toList();
  }

  /** The resources of {@code self}'s namespace not read yet whose {@link #seed} place is {@code self}'s: due now. */
  private Stream<Known> notRead(IndexerResourceCache<R> primaries, ResourceID self, long now) {
    Function<R, Object> place = seed;
    String namespace = self.getNamespace().orElse(null);
    if (place == null || namespace == null || allRead.contains(namespace)) {
      return Stream.empty();
    }
    Object own = primaries.get(self).map(place).orElse(null);
    if (own == null) {
      return Stream.empty();
    }
    List<R> unread = primaries.list(namespace).filter(r -> !read.contains(ResourceID.fromResource(r))).toList();
    if (unread.isEmpty()) {
      // every resource of the namespace was read: one created from now on is read by its own first pass before it
      // may be a companion (Ready at its generation), so the namespace is not listed again
      allRead.add(namespace);
      return Stream.empty();
    }
    long due = now - dueNanos;
    return unread.stream().filter(r -> own.equals(place.apply(r)))
        .map(r -> new Known(ResourceID.fromResource(r), name.apply(r), due));
  }

  private Candidate candidate(Known k, Optional<R> found, Map<ResourceID, Known> members, long now, String region) {
    if (found.isEmpty()) {
      members.remove(k.id()); // deleted: no longer a companion
      read.remove(k.id());
      deferred.remove(k.id());
      askedAt.remove(k.id());
      begunAt.remove(k.id());
      return null;
    }
    R r = found.get();
    Pass passing = inPass.get(k.id());
    if (passing != null && now - passing.startedAt() < passNanos) {
      return null; // its own pass is reading or judging it now
    }
    if (r.getMetadata().getDeletionTimestamp() != null || !readyAtGeneration(r) || !eligible.test(r)
        || !k.name().equals(name.apply(r)) || ahead.test(region, k.name())) {
      return null;
    }
    boolean asked = asked(r);
    if (asked && (lanes || !policy.requestsFirst())) {
      return null; // a person's request: its pass runs in the USER lane and reads afresh, a read ahead would be wasted
    }
    if (!asked && now - k.readAt() < dueNanos) {
      return null;
    }
    return new Candidate(k.id(), r.getMetadata().getUid(), new BatchedReads.Companion(k.name(), r.getMetadata().getResourceVersion()), asked,
        k.readAt());
  }

  /** Asks for resources' passes. */
  private interface Asker {
    /** Asks for the resource's pass after {@code delayNanos} (0: now). */
    void ask(ResourceID id, long delayNanos);

    /** Drops an ask for the resource's pass still waiting. */
    void cancel(ResourceID id);
  }

  /** Asks for a resource's pass at once (JOSDK merges it with one already queued): a kind that does not pace. */
  static final class Trigger<R extends HasMetadata> extends AbstractEventSource<Void, R> implements Asker {
    Trigger(String name) {
      super(Void.class, name);
    }

    @Override
    public void ask(ResourceID id, long delayNanos) {
      if (isRunning()) {
        getEventHandler().handleEvent(new Event(id));
      }
    }

    @Override
    public void cancel(ResourceID id) {
      // nothing waits
    }

    @Override
    public Set<Void> getSecondaryResources(R primary) {
      return Set.of();
    }
  }

  /**
   * Asks for a resource's pass now or after a delay (JOSDK's timer: an ask waiting is replaced by a later one of the
   * same resource, and dropped when the resource is deleted or its pass starts).
   */
  static final class PacedTrigger<R extends HasMetadata> extends TimerEventSource<R> implements Asker {
    PacedTrigger(String name) {
      super(name, false);
    }

    @Override
    public void ask(ResourceID id, long delayNanos) {
      if (!isRunning()) {
        return;
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(delayNanos);
      try {
        if (millis <= 0) {
          getEventHandler().handleEvent(new Event(id));
        } else {
          scheduleOnce(id, millis);
        }
      } catch (IllegalStateException stopping) {
        // the timer stopped between the check and the ask (the operator stops, or lost its lease): nothing to ask
      }
    }

    @Override
    public void cancel(ResourceID id) {
      cancelOnceSchedule(id);
    }
  }
}
