package io.ecsbridge.bench;

import io.ecsbridge.testing.ImageRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as its own process, started from the built jar as the chart runs it (java -jar, the chart's JVM
 * options with the chart's 512 MiB memory limit given to the JVM as MaxRAM), or from an image's file system by its
 * entrypoint (a directory laid out by hack/image/extract.sh), so that its memory and CPU are read from /proc alone
 * ({@link Controller}).
 */
final class OperatorJar implements Controller {
  /** A kubeconfig line that names a certificate or key file. */
  private static final Pattern KUBECONFIG_FILE =
      Pattern.compile("^(\\s*)(certificate-authority|client-certificate|client-key): (\\S+)$");
  /** The chart's JAVA_TOOL_OPTIONS, and its memory limit (resources.limits.memory) as the JVM's idea of RAM. */
  static final String CHART_JVM_OPTIONS = "-XX:MaxRAM=512m -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xmn8m "
      + "-XX:InitialHeapSize=24m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TieredStopAtLevel=1 -XX:TrimNativeHeapInterval=15000 "
      + "-XX:+ExitOnOutOfMemoryError -Dsun.reflect.inflationThreshold=1000000";
  private final Process process;
  private final long startedNanos;
  private final AtomicLong metricsReads = new AtomicLong();
  private final int port;

  private OperatorJar(Process process, long startedNanos, int port) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.port = port;
  }

  /**
   * The operator's environment on the embedded stack: its kubeconfig, moto as its AWS, the namespace it watches, a
   * 1 h resync period (resyncs are forced, but in the bench's periodic phase), then the settings given as
   * {@code NAME=value,...} (a system property's value: bench.settings, loop.settings).
   */
  static Map<String, String> environment(Path kubeconfig, java.net.URI aws, String namespace, String settings) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("AWS_ENDPOINT_URL", aws.toString());
    env.put("AWS_REGION", io.ecsbridge.testing.TestEnvironment.REGION);
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("ECSBRIDGE_WATCH_NAMESPACES", namespace);
    env.put("ECSBRIDGE_INSTANCE_ID", "bench");
    env.put("ECSBRIDGE_RESYNC_PERIOD", "1h");
    for (String s : settings.split(",")) {
      if (s.contains("=")) {
        env.put(s.substring(0, s.indexOf('=')).trim(), s.substring(s.indexOf('=') + 1).trim());
      }
    }
    return env;
  }

  static OperatorJar start(Path jar, String jvmOptions, Map<String, String> env, int port, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    Map<String, String> environment = new LinkedHashMap<>();
    if (Files.isDirectory(jar) && Files.exists(jar.resolve("env"))) {
      // the image's own environment first (its config's Env, as a container runtime gives it), then the bench's; not
      // its PATH, which would hide this machine's unshare and chroot (ImageRoot; the entrypoint's java is absolute)
      for (String line : Files.readAllLines(jar.resolve("env"))) {
        if (line.contains("=") && !line.startsWith("PATH=")) {
          environment.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
      }
    }
    environment.putAll(env);
    String serviceAccount = environment.remove(PodIdentity.MOUNT);
    if (Files.isDirectory(jar)) {
      // an image laid out by hack/image/extract.sh (DIR/rootfs, DIR/entrypoint): its entrypoint run in its own file
      // system as a container's runtime would (ImageRoot), with a pod's ServiceAccount (PodIdentity) or the
      // kubeconfig copied in
      Path rootfs = jar.resolve("rootfs");
      if (serviceAccount != null) {
        PodIdentity.mount(Path.of(serviceAccount), rootfs); // and no KUBECONFIG (below)
      } else {
        Files.deleteIfExists(rootfs.resolve(PodIdentity.MOUNT_PATH).resolve("token"));
        Files.writeString(rootfs.resolve("tmp/kubeconfig"), selfContained(Path.of(env.get("KUBECONFIG"))));
        environment.put("KUBECONFIG", "/tmp/kubeconfig");
      }
      command.addAll(ImageRoot.command(rootfs, Files.readAllLines(jar.resolve("entrypoint"))));
    } else {
      // a jar outside a pod: its kubeconfig, even when the images beside it run as in a pod
      environment.remove("KUBERNETES_SERVICE_HOST");
      environment.remove("KUBERNETES_SERVICE_PORT");
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-jar");
      command.add(jar.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().putAll(environment);
    if (serviceAccount != null && Files.isDirectory(jar)) {
      pb.environment().remove("KUBECONFIG"); // neither the stack's nor this process's own
    }
    pb.environment().put("JAVA_TOOL_OPTIONS", jvmOptions);
    pb.environment().put("ECSBRIDGE_HTTP_PORT", String.valueOf(port));
    pb.environment().put("ECSBRIDGE_HTTP_ADDRESS", "127.0.0.1");
    long started = System.nanoTime();
    return new OperatorJar(Endpoints.stoppedAtExit(pb.start()), started, port);
  }

  /** A kubeconfig whose certificate and key files are given as data instead (those files are outside an image). */
  private static String selfContained(Path kubeconfig) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(kubeconfig)) {
      Matcher m = KUBECONFIG_FILE.matcher(line);
      sb.append(m.matches() ? m.group(1) + m.group(2) + "-data: " + Base64.getEncoder()
          .encodeToString(Files.readAllBytes(Path.of(m.group(3)))) : line).append('\n');
    }
    return sb.toString();
  }

  @Override
  public long pid() {
    return process.pid();
  }

  /** Seconds from the process's start to /readyz answering 200 (polled every 10 ms). */
  @Override
  public double awaitReady(Duration limit) throws InterruptedException {
    return Endpoints.awaitReady(process, startedNanos, uri("/readyz"), limit);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The operator's AWS call counter now. */
  @Override
  public AwsCalls calls() {
    return AwsCalls.parse(metrics());
  }

  /** The operator's passes by kind now (JOSDK's, less deferred resyncs). */
  Passes passes() {
    return Passes.parse(metrics());
  }

  /** The sum of every series of the metric {@code name} (e.g. the budget waits' _sum). */
  double metric(String name) {
    return metrics(name).get(name);
  }

  /** Each of {@code names}' sums of every series, from one read of /metrics. */
  Map<String, Double> metrics(String... names) {
    Map<String, Double> sums = new LinkedHashMap<>();
    for (String name : names) {
      sums.put(name, 0.0);
    }
    for (String line : metrics().split("\n")) {
      for (String name : names) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          sums.merge(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
        }
      }
    }
    return sums;
  }

  private String metrics() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the operator exited (" + process.exitValue() + "): see its log");
    }
    metricsReads.incrementAndGet();
    return Endpoints.body(uri("/metrics"));
  }

  /** How many times the bench has read the operator's /metrics (each read costs the operator CPU: see below). */
  long metricsReads() {
    return metricsReads.get();
  }

  /**
   * The operator's CPU per /metrics read (ms): {@code reads} reads one after the other, as a Prometheus scrape
   * would make them (it counts every resource's conditions, {@code ResourceConditions}), and the CPU they took.
   */
  double cpuMillisPerMetricsRead(int reads) {
    double before = cpuSeconds();
    for (int i = 0; i < reads; i++) {
      metrics();
    }
    return (cpuSeconds() - before) * 1000 / reads;
  }

  @Override
  public void close() {
    Endpoints.stop(process); // SIGTERM: the operator stops in order
  }
}
