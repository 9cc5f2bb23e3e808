package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.BuildInfo;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.kinds.Kinds;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.ControlPlane;
import io.ecsbridge.testing.Repo;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The container's process without Docker: the jar `make build` produces, started with the Dockerfile's ENTRYPOINT/CMD
 * and ENV (the image's only content besides the JRE), pointed at the test API server through a kubeconfig and at moto.
 * It answers /healthz, becomes ready, reconciles, logs JSON, and serves /metrics (saved to target/ for the README). It
 * stops in order on SIGTERM (the Lease released, a follower taking over at once), and ends with one line when it
 * cannot start.
 */
class OperatorJarIT {
  private static final String LEASE = "ecs-bridge-leader";

  private final TestEnvironment env = TestEnvironment.get();
  private final KubernetesClient k8s = env.kube().client();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Jar> jars = new ArrayList<>();
  private String namespace;

  /** One operator process, its output (stdout and stderr) and its HTTP port. */
  private record Jar(String name, Process process, List<String> output, int port, Thread drain) {
    /** Waits for the process to end and its output to be read. */
    boolean waitFor(long seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        return false;
      }
      drain.join(TimeUnit.SECONDS.toMillis(10));
      return true;
    }

    /** The last lines of its output, for failure messages. */
    String tail() {
      List<String> lines = List.copyOf(output); // a snapshot: the drain thread keeps appending
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
  }

  @BeforeEach
  void namespace() throws Exception {
    env.moto().reset();
    namespace = "jar-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @AfterEach
  void stop() throws Exception {
    for (Jar jar : jars) {
      jar.process().toHandle().destroy();
      if (!jar.waitFor(30)) {
        jar.process().destroyForcibly();
      }
      // each process's output, for a look after a failure
      Files.write(Repo.root().resolve("operator/target/OperatorJarIT-" + namespace + "-" + jar.name() + ".log"),
          jar.output());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path kubeconfigFile(String yaml) throws IOException {
    Path kubeconfig = Files.createTempFile("ecsbridge-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, yaml);
    kubeconfig.toFile().deleteOnExit();
    return kubeconfig;
  }

  /**
   * Starts the jar as the image does, with the test defaults (the test API server, moto, this test's namespace, JSON
   * logs) changed by {@code settings}.
   */
  private Jar start(String name, Map<String, String> settings) throws Exception {
    Path jarFile = Repo.root().resolve("operator/target/ecs-bridge.jar");
    assertThat(jarFile).as("built by the package phase (make build)").exists();
    DockerfileModel dockerfile = DockerfileModel.load();
    String jarInImage = dockerfile.copies().get("operator/target/ecs-bridge.jar");
    List<String> command = new ArrayList<>();
    for (String arg : dockerfile.command()) {
      command.add(arg.equals("java") ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
          : arg.equals(jarInImage) ? jarFile.toString() : arg);
    }
    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> penv = pb.environment();
    penv.putAll(dockerfile.env());
    penv.put("KUBECONFIG", kubeconfigFile(env.kube().kubeconfig()).toString());
    penv.put("AWS_ENDPOINT_URL", env.moto().endpoint().toString());
    penv.put("AWS_REGION", TestEnvironment.REGION);
    penv.put("AWS_ACCESS_KEY_ID", "testing");
    penv.put("AWS_SECRET_ACCESS_KEY", "testing");
    penv.put("ECSBRIDGE_WATCH_NAMESPACES", namespace);
    penv.put("ECSBRIDGE_INSTANCE_ID", "jar");
    penv.put("ECSBRIDGE_HTTP_PORT", String.valueOf(port));
    penv.put("ECSBRIDGE_HTTP_ADDRESS", "127.0.0.1");
    penv.put("ECSBRIDGE_LOG_FORMAT", "json");
    penv.put("POD_NAME", name);
    penv.putAll(settings);
    Process process = pb.start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        r.lines().forEach(output::add);
      } catch (Exception ignored) {
        // the process ended
      }
    }, name + "-output");
    drain.setDaemon(true);
    drain.start();
    Jar jar = new Jar(name, process, output, port, drain);
    jars.add(jar);
    System.out.printf("%s: pid %d, http on 127.0.0.1:%d%n", name, process.pid(), port);
    return jar;
  }

  private Map<String, String> leaderElection() {
    return Map.of("ECSBRIDGE_LEADER_ELECTION", "true", "ECSBRIDGE_LEASE_NAMESPACE", namespace,
        "ECSBRIDGE_LEASE_NAME", LEASE);
  }

  private int status(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private void awaitReady(Jar jar) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .failFast(jar.name() + " exited: " + jar.tail(), () -> !jar.process().isAlive())
        .until(() -> status(jar.port(), "/readyz") == 200);
  }

  private String holder() {
    Lease lease = k8s.leases().inNamespace(namespace).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private void createRepository(String name) {
    k8s.resource(k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: %s}
        spec: {imageTagMutability: MUTABLE}
        """.formatted(name), EcrRepository.class)).inNamespace(namespace).create();
  }

  private EcrRepository repository(String name) {
    return k8s.resources(EcrRepository.class).inNamespace(namespace).withName(name).get();
  }

  private boolean ready(String name) {
    EcrRepository r = repository(name);
    return r != null && r.getStatus() != null && Conditions.isTrue(r.getStatus(), Conditions.READY);
  }

  /** Events of this namespace that tell of an interrupted reconcile, or of a retry at all. */
  private List<String> retryEvents() {
    return k8s.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "AwsRetrying".equals(e.getReason()) || "ReconcileError".equals(e.getReason())
            || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("interrupted"))
        .map(e -> e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage()).toList();
  }

  /** Status conditions of the namespace's repositories that say the reconcile was interrupted. */
  private List<String> interruptedConditions() {
    return k8s.resources(EcrRepository.class).inNamespace(namespace).list().getItems().stream()
        .filter(r -> r.getStatus() != null && r.getStatus().getConditions() != null)
        .flatMap(r -> r.getStatus().getConditions().stream()
            .filter(c -> String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("interrupted"))
            .map(c -> r.getMetadata().getName() + " " + c.getType() + " " + c.getReason() + ": " + c.getMessage()))
        .toList();
  }

  @Test
  void theImagesCommandStartsTheJarWhichBecomesReadyAndReconciles() throws Exception {
    Jar jar = start("jar-0", Map.of());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .failFast("the jar exited: " + jar.tail(), () -> !jar.process().isAlive())
        .until(() -> status(jar.port(), "/healthz") == 200);
    awaitReady(jar);

    createRepository("from-the-jar");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> ready("from-the-jar"));

    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jar.port() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    // labelled by the account the repository lives in (the operator's own: moto's default account); the operator's
    // one GetCallerIdentity that finds that account out is labelled "operator"
    assertThat(metrics).contains("ecsbridge_aws_api_calls_total{account=\"123456789012\",error_code=\"none\","
        + "operation=\"CreateRepository\",outcome=\"ok\"")
        .contains("ecsbridge_aws_api_calls_total{account=\"operator\",error_code=\"none\","
        + "operation=\"GetCallerIdentity\",outcome=\"ok\"");
    Path saved = Repo.root().resolve("operator/target/metrics-sample.txt");
    Files.writeString(saved, metrics);
    everyOperatorMetricIsInTheReadme(metrics);
    everyMetricOfTheDashboardExists(metrics);
    everyMetricOfOursHasHelp(metrics);
    traceOfTheJar();
    assertThat(metrics).as("the resources gauge, from the informer cache")
        .contains("ecsbridge_resources{condition=\"Ready\",kind=\"EcrRepository\",reason=\"")
        .contains("ecsbridge_leader 1.0").contains("ecsbridge_ready 1.0");

    // JAVA_TOOL_OPTIONS from the Dockerfile reached the JVM, and every log line is one JSON object
    List<String> output = jar.output();
    assertThat(output).anyMatch(l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage="));
    ObjectMapper json = new ObjectMapper();
    List<String> logs = output.stream().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
    assertThat(logs).isNotEmpty().allSatisfy(l -> {
      JsonNode node = json.readTree(l);
      assertThat(node.isObject()).as(l).isTrue();
      assertThat(node.has("time") && node.has("level") && node.has("msg") && node.has("logger")).as(l).isTrue();
    });
    assertThat(logs).as("a line logged within a reconcile names the resource")
        .anyMatch(l -> l.contains("\"kind\":\"EcrRepository\"") && l.contains("\"name\":\"from-the-jar\""));
    // the start-up line names the build
    assertThat(logs).anyMatch(l -> l.contains("ecs-bridge started version=" + BuildInfo.current().version()
        + " revision=" + BuildInfo.current().revision() + " "));
  }

  /**
   * On two CPUs (forced by {@code -XX:ActiveProcessorCount=2}, as a pod limited to 2 or fewer) a Kubernetes API
   * response does not start and end a thread of its own (CommonPool): the threads the process starts while 20
   * repositories are reconciled (each with its finalizer, status writes and Events: some 100 API calls) are the pools'
   * growth, not one per call (21 to 23 threads with it, 99 without, on 2026-12-07); and the start does not warn of a
   * thread per task.
   */
  @Test
  void kubernetesApiResponsesDoNotStartAThreadEach() throws Exception {
    String options = DockerfileModel.load().env().get("JAVA_TOOL_OPTIONS");
    Jar jar = start("jar-threads", Map.of("JAVA_TOOL_OPTIONS", options + " -XX:ActiveProcessorCount=2"));
    awaitReady(jar);
    double before = metric(jar, "jvm_threads_started_threads_total");
    int repositories = 20;
    for (int i = 0; i < repositories; i++) {
      createRepository("threads-" + i);
    }
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> java.util.stream.IntStream.range(0, repositories).allMatch(i -> ready("threads-" + i)));
    double started = metric(jar, "jvm_threads_started_threads_total") - before;
    System.out.printf("threads started while %d repositories were reconciled: %.0f%n", repositories, started);
    assertThat(started).as("threads started while %d repositories were reconciled", repositories)
        .isLessThan(2 * repositories);
    assertThat(jar.output()).noneMatch(l -> l.contains("a thread of its own"));
  }

  /** A metric's value from the jar's /metrics (the first series of that name). */
  private double metric(Jar jar, String name) throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jar.port() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .orElseThrow(() -> new AssertionError("/metrics has no " + name));
  }

  /**
   * Two replicas; three times over, the leader gets SIGTERM while a new resource is created: it exits 0 having
   * released the Lease, the follower takes the Lease and reconciles the new resource within a few seconds (not the
   * 15 s the Lease lasts), and a new follower starts. The figures go to target/lifecycle-figures.txt.
   */
  @Test
  void aLeaderStopsInOrderOnSigtermAndTheFollowerTakesOverAtOnce() throws Exception {
    Jar leader = start("replica-0", leaderElection());
    awaitReady(leader);
    await().atMost(Duration.ofSeconds(30)).until(() -> "replica-0".equals(holder()));
    Jar follower = start("replica-1", leaderElection());
    awaitReady(follower);
    createRepository("before");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> ready("before"));

    List<Long> shutdownMillis = new ArrayList<>();
    List<Long> failoverMillis = new ArrayList<>();
    for (int round = 1; round <= 3; round++) {
      String change = "change-" + round;
      long sigterm = System.nanoTime();
      leader.process().toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
      createRepository(change);
      assertThat(leader.waitFor(15)).as(leader.name() + " exits within 15 s of SIGTERM: "
          + leader.tail()).isTrue();
      shutdownMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm));
      assertThat(leader.process().exitValue()).as(leader.name() + "'s exit code").isZero();
      assertThat(holder()).as("the Lease, once " + leader.name() + " has exited: " + leader.tail())
          .isNotEqualTo(leader.name());
      assertThat(leader.output()).anyMatch(l -> l.contains("released the Lease"));
      Jar next = follower;
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> ready(change));
      failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm));
      assertThat(holder()).isEqualTo(next.name());

      leader = next;
      follower = start("replica-" + (round + 1), leaderElection());
      awaitReady(follower);
    }
    String figures = "SIGTERM to exit (ms): " + shutdownMillis + "\nSIGTERM of the leader to the follower's Ready on "
        + "a new resource (ms): " + failoverMillis + "\n";
    System.out.print(figures);
    Files.writeString(Repo.root().resolve("operator/target/lifecycle-figures.txt"), figures);
    // the Lease lasts 15 s: a follower that had to wait for it to expire would take 13 s and more
    assertThat(failoverMillis).allSatisfy(ms -> assertThat(ms).isLessThan(8_000));
    assertThat(retryEvents()).isEmpty();
  }

  /**
   * AWS answers one call per 10 s (the client-side rate limit), so reconciles are in flight when SIGTERM comes and
   * outlast the 10 s the stop gives them: interrupted, they record no Event and no status; the process still exits 0
   * in bounded time, with the Lease released.
   */
  @Test
  void reconcilesInterruptedByTheStopRecordNothing() throws Exception {
    Map<String, String> settings = new java.util.HashMap<>(leaderElection());
    settings.put("ECSBRIDGE_AWS_RATE_LIMIT", "0.1");
    Jar jar = start("replica-0", settings);
    awaitReady(jar);
    await().atMost(Duration.ofSeconds(30)).until(() -> "replica-0".equals(holder()));
    createRepository("slow-1");
    createRepository("slow-2");
    // the first status is written before any AWS call: both reconciles have started, and wait for AWS's tokens
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> repository("slow-1").getStatus() != null && repository("slow-2").getStatus() != null);

    long sigterm = System.nanoTime();
    jar.process().toHandle().destroy();
    boolean exited = jar.waitFor(25);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
    System.out.printf("SIGTERM to exit with reconciles in flight: %d ms%n", millis);
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(exited).as("exits within 25 s of SIGTERM").isTrue();
    softly.assertThat(retryEvents()).as("Events of interrupted reconciles").isEmpty();
    softly.assertThat(interruptedConditions()).as("status conditions of interrupted reconciles").isEmpty();
    if (exited) {
      softly.assertThat(jar.process().exitValue()).as("exit code").isZero();
      softly.assertThat(holder()).as("the Lease's holder after the exit").isNull();
    }
    softly.assertAll();
  }

  /** A leader whose Lease is taken (here by hand) stops and exits 1, for Kubernetes to restart it as a follower. */
  @Test
  void aLeaderThatLosesItsLeaseExitsToRestartAsAFollower() throws Exception {
    Jar jar = start("replica-0", leaderElection());
    awaitReady(jar);
    await().atMost(Duration.ofSeconds(30)).until(() -> "replica-0".equals(holder()));
    k8s.leases().inNamespace(namespace).withName(LEASE).edit(l -> {
      l.getSpec().setHolderIdentity("intruder");
      l.getSpec().setLeaseDurationSeconds(60);
      l.getSpec().setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
      return l;
    });
    assertThat(jar.waitFor(30)).as("exits within 30 s of losing the Lease: " + jar.tail()).isTrue();
    assertThat(jar.process().exitValue()).as("exit code").isEqualTo(1);
    assertThat(jar.output()).anyMatch(l -> l.contains("lost the Lease"));
    assertThat(holder()).as("the Lease is left to its new holder").isEqualTo("intruder");
  }

  /** A jar that cannot start ends: exit code 1 within a bound, and one line that says why and what it tried. */
  private static void endsWithOneLine(Jar jar, String... saying) throws Exception {
    assertThat(jar.waitFor(90)).as("the process ends: " + jar.tail()).isTrue();
    assertThat(jar.process().exitValue()).as("exit code").isNotZero();
    assertThat(jar.output()).filteredOn(l -> l.contains("cannot start")).singleElement().asString()
        .contains(saying).contains("AWS region us-east-1").contains("AWS credentials from environment");
    assertThat(jar.output()).as("no stack traces").noneMatch(l -> l.matches("^\\s+at .*|^Caused by: .*"));
  }

  @Test
  void anUnreachableApiServerEndsTheProcessWithOneLine() throws Exception {
    int closed = freePort();
    Path kubeconfig = kubeconfigFile("""
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d"}}]
        users: [{name: u, user: {token: not-a-secret}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
        current-context: x
        """.formatted(closed));
    Jar jar = start("unreachable", Map.of("KUBECONFIG", kubeconfig.toString(), "ECSBRIDGE_LOG_FORMAT", "text"));
    endsWithOneLine(jar, "https://127.0.0.1:" + closed, "is not reachable: ConnectException: connection refused",
        "from kubeconfig " + kubeconfig);
  }

  /** An API server without our CRDs (a second one, started for this test). */
  @Test
  void missingCrdsEndTheProcessWithOneLine() throws Exception {
    try (ControlPlane bare = ControlPlane.start()) {
      Path kubeconfig = kubeconfigFile(bare.kubeconfig());
      Jar jar = start("no-crds", Map.of("KUBECONFIG", kubeconfig.toString(), "ECSBRIDGE_LOG_FORMAT", "text",
          "ECSBRIDGE_WATCH_NAMESPACES", "default"));
      endsWithOneLine(jar, "custom resource definition", "ecsbridge.io is not installed",
          bare.client().getConfiguration().getMasterUrl());
    }
  }

  /** The metrics table (docs/operations.md) names every ecs-bridge and JOSDK metric family /metrics exposes. */
  private static void everyOperatorMetricIsInTheReadme(String metrics) throws Exception {
    String readme = Files.readString(Repo.root().resolve("docs/operations.md"));
    String controllers = Kinds.ALL.stream().map(Kinds.Kind::controllerName).collect(Collectors.joining("|"));
    List<String> families = metrics.lines().filter(l -> l.startsWith("# TYPE "))
        .map(l -> l.split(" ")[2]).filter(n -> n.startsWith("ecsbridge_") || n.startsWith("operator_sdk_"))
        .map(n -> n.replaceAll("_max$", "").replaceAll("_(" + controllers + ")$", "_<controller>"))
        .distinct().toList();
    assertThat(families).isNotEmpty()
        .allSatisfy(f -> assertThat(readme).as("docs/operations.md lists " + f).contains("`" + f));
  }

  /**
   * {@code java -jar ecs-bridge.jar trace} as a user runs it: the API server from KUBECONFIG, the tree on stdout and
   * nothing else there, exit code 0 for a Ready resource and 1 for a missing one.
   */
  private void traceOfTheJar() throws Exception {
    Path kubeconfig = kubeconfigFile(env.kube().kubeconfig());
    for (String[] run : new String[][] {{"ecrrepository/from-the-jar", "0"}, {"ecrrepo/nowhere", "1"}}) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", Repo.root().resolve("operator/target/ecs-bridge.jar").toString(), "trace", run[0], "-n", namespace);
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("trace " + run[0] + ":\n" + out).isEqualTo(Integer.parseInt(run[1]));
      assertThat(out.lines().toList()).as(out).first().asString().matches("NAME +READY +REASON +MESSAGE");
      assertThat(out).contains("EcrRepository/" + run[0].substring(run[0].indexOf('/') + 1) + " ")
          .doesNotContain(" INFO ", "\"level\"");
    }
  }

  /** Every ecs-bridge metric family has a HELP line that says something. */
  private static void everyMetricOfOursHasHelp(String metrics) {
    List<String> families = metrics.lines().filter(l -> l.startsWith("# TYPE ecsbridge_"))
        .map(l -> l.split(" ")[2]).toList();
    assertThat(families).contains("ecsbridge_resources", "ecsbridge_aws_api_calls_total")
        .allSatisfy(f -> assertThat(metrics.lines().filter(l -> l.startsWith("# HELP " + f + " ")))
            .as("HELP of " + f).singleElement().satisfies(h -> assertThat(h.substring(("# HELP " + f).length())
                .trim()).hasSizeGreaterThan(10)));
  }

  /** Every metric the Grafana dashboard queries exists (failures are counted only once one happens). */
  private static void everyMetricOfTheDashboardExists(String metrics) throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Repo.root().resolve("helm/ecs-bridge/files/grafana-dashboard.json")
        .toFile());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(ecsbridge|operator_sdk|jvm)_[a-z0-9_]+")
        .matcher(String.join("\n", dashboard.findValuesAsText("expr")));
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group());
    }
    assertThat(names).contains("ecsbridge_aws_api_calls_total", "operator_sdk_reconciliations_started_total")
        .filteredOn(n -> !n.equals("operator_sdk_reconciliations_failed_total"))
        .allSatisfy(n -> assertThat(metrics).as("/metrics has " + n).contains(n));
  }
}
