package io.ecsbridge.testing;

import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterStatus;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;

/** EcsClusters for unit tests of what reads clusters (the read-aheads): no API server. */
public final class TestClusters {
  private TestClusters() {}

  /** An EcsCluster in namespace ns at generation 1 and the given resourceVersion, Ready (or Provisioning) at it. */
  public static EcsCluster atGeneration(String name, String resourceVersion, boolean ready) {
    EcsCluster c = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsCluster
        metadata: {name: %s, namespace: ns, generation: 1, resourceVersion: "%s"}
        spec: {}
        """.formatted(name, resourceVersion), EcsCluster.class);
    c.setStatus(new EcsClusterStatus());
    Conditions.apply(c.getStatus(), ready ? Health.ready("Synced", "in sync")
        : Health.progressing("Provisioning", "not yet"), 1L, Clock.systemUTC());
    c.getStatus().setObservedGeneration(1L);
    return c;
  }
}
