package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.BuildInfo;
import io.ecsbridge.testing.Repo;
import io.ecsbridge.testing.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `java -jar ecs-bridge.jar --version`: the packaged jar prints its version and git revision and exits 0. */
class VersionFlagIT {
  @Test
  void theJarPrintsItsVersionAndRevision() {
    Path jar = Repo.root().resolve("operator/target/ecs-bridge.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Tools.Output out = Tools.run(List.of(java.toString(), "-jar", jar.toString(), "--version"), null,
        Map.of("JAVA_TOOL_OPTIONS", ""), 1);
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    BuildInfo build = BuildInfo.current();
    assertThat(out.stdout().trim()).isEqualTo("ecs-bridge " + build.version() + " (revision " + build.revision()
        + ")").doesNotContain("unknown");
    // nothing else starts: no log line, no connection attempt
    assertThat(out.stderr()).doesNotContain("Kubernetes");
  }
}
