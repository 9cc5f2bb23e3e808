package io.ecsbridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The build's version and git revision: filled in by the build, printed by --version, exported as a gauge. */
class BuildInfoTest {
  @Test
  void theBuildFillsInThePomVersionAndTheGitRevision() throws Exception {
    BuildInfo info = BuildInfo.current();
    Matcher version = Pattern.compile("<version>([^<]+)</version>")
        .matcher(Files.readString(Repo.root().resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    assertThat(info.version()).isEqualTo(version.group(1));
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(Repo.root().toFile()).start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0) {
      // the revision of the last build: HEAD, or a commit made since (then not older than HEAD's history)
      assertThat(info.revision()).hasSize(12).matches("[0-9a-f]{12}");
      assertThat(new ProcessBuilder("git", "merge-base", "--is-ancestor", info.revision(), head)
          .directory(Repo.root().toFile()).start().waitFor()).isZero();
    }
  }

  @Test
  void versionFlagPrintsVersionAndRevision() {
    BuildInfo info = new BuildInfo("1.2.3", "0123456789ab");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(info.printIfAsked(new String[] {"--version"}, new PrintStream(out, true, StandardCharsets.UTF_8)))
        .isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ecs-bridge 1.2.3 (revision 0123456789ab)"
        + System.lineSeparator());
    assertThat(info.printIfAsked(new String[] {"--log-format", "json", "-V"},
        new PrintStream(new ByteArrayOutputStream()))).isTrue();
    assertThat(info.printIfAsked(new String[] {"--log-format", "json"}, new PrintStream(out))).isFalse();
    assertThat(info.printIfAsked(new String[] {}, new PrintStream(out))).isFalse();
  }

  @Test
  void unfilledPropertiesSayUnknown() {
    assertThat(BuildInfo.filled("${buildNumber}")).isEqualTo("unknown");
    assertThat(BuildInfo.filled("")).isEqualTo("unknown");
    assertThat(BuildInfo.filled(null)).isEqualTo("unknown");
    assertThat(BuildInfo.filled(" 0.2.0 ")).isEqualTo("0.2.0");
  }

  @Test
  void theGaugeIsOneWithTheBuildAsLabels() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new BuildInfo("1.2.3", "0123456789ab").register(registry);
    assertThat(registry.scrape())
        .contains("# HELP ecsbridge_build_info The running ecs-bridge build")
        .contains("ecsbridge_build_info{revision=\"0123456789ab\",version=\"1.2.3\"} 1");
  }
}
