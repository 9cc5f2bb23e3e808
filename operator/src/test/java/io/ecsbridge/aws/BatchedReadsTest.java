package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchedReadsTest {
  private static final AwsIdentity TEAM_A = new AwsIdentity("team-a", "111111111111", null, null);
  private static final AwsIdentity TEAM_B = new AwsIdentity("team-b", "222222222222", null, null);

  /** The fake AWS: every call recorded with the identity it was made as; answers "name@identity". */
  private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<AwsIdentity> callers = Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile CountDownLatch entered = new CountDownLatch(1);
  private volatile RuntimeException failWith;
  /** A name AWS refuses: a call that carries it fails as a whole, naming it. */
  private volatile String refuse;
  private final AtomicLong now = new AtomicLong();
  private final ExecutorService pool = Executors.newFixedThreadPool(16);

  private final BatchedReads<String> reads = new BatchedReads<>(this::describe, 10, Duration.ofSeconds(30),
      now::get);

  private Map<String, Optional<String>> describe(String region, String group, List<String> names) {
    calls.add(names);
    callers.add(AwsScope.bound());
    entered.countDown();
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failWith != null) {
      throw failWith;
    }
    if (refuse != null && names.contains(refuse)) {
      throw new AwsException(AwsException.Kind.TERMINAL, "AccessDeniedException", 400,
          "not authorized to read " + refuse, null);
    }
    Map<String, Optional<String>> answers = new LinkedHashMap<>();
    names.forEach(n -> answers.put(n, n.startsWith("gone") ? Optional.empty()
        : Optional.of(n + "@" + AwsScope.bound().label())));
    return answers;
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private Optional<String> read(AwsIdentity as, String name, BatchedReads.Companion... companions) {
    return AwsScope.call(as, () -> reads.read("eu-west-1", "web", name, List.of(companions)));
  }

  private Optional<Optional<String>> kept(AwsIdentity as, String name, String token) {
    return AwsScope.call(as, () -> reads.kept("eu-west-1", "web", name, token));
  }

  @Test
  void aReadAloneIsOneCallOfItsName() {
    assertThat(read(TEAM_A, "svc-1")).contains("svc-1@111111111111");
    assertThat(read(TEAM_A, "gone-1")).isEmpty();
    assertThat(calls).containsExactly(List.of("svc-1"), List.of("gone-1"));
  }

  @Test
  void readsAskedWhileACallIsInFlightShareTheNextCallTenAtMost() throws Exception {
    gate = new CountDownLatch(1);
    Future<Optional<String>> first = pool.submit(() -> read(TEAM_A, "svc-0"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<Optional<String>>> waiting = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      String name = "svc-" + i;
      waiting.add(pool.submit(() -> read(TEAM_A, name)));
    }
    awaitQueued(12);
    gate.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).contains("svc-0@111111111111");
    for (int i = 0; i < 12; i++) {
      assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).contains("svc-" + (i + 1) + "@111111111111");
    }
    assertThat(calls).hasSize(3); // svc-0, then 10 of the 12, then the other 2
    assertThat(calls.get(1)).hasSize(10);
    assertThat(calls.get(2)).hasSize(2);
  }

  @Test
  void twoIdentitiesNeverShareACallNorAKeptRead() throws Exception {
    gate = new CountDownLatch(1);
    Future<Optional<String>> a = pool.submit(() -> read(TEAM_A, "svc-a",
        new BatchedReads.Companion("svc-shared", "7")));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Optional<String>> b = pool.submit(() -> read(TEAM_B, "svc-b"));
    gate.countDown();
    assertThat(a.get(10, TimeUnit.SECONDS)).contains("svc-a@111111111111");
    assertThat(b.get(10, TimeUnit.SECONDS)).contains("svc-b@222222222222");
    assertThat(calls).containsExactlyInAnyOrder(List.of("svc-a", "svc-shared"), List.of("svc-b"));
    assertThat(callers).containsExactlyInAnyOrder(TEAM_A, TEAM_B);
    assertThat(kept(TEAM_B, "svc-shared", "7")).isEmpty(); // read as team A: never handed to team B
    assertThat(kept(TEAM_A, "svc-shared", "7")).contains(Optional.of("svc-shared@111111111111"));
  }

  @Test
  void aCompanionIsHandedOnceForItsTokenWhileFresh() {
    read(TEAM_A, "svc-1", new BatchedReads.Companion("svc-2", "41"), new BatchedReads.Companion("gone-3", "5"),
        new BatchedReads.Companion("svc-4", "9"), new BatchedReads.Companion("svc-5", "1"));
    assertThat(calls).containsExactly(List.of("svc-1", "svc-2", "gone-3", "svc-4", "svc-5"));
    assertThat(kept(TEAM_A, "svc-2", "41")).contains(Optional.of("svc-2@111111111111"));
    assertThat(kept(TEAM_A, "svc-2", "41")).isEmpty(); // used
    assertThat(kept(TEAM_A, "gone-3", "5")).contains(Optional.empty()); // read: absent
    assertThat(kept(TEAM_A, "svc-4", "10")).isEmpty(); // its resource changed since it was read ahead
    assertThat(kept(TEAM_A, "svc-5", null)).isEmpty(); // this pass reads afresh
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(kept(TEAM_A, "svc-5", "1")).isEmpty(); // stale
    assertThat(AwsScope.call(TEAM_A, () -> reads.kept("eu-west-1", "other-cluster", "svc-5", "1"))).isEmpty();
    assertThat(reads.keptCount()).isZero();
  }

  @Test
  void aWriteDropsWhatWasReadAheadAndAReadStartedBeforeItIsNotKept() throws Exception {
    read(TEAM_A, "svc-1", new BatchedReads.Companion("svc-2", "1"));
    now.incrementAndGet();
    AwsScope.run(TEAM_A, () -> reads.written("eu-west-1", "svc-2"));
    assertThat(kept(TEAM_A, "svc-2", "1")).isEmpty();

    gate = new CountDownLatch(1);
    entered = new CountDownLatch(1);
    Future<Optional<String>> inFlight = pool.submit(() -> read(TEAM_A, "svc-1",
        new BatchedReads.Companion("svc-3", "1")));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    now.incrementAndGet();
    AwsScope.run(TEAM_A, () -> reads.written("eu-west-1", "svc-3")); // ends while the read is in flight
    gate.countDown();
    inFlight.get(10, TimeUnit.SECONDS);
    assertThat(kept(TEAM_A, "svc-3", "1")).isEmpty();
  }

  @Test
  void aPassWhoseServiceIsBeingReadAheadWaitsForThatRead() throws Exception {
    gate = new CountDownLatch(1);
    Future<Optional<String>> first = pool.submit(() -> read(TEAM_A, "svc-1",
        new BatchedReads.Companion("svc-2", "3")));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(AwsScope.call(TEAM_A, () -> reads.ahead("eu-west-1", "svc-2"))).isTrue();
    Future<Optional<Optional<String>>> second = pool.submit(() -> kept(TEAM_A, "svc-2", "3"));
    gate.countDown();
    first.get(10, TimeUnit.SECONDS);
    assertThat(second.get(10, TimeUnit.SECONDS)).contains(Optional.of("svc-2@111111111111"));
    assertThat(calls).hasSize(1);
  }

  @Test
  void aFailedCallFailsEveryReadItCarried() throws Exception {
    gate = new CountDownLatch(1);
    failWith = new AwsException(AwsException.Kind.RETRYABLE, "ThrottlingException", 400, "Rate exceeded", null);
    Future<Optional<String>> first = pool.submit(() -> read(TEAM_A, "svc-0"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Optional<String>> second = pool.submit(() -> read(TEAM_A, "svc-1",
        new BatchedReads.Companion("svc-2", "1")));
    awaitQueued(1);
    gate.countDown();
    for (Future<Optional<String>> f : List.of(first, second)) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AwsException.class);
    }
    assertThat(kept(TEAM_A, "svc-2", "1")).isEmpty();
    failWith = null;
    assertThat(read(TEAM_A, "svc-1")).contains("svc-1@111111111111"); // the lane is free again
  }

  @Test
  void aCallForSeveralNamesRefusedAsAWholeIsMadeAgainForEachAloneSoThatEachPassSeesOnlyItsOwnError()
      throws Exception {
    gate = new CountDownLatch(1);
    Future<Optional<String>> first = pool.submit(() -> read(TEAM_A, "svc-0"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    refuse = "bad-1";
    Future<Optional<String>> bad = pool.submit(() -> read(TEAM_A, "bad-1"));
    Future<Optional<String>> good = pool.submit(() -> read(TEAM_A, "svc-2",
        new BatchedReads.Companion("svc-3", "1")));
    awaitQueued(2);
    gate.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).contains("svc-0@111111111111");
    assertThat(good.get(10, TimeUnit.SECONDS)).as("never another's error").contains("svc-2@111111111111");
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AwsException.class)
        .hasMessageContaining("bad-1");
    assertThat(calls).contains(List.of("bad-1"), List.of("svc-2"));
    assertThat(calls.stream().filter(c -> c.size() > 1)).as("the failed call carried both")
        .singleElement().satisfies(c -> assertThat(c).contains("bad-1", "svc-2"));
    assertThat(kept(TEAM_A, "svc-3", "1")).as("no read ahead from a call that failed or a call of one").isEmpty();
  }

  /** Waits until {@code n} reads queue behind the call in flight (they are not yet answered). */
  private void awaitQueued(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> reads.queued() >= n);
  }
}
