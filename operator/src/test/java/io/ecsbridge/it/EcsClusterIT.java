package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.Tag;

/** EcsCluster end to end: the real API server, the operator, moto; both sides checked. */
class EcsClusterIT extends OperatorIT {

  private EcsCluster cluster(String name, String specYaml) {
    return resource(EcsCluster.class, name, specYaml);
  }

  private EcsCluster awaitReady(String name) {
    return awaitReady(EcsCluster.class, name);
  }

  private Cluster describe(String name) {
    return aws.ecs().describeClusters(r -> r.clusters(name)
        .include(ClusterField.TAGS, ClusterField.SETTINGS, ClusterField.CONFIGURATIONS)).clusters().get(0);
  }

  private static Map<String, String> tags(Cluster c) {
    return c.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }

  private static Map<String, String> settings(Cluster c) {
    return c.settings().stream().collect(Collectors.toMap(ClusterSetting::nameAsString, ClusterSetting::value));
  }

  @Test
  void createsTheClusterWithEverythingAndReportsStatus() {
    create(cluster("prod", """
        clusterName: prod-cluster
        settings: [{name: containerInsights, value: enabled}]
        configuration:
          executeCommandConfiguration: {logging: OVERRIDE, logConfiguration: {cloudWatchLogGroupName: /ecs/exec}}
        capacityProviders: [FARGATE, FARGATE_SPOT]
        defaultCapacityProviderStrategy:
        - {capacityProvider: FARGATE, weight: 1, base: 1}
        - {capacityProvider: FARGATE_SPOT, weight: 3}
        tags: {team: payments}
        """));
    EcsCluster ready = awaitReady("prod");
    Cluster live = describe("prod-cluster");
    assertThat(ready.getStatus().arn).isEqualTo(live.clusterArn()).endsWith(":cluster/prod-cluster");
    assertThat(ready.getStatus().status).isEqualTo("ACTIVE");
    assertThat(ready.getStatus().activeServicesCount).isZero();
    assertThat(ready.getStatus().runningTasksCount).isZero();
    assertThat(ready.getStatus().pendingTasksCount).isZero();
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(isTrue(ready, Conditions.RECONCILING)).isFalse();
    assertThat(isTrue(ready, Conditions.STALLED)).isFalse();

    assertThat(settings(live)).containsEntry("containerInsights", "enabled");
    assertThat(live.configuration().executeCommandConfiguration().logConfiguration().cloudWatchLogGroupName())
        .isEqualTo("/ecs/exec");
    assertThat(live.capacityProviders()).containsExactlyInAnyOrder("FARGATE", "FARGATE_SPOT");
    assertThat(live.defaultCapacityProviderStrategy()).hasSize(2)
        .anySatisfy(s -> {
          assertThat(s.capacityProvider()).isEqualTo("FARGATE");
          assertThat(s.weight()).isEqualTo(1);
          assertThat(s.base()).isEqualTo(1);
        });
    assertThat(tags(live)).containsEntry("team", "payments")
        .containsEntry(Ownership.TAG, OWNER_INSTANCE + "/" + namespace + "/prod");
    assertThat(hasEvent(ready, "Created")).isTrue();
  }

  @Test
  void updatesSettingsConfigurationCapacityProvidersAndTags() {
    EcsCluster created = create(cluster("upd", """
        settings: [{name: containerInsights, value: disabled}]
        capacityProviders: [FARGATE]
        tags: {team: payments, stage: dev}
        """));
    awaitReady("upd");

    edit(created, r -> {
      EcsClusterSpec spec = ((EcsCluster) r).getSpec();
      spec.settings.get(0).value = EcsClusterSpec.ContainerInsights.enhanced;
      spec.configuration = new EcsClusterSpec.ClusterConfiguration();
      spec.configuration.executeCommandConfiguration = new EcsClusterSpec.ExecuteCommandConfiguration();
      spec.configuration.executeCommandConfiguration.logging = EcsClusterSpec.ExecLogging.NONE;
      spec.capacityProviders = List.of("FARGATE", "FARGATE_SPOT");
      EcsClusterSpec.CapacityProviderStrategyItem spot = new EcsClusterSpec.CapacityProviderStrategyItem();
      spot.capacityProvider = "FARGATE_SPOT";
      spot.weight = 1;
      spec.defaultCapacityProviderStrategy = List.of(spot);
      spec.tags = Map.of("team", "checkout");
      return r;
    });

    eventually().untilAsserted(() -> {
      Cluster live = describe("upd");
      assertThat(settings(live)).containsEntry("containerInsights", "enhanced");
      assertThat(live.configuration()).isNotNull();
      assertThat(live.configuration().executeCommandConfiguration().loggingAsString()).isEqualTo("NONE");
      assertThat(live.capacityProviders()).containsExactlyInAnyOrder("FARGATE", "FARGATE_SPOT");
      assertThat(live.defaultCapacityProviderStrategy()).singleElement()
          .satisfies(s -> assertThat(s.capacityProvider()).isEqualTo("FARGATE_SPOT"));
      assertThat(tags(live)).containsEntry("team", "checkout").doesNotContainKey("stage")
          .containsKey(Ownership.TAG);
    });
    EcsCluster ready = awaitReady("upd");
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(events(ready)).filteredOn(e -> "Updated".equals(e.getReason())).extracting(e -> e.getMessage())
        .anyMatch(m -> m.contains("containerInsights=enhanced")).anyMatch(m -> m.contains("configuration"))
        .anyMatch(m -> m.contains("capacity providers")).anyMatch(m -> m.contains("Tagged"))
        .anyMatch(m -> m.contains("Removed tags"));
  }

  @Test
  void inSyncResyncsReadOnceAndNeverWrite() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    create(cluster("steady", """
        settings: [{name: containerInsights, value: enabled}]
        configuration: {executeCommandConfiguration: {logging: DEFAULT}}
        capacityProviders: [FARGATE, FARGATE_SPOT]
        defaultCapacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1}]
        tags: {team: payments}
        """));
    awaitReady("steady");
    double createCalls = awsCalls("ecs", null);
    double writes = awsWrites();
    double describes = awsCalls("ecs", "DescribeClusters");
    eventually().until(() -> awsCalls("ecs", "DescribeClusters") >= describes + 3);
    double resyncs = awsCalls("ecs", "DescribeClusters") - describes;
    assertThat(awsWrites()).as("write calls during in-sync resyncs").isEqualTo(writes);
    double callsPerResync = (awsCalls("ecs", null) - createCalls) / resyncs;
    System.out.printf("AWS calls: EcsCluster create %.0f (%.0f writes); per in-sync resync %.1f reads, 0 writes%n",
        createCalls, writes, callsPerResync);
    assertThat(callsPerResync).isLessThanOrEqualTo(1.0);
  }

  @Test
  void correctsDriftOnResync() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    create(cluster("drift", "settings: [{name: containerInsights, value: enabled}]\ntags: {team: a}"));
    awaitReady("drift");
    String arn = describe("drift").clusterArn();
    aws.ecs().updateCluster(r -> r.cluster("drift")
        .settings(ClusterSetting.builder().name("containerInsights").value("disabled").build()));
    aws.ecs().tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("sneaky").value("yes").build()));
    eventually().untilAsserted(() -> {
      Cluster live = describe("drift");
      assertThat(settings(live)).containsEntry("containerInsights", "enabled");
      assertThat(tags(live)).doesNotContainKey("sneaky");
    });
    eventually().until(() -> hasEvent(get(EcsCluster.class, "drift"), "DriftCorrected"));
  }

  @Test
  void deletionWaitsWhileServicesRemain() {
    EcsCluster created = create(cluster("busy", "capacityProviders: [FARGATE]"));
    awaitReady("busy");
    aws.ecs().registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web").image("nginx")
        .memory(128)));
    aws.ecs().createService(r -> r.cluster("busy").serviceName("web").taskDefinition("web").desiredCount(0));

    k8s.resource(created).inNamespace(namespace).delete();
    eventually().until(() -> "ClusterNotEmpty".equals(reason(get(EcsCluster.class, "busy"), Conditions.RECONCILING)));
    EcsCluster waiting = get(EcsCluster.class, "busy");
    assertThat(isTrue(waiting, Conditions.RECONCILING)).isTrue();
    assertThat(isTrue(waiting, Conditions.STALLED)).isFalse();
    assertThat(condition(waiting, Conditions.RECONCILING).orElseThrow().getMessage()).contains("1 service(s)");
    assertThat(describe("busy").status()).isEqualTo("ACTIVE");
    assertThat(awsCalls("ecs", "DeleteCluster")).isZero();

    aws.ecs().deleteService(r -> r.cluster("busy").service("web").force(true));
    // the operator looks again by itself (every 10 s while waiting); an annotation makes it look at once
    annotate(waiting, "ecsbridge.io/reconcile-requested-at", "now");
    eventually().until(() -> get(EcsCluster.class, "busy") == null);
    assertThat(describe("busy").status()).isEqualTo("INACTIVE");
  }
}
