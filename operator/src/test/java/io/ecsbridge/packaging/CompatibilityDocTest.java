package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.ControlPlane;
import io.ecsbridge.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The documented range of Kubernetes versions is the one the tests run against (the two pinned Go modules). */
class CompatibilityDocTest {
  @Test
  void operationsAndReadmeNameThePinnedVersions() throws IOException {
    String oldest = ControlPlane.pinnedVersion("oldest");
    String newest = ControlPlane.pinnedVersion("newest");
    String range = "Kubernetes " + minor(oldest) + " to " + minor(newest);

    String operations = Files.readString(Repo.root().resolve("docs/operations.md"));
    assertThat(operations).contains("## Compatibility", "**" + range + "**", "**" + oldest + "**",
        "**" + newest + "**");
    assertThat(Files.readString(Repo.root().resolve("README.md")))
        .contains("compatibility (" + range + ", both tested)");
  }

  /** {@code v1.32.13} to {@code 1.32}. */
  private static String minor(String version) {
    return version.substring(1, version.lastIndexOf('.'));
  }
}
