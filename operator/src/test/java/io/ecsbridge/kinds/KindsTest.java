package io.ecsbridge.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.kinds.Kinds.Kind;
import io.ecsbridge.testing.Repo;
import io.ecsbridge.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The list of kinds is complete and consistent: one entry per CRD, distinct names, a sample each. */
class KindsTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static List<CustomResourceDefinition> crds() throws IOException {
    try (Stream<Path> files = Files.list(Repo.root().resolve("crds"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().map(f -> {
        try {
          return YAML.unmarshal(Files.readString(f), CustomResourceDefinition.class);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  @Test
  void oneEntryPerCustomResourceDefinition() throws IOException {
    assertThat(Kinds.ALL).extracting(Kind::crdName)
        .as("every CRD the model generates (crds/) has its line in Kinds.ALL, and no other kind is listed")
        .containsExactlyInAnyOrderElementsOf(crds().stream().map(c -> c.getMetadata().getName()).toList());
    for (CustomResourceDefinition crd : crds()) {
      Kind<?> kind = Kinds.ALL.stream().filter(k -> k.crdName().equals(crd.getMetadata().getName())).findFirst()
          .orElseThrow();
      assertThat(kind.kind()).isEqualTo(crd.getSpec().getNames().getKind());
      assertThat(kind.plural()).isEqualTo(crd.getSpec().getNames().getPlural());
      assertThat(kind.shortNames()).isEqualTo(crd.getSpec().getNames().getShortNames());
    }
  }

  @Test
  void namesAreDistinct() {
    assertThat(Kinds.ALL).extracting(Kind::kind).doesNotHaveDuplicates();
    assertThat(Kinds.ALL).extracting(Kind::controllerName).doesNotHaveDuplicates();
    assertThat(Kinds.ALL).flatExtracting(Kind::shortNames).as("kubectl short names").doesNotHaveDuplicates();
  }

  @Test
  void everyKindListsItsAwsActionsOnce() {
    for (Kind<?> kind : Kinds.ALL) {
      assertThat(kind.awsActions()).as(kind.kind()).isNotEmpty().doesNotHaveDuplicates()
          .allSatisfy(a -> assertThat(a).matches("[a-z-]+:[A-Z][A-Za-z]+"));
    }
  }

  @Test
  void everyKindHasItsSample() throws IOException {
    for (Kind<?> kind : Kinds.ALL) {
      Path sample = Samples.of(kind);
      assertThat(sample).as("the sample of " + kind.kind()).exists();
      assertThat(YAML.unmarshal(Files.readString(sample), GenericKubernetesResource.class).getKind())
          .as(sample.toString()).isEqualTo(kind.kind());
    }
  }
}
