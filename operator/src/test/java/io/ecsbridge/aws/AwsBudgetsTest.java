package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The budgets on a fake clock: a wait moves the clock instead of sleeping. */
class AwsBudgetsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Long> parked = new ArrayList<>();
  private final TimeMeter clock = new TimeMeter() {
    @Override
    public long currentTimeNanos() {
      return now.get();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  };
  private final BlockingStrategy blocking = nanos -> {
    parked.add(nanos);
    now.addAndGet(nanos);
  };

  private AwsBudgets budgets(Map<String, AwsBudgets.Limit> limits) {
    return new AwsBudgets(limits, clock, blocking);
  }

  private static final AwsBudgets.Key A_EU_ECS = new AwsBudgets.Key("111111111111", "eu-west-1", "ecs");

  @Test
  void aBurstGoesAtOnceThenEachCallWaitsForTheRate() throws Exception {
    AwsBudgets budgets = budgets(Map.of("ecs", new AwsBudgets.Limit(5, 5)));
    for (int i = 0; i < 5; i++) {
      assertThat(budgets.acquire(A_EU_ECS)).as("call %d of the burst", i + 1).isZero();
    }
    assertThat(parked).isEmpty();
    long waited = budgets.acquire(A_EU_ECS);
    assertThat(waited).as("one token at 5 per second").isCloseTo(Duration.ofMillis(200).toNanos(), within(1_000L));
    assertThat(budgets.acquire(A_EU_ECS)).isCloseTo(Duration.ofMillis(200).toNanos(), within(1_000L));
    assertThat(parked).hasSize(2);
    // a quiet second refills 5 tokens, never more than the burst
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    for (int i = 0; i < 5; i++) {
      assertThat(budgets.acquire(A_EU_ECS)).isZero();
    }
    assertThat(budgets.acquire(A_EU_ECS)).isPositive();
  }

  @Test
  void theReserveIsAQuarterOfTheBurstAlwaysLessThanIt() {
    assertThat(new AwsBudgets.Limit(10, 20).reserve()).isEqualTo(5);
    assertThat(new AwsBudgets.Limit(20, 40).reserve()).isEqualTo(10);
    assertThat(new AwsBudgets.Limit(2, 4).reserve()).isEqualTo(1);
    assertThat(new AwsBudgets.Limit(1, 2).reserve()).isEqualTo(1);
    assertThat(new AwsBudgets.Limit(0.5, 1).reserve()).as("a burst of 1: resyncs could never run").isZero();
  }

  @Test
  void resyncPassesAreAdmittedOnlyAboveTheReserveWhichChangesThenSpendWithoutWaiting() throws Exception {
    AwsBudgets budgets = budgets(Map.of("ecs", new AwsBudgets.Limit(5, 8))); // reserve 2
    assertThat(budgets.tryAdmit(A_EU_ECS, 3)).isTrue();
    assertThat(budgets.tryAdmit(A_EU_ECS, 3)).isTrue();
    assertThat(budgets.tryAdmit(A_EU_ECS, 1)).as("2 tokens left: the reserve").isFalse();
    assertThat(budgets.acquire(A_EU_ECS)).isZero();
    assertThat(budgets.acquire(A_EU_ECS)).isZero();
    assertThat(parked).as("a change's calls found the reserve").isEmpty();
    assertThat(budgets.acquire(A_EU_ECS)).as("then a change waits for the rate, as before lanes").isPositive();
    now.addAndGet(Duration.ofMillis(600).toNanos()); // 3 tokens refilled
    assertThat(budgets.tryAdmit(A_EU_ECS, 2)).as("3 tokens: 1 above the reserve").isFalse();
    assertThat(budgets.tryAdmit(A_EU_ECS, 1)).isTrue();
    budgets.giveBack(A_EU_ECS, 1); // the pass used none of it
    assertThat(budgets.tryAdmit(A_EU_ECS, 1)).isTrue();
  }

  @Test
  void aChangeWaitingForATokenHoldsItSoNoResyncOvertakesIt() throws Exception {
    AwsBudgets budgets = new AwsBudgets(Map.of("ecs", new AwsBudgets.Limit(5, 4)), clock, nanos -> {
      parked.add(nanos); // the change is parked and the clock moves on for the others meanwhile
    }); // reserve 1
    for (int i = 0; i < 4; i++) {
      budgets.acquire(A_EU_ECS);
    }
    budgets.acquire(A_EU_ECS); // empty: this change waits 200 ms for the next token, reserving it
    assertThat(parked).hasSize(1);
    now.addAndGet(Duration.ofMillis(400).toNanos()); // 2 tokens refilled, 1 of them the waiting change's
    assertThat(budgets.tryAdmit(A_EU_ECS, 1)).as("1 token free: the reserve").isFalse();
  }

  @Test
  void aResyncCallBeyondItsAdmissionWaitsBehindAWaitingChangeAndAboveTheReserve() throws Exception {
    AwsBudgets budgets = budgets(Map.of("ecs", new AwsBudgets.Limit(5, 4))); // a token per 200 ms, reserve 1
    for (int i = 0; i < 5; i++) {
      budgets.acquire(A_EU_ECS); // the fifth: a change that waited 200 ms for its token
    }
    long start = now.get();
    assertThat(budgets.acquireAboveReserve(A_EU_ECS)).as("the reserve and its own token: 2 tokens")
        .isEqualTo(Duration.ofMillis(400).toNanos());
    assertThat(now.get() - start).isEqualTo(Duration.ofMillis(400).toNanos());
    assertThat(budgets.acquire(A_EU_ECS)).as("the reserve is still there for a change").isZero();
  }

  @Test
  void aResyncCallBeyondItsAdmissionLetsChangesGoFirstForTenSecondsThenWaitsAsAChangeDoes() throws Exception {
    AwsBudgets budgets = budgets(Map.of("ecs", new AwsBudgets.Limit(0.1, 4))); // a token per 10 s, reserve 1
    for (int i = 0; i < 4; i++) {
      budgets.acquire(A_EU_ECS);
    }
    // above the reserve it would wait 20 s; it yields 10 s, then takes the next token as a change's call would
    assertThat(budgets.acquireAboveReserve(A_EU_ECS)).isEqualTo(AwsBudgets.MAX_YIELD.toNanos());
    assertThat(budgets.tryAdmit(A_EU_ECS, 1)).as("the bucket is empty: the reserve spent").isFalse();
  }

  @Test
  void aResyncPassCostsWhatSuchPassesTookWithinWhatTheBucketHoldsAboveItsReserve() {
    AwsBudgets budgets = budgets(Map.of("ecr", new AwsBudgets.Limit(2, 8))); // reserve 2
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    assertThat(budgets.resyncCost(ecr)).as("before any pass").isEqualTo(2);
    for (int i = 0; i < 30; i++) {
      budgets.resyncPassTook(ecr, 5);
    }
    assertThat(budgets.resyncCost(ecr)).isEqualTo(5);
    for (int i = 0; i < 30; i++) {
      budgets.resyncPassTook(ecr, 20);
    }
    assertThat(budgets.resyncCost(ecr)).as("never more than burst - reserve: else never admitted").isEqualTo(6);
  }

  @Test
  void deferredResyncsComeBackOneAfterAnotherAtThePaceOfThePassesTheBudgetServes() {
    AwsBudgets budgets = budgets(Map.of("ecr", new AwsBudgets.Limit(2, 4))); // reserve 1
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    for (int i = 0; i < 30; i++) {
      budgets.resyncPassTook(ecr, 1); // passes of 1 token: 0.5 s of the budget each
    }
    assertThat(budgets.tryAdmit(ecr, 3)).isTrue();
    assertThat(budgets.tryAdmit(ecr, 1)).isFalse();
    List<Duration> deferrals = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      deferrals.add(budgets.deferral(ecr));
    }
    // 1 token left: the first comes back when the bucket holds reserve + a pass (0.5 s), each next one a pass's
    // cost later at the sustained rate (0.5 s), each within a jitter of a quarter of that spacing
    for (int i = 0; i < 10; i++) {
      assertSlot(deferrals.get(i), 500 + 500 * i, 500);
    }
  }

  /** A budget of 2 calls/s, burst 4 (reserve 1), passes of 1 token (0.5 s apart), its bucket spent to 1 token. */
  private AwsBudgets spentEcr(AwsBudgets.Key ecr) {
    AwsBudgets budgets = budgets(Map.of("ecr", new AwsBudgets.Limit(2, 4)));
    for (int i = 0; i < 30; i++) {
      budgets.resyncPassTook(ecr, 1);
    }
    assertThat(budgets.tryAdmit(ecr, 3)).isTrue();
    return budgets;
  }

  /** A deferral's slot, {@code millis} from now, give or take its jitter (a quarter of {@code spacingMillis}). */
  private static void assertSlot(Duration deferral, long millis, long spacingMillis) {
    long slot = Duration.ofMillis(millis).toNanos();
    assertThat(deferral.toNanos()).isBetween(slot, slot + Duration.ofMillis(spacingMillis).toNanos() / 4 + 1);
  }

  @Test
  void aPassDeferredAgainKeepsOnePlaceInTheQueueInsteadOfTakingANewOneAtItsEnd() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = spentEcr(ecr);
    budgets.deferral(ecr, "a");
    budgets.deferral(ecr, "b");
    // a read ahead asked b's pass early, and the budget deferred it again, 20 times (a watch event, the same)
    for (int i = 0; i < 20; i++) {
      budgets.deferral(ecr, "b");
    }
    assertThat(budgets.waiting(ecr)).as("a and b wait: two places, not 22").isEqualTo(2);
    // the next pass comes after a and b (0.5 s for the bucket, then 2 passes of 0.5 s), not after 22 places
    assertSlot(budgets.deferral(ecr, "c"), 1500, 500);
  }

  @Test
  void aPassAdmittedOrRunBeforeItsSlotGivesUpItsPlace() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = spentEcr(ecr);
    for (String pass : List.of("a", "b", "c", "d", "e", "f")) {
      budgets.deferral(ecr, pass); // slots 0.5 s, 1 s, ... 3 s from now
    }
    // 3.4 s later: a's and b's slots are over 2 s past (their passes came), the bucket is full again
    now.addAndGet(Duration.ofMillis(3400).toNanos());
    assertThat(budgets.tryAdmit(ecr, 1, "f")).as("f's pass, admitted").isTrue();
    budgets.ran(ecr, "e"); // e's pass ran in the USER lane (a person's change)
    // c's slot (1.5 s after the start) and d's (2 s) count still (on their way: up to 2 s late); the queue's
    // last slot is past (they take their tokens now): g comes one spacing from now, not two after the count
    assertThat(budgets.waiting(ecr)).isEqualTo(2);
    assertSlot(budgets.deferral(ecr, "g"), 500, 500);
  }

  @Test
  void aPlaceWhosePassNeverCameBackIsDroppedOnceLongPast() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = spentEcr(ecr);
    budgets.deferral(ecr, "gone");
    now.addAndGet(ResyncQueue.STALE.toNanos() + Duration.ofSeconds(2).toNanos());
    assertThat(budgets.waiting(ecr)).isZero();
    budgets.deferral(ecr, "next");
    assertThat(budgets.queued(ecr)).as("the place of a resource deleted meanwhile is gone").isEqualTo(1);
  }

  /** ECR at 10 calls/s, burst 20 (reserve 5), passes of 3 tokens: 0.3 s of the budget, so 0.3 s apart. */
  private AwsBudgets ecrOf3(AwsBudgets.Key ecr) {
    AwsBudgets budgets = budgets(Map.of("ecr", new AwsBudgets.Limit(10, 20)));
    for (int i = 0; i < 30; i++) {
      budgets.resyncPassTook(ecr, 3);
    }
    return budgets;
  }

  /** {@link #ecrOf3}, its bucket spent down to the reserve: 5 tokens left. */
  private AwsBudgets ecrOf3AtTheReserve(AwsBudgets.Key ecr) {
    AwsBudgets budgets = ecrOf3(ecr);
    assertThat(budgets.tryAdmit(ecr, 15)).isTrue();
    return budgets;
  }

  private static List<String> passes(String prefix, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  /** Each slot as "ask@ms", "coming@ms" or "out". */
  private static List<String> shown(List<AwsBudgets.Slot> slots) {
    return slots.stream().map(s -> !s.companion() ? "out"
        : (s.ask() ? "ask@" : "coming@") + Math.round(s.delayNanos() / 1e6)).toList();
  }

  private static final Duration WITHIN = Duration.ofSeconds(15);

  @Test
  void passesAskedAtOnceGetTheSlotsTheBudgetCouldAdmitThemIn() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = ecrOf3(ecr);
    // a full bucket, the reader admitted (3 tokens): 12 above the reserve, 4 passes at once, then 0.3 s apart
    assertThat(budgets.tryAdmit(ecr, 3, "reader-a")).isTrue();
    assertThat(shown(budgets.resyncSlots(ecr, false, passes("a", 7), WITHIN)))
        .containsExactly("ask@0", "ask@0", "ask@0", "ask@0", "ask@300", "ask@600", "ask@900");
    assertThat(budgets.waiting(ecr)).as("the 7 hold their places until admitted").isEqualTo(7);
    // a second reader at the same moment: after those 7, one spacing after the last
    assertThat(budgets.tryAdmit(ecr, 3, "reader-b")).isTrue();
    assertThat(shown(budgets.resyncSlots(ecr, false, passes("b", 2), WITHIN)))
        .containsExactly("ask@1200", "ask@1500");
    // a third after those 9, 0.3 s apart, none beyond 15 s; and a's first companions, on their way, not asked again
    assertThat(budgets.tryAdmit(ecr, 3, "reader-c")).isTrue();
    assertThat(shown(budgets.resyncSlots(ecr, false, passes("c", 50), WITHIN)).subList(0, 47))
        .startsWith("ask@1800", "ask@2100").endsWith("ask@14700", "ask@15000", "out", "out");
    assertThat(shown(budgets.resyncSlots(ecr, false, List.of("a0", "a6"), WITHIN)))
        .containsExactly("coming@0", "coming@900");
  }

  @Test
  void aBucketBelowItsReserveAfterAChangesCallsPutsTheFirstSlotsLater() throws Exception {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = ecrOf3(ecr);
    for (int i = 0; i < 22; i++) {
      budgets.acquire(ecr); // a person's change: 20 tokens, then 2 waited for
    }
    long waited = now.get();
    assertThat(shown(budgets.resyncSlots(ecr, false, passes("a", 2), WITHIN)))
        .as("an empty bucket: the reserve and a pass (0.8 s of the budget), then 3 tokens each (0.3 s)")
        .containsExactly("ask@800", "ask@1100");
    assertThat(now.get()).isEqualTo(waited);
  }

  @Test
  void aPassWaitingAlreadyKeepsItsPlaceAndIsNotAskedAgain() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = ecrOf3AtTheReserve(ecr);
    budgets.deferral(ecr, "near"); // 0.3 s
    budgets.deferral(ecr, "x");
    for (int i = 0; i < 60; i++) {
      budgets.deferral(ecr, "other" + i);
    }
    budgets.deferral(ecr, "far"); // 62 passes of 0.3 s ahead: 18.9 s
    assertThat(shown(budgets.resyncSlots(ecr, false, List.of("near", "far", "new"), WITHIN)))
        .as("near: comes by itself; far: not soon enough; new: after all 63 waiting").containsExactly("coming@300",
            "out", "out");
  }

  @Test
  void theSlotsOfPassesWaitingAreToldOthersAreNot() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = ecrOf3AtTheReserve(ecr);
    assertThat(budgets.waitingFor(ecr, List.of("x"))).as("no queue yet").isEmpty();
    budgets.deferral(ecr, "first"); // 0.3 s
    budgets.deferral(ecr, "second"); // 0.6 s
    budgets.deferral(ecr, "gone");
    budgets.ran(ecr, "gone");
    assertThat(budgets.waitingFor(ecr, List.of("second", "first", "gone", "never")))
        .as("the two waiting, each with the time to its slot").containsOnlyKeys("first", "second")
        .containsEntry("first", Duration.ofMillis(300).toNanos())
        .containsEntry("second", Duration.ofMillis(600).toNanos());
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(budgets.waitingFor(ecr, List.of("first", "second"))).as("first's slot came: on its way")
        .containsEntry("first", 0L).containsEntry("second", Duration.ofMillis(100).toNanos());
    assertThat(budgets.waitingFor(new AwsBudgets.Key("222222222222", "eu-west-1", "ecr"), List.of("first")))
        .as("another account's queue").isEmpty();
  }

  @Test
  void aPassDeferredAgainTakesAPlaceAfterThePassesWaitingNotBeforeThem() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = ecrOf3AtTheReserve(ecr);
    budgets.deferral(ecr, "x"); // 0.3 s
    for (int i = 0; i < 20; i++) {
      budgets.deferral(ecr, "later" + i); // 0.6 s to 6.3 s
    }
    now.addAndGet(Duration.ofMillis(300).toNanos());
    assertThat(budgets.tryAdmit(ecr, 3, "someone")).as("x's tokens taken by another pass").isTrue();
    // x deferred again: after the 20 waiting, whose slots are given (before them, it would take one of theirs and
    // defer every pass behind it once more); a pass deferred for a whole period runs as a change's (Overdue)
    assertSlot(budgets.deferral(ecr, "x"), 300 + 20 * 300, 300);
    assertThat(budgets.waiting(ecr)).isEqualTo(21);
  }

  /**
   * A read ahead gave a pass a place and asked for it then; its own earlier timer brought it first (a restart's
   * deferred passes), and the budget deferred it again: it keeps that place. At the queue's end instead, behind
   * passes deferred after it, several such passes left the budget idle until their late slots (PrioritiesIT's seeded
   * restart: 5 s without an ECR call, 9 of 30 repositories' passes still to come).
   */
  @Test
  void aPassThatComesBeforeItsPlacesSlotAndIsDeferredAgainKeepsThatPlace() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = ecrOf3(ecr);
    assertThat(budgets.tryAdmit(ecr, 3, "reader")).isTrue();
    assertThat(shown(budgets.resyncSlots(ecr, false, passes("a", 7), WITHIN))).endsWith("ask@900");
    for (int i = 0; i < 20; i++) {
      budgets.deferral(ecr, "later" + i); // 1.2 s to 6.9 s
    }
    now.addAndGet(Duration.ofMillis(100).toNanos());
    assertThat(budgets.tryAdmit(ecr, 12, "someone")).as("a6's tokens taken by others").isTrue();
    assertThat(budgets.tryAdmit(ecr, 3, "a6")).isFalse();
    assertSlot(budgets.deferral(ecr, "a6"), 800, 300);
    assertThat(budgets.waiting(ecr)).as("a6 holds one place still").isEqualTo(27);
    // once its slot came, deferred again (its tokens taken by another pass): after the passes waiting, as before
    now.addAndGet(Duration.ofMillis(800).toNanos());
    assertThat(budgets.deferral(ecr, "a6").toNanos()).as("after later19's slot, 6 s from now")
        .isGreaterThan(Duration.ofMillis(6000).toNanos());
  }

  @Test
  void companionsNotAskedForAfterAllGiveTheirPlacesBack() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = ecrOf3(ecr);
    budgets.resyncSlots(ecr, true, passes("a", 7), WITHIN);
    budgets.release(ecr, List.of("a4", "a5", "a6")); // their read was not made (a coalesced call full already)
    assertThat(budgets.waiting(ecr)).isEqualTo(4);
    assertThat(shown(budgets.resyncSlots(ecr, true, List.of("b"), WITHIN))).as("after the 4 at once only")
        .containsExactly("ask@300");
  }

  @Test
  void aPlaceGivenWhenPassesCostLessDoesNotPushTheNextOnesBeyondTheQueuesEnd() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = budgets(Map.of("ecr", new AwsBudgets.Limit(10, 20))); // passes of 2 tokens (no pass yet)
    assertThat(budgets.tryAdmit(ecr, 15)).isTrue(); // 5 left: the reserve
    for (int i = 0; i < 10; i++) {
      budgets.deferral(ecr, "cheap" + i); // 0.2 s + 0.2 s apart: the last at 2 s
    }
    for (int i = 0; i < 30; i++) {
      budgets.resyncPassTook(ecr, 6); // passes turn out to cost 6 tokens: 0.6 s apart
    }
    // after the last place (2 s) and one spacing, not 10 spacings of the new cost after the refill (6.6 s)
    assertSlot(budgets.deferral(ecr, "next"), 2000 + 600, 600);
  }

  @Test
  void aReadAheadsCompanionsAskedAtTheirSlotsAreEachAdmittedNoneDeferred() {
    AwsBudgets.Key ecr = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    AwsBudgets budgets = ecrOf3(ecr);
    List<AwsBudgets.Slot> slots = budgets.resyncSlots(ecr, true, passes("c", 19), WITHIN);
    assertThat(budgets.tryAdmit(ecr, 3, "reader")).as("the reader's own pass").isTrue();
    long start = now.get();
    for (int i = 0; i < slots.size(); i++) {
      now.set(start + slots.get(i).delayNanos());
      assertThat(budgets.tryAdmit(ecr, 3, "c" + i)).as("companion %d at %s", i, shown(slots).get(i)).isTrue();
    }
    assertThat(slots.get(18).delayNanos()).as("19 passes of 3 tokens: 4 at once, 15 more 0.3 s apart")
        .isEqualTo(4_500_000_000L);
    assertThat(budgets.waiting(ecr)).as("each admitted: its place given up").isZero();
  }

  @Test
  void twoAccountsTwoRegionsAndTwoServicesDoNotShareABudget() throws Exception {
    AwsBudgets budgets = budgets(Map.of("ecs", new AwsBudgets.Limit(1, 2), "ecr", new AwsBudgets.Limit(1, 2)));
    budgets.acquire(A_EU_ECS);
    budgets.acquire(A_EU_ECS);
    assertThat(budgets.acquire(A_EU_ECS)).as("account A's ecs budget in eu-west-1 is spent").isPositive();
    parked.clear();
    List<AwsBudgets.Key> others = List.of(
        new AwsBudgets.Key("222222222222", "eu-west-1", "ecs"),
        new AwsBudgets.Key("111111111111", "us-east-1", "ecs"),
        new AwsBudgets.Key("111111111111", "eu-west-1", "ecr"));
    for (AwsBudgets.Key other : others) {
      assertThat(budgets.acquire(other)).as("%s has its own budget", other).isZero();
      assertThat(budgets.acquire(other)).as("%s has its own burst", other).isZero();
    }
    assertThat(parked).isEmpty();
    assertThat(budgets.size()).isEqualTo(4);
  }

  @Test
  void forgettingAnAccountDropsOnlyItsBudgets() throws Exception {
    AwsBudgets budgets = budgets(Map.of("ecs", new AwsBudgets.Limit(1, 1)));
    AwsBudgets.Key b = new AwsBudgets.Key("team-b", "eu-west-1", "ecs");
    budgets.acquire(A_EU_ECS);
    budgets.acquire(b);
    budgets.forget("team-b");
    assertThat(budgets.size()).isEqualTo(1);
    assertThat(budgets.acquire(b)).as("a new, full budget").isZero();
    assertThat(budgets.acquire(A_EU_ECS)).as("A's is still spent").isPositive();
  }

  @Test
  void eachServiceHasItsDocumentedDefaultUnlessSet() {
    AwsBudgets budgets = budgets(Map.of("ecr", new AwsBudgets.Limit(3, 4)));
    assertThat(budgets.limit("ecs")).isEqualTo(new AwsBudgets.Limit(20, 40));
    assertThat(budgets.limit("ecr")).isEqualTo(new AwsBudgets.Limit(3, 4));
    assertThat(budgets.limit("ssm")).isEqualTo(AwsBudgets.DEFAULTS.get("ssm"));
    assertThat(budgets.limit("somethingnew")).isEqualTo(AwsBudgets.OTHER);
    assertThat(AwsBudgets.DEFAULTS).containsOnlyKeys("ecs", "ecr", "application-autoscaling", "secretsmanager", "ssm",
        "sts");
  }

  @Test
  void aFractionalRateStillHasABurstOfOne() throws Exception {
    assertThat(AwsBudgets.Limit.of(0.1)).isEqualTo(new AwsBudgets.Limit(0.1, 1));
    assertThat(AwsBudgets.Limit.of(20)).isEqualTo(new AwsBudgets.Limit(20, 40));
    AwsBudgets budgets = budgets(Map.of("ecs", AwsBudgets.Limit.of(0.1)));
    assertThat(budgets.acquire(A_EU_ECS)).isZero();
    assertThat(budgets.acquire(A_EU_ECS)).isCloseTo(Duration.ofSeconds(10).toNanos(), within(1_000L));
    assertThatThrownBy(() -> new AwsBudgets.Limit(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AwsBudgets.Limit(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anInterruptedWaitThrows() throws Exception {
    AwsBudgets budgets = new AwsBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 1)), clock, nanos -> {
      throw new InterruptedException();
    });
    budgets.acquire(A_EU_ECS);
    assertThatThrownBy(() -> budgets.acquire(A_EU_ECS)).isInstanceOf(InterruptedException.class);
  }
}
