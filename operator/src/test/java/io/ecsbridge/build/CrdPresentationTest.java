package io.ecsbridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.PrinterColumns;
import io.ecsbridge.testing.Repo;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What users see of the committed CRDs (crds/, the YAML they apply): `kubectl get` columns in kubectl's order and
 * `kubectl explain` text on every field. The API server's own rendering of both is PresentationIT's.
 */
class CrdPresentationTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  static Stream<CustomResourceDefinition> crds() throws IOException {
    try (Stream<Path> files = Files.list(Repo.root().resolve("crds"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().map(f -> {
        try {
          return YAML.unmarshal(Files.readString(f), CustomResourceDefinition.class);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList().stream();
    }
  }

  private static String kind(CustomResourceDefinition crd) {
    return crd.getSpec().getNames().getKind();
  }

  private static List<CustomResourceColumnDefinition> columns(CustomResourceDefinition crd, int priority) {
    return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .filter(c -> c.getPriority() == priority).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crds")
  void defaultColumnsAreReadyFirstThenReasonAndAgeLast(CustomResourceDefinition crd) {
    List<CustomResourceColumnDefinition> shown = columns(crd, 0);
    assertThat(shown).as(kind(crd) + " default columns").hasSizeGreaterThanOrEqualTo(3);
    assertThat(shown.get(0).getName()).isEqualTo("Ready");
    assertThat(shown.get(0).getJsonPath()).isEqualTo(PrinterColumns.READY);
    assertThat(shown.get(shown.size() - 2).getName()).isEqualTo("Reason");
    assertThat(shown.get(shown.size() - 2).getJsonPath()).isEqualTo(PrinterColumns.REASON);
    assertThat(shown.get(shown.size() - 1).getName()).isEqualTo("Age");
    assertThat(shown.get(shown.size() - 1).getType()).isEqualTo("date");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crds")
  void wideColumnsComeAfterAgeAndIncludeTheAccountOfNamespacedKinds(CustomResourceDefinition crd) {
    List<CustomResourceColumnDefinition> all = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    int age = all.indexOf(columns(crd, 0).get(columns(crd, 0).size() - 1));
    assertThat(all.subList(age + 1, all.size())).as(kind(crd) + ": -o wide columns, after AGE as kubectl's own")
        .isNotEmpty().allSatisfy(c -> assertThat(c.getPriority()).isEqualTo(1));
    if ("Namespaced".equals(crd.getSpec().getScope())) {
      assertThat(columns(crd, 1)).as(kind(crd) + " -o wide").anySatisfy(c -> {
        assertThat(c.getName()).isEqualTo("Account");
        assertThat(c.getJsonPath()).isEqualTo(".status.accountId");
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crds")
  void kindSpecAndStatusAreDescribed(CustomResourceDefinition crd) {
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    assertThat(root.getDescription()).as("kubectl explain " + kind(crd)).isNotBlank();
    assertThat(root.getProperties().get("spec").getDescription()).as("... .spec").isNotBlank();
    assertThat(root.getProperties().get("status").getDescription()).as("... .status").isNotBlank();
  }

  /**
   * Every property at any depth has a description. The items of an array and the values of a map are described
   * by the array's or map's own description (kubectl explain shows that one); their properties are checked.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("crds")
  void everyFieldIsDescribed(CustomResourceDefinition crd) {
    List<String> undescribed = new ArrayList<>();
    undescribed(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), kind(crd), undescribed);
    assertThat(undescribed).as("fields kubectl explain shows as <empty> (add @JsonPropertyDescription)").isEmpty();
  }

  private static void undescribed(JSONSchemaProps schema, String path, List<String> out) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      out.add(path);
    }
    children(schema, path, out);
  }

  private static void children(JSONSchemaProps schema, String path, List<String> out) {
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (properties != null) {
      properties.forEach((name, p) -> undescribed(p, path + "." + name, out));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      children(schema.getItems().getSchema(), path + "[]", out);
    }
    if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
      children(schema.getAdditionalProperties().getSchema(), path + "{}", out);
    }
  }
}
