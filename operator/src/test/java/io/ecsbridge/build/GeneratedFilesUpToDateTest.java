package io.ecsbridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed files generated from the list of kinds (the chart's kinds.yaml, the IAM policy) are current. */
class GeneratedFilesUpToDateTest {
  static Stream<Arguments> generatedFiles() {
    return GeneratedFiles.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("generatedFiles")
  void committedCopyIsWhatTheListOfKindsGenerates(String path, String generated) throws IOException {
    Path committed = Repo.root().resolve(path);
    assertThat(committed).as(path + " (run `make crds` and commit the result)").exists();
    assertThat(Files.readString(committed))
        .as(path + " is stale against io.ecsbridge.kinds.Kinds: run `make crds` and commit the result")
        .isEqualTo(generated);
  }
}
