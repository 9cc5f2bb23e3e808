package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.testing.AdmissionIT;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

/**
 * A typed read-modify-write of an EcsService through our Java model that changes nothing leaves its generation alone
 * on the real API server: a spec read into the model and written back is the same spec (a whole-number
 * {@code targetValue} once came back as {@code 60.0}, a new generation for nothing).
 */
class TypedRoundTripIT extends AdmissionIT {
  TypedRoundTripIT() {
    super("EcsService");
  }

  @Test
  void anUnchangedTypedUpdateKeepsTheGeneration() {
    GenericKubernetesResource created = apply("round-trip", """
        clusterRef: {name: demo}
        taskDefinitionRef: {name: web}
        desiredCount: 2
        autoScaling:
          minCapacity: 2
          maxCapacity: 10
          targetTrackingPolicies: [{name: cpu60, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60}]
        """);
    long generation = created.getMetadata().getGeneration();

    EcsService typed = k8s.resources(EcsService.class).inNamespace(namespace).withName("round-trip").get();
    EcsService updated = k8s.resources(EcsService.class).resource(typed).update();

    assertThat(updated.getMetadata().getGeneration()).isEqualTo(generation);
  }
}
