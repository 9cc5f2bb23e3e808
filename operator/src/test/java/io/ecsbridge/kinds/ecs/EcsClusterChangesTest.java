package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.OperatorContext;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandConfiguration;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandLogConfiguration;
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
    assertThat(reconciler.changes(spec(SPEC), live().build(), "us-east-1", OWNER)).isEmpty();
  }

  @Test
  void unmanagedFieldsAndEcsDefaultsAreNoChange() {
    Cluster bare = live().configuration(ClusterConfiguration.builder().executeCommandConfiguration(
        ExecuteCommandConfiguration.builder().logging("DEFAULT").build()).build()).build();
    assertThat(reconciler.changes(spec("tags: {team: a}"), bare, "us-east-1", OWNER)).isEmpty();
    assertThat(reconciler.changes(spec("tags: {team: a}\nconfiguration: {executeCommandConfiguration: {}}"), bare,
        "us-east-1", OWNER)).isEmpty();
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
    List<Change> changes = reconciler.changes(spec(SPEC), drifted, "us-east-1", OWNER);
    assertThat(changes).extracting(Change::field)
        .containsExactly("settings", "capacityProviders", "tags", "tags");
    assertThat(changes).extracting(Change::description)
        .anyMatch(d -> d.equals("Set cluster settings [containerInsights=enabled]"))
        .anyMatch(d -> d.equals("Tagged with [team]"))
        .anyMatch(d -> d.equals("Removed tags [extra]"));
  }

  @Test
  void capacityProvidersSetToEmptyRemovesThemButAbsentLeavesThemAlone() {
    assertThat(reconciler.changes(spec("tags: {team: a}\ncapacityProviders: []"), live().build(), "us-east-1", OWNER))
        .extracting(Change::field).containsExactly("capacityProviders");
    assertThat(reconciler.changes(spec("tags: {team: a}"), live().build(), "us-east-1", OWNER)).isEmpty();
  }
}
