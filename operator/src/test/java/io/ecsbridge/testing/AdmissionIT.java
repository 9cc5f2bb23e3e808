package io.ecsbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.provider.Arguments;

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

  /**
   * Tag sets AWS refuses (ECS and ECR TagResource: keys 1 to 128 characters, values up to 256, aws: reserved in any
   * case), as (case name, tags YAML, expected message); with {@code ecsCharacters} also those outside ECS's
   * documented character set (letters, digits, spaces and _ . : / = + - @).
   */
  public static Stream<Arguments> tagsAwsRefuses(boolean ecsCharacters) {
    List<Arguments> cases = new ArrayList<>(List.of(
        Arguments.of("value-over-256", "tags: {team: '%s'}".formatted("v".repeat(257)), "Too long"),
        Arguments.of("key-over-128", "tags: {'%s': x}".formatted("k".repeat(129)),
            "tag keys are 1 to 128 characters long"),
        Arguments.of("empty-key", "tags: {'': x}", "tag keys are 1 to 128 characters long"),
        Arguments.of("aws-upper-case", "tags: {'AWS:team': x}",
            "tag keys starting with ecsbridge.io/ or aws: are reserved"),
        Arguments.of("aws-mixed-case", "tags: {'Aws:team': x}",
            "tag keys starting with ecsbridge.io/ or aws: are reserved")));
    if (ecsCharacters) {
      cases.add(Arguments.of("key-character", "tags: {'team#1': x}",
          "tag keys and values may contain only letters, digits, spaces and _ . : / = + - @"));
      cases.add(Arguments.of("value-character", "tags: {team: 'a;b'}",
          "tag keys and values may contain only letters, digits, spaces and _ . : / = + - @"));
      cases.add(Arguments.of("value-newline", "tags: {team: \"a\\nb\"}",
          "tag keys and values may contain only letters, digits, spaces and _ . : / = + - @"));
    }
    return cases.stream();
  }

  /** Tags at AWS's limits, which must be accepted: a 128-character key, a 256-character value. */
  public static String tagsAtAwsLimits(boolean ecsCharacters) {
    return "tags: {'%s': '%s', 'équipe': 'Zürich 1', 'aws-team': x, 'a b': ''%s}".formatted("k".repeat(128),
        "v".repeat(256), ecsCharacters ? "" : ", 'team #1': 'a;b'");
  }
}
