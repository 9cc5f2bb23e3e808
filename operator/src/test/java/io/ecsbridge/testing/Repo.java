package io.ecsbridge.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root folder, from the build (system property) or by walking up to the Makefile. */
public final class Repo {
  private Repo() {}

  public static Path root() {
    String prop = System.getProperty("ecsbridge.repo.root");
    if (prop != null) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("hack/kube-bin/build.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root");
    }
    return p;
  }
}
