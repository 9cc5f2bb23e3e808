package io.ecsbridge.bench;

import io.ecsbridge.bench.Workload.Item;
import io.ecsbridge.testing.AwsTestClients;
import io.ecsbridge.testing.ControlPlane;
import io.ecsbridge.testing.MotoServer;
import io.ecsbridge.testing.Repo;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code make bench N=100 KINDS=repositories,services}: the operator's speed, AWS calls and footprint on the embedded
 * stack (a real kube-apiserver + etcd, moto), the operator a separate process from the built jar (see
 * {@link OperatorJar}). Prints each figure as it is measured, then a table; writes operator/target/bench/bench-N.json
 * (and .md). What each figure means: docs/operations.md, "Scale and footprint".
 *
 * <p>Settings (system properties): bench.n (100), bench.kinds (repositories,services), bench.clusters (3),
 * bench.idleSeconds (30), bench.rolloutSeconds (moto's, 1), bench.jvmOptions (the chart's), bench.settings (extra
 * operator settings, NAME=value,...).
 */
public final class Bench {
  private static final String NAMESPACE = "bench";
  private final int n = Integer.getInteger("bench.n", 100);
  private final Set<String> kinds = Set.of(System.getProperty("bench.kinds", "repositories,services").split(","));
  private final int clusters = Integer.getInteger("bench.clusters", 3);
  private final int idleSeconds = Integer.getInteger("bench.idleSeconds", 30);
  private final Report report = new Report();

  private Bench() {}

  public static void main(String[] args) {
    try {
      new Bench().run();
      System.exit(0);
    } catch (Exception e) {
      System.err.println("[bench] failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private void run() throws Exception {
    boolean repositories = kinds.contains("repositories");
    boolean services = kinds.contains("services");
    if (!repositories && !services || n < 1) {
      throw new IllegalArgumentException("bench.kinds: repositories and/or services; bench.n >= 1");
    }
    Path root = Repo.root();
    Path out = root.resolve("operator/target/bench");
    Files.createDirectories(out);
    report.section("machine");
    report.put("date", "date (UTC)", Instant.now().toString().substring(0, 16));
    report.put("cpus", "CPUs", Runtime.getRuntime().availableProcessors());
    report.put("loadAverageStart", "load average at start (1, 5, 15 min)", Measures.loadAverage());
    report.put("n", "N", n);
    report.put("kinds", "kinds", String.join(",", kinds.stream().sorted().toList()));
    String jvmOptions = System.getProperty("bench.jvmOptions", OperatorJar.CHART_JVM_OPTIONS);
    report.put("jvmOptions", "operator JVM options", jvmOptions);

    try (ControlPlane kube = ControlPlane.start();
        MotoServer moto = MotoServer.start(Double.parseDouble(System.getProperty("bench.rolloutSeconds", "1")))) {
      kube.installCrds();
      var k8s = kube.client();
      k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      AwsTestClients aws = new AwsTestClients(moto.endpoint());
      Workload.Network net = Measures.network(aws.ec2());
      Path kubeconfig = out.resolve("kubeconfig");
      Files.writeString(kubeconfig, kube.kubeconfig());
      Map<String, String> env = new LinkedHashMap<>();
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
      env.put("AWS_REGION", TestEnvironment.REGION);
      env.put("AWS_ACCESS_KEY_ID", "testing");
      env.put("AWS_SECRET_ACCESS_KEY", "testing");
      env.put("ECSBRIDGE_WATCH_NAMESPACES", NAMESPACE);
      env.put("ECSBRIDGE_INSTANCE_ID", "bench");
      env.put("ECSBRIDGE_RESYNC_PERIOD", "1h"); // no periodic resync inside the run: resyncs are forced, and counted
      for (String s : System.getProperty("bench.settings", "").split(",")) {
        if (s.contains("=")) {
          env.put(s.substring(0, s.indexOf('=')).trim(), s.substring(s.indexOf('=') + 1).trim());
        }
      }
      report.put("resyncPeriod", "operator resync period (resyncs forced here)", env.get("ECSBRIDGE_RESYNC_PERIOD"));
      Path jar = root.resolve("operator/target/ecs-bridge.jar");
      try (Workload workload = new Workload(k8s, NAMESPACE)) {
        List<Item> items = Workload.items(n, repositories, services, clusters, net);
        try (OperatorJar operator = OperatorJar.start(jar, jvmOptions, env, Measures.freePort(),
            out.resolve("operator-" + n + ".log"))) {
          measure(operator, workload, aws, items);
        }
        try (OperatorJar operator = OperatorJar.start(jar, jvmOptions, env, Measures.freePort(),
            out.resolve("operator-" + n + "-restart.log"))) {
          restart(operator, workload.items());
        }
      }
    }
    report.put("loadAverageEnd", "load average at end", Measures.loadAverage());
    report.write(out.resolve("bench-" + n + ".json"), out.resolve("bench-" + n + ".md"));
    System.out.println("\n" + report.table());
    System.out.println("[bench] written: " + root.relativize(out.resolve("bench-" + n + ".json")) + " and .md");
  }

  private void measure(OperatorJar operator, Workload workload, AwsTestClients aws, List<Item> items)
      throws Exception {
    report.section("start-up and idle (no resources)");
    report.put("startupSeconds", "process start to /readyz 200 (s)", operator.awaitReady(Duration.ofMinutes(2)));
    double cpu0 = operator.cpuSeconds();
    report.put("startupCpuSeconds", "CPU seconds to ready", cpu0);
    Thread.sleep(10_000); // the start-up's garbage and JIT settle: the idle figures below are of an idle process
    report.put("idleRssMiB", "idle RSS, 10 s after ready, before applying (MiB)", operator.rssMiB());
    report.put("idleCpuSeconds10s", "CPU seconds in those 10 s", operator.cpuSeconds() - cpu0);

    report.section("converge: " + items.size() + " resources applied at once");
    report.put("loadAverageBeforeConverge", "load average before applying", Measures.loadAverage());
    AwsCalls before = operator.calls();
    double waitBefore = operator.metric("ecsbridge_aws_client_ratelimit_wait_seconds_sum");
    double cpuBefore = operator.cpuSeconds();
    long start = System.nanoTime();
    workload.apply(items);
    report.put("applySeconds", "time to create them all (8 client threads) (s)", (System.nanoTime() - start) / 1e9);
    double converge = Measures.awaitReady(workload, items, start, operator);
    report.put("convergeSeconds", "converge: first apply to all Ready (s)", converge);
    report.put("convergeCpuSeconds", "CPU seconds to converge", operator.cpuSeconds() - cpuBefore);
    report.put("convergePeakRssMiB", "peak RSS so far (VmHWM) (MiB)", operator.peakRssMiB());
    for (String kind : Measures.kindsOf(items)) {
      List<Double> latencies = workload.applyToReady(kind);
      Map<String, Double> q = new LinkedHashMap<>();
      q.put("p50", Report.round(Report.quantile(latencies, 0.5), 2));
      q.put("p99", Report.round(Report.quantile(latencies, 0.99), 2));
      q.put("max", Report.round(Report.quantile(latencies, 1.0), 2));
      report.put("applyToReady." + kind, kind + " apply-to-Ready (s)", q);
    }
    Measures.awaitQuiet(operator);
    AwsCalls converging = operator.calls().minus(before);
    report.put("convergeCalls", "AWS calls to converge (total)", converging.total());
    report.put("convergeBudgetWaitSeconds", "time AWS calls waited for the client-side budget (s, summed)",
        operator.metric("ecsbridge_aws_client_ratelimit_wait_seconds_sum") - waitBefore);
    report.put("convergeCallsPerKind", "AWS calls per resource, by kind",
        Measures.perKind(converging, items, false));
    report.put("convergeCallsPerResource", "AWS calls per resource of its kind, by operation",
        Measures.perResource(converging, items));

    report.section("a forced resync of all (reconcile-requested-at), everything in sync");
    AwsCalls beforeResync = operator.calls();
    double cpuResync = operator.cpuSeconds();
    String value = Instant.now().toString();
    start = System.nanoTime();
    workload.requestReconcileOfAll(value);
    Measures.await("every resource handled the resync", Duration.ofMinutes(10),
        () -> workload.handledCount(value) == items.size());
    report.put("resyncSeconds", "time for all to handle it (s)", (System.nanoTime() - start) / 1e9);
    Measures.awaitQuiet(operator);
    AwsCalls resync = operator.calls().minus(beforeResync);
    report.put("resyncCpuSeconds", "CPU seconds of the resync", operator.cpuSeconds() - cpuResync);
    report.put("resyncWrites", "AWS writes (must be 0)", resync.writes());
    report.put("resyncReadsPerResource", "AWS reads per resource per resync, by operation",
        Measures.perResource(resync, items));
    report.put("resyncReadsPerKind", "AWS reads per resource per resync, by kind",
        Measures.perKind(resync, items, true));

    report.section("a change under a full resync");
    changeUnderResync(operator, workload, aws, items);

    report.section("a single resource applied while idle");
    single(workload, items);

    report.section("steady state (" + items.size() + " resources, idle)");
    Measures.awaitQuiet(operator);
    double cpuIdle = operator.cpuSeconds();
    Thread.sleep(idleSeconds * 1000L);
    report.put("steadyIdleCpuSeconds", "CPU seconds over " + idleSeconds + " idle seconds",
        operator.cpuSeconds() - cpuIdle);
    report.put("steadyRssMiB", "steady RSS (MiB)", operator.rssMiB());
    report.put("peakRssMiB", "peak RSS of the run (VmHWM) (MiB)", operator.peakRssMiB());
    report.put("totalCpuSeconds", "CPU seconds of the whole run", operator.cpuSeconds());
  }

  /**
   * Requests a reconcile of every resource, and once every request is accepted by the API server changes one
   * EcrRepository's scanOnPush and one EcsService's desiredCount: the time from each change to AWS (moto) showing
   * it, polled every 20 ms through the tests' own clients (not metered). The changed ones are the last of their kind
   * (bench.changeIndex, default N-1): the last to be asked to resync, so that the change is queued behind the whole
   * resync of its kind (the first ones may have resynced already, or run at once: a luckier figure).
   */
  private void changeUnderResync(OperatorJar operator, Workload workload, AwsTestClients aws, List<Item> items)
      throws Exception {
    int changed = Integer.getInteger("bench.changeIndex", n - 1);
    report.put("changedIndex", "the changed resources (of each kind, 0 to N-1)", changed);
    String value = Instant.now().toString();
    long start = System.nanoTime();
    workload.requestReconcileOfAll(value);
    report.put("changeResyncRequestSeconds", "time to request the resync of all (s)",
        (System.nanoTime() - start) / 1e9);
    ExecutorService changes = Executors.newFixedThreadPool(2);
    List<Future<Double>> latencies = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    if (items.stream().anyMatch(i -> i.kind().equals(Workload.REPOSITORY))) {
      String name = Workload.repository(changed);
      labels.add("EcrRepository scanOnPush");
      latencies.add(changes.submit(Measures.timed(() -> workload.patch(Workload.REPOSITORY, name,
          "{\"spec\":{\"imageScanningConfiguration\":{\"scanOnPush\":true}}}"), () -> aws.ecr()
          .describeRepositories(r -> r.repositoryNames(name)).repositories().get(0)
          .imageScanningConfiguration().scanOnPush())));
    }
    if (items.stream().anyMatch(i -> i.kind().equals(Workload.SERVICE))) {
      String name = Workload.service(changed);
      labels.add("EcsService desiredCount");
      latencies.add(changes.submit(Measures.timed(() -> workload.patch(Workload.SERVICE, name,
          "{\"spec\":{\"desiredCount\":2}}"), () -> aws.ecs().describeServices(r -> r
          .cluster("bench-" + changed % clusters).services(name)).services().get(0).desiredCount() == 2)));
    }
    for (int i = 0; i < latencies.size(); i++) {
      report.put("changeUnderResyncSeconds." + labels.get(i), labels.get(i) + ": change to AWS write (s)",
          latencies.get(i).get());
    }
    changes.shutdown();
    Measures.await("every resource handled the resync", Duration.ofMinutes(10),
        () -> workload.handledCount(value) == items.size());
    report.put("changeResyncSeconds", "the resync's duration, first request to all handled (s)",
        (System.nanoTime() - start) / 1e9);
  }

  /** One more repository, then one more service with its task definition, each applied alone while idle. */
  private void single(Workload workload, List<Item> items) throws Exception {
    Map<String, List<Item>> singles = new LinkedHashMap<>();
    for (Item i : items) {
      String name = i.name().replace("-0", "-single");
      if (i.name().endsWith("-0") && !i.kind().equals(Workload.CLUSTER)) {
        singles.computeIfAbsent(i.kind().equals(Workload.REPOSITORY) ? "EcrRepository" : "EcsService",
            k -> new ArrayList<>()).add(new Item(i.kind(), name, i.yaml().replace(i.name(), name)));
      }
    }
    for (var e : singles.entrySet()) {
      long start = System.nanoTime();
      workload.apply(e.getValue());
      Measures.await(e.getKey() + " Ready", Duration.ofMinutes(2),
          () -> e.getValue().stream().allMatch(i -> workload.readyAt(i) != null));
      long last = e.getValue().stream().mapToLong(workload::readyAt).max().orElseThrow();
      report.put("singleApplyToReady." + e.getKey(), e.getKey() + (e.getKey().equals("EcsService")
          ? " (with its task definition)" : "") + " apply-to-Ready (s)", (last - start) / 1e9);
    }
  }

  /**
   * The operator started again with every resource in place (a restart, an upgrade, a failover): its start-up time,
   * the start-up pass (from ready to its last AWS call) and that pass's calls, which must write nothing.
   */
  private void restart(OperatorJar operator, List<Item> items) throws Exception {
    report.section("restart with " + items.size() + " resources in place");
    report.put("restartStartupSeconds", "process start to /readyz 200 (s)",
        operator.awaitReady(Duration.ofMinutes(2)));
    long ready = System.nanoTime();
    long last = Measures.awaitQuiet(operator);
    report.put("restartPassSeconds", "start-up pass: ready to its last AWS call (s)",
        Math.max(0, last - ready) / 1e9);
    AwsCalls pass = operator.calls();
    report.put("restartPassCalls", "AWS calls of the pass (total)", pass.total());
    report.put("restartPassWrites", "AWS writes of the pass (must be 0)", pass.writes());
    report.put("restartPassCallsPerKind", "AWS calls of the pass per resource, by kind",
        Measures.perKind(pass, items, false));
    report.put("restartPassCallsPerResource", "AWS calls of the pass per resource of its kind, by operation",
        Measures.perResource(pass, items));
    report.put("restartRssMiB", "RSS after the pass (MiB)", operator.rssMiB());
    report.put("restartPeakRssMiB", "peak RSS (VmHWM) (MiB)", operator.peakRssMiB());
    report.put("restartCpuSeconds", "CPU seconds, start to the pass's end", operator.cpuSeconds());
  }
}
