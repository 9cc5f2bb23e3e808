package io.ecsbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ResourceConditionsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<CustomResource<?, ?>> cache = new CopyOnWriteArrayList<>();
  private final ResourceConditions gauge = new ResourceConditions(registry);

  @Test
  void countsResourcesByKindConditionAndReasonWithoutALabelPerResource() {
    gauge.add("EcsService", cache::stream);
    cache.add(service("a", Health.ready("Synced", "")));
    cache.add(service("b", Health.ready("Synced", "")));
    cache.add(service("c", Health.stalled("RolloutFailed", "tasks failed to start")));
    cache.add(service("d", Health.progressing("RolloutInProgress", "")));
    cache.add(service("e", Health.stalled("not a reason: {x}", "")));
    cache.add(service("f", null));

    gauge.refresh();
    String text = registry.scrape();

    assertThat(text).contains("# HELP ecsbridge_resources Custom resources by kind and by the condition")
        .contains("ecsbridge_resources{condition=\"Ready\",kind=\"EcsService\",reason=\"Synced\"} 2.0")
        .contains("ecsbridge_resources{condition=\"Stalled\",kind=\"EcsService\",reason=\"RolloutFailed\"} 1.0")
        .contains("ecsbridge_resources{condition=\"Reconciling\",kind=\"EcsService\",reason=\"RolloutInProgress\"} 1.0")
        .contains("ecsbridge_resources{condition=\"Stalled\",kind=\"EcsService\",reason=\"Other\"} 1.0")
        .contains("ecsbridge_resources{condition=\"Unknown\",kind=\"EcsService\",reason=\"NoStatus\"} 1.0")
        .doesNotContain("name=", "\"a\"");

    cache.removeIf(r -> r.getMetadata().getName().equals("c"));
    gauge.refresh();
    assertThat(registry.scrape()).as("an ended Stalled series reads 0, so that its alert resolves")
        .contains("ecsbridge_resources{condition=\"Stalled\",kind=\"EcsService\",reason=\"RolloutFailed\"} 0.0");
  }

  @Test
  void aCacheThatIsNotStartedCountsNothing() {
    gauge.add("EcsService", () -> {
      throw new IllegalStateException("not started");
    });
    gauge.refresh();
    assertThat(registry.scrape()).doesNotContain("ecsbridge_resources{");
  }

  @Test
  void theReplicasStateHasHelp() {
    OperatorState.register(registry, () -> true, () -> false);
    assertThat(registry.scrape()).contains("# HELP ecsbridge_leader 1 when this replica reconciles")
        .contains("ecsbridge_leader 1.0").contains("# HELP ecsbridge_ready ").contains("ecsbridge_ready 0.0");
  }

  private static EcsService service(String name, Health health) {
    EcsService service = new EcsService();
    service.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
    if (health != null) {
      EcsServiceStatus status = new EcsServiceStatus();
      Conditions.apply(status, health, 1, Clock.systemUTC());
      service.setStatus(status);
    }
    return service;
  }
}
