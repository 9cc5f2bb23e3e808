package io.ecsbridge;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Properties;

/**
 * The operator's version and git revision, written into build-info.properties by the build: printed by
 * {@code --version}, logged at start-up and exposed as the gauge {@code ecsbridge_build_info{version,revision} 1}.
 */
public record BuildInfo(String version, String revision) {
  public static final String METRIC = "ecsbridge.build.info";
  private static final String UNKNOWN = "unknown";

  /** The build's own, from the classpath; "unknown" for what the build did not fill in (no git at build time). */
  public static BuildInfo current() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build-info.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(filled(p.getProperty("version")), filled(p.getProperty("revision")));
  }

  static String filled(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? UNKNOWN : value.trim();
  }

  /** {@code ecs-bridge 0.1.0 (revision 1a2b3c4)}. */
  @Override
  public String toString() {
    return "ecs-bridge " + version + " (revision " + revision + ")";
  }

  /** True when the arguments ask for the version (--version or -V); it is printed on {@code out}. */
  public boolean printIfAsked(String[] args, PrintStream out) {
    if (Arrays.stream(args).noneMatch(a -> a.equals("--version") || a.equals("-V"))) {
      return false;
    }
    out.println(this);
    return true;
  }

  /** The info gauge: always 1, the build in its labels (Prometheus's *_build_info convention). */
  public void register(MeterRegistry registry) {
    Gauge.builder(METRIC, () -> 1)
        .description("The running ecs-bridge build: its version and git revision as labels; always 1")
        .tag("version", version).tag("revision", revision)
        .register(registry);
  }
}
