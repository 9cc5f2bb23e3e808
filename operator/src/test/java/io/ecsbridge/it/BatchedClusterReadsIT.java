package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.testing.AwsTestClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;

/**
 * DescribeClusters batched (DESIGN.md "Batched reads", clusters): N EcsClusters and M services naming raw clusters
 * resync for well under one DescribeClusters per resource per resync, with no writes; a drift made behind the
 * operator's back is still healed; a raw cluster another namespace owns stays refused, also once adopted by it; and
 * two accounts never share a call nor a cluster's tags.
 */
class BatchedClusterReadsIT extends AccountsFixtures {
  private static final int N = 10;
  private static final int M = 10;

  private double describeClusters() {
    return awsCalls("ecs", "DescribeClusters");
  }

  /** JOSDK's count of passes that ended well, of these kinds. */
  private double passes(String... kinds) {
    List<String> of = List.of(kinds);
    return operator.registry().getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.success"))
        .filter(m -> of.contains(m.getId().getTag("kind")))
        .filter(m -> m instanceof io.micrometer.core.instrument.Counter)
        .mapToDouble(m -> ((io.micrometer.core.instrument.Counter) m).count()).sum();
  }

  private Cluster inMoto(AwsTestClients in, String name) {
    return in.ecs().describeClusters(r -> r.clusters(name).include(ClusterField.TAGS, ClusterField.SETTINGS))
        .clusters().get(0);
  }

  private static String setting(Cluster c) {
    return c.settings().stream().filter(s -> "containerInsights".equals(s.nameAsString())).map(ClusterSetting::value)
        .findFirst().orElse(null);
  }

  private static String tag(Cluster c, String key) {
    return c.tags().stream().filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst().orElse(null);
  }

  private void service(String ns, String name, String cluster) {
    createIn(ns, EcsService.class, name, """
        cluster: %s
        taskDefinitionRef: {name: web}
        desiredCount: 1
        launchType: EC2
        """.formatted(cluster));
  }

  @Test
  void periodicResyncsReadClustersManyAtATimeHealDriftAndKeepRawClustersOfOthersRefused() throws Exception {
    startOperator(s -> {});
    IntStream.range(0, N).forEach(i -> createIn(namespace, EcsCluster.class, "c-" + i, """
        settings: [{name: containerInsights, value: disabled}]
        tags: {team: t}
        """));
    aws.ecs().createCluster(r -> r.clusterName("plain"));
    aws.ecs().createCluster(r -> r.clusterName("adoptable"));
    createIn(teamB, EcsCluster.class, "theirs", "{}");
    createIn(namespace, EcsTaskDefinition.class, "web", "containerDefinitions:\n- {name: app, image: \"nginx:1\","
        + " memory: 128}");
    // raw names: half on a cluster of this namespace, half on one nobody manages; one on a cluster to be adopted
    IntStream.range(0, M).forEach(i -> service(namespace, "svc-" + i, i % 2 == 0 ? "c-0" : "plain"));
    service(namespace, "late", "adoptable");
    IntStream.range(0, N).forEach(i -> awaitReady(EcsCluster.class, namespace, "c-" + i));
    IntStream.range(0, M).forEach(i -> awaitReady(EcsService.class, namespace, "svc-" + i));
    awaitReady(EcsService.class, namespace, "late");
    awaitReady(EcsCluster.class, teamB, "theirs");

    // periodic resyncs of everything in sync (a resync period of 15 s), once the start-up pass is over: every
    // resource resynced at least twice
    String[] kinds = {"EcsCluster", "EcsService"};
    int resources = N + M + 1;
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "15s"));
    eventually().until(() -> passes(kinds) >= resources);
    double reads = describeClusters();
    double writes = awsWrites();
    double passes = passes(kinds);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> passes(kinds) >= passes + 2 * resources);
    double resyncReads = describeClusters() - reads;
    double resyncPasses = passes(kinds) - passes;
    System.out.printf("periodic resyncs of %d EcsClusters and %d EcsServices on raw clusters: %.0f passes, %.0f"
        + " DescribeClusters (%.2f per resource per resync)%n", N, M + 1, resyncPasses, resyncReads,
        resyncReads / resyncPasses);
    assertThat(resyncReads / resyncPasses).as("DescribeClusters per resource per in-sync resync")
        .isLessThanOrEqualTo(0.3);
    assertThat(awsWrites()).as("writes in in-sync resyncs").isEqualTo(writes);

    // a raw name of team-b's cluster: refused (a Stalled resource's passes read afresh, in the USER lane)
    service(namespace, "intruder", "theirs");
    awaitStalled(EcsService.class, namespace, "intruder", "OwnedByAnotherNamespace");
    assertThat(get(EcsService.class, namespace, "intruder").getStatus().serviceArn).isNull();
    assertThat(aws.ecs().listServices(r -> r.cluster("theirs")).serviceArns()).as("nothing reached theirs").isEmpty();

    // drift behind the operator's back: c-3's setting and c-6's tag; healed within the period and the freshness
    aws.ecs().updateCluster(r -> r.cluster("c-3")
        .settings(ClusterSetting.builder().name("containerInsights").value("enabled").build()));
    aws.ecs().untagResource(r -> r.resourceArn(inMoto(aws, "c-6").clusterArn()).tagKeys("team"));
    await().atMost(Duration.ofSeconds(15 + 30 + 15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(setting(inMoto(aws, "c-3"))).isEqualTo("disabled");
      assertThat(tag(inMoto(aws, "c-6"), "team")).isEqualTo("t");
    });
    eventually().until(() -> hasEvent(get(EcsCluster.class, namespace, "c-3"), "DriftCorrected")
        && hasEvent(get(EcsCluster.class, namespace, "c-6"), "DriftCorrected"));

    // team-b adopts the cluster "late" runs in: its next resync refuses it (the adoption's write ends the window)
    createIn(teamB, EcsCluster.class, "adoptable", "managementPolicy: Adopt\n");
    awaitReady(EcsCluster.class, teamB, "adoptable");
    await().atMost(Duration.ofSeconds(15 + 30 + 15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        assertThat(health(get(EcsService.class, namespace, "late")))
            .startsWith("Stalled OwnedByAnotherNamespace"));
    assertThat(stalledMessage(EcsService.class, namespace, "late")).contains("EcsCluster " + teamB + "/adoptable");
    assertThat(awsCalls("ecs", "UpdateService")).as("no write into the adopted cluster").isZero();
  }

  @Test
  void clustersOfTwoAccountsAreNeverReadTogetherNorTheirTagsShared() {
    awaitAccountReady(account("a", role(FIRST, "team-a")));
    awaitAccountReady(account("b", role(SECOND, "team-b")));
    label(namespace, "a");
    label(teamB, "b");
    int k = 3;
    Map<String, String> accountOf = Map.of(namespace, FIRST, teamB, SECOND);
    accountOf.keySet().forEach(ns -> IntStream.range(0, k).forEach(i -> createIn(ns, EcsCluster.class, "prod-" + i,
        "tags: {team: t}\n")));
    // "shared": team-b's EcsCluster in its account; a cluster nobody manages of the same name in the first account,
    // which a raw-cluster service of the first namespace uses: team-b's tags never decide for it
    createIn(teamB, EcsCluster.class, "shared", "{}");
    in(FIRST).ecs().createCluster(r -> r.clusterName("shared"));
    createIn(namespace, EcsTaskDefinition.class, "web", "containerDefinitions:\n- {name: app, image: \"nginx:1\","
        + " memory: 128}");
    service(namespace, "svc", "shared");
    accountOf.keySet().forEach(ns -> IntStream.range(0, k).forEach(i -> awaitReady(EcsCluster.class, ns,
        "prod-" + i)));
    awaitReady(EcsCluster.class, teamB, "shared");
    assertThat(awaitReady(EcsService.class, namespace, "svc").getStatus().serviceArn).contains(":" + FIRST + ":");

    Map<String, Double> before = callsByAccount();
    accountOf.keySet().forEach(ns -> IntStream.range(0, k).forEach(i -> annotate(get(EcsCluster.class, ns,
        "prod-" + i), Annotations.RECONCILE_REQUESTED_AT, "both")));
    annotate(get(EcsService.class, namespace, "svc"), Annotations.RECONCILE_REQUESTED_AT, "both");
    eventually().until(() -> accountOf.keySet().stream().allMatch(ns -> IntStream.range(0, k).allMatch(i ->
        "both".equals(get(EcsCluster.class, ns, "prod-" + i).getStatus().getLastHandledReconcileAt())))
        && "both".equals(get(EcsService.class, namespace, "svc").getStatus().getLastHandledReconcileAt()));

    // the same names: each status is its own account's cluster
    accountOf.forEach((ns, accountId) -> IntStream.range(0, k).forEach(i -> {
      EcsCluster c = get(EcsCluster.class, ns, "prod-" + i);
      assertThat(isReady(c)).isTrue();
      assertThat(c.getStatus().arn).as(ns + "/prod-" + i).contains(":" + accountId + ":")
          .isEqualTo(inMoto(in(accountId), "prod-" + i).clusterArn());
    }));
    assertThat(isReady(get(EcsService.class, namespace, "svc"))).as("svc, on its own account's shared").isTrue();
    Map<String, Double> after = callsByAccount();
    System.out.printf("DescribeClusters by account for a resync of %d clusters in each of two accounts: before %s,"
        + " after %s%n", k, before, after);
    if (!after.containsKey("(untagged)")) {
      for (String accountId : List.of(FIRST, SECOND)) {
        assertThat(after.getOrDefault(accountId, 0.0)).as("DescribeClusters made in " + accountId)
            .isGreaterThan(before.getOrDefault(accountId, 0.0));
      }
    }
  }

  /** DescribeClusters by the calls metric's account tag. */
  private Map<String, Double> callsByAccount() {
    Map<String, Double> calls = new TreeMap<>();
    operator.registry().find(AwsCallMeter.CALLS).tag("operation", "DescribeClusters").counters().forEach(c -> {
      String account = c.getId().getTag("account");
      calls.merge(account == null ? "(untagged)" : account, c.count(), Double::sum);
    });
    return calls;
  }
}
