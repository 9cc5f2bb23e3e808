package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsCapacityProvider;
import io.ecsbridge.api.v1alpha1.EcsCapacityProviderStatus;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** capacityProviderRef resolution from the cache (no AWS): not ready, stalled, ready; and the spec ECS gets. */
class CapacityProviderRefsTest {
  private final Map<String, EcsCapacityProvider> cache = new HashMap<>();
  private final CapacityProviderRefs<EcsService> refs = CapacityProviderRefs.ofService(
      (context, namespace, name) -> Optional.ofNullable(cache.get(namespace + "/" + name)));

  private static EcsService service(String strategy) {
    EcsService s = new EcsService();
    s.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
    s.setSpec(new KubernetesSerialization().unmarshal("cluster: c\ntaskDefinition: web\ncapacityProviderStrategy: "
        + strategy, EcsServiceSpec.class));
    return s;
  }

  private void provider(String name, String awsName, Health health) {
    EcsCapacityProvider p = new EcsCapacityProvider();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withGeneration(1L).build());
    p.setSpec(new KubernetesSerialization().unmarshal("name: " + awsName + "\nautoScalingGroupProvider: "
        + "{autoScalingGroupArn: g}", io.ecsbridge.api.v1alpha1.EcsCapacityProviderSpec.class));
    if (health != null) {
      p.setStatus(new EcsCapacityProviderStatus());
      Conditions.apply(p.getStatus(), health, 1L, Clock.systemUTC());
    }
    cache.put("shop/" + name, p);
  }

  @Test
  void aReferenceWaitsUntilItsProviderIsReadyAndFollowsItsStall() {
    EcsService web = service("[{capacityProvider: FARGATE}, {capacityProviderRef: {name: workers}, weight: 2}]");
    assertThat(refs.resolve(web, null).verdict()).isEqualTo(Health.progressing("ReferenceNotReady",
        "EcsCapacityProvider workers does not exist"));
    provider("workers", "prod-workers", Health.progressing("Provisioning", "creating"));
    assertThat(refs.resolve(web, null).verdict().reason()).isEqualTo("ReferenceNotReady");
    provider("workers", "prod-workers", Health.stalled("AccessDenied", "no"));
    assertThat(refs.resolve(web, null).verdict()).isEqualTo(Health.stalled("DependencyStalled",
        "EcsCapacityProvider workers is Stalled (AccessDenied): no"));
    provider("workers", "prod-workers", Health.ready("Synced", "ok"));
    assertThat(refs.resolve(web, null)).isEqualTo(new CapacityProviderRefs.Resolved(
        Map.of("workers", "prod-workers"), null));
  }

  @Test
  void theServiceSpecEcsGetsNamesTheProvider() {
    EcsService web = service("[{capacityProvider: FARGATE}, {capacityProviderRef: {name: workers}, weight: 2}]");
    web.getSpec().setRegion("eu-west-1");
    EcsServiceSpec resolved = CapacityProviderRefs.serviceSpec(web.getSpec(), Map.of("workers", "prod-workers"));
    assertThat(resolved.capacityProviderStrategy).extracting(i -> i.capacityProvider, i -> i.capacityProviderRef)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("FARGATE", null),
            org.assertj.core.groups.Tuple.tuple("prod-workers", null));
    assertThat(resolved.capacityProviderStrategy.get(1).weight).isEqualTo(2);
    assertThat(resolved.getRegion()).isEqualTo("eu-west-1");
    assertThat(web.getSpec().capacityProviderStrategy.get(1).capacityProviderRef.name).as("the spec itself")
        .isEqualTo("workers");
    EcsService plain = service("[{capacityProvider: FARGATE}]");
    assertThat(CapacityProviderRefs.serviceSpec(plain.getSpec(), Map.of())).isSameAs(plain.getSpec());
  }
}
