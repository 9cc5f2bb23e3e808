package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbridge.testing.FakeAwsEndpoint;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The meter and the budgets on real SDK clients (AwsClients) against an in-process fake of the ECS JSON API: what
 * each call is labelled with, which budget it spends, and how every client is configured.
 */
class AwsCallMeterTest {
  private static final AwsIdentity TEAM_A = new AwsIdentity("team-a", "111111111111",
      StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "a")), "eu-west-1");
  private static final AwsIdentity TEAM_B = new AwsIdentity("team-b", "222222222222",
      StaticCredentialsProvider.create(AwsBasicCredentials.create("b", "b")), "us-east-1");

  private FakeAwsEndpoint ecs;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();

  @BeforeEach
  void fakeEcs() {
    // ListClusters answers none; anything else says ClusterNotFoundException (not retried)
    ecs = FakeAwsEndpoint.start((target, body) -> target.endsWith(".ListClusters")
        ? FakeAwsEndpoint.Answer.ok("{\"clusterArns\":[]}")
        : FakeAwsEndpoint.Answer.error("ClusterNotFoundException", "Cluster not found."));
  }

  @AfterEach
  void stop() {
    ecs.close();
  }

  private AwsClients clients(AwsBudgets budgets) {
    return ecs.clients(new AwsCallMeter(registry, budgets));
  }

  private AwsBudgets fakeClockBudgets(Map<String, AwsBudgets.Limit> limits) {
    TimeMeter clock = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return now.get();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
    BlockingStrategy moveTheClock = now::addAndGet;
    return new AwsBudgets(limits, clock, moveTheClock);
  }

  @Test
  void callsAreCountedByAccountRegionServiceOperationOutcomeAndErrorCode() {
    try (AwsClients clients = clients(null)) {
      AwsScope.run(TEAM_A, () -> clients.ecs(null).listClusters());
      AwsScope.run(TEAM_A, () -> clients.ecs(null).listClusters());
      AwsScope.run(TEAM_B, () -> clients.ecs(null).listClusters());
      AwsScope.run(AwsIdentity.OPERATOR, () -> clients.ecs("eu-central-1").listClusters());
      assertThatThrownBy(() -> AwsScope.run(TEAM_A, () -> clients.ecs("eu-west-1").describeClusters()))
          .isInstanceOf(ClusterNotFoundException.class);
    }
    Counter ok = registry.get(AwsCallMeter.CALLS).tags("account", "111111111111", "region", "eu-west-1",
        "service", "ecs", "operation", "ListClusters", "outcome", "ok", "error_code", "none").counter();
    assertThat(ok.count()).isEqualTo(2);
    assertThat(registry.get(AwsCallMeter.CALLS).tags("account", "222222222222", "region", "us-east-1").counter()
        .count()).isEqualTo(1);
    assertThat(registry.get(AwsCallMeter.CALLS).tags("account", "operator", "region", "eu-central-1").counter()
        .count()).isEqualTo(1);
    Counter failed = registry.get(AwsCallMeter.CALLS).tags("account", "111111111111", "operation",
        "DescribeClusters").counter();
    assertThat(failed.getId().getTag("outcome")).as("a NotFound answer to a read is expected")
        .isEqualTo("not_found");
    assertThat(failed.getId().getTag("error_code")).isEqualTo("ClusterNotFoundException");
    assertThat(registry.get(AwsCallMeter.DURATION).tags("account", "111111111111", "operation", "ListClusters")
        .timer().count()).isEqualTo(2);

    assertThat(AwsCallMeter.count(registry, "ecs", null, null)).isEqualTo(5);
    assertThat(AwsCallMeter.count(registry, "111111111111", "ecs", null, null)).isEqualTo(3);
    assertThat(AwsCallMeter.count(registry, "111111111111", "ecs", "ListClusters", "ok")).isEqualTo(2);
    assertThat(AwsCallMeter.count(registry, "222222222222", "ecr", null, null)).isZero();
  }

  @Test
  void notFoundIsAnOutcomeOnReadsAndDeletesAndAnErrorOnWrites() {
    try (AwsClients clients = clients(null)) {
      AwsScope.run(TEAM_A, () -> {
        EcsClient ecs = clients.ecs(null);
        assertThatThrownBy(() -> ecs.describeServices(r -> r.cluster("gone").services("web")))
            .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.deleteService(r -> r.cluster("gone").service("web")))
            .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("gone").serviceName("web")))
            .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("gone").service("web")))
            .isInstanceOf(ClusterNotFoundException.class);
      });
    }
    for (String read : List.of("DescribeServices", "DeleteService")) {
      assertThat(registry.get(AwsCallMeter.CALLS).tags("operation", read).counter().getId().getTags())
          .as(read).contains(Tag.of("outcome", "not_found"),
              Tag.of("error_code", "ClusterNotFoundException"));
    }
    for (String write : List.of("CreateService", "UpdateService")) {
      assertThat(registry.get(AwsCallMeter.CALLS).tags("operation", write).counter().getId().getTag("outcome"))
          .as("a NotFound answer to " + write + " is an error").isEqualTo("client_error");
    }
    assertThat(AwsCallMeter.count(registry, "ecs", null, "client_error")).isEqualTo(2);
    assertThat(AwsCallMeter.count(registry, "ecs", null, "not_found")).isEqualTo(2);
  }

  @Test
  void eachAccountAndRegionSpendsItsOwnBudgetAndItsWaitsAreTimedPerBudget() {
    AwsBudgets budgets = fakeClockBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 1)));
    try (AwsClients clients = clients(budgets)) {
      AwsScope.run(TEAM_A, () -> clients.ecs(null).listClusters());
      AwsScope.run(TEAM_B, () -> clients.ecs(null).listClusters());
      AwsScope.run(TEAM_A, () -> clients.ecs("us-west-2").listClusters());
      assertThat(registry.find(AwsCallMeter.THROTTLE_WAIT).timers()).as("three budgets, one call each")
          .hasSize(3).allSatisfy(t -> assertThat(t.count()).isZero());

      AwsScope.run(TEAM_A, () -> clients.ecs(null).listClusters());
      Timer waited = registry.get(AwsCallMeter.THROTTLE_WAIT).tags("account", "111111111111", "region", "eu-west-1",
          "service", "ecs").timer();
      assertThat(waited.count()).isEqualTo(1);
      assertThat(waited.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(999.0, 1001.0);
      assertThat(registry.find(AwsCallMeter.THROTTLE_WAIT).timers().stream().mapToLong(Timer::count).sum())
          .as("only that budget waited").isEqualTo(1);
      assertThat(budgets.size()).isEqualTo(3);

      clients.forget("team-a");
      assertThat(budgets.size()).as("team-a's budgets (by its account id) are dropped with its clients")
          .isEqualTo(1);
    }
  }

  /**
   * A call's duration is AWS's answer, not its wait for the client-side budget (timed apart, THROTTLE_WAIT): with the
   * wait in it, a budget-bound converge's mean call read 0.44 s where moto answered in some 13 ms (issue 14's
   * twenty-second round).
   */
  @Test
  void aCallsDurationLeavesOutItsWaitForTheBudget() {
    AwsBudgets budgets = new AwsBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 1))); // the real clock
    try (AwsClients clients = clients(budgets)) {
      AwsScope.run(TEAM_A, () -> clients.ecs(null).listClusters()); // the burst's token, and the client warmed up
      Timer duration = registry.get(AwsCallMeter.DURATION).tags("account", "111111111111", "operation",
          "ListClusters").timer();
      double before = duration.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);

      // waits for its token: a second less the time since the first call took its own (well under 500 ms)
      AwsScope.run(TEAM_A, () -> clients.ecs(null).listClusters());
      Timer waited = registry.get(AwsCallMeter.THROTTLE_WAIT).tags("account", "111111111111", "service", "ecs")
          .timer();
      assertThat(waited.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).as("the wait").isGreaterThan(500);
      assertThat(duration.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) - before)
          .as("the second call's duration: the fake's answer alone").isLessThan(300);
    }
  }

  /**
   * Two AwsAccounts of one AWS account share its budgets. Forgetting one (deleted, or its role changed) dropped them,
   * and the other's next calls got a new, full bucket: a burst more than AWS allows, and its queue's places lost.
   */
  @Test
  void forgettingOneAwsAccountKeepsTheBudgetsAnotherOneOfTheSameAwsAccountSpends() {
    AwsIdentity teamA2 = new AwsIdentity("team-a2", "111111111111",
        StaticCredentialsProvider.create(AwsBasicCredentials.create("a2", "a2")), "eu-west-1");
    AwsBudgets budgets = fakeClockBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 1)));
    try (AwsClients clients = clients(budgets)) {
      AwsScope.run(TEAM_A, () -> clients.ecs(null).listClusters());
      AwsScope.run(teamA2, () -> clients.ecs(null).listClusters());
      assertThat(budgets.size()).as("one budget: the AWS account's").isEqualTo(1);

      clients.forget("team-a");
      assertThat(budgets.size()).as("team-a2 still spends it").isEqualTo(1);
      long before = now.get();
      AwsScope.run(teamA2, () -> clients.ecs(null).listClusters());
      assertThat(now.get() - before).as("the bucket is as spent as it was: the call waits for the rate")
          .isGreaterThan(0);

      clients.forget("team-a2");
      assertThat(budgets.size()).as("no AwsAccount of that account left").isZero();
    }
  }

  @Test
  void aResyncPassIsAdmittedAboveTheReserveOrDeferredUnsentUncountedAndNeverWaits() {
    // 5 tokens, a reserve of 1; a resync pass costs 2 tokens until passes say otherwise
    AwsBudgets budgets = fakeClockBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 5)));
    try (AwsClients clients = clients(budgets)) {
      Lanes.call("EcsCluster", Lanes.Lane.RESYNC, () -> AwsScope.call(TEAM_A, () -> {
        clients.ecs(null).listClusters(); // admitted with 2 tokens: 3 left
        clients.ecs(null).listClusters(); // its second token
        clients.ecs(null).listClusters(); // beyond what it was admitted with: one more, 2 left
        return null;
      }));
      assertThat(budgets.resyncCost(new AwsBudgets.Key("111111111111", "eu-west-1", "ecs")))
          .as("passes of 3 calls").isEqualTo(3);
      long before = now.get();
      assertThatThrownBy(() -> Lanes.call("EcsCluster", Lanes.Lane.RESYNC, () -> AwsScope.call(TEAM_A,
          () -> AwsErrors.call(() -> clients.ecs(null).listClusters()))))
          .as("the SDK's wrapping undone: the frame sees the deferral, not a failed call")
          .isInstanceOf(ResyncDeferred.class)
          .satisfies(e -> assertThat(((ResyncDeferred) e).retryAfter()).isPositive());
      assertThat(now.get()).as("a resync never waits for its admission").isEqualTo(before);
      assertThat(AwsCallMeter.count(registry, "ecs", null, null)).as("the deferred call was not sent")
          .isEqualTo(3);
      assertThat(registry.get(AwsCallMeter.RESYNC_DEFERRED).tags("kind", "EcsCluster", "service", "ecs").counter()
          .count()).isEqualTo(1);

      Lanes.call("EcsCluster", Lanes.Lane.USER, () -> AwsScope.call(TEAM_A, () -> {
        clients.ecs(null).listClusters();
        return clients.ecs(null).listClusters();
      }));
      assertThat(now.get()).as("a change's calls take the last tokens at once").isEqualTo(before);
      assertThat(AwsCallMeter.count(registry, "ecs", null, null)).isEqualTo(5);
    }
  }

  @Test
  void aResyncPassBeyondItsTokensWaitsAboveTheReserveSoThatAChangeFindsItsTokenAtOnce() {
    // 4 tokens at 1 a second, a reserve of 1; a resync pass costs 2 tokens until passes say otherwise (a restart)
    AwsBudgets budgets = fakeClockBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 4)));
    try (AwsClients clients = clients(budgets)) {
      Lanes.call("EcsCluster", Lanes.Lane.RESYNC, () -> AwsScope.call(TEAM_A, () -> {
        clients.ecs(null).listClusters(); // admitted with 2 tokens: 2 left
        clients.ecs(null).listClusters(); // its second
        clients.ecs(null).listClusters(); // beyond them: 1 above the reserve, taken at once
        assertThat(now.get()).isZero();
        clients.ecs(null).listClusters(); // beyond again, only the reserve left: waits for a token above it
        return null;
      }));
      assertThat(now.get()).as("one token's refill").isEqualTo(1_000_000_000L);
      Lanes.call("EcsCluster", Lanes.Lane.USER, () -> AwsScope.call(TEAM_A, () -> clients.ecs(null).listClusters()));
      assertThat(now.get()).as("the reserve was kept: a change's call takes it at once")
          .isEqualTo(1_000_000_000L);
    }
  }

  @Test
  void aResourcesDeferredPassHoldsOnePlaceInTheQueueUntilItsPassRuns() {
    AwsBudgets budgets = fakeClockBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 2))); // reserve 1: 1 above it
    AwsBudgets.Key key = new AwsBudgets.Key("111111111111", "eu-west-1", "ecs");
    try (AwsClients clients = clients(budgets)) {
      Lanes.call("EcsCluster", "uid-other", Lanes.Lane.USER, () -> AwsScope.call(TEAM_A,
          () -> clients.ecs(null).listClusters())); // 1 token left: the reserve
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> Lanes.call("EcsCluster", "uid-1", Lanes.Lane.RESYNC, () -> AwsScope.call(TEAM_A,
            () -> AwsErrors.call(() -> clients.ecs(null).listClusters())))).isInstanceOf(ResyncDeferred.class);
      }
      assertThat(budgets.queued(key)).as("deferred 3 times: one place").isEqualTo(1);
      assertThat(registry.get(AwsCallMeter.RESYNC_WAITING).tags("account", "111111111111", "region", "eu-west-1",
          "service", "ecs").gauge().value()).as("the queue's length, a gauge").isEqualTo(1.0);
      Lanes.call("EcsCluster", "uid-1", Lanes.Lane.USER, () -> AwsScope.call(TEAM_A,
          () -> clients.ecs(null).listClusters())); // overdue: its pass runs as a change's
      assertThat(budgets.queued(key)).as("its pass ran: the place is given up").isZero();
      assertThat(registry.get(AwsCallMeter.RESYNC_WAITING).gauge().value()).isZero();
    }
  }

  @Test
  void aResyncPassPlacingCompanionsIsAdmittedFirstOrDeferredWithoutPlacingThem() throws Exception {
    AwsBudgets budgets = fakeClockBudgets(Map.of("ecr", new AwsBudgets.Limit(1, 5))); // reserve 1; passes of 2
    AwsBudgets.Key key = new AwsBudgets.Key("111111111111", "eu-west-1", "ecr");
    try (AwsClients clients = clients(budgets)) {
      List<AwsBudgets.Slot> slots = Lanes.call("EcrRepository", "uid-reader", Lanes.Lane.RESYNC,
          () -> AwsScope.call(TEAM_A,
              () -> clients.resyncSlots("ecr", null, List.of("c1", "c2"), Duration.ofMinutes(1))));
      // admitted with 2 tokens (given back at the pass's end: no call made), 3 left: 1 companion more at once, the
      // next when 2 more tokens came (2 s at 1 a second, the queue's pace)
      assertThat(slots).extracting(AwsBudgets.Slot::delayNanos).containsExactly(0L, 2_000_000_000L);
      for (int i = 0; i < 4; i++) {
        budgets.acquire(key); // a person's change: 1 token left, the reserve
      }
      int before = budgets.waiting(key);
      assertThatThrownBy(() -> Lanes.call("EcrRepository", "uid-reader2", Lanes.Lane.RESYNC,
          () -> AwsScope.call(TEAM_A, () -> clients.resyncSlots("ecr", null, List.of("c3"), Duration.ofMinutes(1)))))
          .as("deferred as its read would be: no companion placed for a read that is not made")
          .isInstanceOf(ResyncDeferred.class);
      assertThat(budgets.waiting(key)).as("the reader's own place only").isEqualTo(before + 1);
    }
  }

  @Test
  void tokensAnAdmittedPassDidNotUseGoBack() {
    AwsBudgets budgets = fakeClockBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 3))); // reserve 1
    try (AwsClients clients = clients(budgets)) {
      Lanes.call("EcsCluster", Lanes.Lane.RESYNC, () -> AwsScope.call(TEAM_A,
          () -> clients.ecs(null).listClusters())); // admitted with 2, used 1: 1 given back, 2 left
      Lanes.call("EcsCluster", Lanes.Lane.USER, () -> AwsScope.call(TEAM_A, () -> {
        clients.ecs(null).listClusters();
        return clients.ecs(null).listClusters();
      }));
      assertThat(now.get()).as("no wait: the unused token came back").isZero();
    }
  }

  @Test
  void aResyncPassThatSendsAWriteIsAChangeForTheRestOfThePass() {
    AwsBudgets budgets = fakeClockBudgets(Map.of("ecs", new AwsBudgets.Limit(1, 3)));
    try (AwsClients clients = clients(budgets)) {
      Lanes.call("EcsService", Lanes.Lane.RESYNC, () -> AwsScope.call(TEAM_A, () -> {
        clients.ecs(null).listClusters(); // admitted with 2 of 3 tokens, the reserve of 1 kept
        assertThat(Lanes.current()).isEqualTo(Lanes.Lane.RESYNC);
        assertThatThrownBy(() -> clients.ecs(null).updateService(r -> r.cluster("gone").service("web")))
            .isInstanceOf(ClusterNotFoundException.class); // its second token: sent (AWS refused it, but sent)
        assertThat(Lanes.current()).as("promoted by the write").isEqualTo(Lanes.Lane.USER);
        clients.ecs(null).listClusters(); // the reserve: taken, no deferral
        clients.ecs(null).listClusters(); // waits for the refill like any change's call
        return null;
      }));
      assertThat(now.get()).as("the last call waited one token's refill").isEqualTo(1_000_000_000L);
      assertThat(registry.find(AwsCallMeter.RESYNC_DEFERRED).counters()).isEmpty();
    }
  }

  @Test
  void everyClientRetriesAdaptivelyAndCarriesItsBudgetKey() {
    try (AwsClients clients = clients(null)) {
      EcsClient teamA = AwsScope.call(TEAM_A, () -> clients.ecs(null));
      var config = teamA.serviceClientConfiguration().overrideConfiguration();
      assertThat(config.retryStrategy()).get().isInstanceOf(AdaptiveRetryStrategy.class);
      assertThat(config.executionAttributes().getAttribute(AwsCallMeter.BUDGET))
          .isEqualTo(new AwsBudgets.Key("111111111111", "eu-west-1", "ecs"));
      for (var client : List.of(AwsScope.call(TEAM_A, () -> clients.ecr(null)),
          AwsScope.call(TEAM_A, () -> clients.autoScaling(null)),
          AwsScope.call(TEAM_A, () -> clients.secretsManager(null)),
          AwsScope.call(TEAM_A, () -> clients.ssm(null)))) {
        var c = client.serviceClientConfiguration().overrideConfiguration();
        assertThat(c.retryStrategy()).get().isInstanceOf(AdaptiveRetryStrategy.class);
        assertThat(c.executionAttributes().getAttribute(AwsCallMeter.BUDGET).account()).isEqualTo("111111111111");
      }
      assertThat(AwsScope.call(TEAM_A, () -> clients.autoScaling(null)).serviceClientConfiguration()
          .overrideConfiguration().executionAttributes().getAttribute(AwsCallMeter.BUDGET).service())
          .isEqualTo("application-autoscaling");
      try (StsClient sts = clients.newSts(null)) {
        var c = sts.serviceClientConfiguration().overrideConfiguration();
        assertThat(c.retryStrategy()).get().isInstanceOf(AdaptiveRetryStrategy.class);
        assertThat(c.executionAttributes().getAttribute(AwsCallMeter.BUDGET))
            .isEqualTo(new AwsBudgets.Key("operator", "us-east-1", "sts"));
      }
    }
  }

  @Test
  void errorCodesAreBounded() {
    AwsCallMeter meter = new AwsCallMeter(registry, null);
    assertThat(meter.errorCode(new RuntimeException("no answer"))).isEqualTo("none");
    for (int i = 0; i < AwsCallMeter.MAX_ERROR_CODES; i++) {
      assertThat(meter.errorCode(serviceError("Code" + i))).isEqualTo("Code" + i);
    }
    assertThat(meter.errorCode(serviceError("OneTooMany"))).isEqualTo("other");
    assertThat(meter.errorCode(serviceError("Code3"))).isEqualTo("Code3");
    assertThat(meter.errorCode(serviceError("bad code with spaces"))).isEqualTo("none");
  }

  private static Exception serviceError(String code) {
    return software.amazon.awssdk.awscore.exception.AwsServiceException.builder()
        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode(code).build())
        .build();
  }
}
