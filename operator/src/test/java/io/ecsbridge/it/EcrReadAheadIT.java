package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.testing.AwsTestClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;

/**
 * EcrRepository reads (DESIGN.md "Batched reads", docs/operations.md "AWS reads per resource"): K repositories in sync
 * resyncing every 15 s read DescribeRepositories ahead (up to 20 a call, per account and region) and DescribeImages on
 * about every 6th resync; ListTagsForResource and both policies on every resync; nothing is written; a drift made in
 * moto (a tag, a repository policy, the tag mutability) is still healed (DriftCorrected) within the period and the
 * read-ahead's 30 s; a repository deleted in moto is created again; a person's change is written after a fresh read;
 * two accounts never share a call.
 */
class EcrReadAheadIT extends AccountsFixtures {
  private static final int K = 12;
  private static final List<String> READS = List.of("DescribeRepositories", "ListTagsForResource",
      "GetLifecyclePolicy", "GetRepositoryPolicy", "DescribeImages");

  private void repositories(String ns, int k) {
    IntStream.range(0, k).forEach(i -> createIn(ns, EcrRepository.class, "repo-" + i, """
        imageTagMutability: MUTABLE
        tags: {team: t}
        """));
    IntStream.range(0, k).forEach(i -> awaitReady(EcrRepository.class, ns, "repo-" + i));
  }

  /** JOSDK's count of EcrRepository passes that ended well: one that took a read ahead counts too. */
  private double passes() {
    return operator.registry().getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.success"))
        .filter(m -> "EcrRepository".equals(m.getId().getTag("kind")))
        .filter(m -> m instanceof io.micrometer.core.instrument.Counter)
        .mapToDouble(m -> ((io.micrometer.core.instrument.Counter) m).count()).sum();
  }

  /** Passes running now, in every controller (JOSDK's gauges). */
  private double executing() {
    return operator.registry().getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.executions."))
        .filter(m -> m instanceof io.micrometer.core.instrument.Gauge)
        .mapToDouble(m -> ((io.micrometer.core.instrument.Gauge) m).value()).sum();
  }

  /** The passes, deferrals and reads so far, taken while no pass runs: no pass's reads are counted before it ends. */
  private record Cut(double passes, double deferred, Map<String, Double> reads) {}

  private Cut cut() {
    java.util.concurrent.atomic.AtomicReference<Cut> cut = new java.util.concurrent.atomic.AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
      if (executing() > 0) {
        return false;
      }
      Cut now = new Cut(passes(), deferred(), reads());
      if (executing() > 0 || passes() != now.passes()) {
        return false;
      }
      cut.set(now);
      return true;
    });
    return cut.get();
  }

  private Map<String, Double> reads() {
    Map<String, Double> reads = new TreeMap<>();
    READS.forEach(op -> reads.put(op, awsCalls("ecr", op)));
    return reads;
  }

  private Repository inMoto(AwsTestClients in, String name) {
    return in.ecr().describeRepositories(r -> r.repositoryNames(name)).repositories().get(0);
  }

  private String tag(AwsTestClients in, String name, String key) {
    return in.ecr().listTagsForResource(r -> r.resourceArn(inMoto(in, name).repositoryArn())).tags().stream()
        .filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst().orElse(null);
  }

  private boolean hasPolicy(AwsTestClients in, String name) {
    try {
      in.ecr().getRepositoryPolicy(r -> r.repositoryName(name));
      return true;
    } catch (RepositoryPolicyNotFoundException e) {
      return false;
    }
  }

  @Test
  void inSyncResyncsReadFewerAndStillHealDriftAndAPersonsChangeReadsAfresh() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "15s"));
    repositories(namespace, K);
    // once every repository has resynced once (the first resync after creation tells "in sync": a status write)
    double start = passes();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> passes() >= start + K);
    quiescentWrites();

    Cut before = cut();
    double writes = awsWrites();
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
        .until(() -> passes() >= before.passes() + 6 * K);
    Cut after = cut();
    // a pass deferred by the budget (before any call) ends well too, having read nothing: not a resync
    double resyncs = after.passes() - before.passes() - (after.deferred() - before.deferred());
    Map<String, Double> perResync = new TreeMap<>();
    READS.forEach(op -> perResync.put(op, (after.reads().get(op) - before.reads().get(op)) / resyncs));
    double total = perResync.values().stream().mapToDouble(Double::doubleValue).sum();
    System.out.printf("periodic resyncs of %d repositories: %.0f passes (%.0f deferred); reads per repository per"
        + " resync %s, total %.2f (before: 1 of each, 5)%n", K, resyncs, after.deferred() - before.deferred(), perResync,
        total);
    assertThat(perResync.get("DescribeRepositories")).as("DescribeRepositories read ahead").isLessThanOrEqualTo(0.3);
    assertThat(perResync.get("DescribeImages")).as("DescribeImages on about every 6th resync").isLessThanOrEqualTo(0.4);
    assertThat(perResync.get("ListTagsForResource")).as("tags on every resync (ownership, drift)")
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
    assertThat(perResync.get("GetRepositoryPolicy")).as("a policy on every resync (drift)")
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
    assertThat(perResync.get("GetLifecyclePolicy")).as("a policy on every resync (drift)")
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
    assertThat(total).isLessThan(3.7);
    assertThat(awsWrites()).as("writes in in-sync resyncs").isEqualTo(writes);

    // drift behind the operator's back, healed by the periodic resyncs within the period and the read-ahead's 30 s
    aws.ecr().untagResource(r -> r.resourceArn(inMoto(aws, "repo-3").repositoryArn()).tagKeys("team"));
    aws.ecr().setRepositoryPolicy(r -> r.repositoryName("repo-5").policyText("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}"""));
    aws.ecr().putImageTagMutability(r -> r.repositoryName("repo-7").imageTagMutability(ImageTagMutability.IMMUTABLE));
    await().atMost(Duration.ofSeconds(15 + 30 + 15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(tag(aws, "repo-3", "team")).isEqualTo("t");
      assertThat(hasPolicy(aws, "repo-5")).isFalse();
      assertThat(inMoto(aws, "repo-7").imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
    });
    eventually().until(() -> List.of("repo-3", "repo-5", "repo-7").stream()
        .allMatch(n -> hasEvent(get(EcrRepository.class, n), "DriftCorrected")));

    // a repository deleted behind the operator's back: a DescribeRepositories of several names fails whole in ECR,
    // the missing name is told apart by ECR's message (one more call), the repository is created again, the others
    // stay in sync
    double creates = awsCalls("ecr", "CreateRepository");
    aws.ecr().deleteRepository(r -> r.repositoryName("repo-9").force(true));
    await().atMost(Duration.ofSeconds(15 + 30 + 15)).pollInterval(Duration.ofMillis(200))
        .until(() -> aws.ecr().describeRepositories(r -> {}).repositories().stream()
            .anyMatch(r -> "repo-9".equals(r.repositoryName())));
    eventually().until(() -> isReady(get(EcrRepository.class, "repo-9")));
    assertThat(awsCalls("ecr", "CreateRepository")).as("created again, once").isEqualTo(creates + 1);
    System.out.printf("a repository deleted behind our back: DescribeRepositories answered RepositoryNotFoundException"
        + " %.0f times%n", operator.registry().find(AwsCallMeter.CALLS).tag("operation", "DescribeRepositories")
        .tag("error_code", "RepositoryNotFoundException").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
    IntStream.range(0, K).forEach(i -> assertThat(isReady(get(EcrRepository.class, "repo-" + i))).isTrue());

    // a person's change: its pass reads afresh (DescribeRepositories of its own and its images) before it writes
    double mutability = awsCalls("ecr", "PutImageTagMutability");
    double describes = awsCalls("ecr", "DescribeRepositories");
    double images = awsCalls("ecr", "DescribeImages");
    edit(get(EcrRepository.class, "repo-1"), r -> {
      r.getSpec().imageTagMutability = io.ecsbridge.api.v1alpha1.EcrRepositorySpec.ImageTagMutability.IMMUTABLE;
      return r;
    });
    eventually().until(() -> inMoto(aws, "repo-1").imageTagMutability() == ImageTagMutability.IMMUTABLE
        && isReady(get(EcrRepository.class, "repo-1"))
        && get(EcrRepository.class, "repo-1").getStatus().getObservedGeneration() == 2L);
    assertThat(awsCalls("ecr", "PutImageTagMutability")).isEqualTo(mutability + 1);
    assertThat(awsCalls("ecr", "DescribeRepositories")).as("the change's pass read its repository")
        .isGreaterThan(describes);
    assertThat(awsCalls("ecr", "DescribeImages")).as("and its images").isGreaterThan(images);
  }

  @Test
  void repositoriesOfTwoAccountsAreNeverReadTogether() throws Exception {
    awaitAccountReady(account("a", role(FIRST, "team-a")));
    awaitAccountReady(account("b", role(SECOND, "team-b")));
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "15s"));
    label(namespace, "a");
    label(teamB, "b");
    int k = 6;
    repositories(namespace, k);
    repositories(teamB, k);
    Map<String, String> accountOf = Map.of(namespace, FIRST, teamB, SECOND);

    double passes = passes();
    Map<String, Double> before = callsByAccount("DescribeRepositories");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> passes() >= passes + 4 * 2 * k);
    Map<String, Double> after = callsByAccount("DescribeRepositories");
    System.out.printf("DescribeRepositories by account over %.0f resyncs of %d repositories in each of two accounts:"
        + " before %s, after %s%n", passes() - passes, k, before, after);
    for (String accountId : List.of(FIRST, SECOND)) {
      assertThat(after.getOrDefault(accountId, 0.0)).as("DescribeRepositories made in " + accountId)
          .isGreaterThan(before.getOrDefault(accountId, 0.0));
    }
    // the same names in both accounts: each status is its own account's repository, after resyncs read ahead
    accountOf.forEach((ns, accountId) -> IntStream.range(0, k).forEach(i -> {
      EcrRepository r = get(EcrRepository.class, ns, "repo-" + i);
      assertThat(isReady(r)).isTrue();
      assertThat(r.getStatus().arn).as(ns + "/repo-" + i).contains(":" + accountId + ":")
          .isEqualTo(inMoto(in(accountId), "repo-" + i).repositoryArn());
    }));

    // a drift in the second account only: healed there, the first account's twin untouched
    in(SECOND).ecr().putImageTagMutability(r -> r.repositoryName("repo-2")
        .imageTagMutability(ImageTagMutability.IMMUTABLE));
    double firstWrites = writesIn(FIRST);
    await().atMost(Duration.ofSeconds(15 + 30 + 15)).pollInterval(Duration.ofMillis(200))
        .until(() -> inMoto(in(SECOND), "repo-2").imageTagMutability() == ImageTagMutability.MUTABLE);
    eventually().until(() -> hasEvent(get(EcrRepository.class, teamB, "repo-2"), "DriftCorrected"));
    assertThat(writesIn(FIRST)).as("nothing written in the first account").isEqualTo(firstWrites);
  }

  private double deferred() {
    return operator.registry().find(AwsCallMeter.RESYNC_DEFERRED).counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  /** Calls of one ECR operation by the calls metric's account tag. */
  private Map<String, Double> callsByAccount(String operation) {
    Map<String, Double> calls = new TreeMap<>();
    operator.registry().find(AwsCallMeter.CALLS).tag("operation", operation).counters().forEach(c -> {
      String account = c.getId().getTag("account");
      calls.merge(account == null ? "(untagged)" : account, c.count(), Double::sum);
    });
    return calls;
  }

  private double writesIn(String accountId) {
    return operator.registry().find(AwsCallMeter.CALLS).tag("service", "ecr").counters().stream()
        .filter(c -> accountId.equals(c.getId().getTag("account")))
        .filter(c -> !READS.contains(c.getId().getTag("operation")))
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  /** Until no AWS write happened for 3 s (the creations' last status passes are over). */
  private void quiescentWrites() {
    double[] last = {-1};
    await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ofSeconds(3)).pollInterval(Duration.ofSeconds(3))
        .until(() -> {
          double now = awsWrites();
          boolean same = now == last[0];
          last[0] = now;
          return same;
        });
  }
}
