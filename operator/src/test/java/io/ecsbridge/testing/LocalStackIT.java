package io.ecsbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.testing.Listeners.Listener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make run}'s launcher as a newcomer meets it: port 8080 is often taken (another dev server). LocalStack runs
 * in its own JVM, as hack/run-local.sh starts it, while this test holds 8080 (or finds it taken already).
 */
class LocalStackIT {
  private static final Pattern PORT_LINE =
      Pattern.compile("\\[make run]\\s+(kube-apiserver|etcd|moto|operator)\\s+\\w+://127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path runDir;
  @TempDir
  Path samples;

  private ServerSocket held8080;
  private Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  @BeforeEach
  void take8080() throws IOException {
    try {
      held8080 = new ServerSocket(8080, 1, InetAddress.getLoopbackAddress());
    } catch (BindException alreadyTaken) {
      held8080 = null; // someone else holds it: taken all the same
    }
  }

  private Thread drain;

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      List<ProcessHandle> started = process.descendants().toList();
      process.destroy();
      process.waitFor(60, TimeUnit.SECONDS);
      started.forEach(ProcessHandle::destroyForcibly);
    }
    if (held8080 != null) {
      held8080.close();
    }
  }

  /**
   * Also the demo: samples/app (its image tag pushed by the launcher) Ready, then the re-push the launcher tells the
   * user to run (hack/push-image.sh) registers a new revision that the service rolls out.
   */
  @Test
  void startsWhile8080IsTakenOnFreeLoopbackPortsThatItPrintsAndShowsARePushRollingOut() throws Exception {
    try (var files = Files.list(Repo.root().resolve("samples/app"))) {
      for (Path f : files.toList()) {
        Files.copy(f, samples.resolve(f.getFileName()));
      }
    }
    start(Map.of());

    await("the list of ports").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
        .failFast(this::stillRunning)
        .until(() -> ports().size() == 4);
    Map<String, Integer> ports = ports();
    assertThat(ports.get("operator")).as("the operator's HTTP port, with 8080 taken").isNotEqualTo(8080);
    HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + ports.get("operator") + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    await("the sample Ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
        .failFast(this::stillRunning)
        .until(() -> output.stream().anyMatch(l -> l.contains("everything is Ready")));

    List<Listener> listeners = Listeners.ofTree(process.toHandle());
    assertThat(listeners).extracting(Listener::port).as("the printed ports are the ones listened on")
        .containsAll(ports.values());
    for (Listener l : listeners) {
      assertThat(output).as("a line that tells the port of %s", l)
          .anyMatch(line -> line.startsWith("[make run]") && line.contains("127.0.0.1:" + l.port()));
    }
    assertThat(listeners).as("servers listening beyond loopback").filteredOn(l -> !l.loopback()).isEmpty();

    assertThat(output).as("the launcher pushed the sample's image tag")
        .anyMatch(l -> l.startsWith("[make run] pushed shop/web:v1 = sha256:"));
    await("the re-push hint").atMost(Duration.ofSeconds(30)).failFast(this::stillRunning)
        .until(() -> output.stream().anyMatch(l -> l.contains("hack/push-image.sh shop/web v1")));
    AwsTestClients aws = new AwsTestClients(URI.create("http://127.0.0.1:" + ports.get("moto")));
    String first = aws.ecs().describeServices(r -> r.cluster("shop").services("shop-web")).services().get(0)
        .taskDefinition();
    ProcessBuilder pushing = new ProcessBuilder("bash", Repo.root().resolve("hack/push-image.sh").toString(),
        "shop/web", "v1").redirectErrorStream(true);
    pushing.environment().put("ECSBRIDGE_RUN_DIR", runDir.toString());
    Process push = pushing.start();
    push.getOutputStream().close();
    String pushed = new String(push.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println("push-image.sh> " + pushed);
    assertThat(push.waitFor(2, TimeUnit.MINUTES) && push.exitValue() == 0).as("push-image.sh: %s", pushed).isTrue();
    Matcher digest = Pattern.compile("pushed shop/web:v1 = (sha256:[0-9a-f]{64})").matcher(pushed);
    assertThat(digest.find()).as("push-image.sh printed the digest: %s", pushed).isTrue();
    await("the service rolled out to a new revision of the new digest").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200)).failFast(this::stillRunning).untilAsserted(() -> {
          var service = aws.ecs().describeServices(r -> r.cluster("shop").services("shop-web")).services().get(0);
          assertThat(service.taskDefinition()).isNotEqualTo(first);
          assertThat(aws.ecs().describeTaskDefinition(r -> r.taskDefinition(service.taskDefinition()))
              .taskDefinition().containerDefinitions().get(0).image()).endsWith("/shop/web@" + digest.group(1));
          assertThat(service.deployments()).singleElement()
              .satisfies(d -> assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED"));
        });

    List<ProcessHandle> started = process.descendants().toList();
    assertThat(started).as("kube-apiserver, etcd, moto").hasSizeGreaterThanOrEqualTo(3);
    int linesBefore = output.size();
    // Ctrl-C reaches every process of the group at once; etcd is often out before LocalStack's hook stops it, so
    // kube-api-test has already cleaned up: play that order for certain
    ProcessHandle etcd = started.stream().filter(p -> p.info().command().orElse("").endsWith("/etcd")).findFirst()
        .orElseThrow();
    new ProcessBuilder("kill", "-INT", String.valueOf(etcd.pid())).start().waitFor();
    etcd.onExit().get(30, TimeUnit.SECONDS);
    assertThat(ignoredSignals(process.pid()) & SIGINT_BIT).as("SIGINT ignored by the launcher: Ctrl-C would do nothing")
        .isZero();
    ctrlC();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    await("nothing left running").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(runDir.resolve("kubeconfig")).doesNotExist();
    assertThat(runDir.resolve("kubectl")).doesNotExist();
    assertThat(runDir.resolve("moto-endpoint")).as("hack/push-image.sh's pointer to moto").doesNotExist();
    assertThat(output.subList(linesBefore, output.size())).as("what stopping printed")
        .noneMatch(l -> l.contains("Exception"));
  }

  /** SIGINT's bit in a process's signal masks (/proc/PID/status: bit N-1 for signal N). */
  private static final long SIGINT_BIT = 1L << (2 - 1);

  /** The signals a process ignores, from /proc/PID/status's SigIgn (a hexadecimal mask). */
  private static long ignoredSignals(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
        .filter(l -> l.startsWith("SigIgn:")).map(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16))
        .findFirst().orElseThrow();
  }

  /** What Ctrl-C in a terminal does: SIGINT to the whole process group, LocalStack's servers included. */
  private void ctrlC() throws Exception {
    Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -INT sent").isTrue();
  }

  @Test
  void anExplicitPortThatIsTakenFailsAtOnceWithOneLineNamingIt() throws Exception {
    start(Map.of("ECSBRIDGE_HTTP_PORT", "8080"));

    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("LocalStack gave up").isTrue();
    drain.join(10_000); // every line it printed read, not only the exit seen
    assertThat(process.exitValue()).isNotZero();
    assertThat(output).as("what it printed").filteredOn(l -> l.contains("8080"))
        .singleElement().asString().contains("ECSBRIDGE_HTTP_PORT");
    assertThat(output).as("it fails before starting anything").noneMatch(l -> l.contains("starting"));
  }

  private void start(Map<String, String> env) throws IOException {
    // its own process group, as in a terminal; and Ctrl-C's SIGINT at its default: a JVM leaves a signal ignored at
    // its start ignored (no shutdown hook runs), and this test's JVM inherits SIGINT ignored when a script started
    // Maven in the background (`mvn ... &`, a shell without job control), as a CI runner may
    List<String> command = new ArrayList<>(List.of("setsid", "env", "--default-signal=INT",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Decsbridge.repo.root=" + Repo.root(), "-Decsbridge.run.dir=" + runDir,
        "-Dlogback.configurationFile=logback-local.xml",
        "-cp", System.getProperty("java.class.path"), LocalStack.class.getName(), samples.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("ECSBRIDGE_HTTP_PORT");
    pb.environment().putAll(env);
    process = pb.start();
    drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          output.add(line);
          System.out.println("LocalStack> " + line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "local-stack-output");
    drain.setDaemon(true);
    drain.start();
  }

  private void stillRunning() {
    assertThat(process.isAlive()).as("LocalStack exited:%n%s", String.join("\n", output)).isTrue();
  }

  /** The ports LocalStack printed, by server. */
  private Map<String, Integer> ports() {
    Map<String, Integer> ports = new java.util.TreeMap<>();
    for (String line : output) {
      Matcher m = PORT_LINE.matcher(line);
      if (m.find()) {
        ports.put(m.group(1), Integer.parseInt(m.group(2)));
      }
    }
    return ports;
  }
}
