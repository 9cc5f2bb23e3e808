package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.OperatorContext;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.ecsbridge.aws.ClusterGateway;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandConfiguration;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandLogConfiguration;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import org.junit.jupiter.api.Test;

/** What counts as a difference between an EcsCluster spec and the cluster ECS describes. */
class EcsClusterChangesTest {
  private static final String OWNER = "it/ns/c";
  private final EcsClusterReconciler reconciler = new EcsClusterReconciler(
      new OperatorContext(null, java.time.Clock.systemUTC(), "op", java.time.Duration.ofMinutes(10)), null, r -> r);

  private static EcsClusterSpec spec(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml, EcsClusterSpec.class);
  }

  /** A cluster the way ECS reports one created from the spec below: defaults filled, lists in its own order. */
  private static Cluster.Builder live() {
    return Cluster.builder().clusterName("c").clusterArn("arn:aws:ecs:us-east-1:1:cluster/c").status("ACTIVE")
        .settings(ClusterSetting.builder().name("containerInsights").value("enabled").build())
        .configuration(ClusterConfiguration.builder().executeCommandConfiguration(ExecuteCommandConfiguration.builder()
            .logging("OVERRIDE").logConfiguration(ExecuteCommandLogConfiguration.builder()
                .cloudWatchLogGroupName("/exec").cloudWatchEncryptionEnabled(false).s3EncryptionEnabled(false)
                .build()).build()).build())
        .capacityProviders("FARGATE_SPOT", "FARGATE")
        .defaultCapacityProviderStrategy(
            CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(3).base(0).build(),
            CapacityProviderStrategyItem.builder().capacityProvider("FARGATE").weight(1).base(1).build())
        .tags(Tag.builder().key("team").value("a").build(), Tag.builder().key("ecsbridge.io/owner").value(OWNER)
            .build(), Tag.builder().key("aws:cloudformation:stack-name").value("x").build());
  }

  private static final String SPEC = """
      settings: [{name: containerInsights, value: enabled}]
      configuration:
        executeCommandConfiguration: {logging: OVERRIDE, logConfiguration: {cloudWatchLogGroupName: /exec}}
      capacityProviders: [FARGATE, FARGATE_SPOT]
      defaultCapacityProviderStrategy:
      - {capacityProvider: FARGATE, weight: 1, base: 1}
      - {capacityProvider: FARGATE_SPOT, weight: 3}
      tags: {team: a}
      """;

  @Test
  void aClusterAsEcsReportsItHasNoChanges() {
    assertThat(reconciler.changes(spec(SPEC), Map.of(), live().build(), "us-east-1", OWNER)).isEmpty();
  }

  @Test
  void unmanagedFieldsAndEcsDefaultsAreNoChange() {
    Cluster bare = live().configuration(ClusterConfiguration.builder().executeCommandConfiguration(
        ExecuteCommandConfiguration.builder().logging("DEFAULT").build()).build()).build();
    assertThat(reconciler.changes(spec("tags: {team: a}"), Map.of(), bare, "us-east-1", OWNER)).isEmpty();
    assertThat(reconciler.changes(spec("tags: {team: a}\nconfiguration: {executeCommandConfiguration: {}}"), Map.of(),
        bare, "us-east-1", OWNER)).isEmpty();
  }

  @Test
  void eachRealDifferenceIsOneChange() {
    Cluster drifted = live()
        .settings(ClusterSetting.builder().name("containerInsights").value("disabled").build())
        .defaultCapacityProviderStrategy(
            CapacityProviderStrategyItem.builder().capacityProvider("FARGATE").weight(1).base(0).build())
        .tags(Tag.builder().key("team").value("b").build(), Tag.builder().key("extra").value("1").build(),
            Tag.builder().key("ecsbridge.io/owner").value(OWNER).build())
        .build();
    List<Change> changes = reconciler.changes(spec(SPEC), Map.of(), drifted, "us-east-1", OWNER);
    assertThat(changes).extracting(Change::field)
        .containsExactly("settings", "capacityProviders", "tags", "tags");
    assertThat(changes).extracting(Change::description)
        .anyMatch(d -> d.equals("Set cluster settings [containerInsights=enabled]"))
        .anyMatch(d -> d.equals("Tagged with [team]"))
        .anyMatch(d -> d.equals("Removed tags [extra]"));
  }

  @Test
  void capacityProvidersSetToEmptyRemovesThemButAbsentLeavesThemAlone() {
    assertThat(reconciler.changes(spec("tags: {team: a}\ncapacityProviders: []"), Map.of(), live().build(),
        "us-east-1", OWNER))
        .extracting(Change::field).containsExactly("capacityProviders");
    assertThat(reconciler.changes(spec("tags: {team: a}"), Map.of(), live().build(), "us-east-1", OWNER)).isEmpty();
  }

  @Test
  void capacityProviderRefsAreResolvedIntoTheOnePutWithTheRawNames() {
    List<PutClusterCapacityProvidersRequest> puts = new java.util.ArrayList<>();
    ClusterGateway recording = (ClusterGateway) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ClusterGateway.class}, (proxy, method, args) -> {
          if (method.getName().equals("putCapacityProviders")) {
            puts.add((PutClusterCapacityProvidersRequest) args[1]);
          }
          return null;
        });
    EcsClusterReconciler withRefs = new EcsClusterReconciler(
        new OperatorContext(null, java.time.Clock.systemUTC(), "op", java.time.Duration.ofMinutes(10)), recording,
        r -> r);
    EcsClusterSpec spec = spec("""
        capacityProviders: [FARGATE, FARGATE_SPOT]
        capacityProviderRefs: [{name: workers}]
        defaultCapacityProviderStrategy:
        - {capacityProvider: FARGATE, weight: 1, base: 1}
        - {capacityProvider: FARGATE_SPOT, weight: 3}
        - {capacityProviderRef: {name: workers}, weight: 2}
        tags: {team: a}
        """);
    List<Change> changes = withRefs.changes(spec, Map.of("workers", "prod-workers"), live().build(), "us-east-1",
        OWNER);
    assertThat(changes).extracting(Change::field).containsExactly("capacityProviders");
    changes.get(0).apply().run();
    assertThat(puts.get(0).capacityProviders()).containsExactly("FARGATE", "FARGATE_SPOT", "prod-workers");
    assertThat(puts.get(0).defaultCapacityProviderStrategy()).extracting(CapacityProviderStrategyItem::capacityProvider)
        .containsExactly("FARGATE", "FARGATE_SPOT", "prod-workers");
    Cluster withWorkers = live().capacityProviders("prod-workers", "FARGATE", "FARGATE_SPOT")
        .defaultCapacityProviderStrategy(
            CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(3).base(0).build(),
            CapacityProviderStrategyItem.builder().capacityProvider("prod-workers").weight(2).base(0).build(),
            CapacityProviderStrategyItem.builder().capacityProvider("FARGATE").weight(1).base(1).build()).build();
    assertThat(withRefs.changes(spec, Map.of("workers", "prod-workers"), withWorkers, "us-east-1", OWNER)).isEmpty();
    assertThat(withRefs.changes(spec("capacityProviderRefs: [{name: workers}]\ntags: {team: a}"),
        Map.of("workers", "prod-workers"), withWorkers, "us-east-1", OWNER)).extracting(Change::field)
        .as("the refs alone are the whole set").containsExactly("capacityProviders");
  }
}
