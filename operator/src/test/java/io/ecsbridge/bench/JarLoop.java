package io.ecsbridge.bench;

import io.ecsbridge.testing.ControlPlane;
import io.ecsbridge.testing.MotoServer;
import io.ecsbridge.testing.Repo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "jar loop" of docs/operations.md's "Footprint levers": the embedded stack (kube-apiserver + etcd, moto) once,
 * then the operator's jar started against it again and again, each variant in turn (A B A B ...), every start
 * measured as the bench measures its start-up and idle phase ({@link OperatorJar}: process start to /readyz 200,
 * CPU seconds to ready from /proc/PID/stat, VmRSS 10 s after ready), plus the classes loaded by then ({@code jstat
 * -class}). No resources are applied: the figures of an empty, idle operator.
 *
 * <p>Settings (system properties): loop.variants, {@code label=jar[|jvm options[|NAME=value,...]]} separated by
 * {@code ;}: the chart's options when none are given, options after a {@code +} added to the chart's, and settings of
 * that variant alone after a second {@code |} (so options hold no {@code |}; JAVA_TOOL_OPTIONS and ECSBRIDGE_HTTP_* are
 * the loop's own); instead of a jar, a directory laid out by hack/image/extract.sh starts
 * an image's entrypoint in its own file system, with the image's environment. loop.runs (2 per variant),
 * loop.idleSeconds (10), loop.settings (operator settings for every start, NAME=value,...: e.g.
 * ECSBRIDGE_LOG_FORMAT=json, the chart's), loop.pod (false; true: an image's variants start as in a pod, with a
 * ServiceAccount's token instead of a kubeconfig: {@link PodIdentity}), loop.inspect (false; true: at the RSS
 * reading, {@code smaps-<variant>-<run>.txt} (/proc/PID/smaps) and {@code inspect-<variant>-<run>.txt} with
 * /proc's smaps_rollup and status, and for a jar jcmd's native memory summary, threads, heap and class histogram).
 */
public final class JarLoop {
  private JarLoop() {}

  public static void main(String[] args) throws Exception {
    Map<String, String[]> variants = new LinkedHashMap<>();
    for (String v : System.getProperty("loop.variants", "").split(";")) {
      if (v.isBlank()) {
        continue;
      }
      String label = v.substring(0, v.indexOf('='));
      String rest = v.substring(v.indexOf('=') + 1);
      String[] parts = rest.split("\\|", 3); // path[|jvm options[|NAME=value,... for this variant alone]]
      String options = parts.length < 2 || parts[1].isBlank() ? OperatorJar.CHART_JVM_OPTIONS
          : parts[1].startsWith("+") ? OperatorJar.CHART_JVM_OPTIONS + " " + parts[1].substring(1).strip() : parts[1];
      variants.put(label, new String[] {parts[0], options, parts.length > 2 ? parts[2] : ""});
    }
    int runs = Integer.getInteger("loop.runs", 2);
    int idle = Integer.getInteger("loop.idleSeconds", 10);
    Path out = Repo.root().resolve("operator/target/bench");
    Files.createDirectories(out);
    List<String> lines = new ArrayList<>();
    try (ControlPlane kube = ControlPlane.start(); MotoServer moto = MotoServer.start(1)) {
      kube.installCrds();
      kube.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata()
          .build()).create();
      Path kubeconfig = out.resolve("kubeconfig-loop");
      Files.writeString(kubeconfig, kube.kubeconfig());
      Map<String, String> env = OperatorJar.environment(kubeconfig, moto.endpoint(), "bench",
          System.getProperty("loop.settings", ""));
      if (Boolean.getBoolean("loop.pod")) {
        env = PodIdentity.of(kube.client(), kube.kubeconfig(), out.resolve("pod-serviceaccount"), env);
      }
      for (int run = 1; run <= runs; run++) {
        for (var variant : variants.entrySet()) {
          String load = Measures.loadAverage();
          Path log = out.resolve("loop-" + variant.getKey() + "-" + run + ".log");
          Map<String, String> variantEnv = new LinkedHashMap<>(env);
          for (String setting : variant.getValue()[2].split(",")) {
            if (setting.contains("=")) {
              variantEnv.put(setting.substring(0, setting.indexOf('=')).trim(),
                  setting.substring(setting.indexOf('=') + 1).trim());
            }
          }
          try (OperatorJar operator = OperatorJar.start(Path.of(variant.getValue()[0]), variant.getValue()[1],
              variantEnv, Measures.freePort(), log)) {
            double ready = operator.awaitReady(Duration.ofMinutes(2));
            double cpu = operator.cpuSeconds();
            String classes = loadedClasses(operator.pid());
            Thread.sleep(idle * 1000L);
            String line = String.format("%s run %d: ready %.2f s, CPU to ready %.2f s, classes at ready %s, "
                + "RSS %ds after %.1f MiB, load %s", variant.getKey(), run, ready, cpu, classes, idle,
                operator.rssMiB(), load);
            System.out.println("[loop] " + line);
            if (Boolean.getBoolean("loop.inspect")) {
              inspect(operator.pid(), variant.getKey() + "-" + run, out, Files.isDirectory(Path.of(variant.getValue()[0])));
            }
            lines.add(line);
          }
        }
      }
    }
    Files.write(out.resolve("loop.txt"), lines, StandardCharsets.UTF_8);
    System.exit(0);
  }

  private static void inspect(long pid, String label, Path out, boolean image)
      throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    StringBuilder sb = new StringBuilder();
    // /proc first: the class histogram below runs a full collection, which changes what is resident
    sb.append("=== smaps_rollup\n").append(Files.readString(Path.of("/proc/" + pid + "/smaps_rollup")));
    sb.append("=== status\n").append(Files.readString(Path.of("/proc/" + pid + "/status")));
    Files.writeString(out.resolve("smaps-" + label + ".txt"), Files.readString(Path.of("/proc/" + pid + "/smaps")));
    // jcmd cannot reach an image's JVM (its attach socket is in the image's own /tmp): it would wait some 10 s a command
    String[][] commands = image ? new String[0][]
        : new String[][] {{"VM.native_memory", "summary"}, {"Thread.print"}, {"GC.heap_info"}, {"GC.class_histogram"},
            {"GC.heap_info"}};
    for (String[] c : commands) {
      List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
      cmd.addAll(List.of(c));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      sb.append("=== ").append(String.join(" ", c)).append('\n')
          .append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      p.waitFor();
    }
    Files.writeString(out.resolve("inspect-" + label + ".txt"), sb.toString());
  }

  /** The classes loaded so far, from the JVM's performance counters ({@code jstat -class PID}: Loaded). */
  private static String loadedClasses(long pid) throws IOException, InterruptedException {
    Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
    Process p = new ProcessBuilder(jstat.toString(), "-class", String.valueOf(pid)).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    String[] rows = text.strip().split("\n");
    // "?" for an image's process: its performance counters are in its own /tmp, which jstat does not look in
    return rows.length < 2 || !rows[1].trim().matches("[0-9].*") ? "?" : rows[1].trim().split("\\s+")[0];
  }
}
