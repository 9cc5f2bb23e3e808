package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.config.Sharding;
import io.ecsbridge.testing.Helm;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's shards: 1 renders the objects of an unsharded install unchanged (names and selectors: upgrade-safe);
 * N renders N Deployments whose pods' settings are the N shards (each its own Lease, which the RBAC grants), with
 * disjoint pod selectors, a PodDisruptionBudget each, and one metrics Service over them all.
 */
class HelmChartShardsTest {
  private static List<GenericKubernetesResource> render(String values) {
    return Helm.parse(Helm.template("rel", "ops", values));
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> all(
      List<GenericKubernetesResource> docs, String kind, Class<T> type) {
    return Helm.ofKind(docs, kind).stream().map(d -> Helm.as(d, type)).toList();
  }

  private static Map<String, String> env(Deployment d) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    return env;
  }

  @Test
  void oneShardIsTheUnshardedInstall() {
    String unsharded = Helm.template("rel", "ops", "{}");
    assertThat(Helm.template("rel", "ops", "shards: 1")).isEqualTo(unsharded);
    List<GenericKubernetesResource> docs = Helm.parse(unsharded);
    Deployment d = all(docs, "Deployment", Deployment.class).get(0);
    assertThat(d.getMetadata().getName()).isEqualTo("rel-ecs-bridge");
    assertThat(d.getSpec().getSelector().getMatchLabels()).doesNotContainKey(Sharding.LABEL);
    assertThat(env(d)).doesNotContainKeys("ECSBRIDGE_SHARD", "ECSBRIDGE_SHARDS");
    assertThat(all(docs, "PodDisruptionBudget", PodDisruptionBudget.class)).extracting(p -> p.getMetadata().getName())
        .containsExactly("rel-ecs-bridge");
  }

  @Test
  void threeShardsAreThreeDeploymentsWithDisjointSelectorsAndTheirOwnLeases() {
    List<GenericKubernetesResource> docs = render("shards: 3\nmetrics: {serviceMonitor: {enabled: true}}\n");
    List<Deployment> deployments = all(docs, "Deployment", Deployment.class);
    assertThat(deployments).extracting(d -> d.getMetadata().getName())
        .containsExactly("rel-ecs-bridge-shard-0", "rel-ecs-bridge-shard-1", "rel-ecs-bridge-shard-2");

    Set<String> leases = new HashSet<>();
    Set<Integer> shardsRun = new HashSet<>();
    for (Deployment d : deployments) {
      Map<String, String> env = env(d);
      // the operator reads these settings as the chart wrote them
      OperatorConfig config = OperatorConfig.load(env.entrySet().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
      assertThat(config.sharding().count()).isEqualTo(3);
      shardsRun.add(config.sharding().index());
      leases.add(config.leaseName());
      Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
      assertThat(selector).containsEntry(Sharding.LABEL, String.valueOf(config.sharding().index()));
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
      for (Deployment other : deployments) {
        if (other != d) {
          assertThat(other.getSpec().getTemplate().getMetadata().getLabels())
              .as("%s's pods selected by %s", other.getMetadata().getName(), d.getMetadata().getName())
              .doesNotContainEntry(Sharding.LABEL, selector.get(Sharding.LABEL));
        }
      }
    }
    assertThat(shardsRun).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(leases).containsExactlyInAnyOrder("ecs-bridge-leader-shard-0", "ecs-bridge-leader-shard-1",
        "ecs-bridge-leader-shard-2");

    Role leaderElection = all(docs, "Role", Role.class).stream()
        .filter(r -> r.getMetadata().getName().endsWith("-leader-election")).findFirst().orElseThrow();
    assertThat(leaderElection.getRules()).anySatisfy(rule ->
        assertThat(rule.getResourceNames()).containsExactlyInAnyOrderElementsOf(leases));

    assertThat(all(docs, "PodDisruptionBudget", PodDisruptionBudget.class))
        .extracting(p -> p.getSpec().getSelector().getMatchLabels().get(Sharding.LABEL))
        .containsExactlyInAnyOrder("0", "1", "2");

    Service metrics = all(docs, "Service", Service.class).get(0);
    assertThat(deployments).allSatisfy(d -> assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .as("the metrics Service selects every shard's pods").containsAllEntriesOf(metrics.getSpec().getSelector()));
    assertThat(Helm.ofKind(docs, "ServiceMonitor")).hasSize(1);
  }
}
