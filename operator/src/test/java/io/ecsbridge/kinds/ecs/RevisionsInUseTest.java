package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which revisions EcsServices run, read from their status as generic resources. */
class RevisionsInUseTest {

  private static GenericKubernetesResource service(String status) {
    return new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsService
        metadata: {name: s, namespace: ns}
        %s
        """.formatted(status), GenericKubernetesResource.class);
  }

  @Test
  void theCurrentAndEveryDeploymentsTaskDefinitionAreInUse() {
    String arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:";
    assertThat(RevisionsInUse.arnsOf(List.of(
        service("""
            status:
              taskDefinition: %s3
              deployments:
              - {id: ecs-svc/1, status: PRIMARY, taskDefinition: %s3}
              - {id: ecs-svc/2, status: ACTIVE, taskDefinition: %s2}
            """.formatted(arn, arn, arn)),
        service("status: {taskDefinition: %s7}".formatted(arn)),
        service("spec: {desiredCount: 1}"))))
        .containsExactlyInAnyOrder(arn + "3", arn + "2", arn + "7");
  }
}
