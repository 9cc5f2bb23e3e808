package io.ecsbridge.testing;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, as Testcontainers finds it (DOCKER_HOST, the default socket,
 * ~/.testcontainers.properties). The k3s profile runs {@link #main} before Failsafe: its one line is what the build
 * prints (it logs Testcontainers' search into target/k3s-docker-probe.log), and without an engine Failsafe is skipped. {@link K3sControlPlane} asks the same question, so a test run
 * some other way (an IDE) is skipped with the same line.
 */
public final class DockerProbe {
  private DockerProbe() {
  }

  /** Null when a Docker engine answers, else why not. */
  static String unavailableReason() {
    try {
      DockerClientFactory.instance().client();
      return null;
    } catch (RuntimeException e) {
      return "DockerClientFactory: " + e.getMessage();
    }
  }

  /** The one line the k3s profile prints when no Docker engine answers. */
  static String skippedLine(String reason) {
    return "k3s profile: no Docker engine answers (" + reason + "): integration tests skipped";
  }

  /**
   * Writes into the properties file {@code args[0]}, for the profile's Ant step: {@code ecsbridge.k3s.line} (the one
   * line), {@code ecsbridge.k3s.level} (its log level), and {@code skipITs=true} when no Docker engine answers.
   */
  public static void main(String[] args) throws Exception {
    String reason = unavailableReason();
    Properties out = new Properties();
    if (reason != null) {
      out.setProperty("ecsbridge.k3s.line", skippedLine(reason));
      out.setProperty("ecsbridge.k3s.level", "warning");
      out.setProperty("skipITs", "true");
    } else {
      out.setProperty("ecsbridge.k3s.line", "k3s profile: Docker engine "
          + DockerClientFactory.instance().getInfo().getServerVersion() + " answers at "
          + DockerClientFactory.instance().getTransportConfig().getDockerHost()
          + ": integration tests run on " + K3sControlPlane.image());
      out.setProperty("ecsbridge.k3s.level", "info");
    }
    try (Writer w = Files.newBufferedWriter(Path.of(args[0]))) {
      out.store(w, "written by io.ecsbridge.testing.DockerProbe");
    }
    // Testcontainers leaves non-daemon threads behind
    System.exit(0);
  }
}
