package io.ecsbridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD YAML (crds/ and the Helm chart's copy) must be what the Java model generates, finished by
 * {@link CrdFinish} (column order, root/spec/status descriptions).
 */
class CrdsUpToDateTest {

  private static List<Path> yaml(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  private static void sameAsGenerated(Path committedDir) throws IOException {
    Path generated = Path.of(System.getProperty("ecsbridge.generated.crds", "target/crds"));
    Map<String, String> expected = CrdFinish.finishAll(generated);
    assertThat(expected).as("generated CRDs in " + generated).isNotEmpty();
    assertThat(yaml(committedDir).stream().map(p -> p.getFileName().toString()))
        .as("CRD files in " + committedDir + " (run `make crds`)")
        .containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, String> g : expected.entrySet()) {
      assertThat(Files.readString(committedDir.resolve(g.getKey())))
          .as(committedDir.resolve(g.getKey()) + " is stale: run `make crds` and commit the result")
          .isEqualTo(g.getValue());
    }
  }

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    sameAsGenerated(Repo.root().resolve("crds"));
  }

  @Test
  void helmChartCrdsMatchTheModel() throws IOException {
    Path chart = Repo.root().resolve("helm/ecs-bridge/crds");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(chart), "no Helm chart yet");
    sameAsGenerated(chart);
  }
}
