package io.ecsbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the admission tests: resources of one kind sent to the real API server (CRDs from crds/, no operator
 * running), so that the schema and every CEL rule are judged by the API server itself. One namespace per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AdmissionIT {
  protected final KubernetesClient k8s = TestEnvironment.get().kube().client();
  protected String namespace;
  private final String kind;

  protected AdmissionIT(String kind) {
    this.kind = kind;
  }

  @BeforeAll
  void createNamespace() {
    namespace = "v-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  /** Creates the resource {@code name} with this spec (YAML), or updates it when it exists. */
  protected GenericKubernetesResource apply(String name, String spec) {
    String yaml = """
        apiVersion: ecsbridge.io/v1alpha1
        kind: %s
        metadata:
          name: %s
          namespace: %s
        spec:
        %s
        """.formatted(kind, name, namespace, spec.indent(2));
    GenericKubernetesResource r = k8s.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    return k8s.resource(r).createOr(x -> x.update());
  }

  /** The API server refuses the spec (422) with a message containing {@code message}. */
  protected void rejected(String name, String spec, String message) {
    assertThatThrownBy(() -> apply(name, spec))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }
}
