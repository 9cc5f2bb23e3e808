package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.aws.AwsBudgets;
import io.ecsbridge.aws.BatchedReads;
import io.ecsbridge.testing.TestClusters;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The part every kind's read-ahead shares: which resources ride along as companions (due, Ready, not in a pass, not
 * read ahead already, oldest first, a pending reconcile request first or never as the policy says), and that a kept
 * answer serves only a pass whose token allows it.
 */
class ReadAheadTest {
  private static final Duration RESYNC = Duration.ofMinutes(10);
  private static final String GROUP = "g";

  private final AtomicLong now = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
  private final Map<ResourceID, EcsCluster> cache = new HashMap<>();
  private final Set<String> aheadAlready = new HashSet<>();
  private boolean personsChange;

  @SuppressWarnings("unchecked")
  private ReadAhead<EcsCluster, String> readAhead(boolean requestsFirst, int companions) {
    var ahead = new ReadAhead<EcsCluster, String>(
        new ReadAhead.Policy("test-read-ahead", companions, Duration.ofMinutes(5), requestsFirst),
        EcsCluster::clusterName, (region, name) -> aheadAlready.contains(name), r -> true, RESYNC, now::get);
    ahead.eventSource(context());
    return ahead;
  }

  /** An event source context whose primary cache is {@link #cache} (a listing counted in {@link #listings}). */
  @SuppressWarnings("unchecked")
  private EventSourceContext<EcsCluster> context() {
    EventSourceContext<EcsCluster> context = mock(EventSourceContext.class);
    IndexerResourceCache<EcsCluster> primaries = mock(IndexerResourceCache.class);
    when(primaries.get(org.mockito.ArgumentMatchers.any())).thenAnswer(i -> Optional.ofNullable(
        cache.get(i.getArgument(0, ResourceID.class))));
    when(primaries.list(org.mockito.ArgumentMatchers.anyString())).thenAnswer(i -> {
      listings.incrementAndGet();
      return cache.values().stream()
          .filter(c -> c.getMetadata().getNamespace().equals(i.getArgument(0, String.class))).toList().stream();
    });
    when(context.getPrimaryCache()).thenReturn(primaries);
    return context;
  }

  private EcsCluster cluster(String name, boolean ready) {
    EcsCluster c = TestClusters.atGeneration(name, "7", ready);
    cache.put(ResourceID.fromResource(c), c);
    return c;
  }

  /** One pass of {@code c} that reads afresh: the names it read ahead. */
  private List<String> pass(ReadAhead<EcsCluster, String> ahead, EcsCluster c) {
    List<String> companions = new ArrayList<>();
    ahead.keptOrRead(c, GROUP, "r", null, token -> Optional.empty(), x -> true, list -> {
      list.forEach(companion -> companions.add(companion.name()));
      return Optional.of("answer");
    });
    ahead.ended(c);
    return companions;
  }

  private static void ask(EcsCluster c, String at) {
    c.getMetadata().setAnnotations(Map.of(Annotations.RECONCILE_REQUESTED_AT, at));
  }

  @Test
  void companionsAreTheResourcesDueSoonestThatMayTakeARead() {
    var ahead = readAhead(true, 2);
    EcsCluster a = cluster("a", true);
    EcsCluster b = cluster("b", true);
    EcsCluster c = cluster("c", true);
    EcsCluster d = cluster("d", true);
    EcsCluster notReady = cluster("e", false);
    for (EcsCluster x : List.of(d, c, b, notReady)) {
      pass(ahead, x);
      now.addAndGet(1);
    }
    assertThat(ahead.knownCount()).isEqualTo(4);
    assertThat(pass(ahead, a)).as("none is due yet").isEmpty();

    now.addAndGet(RESYNC.toNanos() / 2);
    assertThat(pass(ahead, a)).as("the two read longest ago, Ready ones only").containsExactly("d", "c");

    aheadAlready.add("b");
    now.addAndGet(RESYNC.toNanos());
    ahead.started(c);
    assertThat(pass(ahead, a)).as("not in a pass, not read ahead already").containsExactly("d");

    ahead.forget(ResourceID.fromResource(d));
    cache.remove(ResourceID.fromResource(b));
    now.addAndGet(RESYNC.toNanos());
    assertThat(pass(ahead, a)).as("not d (forgotten) nor b (deleted); c's pass, begun longer ago than the policy's pass,"
        + " may have died").containsExactly("c");
    assertThat(ahead.knownCount()).isEqualTo(3);
  }

  @Test
  void aPendingRequestComesFirstUnlessTheLaneReadsItAfresh() {
    var ahead = readAhead(true, 1);
    EcsCluster a = cluster("a", true);
    EcsCluster old = cluster("old", true);
    EcsCluster asked = cluster("asked", true);
    pass(ahead, old);
    pass(ahead, asked);
    now.addAndGet(RESYNC.toNanos());
    ask(asked, "t1");
    assertThat(ahead.asked(asked)).isTrue();
    assertThat(pass(ahead, a)).as("asked first, due or not").containsExactly("asked");

    pass(ahead, asked); // its pass handled t1 (status does not show it yet)
    assertThat(ahead.asked(asked)).isFalse();

    ask(asked, "t2");
    ahead.freshReadRequired(() -> personsChange);
    now.addAndGet(RESYNC.toNanos());
    assertThat(pass(ahead, a)).as("the lane reads a person's request afresh").containsExactly("old");
  }

  @Test
  void underTheOtherPolicyAPendingRequestIsNeverACompanion() {
    var ahead = readAhead(false, 5);
    EcsCluster a = cluster("a", true);
    EcsCluster asked = cluster("asked", true);
    ask(asked, "t1");
    pass(ahead, asked);
    assertThat(ahead.asked(asked)).as("handled requests are not remembered").isTrue();
    now.addAndGet(RESYNC.toNanos());
    assertThat(pass(ahead, a)).isEmpty();
  }

  @Test
  void aKeptAnswerServesOnlyAPassWhoseTokenAllowsItAndWhenUsable() {
    var ahead = readAhead(true, 5);
    EcsCluster a = cluster("a", true);
    assertThat(ahead.freshRead(a)).isFalse();
    Optional<Optional<String>> kept = Optional.of(Optional.of("kept"));
    var read = ahead.keptOrRead(a, GROUP, "r", "7", token -> kept, x -> true, list -> Optional.of("fresh"));
    assertThat(read).isEqualTo(new ReadAhead.Read<>(Optional.of("kept"), true));
    read = ahead.keptOrRead(a, GROUP, "r", "7", token -> kept, x -> false, list -> Optional.of("fresh"));
    assertThat(read).as("not usable").isEqualTo(new ReadAhead.Read<>(Optional.of("fresh"), false));
    read = ahead.keptOrRead(a, GROUP, "r", null, token -> kept, x -> true, list -> Optional.of("fresh"));
    assertThat(read).as("no token").isEqualTo(new ReadAhead.Read<>(Optional.of("fresh"), false));

    personsChange = true;
    ahead.freshReadRequired(() -> personsChange);
    assertThat(ahead.freshRead(a)).as("the lane").isTrue();
    assertThat(ahead.freshRead(cluster("b", false))).as("not Ready").isTrue();
  }

  @Test
  void aPassOnAKeptReadReadsAgainBeforeAWriteOnceAndAFreshPassNever() {
    var ahead = readAhead(true, 5);
    EcsCluster a = cluster("a", true);
    Optional<Optional<String>> kept = Optional.of(Optional.of("kept"));
    ahead.keptOrRead(a, GROUP, "r", "7", token -> kept, x -> true, list -> Optional.of("fresh"));
    assertThat(ahead.readAgainBeforeWrite(a)).isTrue();
    assertThat(ahead.readAgainBeforeWrite(a)).as("once a pass: the fresh read is not a kept one").isFalse();

    ahead.keptOrRead(a, GROUP, "r", "7", token -> kept, x -> true, list -> Optional.of("fresh"));
    ahead.ended(a);
    assertThat(ahead.readAgainBeforeWrite(a)).as("the pass ended").isFalse();

    ahead.keptOrRead(a, GROUP, "r", "7", token -> kept, x -> true, list -> Optional.of("fresh"));
    ahead.keptOrRead(a, GROUP, "r", null, token -> kept, x -> true, list -> Optional.of("fresh"));
    assertThat(ahead.readAgainBeforeWrite(a)).as("the next pass read afresh").isFalse();

    ahead.keptOrRead(a, GROUP, "r", "7", token -> kept, x -> true, list -> Optional.of("fresh"));
    ahead.forget(ResourceID.fromResource(a));
    assertThat(ahead.readAgainBeforeWrite(a)).as("forgotten").isFalse();
  }

  @Test
  @SuppressWarnings("unchecked")
  void companionsPassesAreAskedWhenTheBudgetCouldAdmitThemAndOnlyThoseReadAhead() {
    Set<String> readAhead = new HashSet<>();
    var ahead = new ReadAhead<EcsCluster, String>(new ReadAhead.Policy("test-read-ahead", 7, Duration.ofMinutes(5),
        true), EcsCluster::clusterName, (region, name) -> readAhead.contains(name), r -> true, RESYNC, now::get);
    List<String> uids = new ArrayList<>();
    List<String> released = new ArrayList<>();
    ahead.pacing(new ReadAhead.Pacing() {
      @Override
      public List<AwsBudgets.Slot> slots(String region, List<String> asked) {
        uids.addAll(asked);
        return List.of(AwsBudgets.Slot.askAfter(0), AwsBudgets.Slot.askAfter(3_000_000_000L),
            AwsBudgets.Slot.coming(1_000_000_000L), AwsBudgets.Slot.askAfter(3_500_000_000L), AwsBudgets.Slot.LEFT_OUT,
            AwsBudgets.Slot.askAfter(3_000_000_000L), AwsBudgets.Slot.askAfter(3_000_000_000L));
      }

      @Override
      public void release(String region, List<String> asked) {
        released.addAll(asked);
      }
    });
    EventSource<Void, EcsCluster> trigger = ahead.eventSource(context());
    List<String> asked = new CopyOnWriteArrayList<>();
    trigger.setEventHandler(event -> asked.add(event.getRelatedCustomResourceID().getName()));
    trigger.start();
    try {
      EcsCluster a = cluster("a", true);
      Map<String, EcsCluster> others = new HashMap<>();
      for (String name : List.of("b", "c", "d", "e", "f", "g", "h")) {
        EcsCluster x = cluster(name, true);
        x.getMetadata().setUid("uid-" + name);
        others.put(name, x);
        pass(ahead, x);
        now.addAndGet(1);
      }
      now.addAndGet(RESYNC.toNanos());
      List<String> companions = new ArrayList<>();
      ahead.keptOrRead(a, GROUP, "r", null, token -> Optional.empty(), x -> true, list -> {
        list.forEach(companion -> companions.add(companion.name()));
        list.stream().map(BatchedReads.Companion::name).filter(n -> !n.equals("c")).forEach(readAhead::add);
        ahead.started(others.get("g")); // g's own pass begins while the read is made
        return Optional.of("answer"); // c's read not made (a coalesced call full already)
      });
      ahead.ended(a);
      assertThat(uids).containsExactly("uid-b", "uid-c", "uid-d", "uid-e", "uid-f", "uid-g", "uid-h");
      assertThat(companions).as("f left out (not soon enough); d read ahead, its deferral brings it back")
          .containsExactly("b", "c", "d", "e", "g", "h");
      assertThat(released).as("c not read ahead: its place given back").containsExactly("uid-c");
      ahead.started(others.get("e")); // e's own pass begins before its ask
      assertThat(asked).as("b at once; h later; c not read; d comes by itself; e's and g's passes began")
          .containsExactly("b");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(asked).containsExactly("b", "h"));
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
          .untilAsserted(() -> assertThat(asked).containsExactly("b", "h"));
    } finally {
      trigger.stop();
    }
  }

  private EcsCluster cluster(String namespace, String name, String account, String arn) {
    EcsCluster c = cluster(name, true);
    cache.remove(ResourceID.fromResource(c));
    c.getMetadata().setNamespace(namespace);
    c.getMetadata().setUid("uid-" + namespace + "-" + name);
    if (account != null) {
      c.getSpec().setAccountRef(new io.ecsbridge.api.v1alpha1.AwsAccountSpec.AccountRef());
      c.getSpec().getAccountRef().name = account;
    }
    c.getStatus().arn = arn;
    cache.put(ResourceID.fromResource(c), c);
    return c;
  }

  @Test
  void resourcesNotReadYetRideAlongOnlyFromTheirNamespaceAndPlace() {
    var ahead = readAhead(true, 20);
    String here = "arn:aws:ecs:eu-west-1:111111111111:cluster/";
    EcsCluster a = cluster("team", "a", null, here + "a");
    cluster("team", "b", null, here + "b");
    cluster("team", "c", null, here + "c");
    cluster("team", "elsewhere", null, "arn:aws:ecs:us-east-1:111111111111:cluster/elsewhere");
    cluster("team", "other-account", null, "arn:aws:ecs:eu-west-1:222222222222:cluster/other-account");
    cluster("team", "named-account", "prod", here + "named-account");
    cluster("team", "no-arn", null, null);
    cluster("other-team", "theirs", null, here + "theirs");
    cluster("team", "not-ready", null, here + "not-ready").getStatus().getConditions().clear();
    assertThat(pass(ahead, a)).as("without a seed only resources read are companions").isEmpty();

    ahead = readAhead(true, 20);
    ahead.seed(r -> ReadAhead.place(r, r.getStatus().arn));
    assertThat(pass(ahead, a)).as("same namespace, region, account id and spec account; Ready with an ARN")
        .containsExactlyInAnyOrder("b", "c");
    aheadAlready.addAll(List.of("b", "c"));
    EcsCluster d = cluster("team", "d", null, here + "d");
    assertThat(pass(ahead, d)).as("b and c are read ahead already").isEmpty();
    assertThat(pass(ahead, a)).as("d was read now: not due").isEmpty();
    assertThat(ahead.knownCount()).isEqualTo(2);

    EcsCluster theirs = cluster("other-team", "theirs", null, here + "theirs");
    EcsCluster more = cluster("other-team", "more", null, here + "more");
    assertThat(pass(ahead, more)).as("another namespace's resource not read yet rides along with its own namespace's")
        .containsExactly("theirs");
    pass(ahead, theirs);
    assertThat(pass(ahead, more)).as("read now: not due").isEmpty();
    ahead.forget(ResourceID.fromResource(theirs));
    assertThat(pass(ahead, more)).as("forgotten: not read any more, a companion again").containsExactly("theirs");
  }

  @Test
  void aDeferredPassIsNoLongerUnderWay() {
    var ahead = readAhead(true, 5);
    EcsCluster a = cluster("a", true);
    EcsCluster b = cluster("b", true);
    pass(ahead, b);
    now.addAndGet(RESYNC.toNanos());
    ahead.started(b); // b's pass reads ...
    assertThat(pass(ahead, a)).as("under way").isEmpty();
    ahead.deferred(b); // ... and is deferred for its budget: it comes back by itself
    assertThat(pass(ahead, a)).as("waiting: read ahead for its next run").containsExactly("b");
  }

  /**
   * A read ahead seeded by status ARNs whose asks are recorded in order; {@code readAhead}: the names read ahead.
   * Closing it stops its trigger.
   */
  private record Seeded(ReadAhead<EcsCluster, String> ahead, EventSource<Void, EcsCluster> trigger,
      List<String> asked, Set<String> readAhead) implements AutoCloseable {
    @Override
    public void close() {
      trigger.stop();
    }
  }

  private static final String HERE = "arn:aws:ecs:eu-west-1:111111111111:cluster/";

  @SuppressWarnings("unchecked")
  private Seeded seeded() {
    Set<String> readAhead = new HashSet<>();
    var ahead = new ReadAhead<EcsCluster, String>(new ReadAhead.Policy("test-read-ahead", 5, Duration.ofMinutes(5),
        true), EcsCluster::clusterName, (region, name) -> readAhead.contains(name), r -> true, RESYNC, now::get);
    ahead.seed(r -> ReadAhead.place(r, r.getStatus().arn));
    EventSource<Void, EcsCluster> trigger = ahead.eventSource(context());
    List<String> asked = new CopyOnWriteArrayList<>();
    trigger.setEventHandler(event -> asked.add(event.getRelatedCustomResourceID().getName()));
    trigger.start();
    return new Seeded(ahead, trigger, asked, readAhead);
  }

  /** A cluster of namespace ns whose pass began and was deferred: it waits in its budget's queue. */
  private EcsCluster waitingIn(ReadAhead<EcsCluster, String> ahead, String name) {
    EcsCluster c = cluster("ns", name, null, HERE + name);
    ahead.started(c);
    ahead.deferred(c);
    return c;
  }

  /**
   * A pass of {@code reader} reads afresh with its companions, which are read ahead; {@code meanwhile} runs while its
   * call is made. Returns the companions' names.
   */
  private List<String> read(Seeded seeded, EcsCluster reader, Runnable meanwhile) {
    List<String> companions = new ArrayList<>();
    seeded.ahead().keptOrRead(reader, GROUP, "r", null, token -> Optional.empty(), x -> true, list -> {
      list.forEach(companion -> companions.add(companion.name()));
      meanwhile.run();
      seeded.readAhead().addAll(companions);
      return Optional.of("answer");
    });
    return companions;
  }

  /**
   * Two passes reading at the same time choose the same deferred companion (their reads share one call): its pass is
   * asked for once. Each asked before, and an ask that came while the pass ran made JOSDK run it again at the same
   * resourceVersion, which found the read ahead used and read afresh (PrioritiesIT's restart: 8 to 10 DescribeServices
   * for 30 services instead of 3).
   */
  @Test
  void aCompanionChosenByTwoReadsAtOnceIsAskedForOnce() {
    try (Seeded seeded = seeded()) {
      var ahead = seeded.ahead();
      List<String> asked = seeded.asked();
      EcsCluster a = cluster("ns", "a", null, HERE + "a");
      EcsCluster b = cluster("ns", "b", null, HERE + "b");
      EcsCluster waiting = waitingIn(ahead, "waiting");
      List<String> chosenByB = new ArrayList<>();
      List<String> chosenByA = read(seeded, a, () -> {
        now.addAndGet(1_000); // b's read begins while a's is under way, and chooses before a's is kept
        chosenByB.addAll(read(seeded, b, () -> {})); // the shared call read them once
      });
      assertThat(chosenByA).contains("waiting");
      assertThat(chosenByB).contains("waiting");
      assertThat(asked).as("one ask for the two reads").containsOnlyOnce("waiting");

      // a read that begins after that ask asks again (the next time the companion is due and deferred)
      ahead.started(waiting);
      ahead.ended(waiting);
      ahead.started(waiting);
      ahead.deferred(waiting);
      seeded.readAhead().clear();
      now.addAndGet(RESYNC.toNanos());
      read(seeded, a, () -> {});
      assertThat(asked.stream().filter("waiting"::equals)).as("a later read asks again").hasSize(2);
    }
  }

  /**
   * A companion whose own pass began while the read was made is not asked for, whether that pass is still under way,
   * ended, or was deferred (its deferral brings it back; asked too, it came twice: PrioritiesIT's seeded restart, 32
   * ListTagsForResource for 30 repositories). Only a pass under way counted.
   */
  @Test
  void aCompanionWhosePassBeganDuringTheReadIsNotAskedForHoweverThatPassEnded() {
    try (Seeded seeded = seeded()) {
      var ahead = seeded.ahead();
      EcsCluster a = cluster("ns", "a", null, HERE + "a");
      EcsCluster deferredMeanwhile = waitingIn(ahead, "deferred");
      EcsCluster endedMeanwhile = waitingIn(ahead, "ended");
      waitingIn(ahead, "waiting");
      now.addAndGet(1_000);
      List<String> companions = read(seeded, a, () -> {
        now.addAndGet(1_000);
        ahead.started(deferredMeanwhile); // its own timer: it begins and is deferred again
        ahead.deferred(deferredMeanwhile);
        ahead.started(endedMeanwhile); // admitted: it reads for itself
        ahead.ended(endedMeanwhile);
      });
      assertThat(companions).containsExactlyInAnyOrder("deferred", "ended", "waiting");
      assertThat(seeded.asked()).as("only the one whose pass did not begin meanwhile").containsExactly("waiting");
    }
  }

  @Test
  void aFirstPassStillQueuedIsNotAskedForButADeferredOneIs() {
    try (Seeded seeded = seeded()) {
      EcsCluster a = cluster("ns", "a", null, HERE + "a");
      cluster("ns", "queued", null, HERE + "queued");
      waitingIn(seeded.ahead(), "waiting");
      now.addAndGet(1_000); // the read begins after that pass
      assertThat(read(seeded, a, () -> {})).containsExactlyInAnyOrder("queued", "waiting");
      assertThat(seeded.asked()).as("the queued first pass comes by itself (asked, JOSDK would run it twice); the "
          + "deferred one is brought forward").containsExactly("waiting");
    }
  }

  @Test
  void amongResourcesDueAlikeAPacedKindTakesThoseWaitingSoonest() {
    var ahead = readAhead(true, 4);
    ahead.seed(r -> ReadAhead.place(r, r.getStatus().arn));
    List<String> released = new ArrayList<>();
    ahead.pacing(new ReadAhead.Pacing() {
      @Override
      public List<AwsBudgets.Slot> slots(String region, List<String> uids) {
        return AwsBudgets.Slot.allNow(uids.size());
      }

      @Override
      public void release(String region, List<String> uids) {
        released.addAll(uids);
      }

      @Override
      public Map<String, Long> waitingFor(String region, java.util.Collection<String> uids) {
        return Map.of("uid-ns-late", 9_000_000_000L, "uid-ns-soon", 1_000_000_000L, "uid-ns-now", 0L);
      }
    });
    String here = "arn:aws:ecs:eu-west-1:111111111111:cluster/";
    EcsCluster a = cluster("ns", "a", null, here + "a");
    for (String name : List.of("idle", "late", "soon", "now", "other")) {
      EcsCluster c = cluster("ns", name, null, here + name);
      if (!name.equals("idle") && !name.equals("other")) {
        ahead.started(c);
        ahead.deferred(c); // its first pass was deferred: it waits in the budget's queue
      }
    }
    List<String> companions = new ArrayList<>();
    ahead.keptOrRead(a, GROUP, "r", null, token -> Optional.empty(), x -> true, list -> {
      list.forEach(companion -> companions.add(companion.name()));
      aheadAlready.addAll(companions);
      return Optional.of("answer");
    });
    assertThat(companions).as("those whose deferred passes come soonest first, then one not waiting").hasSize(4)
        .startsWith("now", "soon", "late");
    assertThat(released).as("the fourth has not run in this process (queued): not asked, its place given back")
        .containsExactly("uid-ns-" + companions.get(3));
  }

  @Test
  void aNamespaceWhoseResourcesWereAllReadIsNotListedAgain() {
    var ahead = readAhead(true, 5);
    ahead.seed(r -> ReadAhead.place(r, r.getStatus().arn));
    String here = "arn:aws:ecs:eu-west-1:111111111111:cluster/";
    EcsCluster a = cluster("ns", "a", null, here + "a");
    EcsCluster b = cluster("ns", "b", null, here + "b");
    assertThat(pass(ahead, a)).containsExactly("b");
    pass(ahead, b);
    pass(ahead, a);
    int listed = listings.get();
    pass(ahead, a);
    pass(ahead, b);
    assertThat(listings.get()).as("all read: the cache is not copied for companions any more").isEqualTo(listed);
    ahead.forget(ResourceID.fromResource(b));
    pass(ahead, a);
    assertThat(listings.get()).as("one forgotten: listed again").isEqualTo(listed + 1);
  }

  @Test
  void aReadingPassDeferredByItsBudgetChoosesNoCompanions() {
    var ahead = readAhead(true, 5);
    ahead.seed(r -> ReadAhead.place(r, r.getStatus().arn));
    ahead.pacing((region, uids) -> {
      throw new IllegalStateException("deferred"); // as the budget's ResyncDeferred
    });
    String here = "arn:aws:ecs:eu-west-1:111111111111:cluster/";
    EcsCluster a = cluster("ns", "a", null, here + "a");
    cluster("ns", "b", null, here + "b");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pass(ahead, a)).hasMessage("deferred");
    assertThat(listings.get()).as("the namespace was not listed for a pass that reads nothing").isZero();
  }
}
