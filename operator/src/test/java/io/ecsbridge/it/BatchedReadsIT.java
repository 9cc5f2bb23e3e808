package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.testing.AwsTestClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;

/**
 * DescribeServices batched (DESIGN.md "Batched reads"): K services of one cluster in sync resync for at most 0.2 x K
 * DescribeServices, a drift made behind the operator's back is still healed, a spec change is written on a fresh
 * read, and two accounts never share a call (each service's status comes from its own account).
 */
class BatchedReadsIT extends AccountsFixtures {
  private static final int K = 10;

  /** EcsCluster prod, EcsTaskDefinition web and EcsServices svc-0 .. svc-(k-1) on them, each tagged team=t. */
  private void services(String ns, int k) {
    createIn(ns, EcsCluster.class, "prod", "{}");
    createIn(ns, EcsTaskDefinition.class, "web", "containerDefinitions:\n- {name: app, image: \"nginx:1\", memory: 128}");
    IntStream.range(0, k).forEach(i -> createIn(ns, EcsService.class, "svc-" + i, """
        clusterRef: {name: prod}
        taskDefinitionRef: {name: web}
        desiredCount: 1
        launchType: EC2
        tags: {team: t}
        """));
    IntStream.range(0, k).forEach(i -> awaitReady(EcsService.class, ns, "svc-" + i));
  }

  /** A reconcile request on every service of {@code ns}, until each has handled it. */
  private void resyncAll(String ns, int k, String value) {
    IntStream.range(0, k).forEach(i -> annotate(get(EcsService.class, ns, "svc-" + i),
        Annotations.RECONCILE_REQUESTED_AT, value));
    eventually().until(() -> IntStream.range(0, k).allMatch(i -> {
      EcsService s = get(EcsService.class, ns, "svc-" + i);
      return value.equals(s.getStatus().getLastHandledReconcileAt()) && isReady(s);
    }));
  }

  private double describeServices() {
    return awsCalls("ecs", "DescribeServices");
  }

  private Service inMoto(AwsTestClients in, String name) {
    return in.ecs().describeServices(r -> r.cluster("prod").services(name).include(ServiceField.TAGS)).services()
        .get(0);
  }

  private static String tag(Service s, String key) {
    return s.tags().stream().filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst().orElse(null);
  }


  @Test
  void periodicResyncsReadServicesTenAtATimeAndStillHealADriftWithinTheDocumentedDelay() throws Exception {
    services(namespace, K);

    // a forced resync of all (reconcile requests, one after the other): never two reads of a service
    double reads = describeServices();
    double writes = awsWrites();
    resyncAll(namespace, K, "first");
    double forced = describeServices() - reads;
    System.out.printf("DescribeServices for a forced resync of %d services requested one by one: %.0f%n", K, forced);
    assertThat(forced).as("DescribeServices for a forced resync of " + K + " services").isLessThanOrEqualTo(K);
    assertThat(awsWrites()).as("writes in an in-sync resync").isEqualTo(writes);

    // periodic resyncs of everything in sync (a resync period of 15 s), once the start-up pass is over: every service
    // resynced at least twice
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "15s"));
    eventually().until(() -> passes("EcsService") >= K);
    reads = describeServices();
    writes = awsWrites();
    double passes = passes("EcsService");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> passes("EcsService") >= passes + 2 * K);
    double resyncReads = describeServices() - reads;
    double resyncPasses = passes("EcsService") - passes;
    System.out.printf("periodic resyncs of %d services in one cluster: %.0f passes, %.0f DescribeServices (%.2f per"
        + " service per resync)%n", K, resyncPasses, resyncReads, resyncReads / resyncPasses);
    assertThat(resyncReads / resyncPasses).as("DescribeServices per service per in-sync resync").isLessThanOrEqualTo(0.2);
    assertThat(awsWrites()).as("writes in in-sync resyncs").isEqualTo(writes);

    // drift behind the operator's back: svc-3 loses its tag, svc-6's desiredCount moves; the periodic resyncs heal
    // both within the resync period and the read-ahead's freshness (30 s)
    Service svc3 = inMoto(aws, "svc-3");
    aws.ecs().untagResource(r -> r.resourceArn(svc3.serviceArn()).tagKeys("team"));
    aws.ecs().updateService(r -> r.cluster("prod").service("svc-6").desiredCount(2));
    await().atMost(Duration.ofSeconds(15 + 30 + 15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(tag(inMoto(aws, "svc-3"), "team")).isEqualTo("t");
      assertThat(inMoto(aws, "svc-6").desiredCount()).isEqualTo(1);
    });
    eventually().until(() -> hasEvent(get(EcsService.class, "svc-3"), "DriftCorrected")
        && hasEvent(get(EcsService.class, "svc-6"), "DriftCorrected"));

    // a spec change: a new generation reads afresh, whatever was read ahead
    double updates = awsCalls("ecs", "UpdateService");
    reads = describeServices();
    edit(get(EcsService.class, "svc-1"), s -> {
      s.getSpec().desiredCount = 3;
      return s;
    });
    eventually().until(() -> inMoto(aws, "svc-1").desiredCount() == 3 && isReady(get(EcsService.class, "svc-1")));
    assertThat(awsCalls("ecs", "UpdateService")).isGreaterThanOrEqualTo(updates + 1);
    assertThat(describeServices()).as("the change's pass read its service").isGreaterThan(reads);
  }

  @Test
  void servicesOfTwoAccountsAreNeverReadTogether() {
    awaitAccountReady(account("a", role(FIRST, "team-a")));
    awaitAccountReady(account("b", role(SECOND, "team-b")));
    label(namespace, "a");
    label(teamB, "b");
    int k = 5;
    services(namespace, k);
    services(teamB, k);

    Map<String, String> accountOf = Map.of(namespace, FIRST, teamB, SECOND);
    Map<String, Double> before = callsByOperationAndAccount("DescribeServices");
    accountOf.keySet().forEach(ns -> IntStream.range(0, k).forEach(i -> annotate(get(EcsService.class, ns,
        "svc-" + i), Annotations.RECONCILE_REQUESTED_AT, "both")));
    eventually().until(() -> accountOf.keySet().stream().allMatch(ns -> IntStream.range(0, k).allMatch(i ->
        "both".equals(get(EcsService.class, ns, "svc-" + i).getStatus().getLastHandledReconcileAt()))));

    // the same names in the same cluster name: each status is its own account's service
    accountOf.forEach((ns, accountId) -> IntStream.range(0, k).forEach(i -> {
      EcsService s = get(EcsService.class, ns, "svc-" + i);
      assertThat(isReady(s)).isTrue();
      assertThat(s.getStatus().serviceArn).as(ns + "/svc-" + i).contains(":" + accountId + ":")
          .isEqualTo(inMoto(in(accountId), "svc-" + i).serviceArn());
    }));
    Map<String, Double> after = callsByOperationAndAccount("DescribeServices");
    System.out.printf("DescribeServices by account for a resync of %d services in each of two accounts: before %s,"
        + " after %s%n", k, before, after);
    if (!after.containsKey("(untagged)")) {
      for (String accountId : List.of(FIRST, SECOND)) {
        assertThat(after.getOrDefault(accountId, 0.0)).as("DescribeServices made in " + accountId)
            .isGreaterThan(before.getOrDefault(accountId, 0.0));
      }
    }
  }

  /** Calls of one operation by the calls metric's account tag. */
  private Map<String, Double> callsByOperationAndAccount(String operation) {
    Map<String, Double> calls = new java.util.TreeMap<>();
    operator.registry().find(io.ecsbridge.aws.AwsCallMeter.CALLS).tag("operation", operation).counters()
        .forEach(c -> {
          String account = c.getId().getTag("account");
          calls.merge(account == null ? "(untagged)" : account, c.count(), Double::sum);
        });
    return calls;
  }
}
