package io.ecsbridge.bench;

import io.ecsbridge.bench.Workload.Item;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.testing.AwsTestClients;
import io.ecsbridge.testing.ControlPlane;
import io.ecsbridge.testing.MotoServer;
import io.ecsbridge.testing.Repo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code make bench N=100 KINDS=repositories,services}: the operator's speed, AWS calls and footprint on the embedded
 * stack (a real kube-apiserver + etcd, moto), the operator a separate process from the built jar (see
 * {@link OperatorJar}). Prints each figure as it is measured, then a table; writes operator/target/bench/bench-N.json
 * (and .md). What each figure means: docs/operations.md, "Scale and footprint".
 *
 * <p>Settings (system properties): bench.n (100), bench.kinds (repositories,services), bench.clusters (3),
 * bench.idleSeconds (30), bench.rolloutSeconds (moto's, 1), bench.jvmOptions (the chart's), bench.settings (extra
 * operator settings, NAME=value,...), bench.jar (the operator's jar, or an image's directory from
 * hack/image/extract.sh), bench.pod (false; true: an image starts as in a pod, {@link PodIdentity}),
 * bench.applyThreads (8), bench.changeIndex (N-1), bench.singleRepositories (20), bench.singleServices (10),
 * bench.newImageLimitSeconds (120: {@link Phases#newImage}), bench.periodicResync (the resync period of the last
 * phase, the operator's own periodic resync: default {@link Measures#periodicResync}, 90 s at N = 100; off: not
 * run), bench.periodicWindow (how many periods that phase measures, 2), bench.holdSeconds (0: how long the operator
 * is kept running after the steady and restart figures, for a look at its heap), bench.forcedResync (on; off: the
 * two phases of a person's forced resync of all are not run: at N = 2,000 they take some 20 minutes each, bound by
 * ECR's budget at 5 fresh reads per repository), bench.restart (on; off: the restart with a change under its start-up
 * pass is not run: at N = 2,000 some 17 minutes, and the periodic phase's own start has such a pass too).
 */
public final class Bench {
  private static final String NAMESPACE = "bench";
  /** How many /metrics reads the CPU per read is measured over. */
  private static final int METRICS_READS = 50;
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
    long runStart = System.nanoTime();
    boolean repositories = kinds.contains("repositories");
    boolean services = kinds.contains("services");
    if (!repositories && !services || n < 1) {
      throw new IllegalArgumentException("bench.kinds: repositories and/or services; bench.n >= 1");
    }
    Path root = Repo.root();
    Path out = root.resolve("operator/target/bench");
    Files.createDirectories(out);
    report.writeTo(out.resolve("bench-" + n + ".json"), out.resolve("bench-" + n + ".md"));
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
      Path kubeconfig = out.resolve("kubeconfig-" + n); // per N: runs at two N at once do not cross
      Files.writeString(kubeconfig, kube.kubeconfig());
      Map<String, String> env = OperatorJar.environment(kubeconfig, moto.endpoint(), NAMESPACE,
          System.getProperty("bench.settings", ""));
      if (Boolean.getBoolean("bench.pod")) {
        env = PodIdentity.of(kube.client(), kube.kubeconfig(), out.resolve("pod-serviceaccount-" + n), env);
      }
      report.put("resyncPeriod", "operator resync period (but in the periodic phase; resyncs forced)",
          env.get("ECSBRIDGE_RESYNC_PERIOD"));
      Path jar = Path.of(System.getProperty("bench.jar", root.resolve("operator/target/ecs-bridge.jar").toString()));
      try (Workload workload = new Workload(k8s, NAMESPACE)) {
        List<Item> items = Workload.items(n, repositories, services, clusters, net);
        Measures.scaleTo(items.size());
        Changes changes = new Changes(workload, aws, clusters, repositories, services);
        try (OperatorJar operator = OperatorJar.start(jar, jvmOptions, env, Measures.freePort(),
            out.resolve("operator-" + n + ".log"))) {
          measure(operator, workload, changes, items, aws);
        }
        if (!"off".equals(System.getProperty("bench.restart", "on").trim())) {
          try (OperatorJar operator = OperatorJar.start(jar, jvmOptions, env, Measures.freePort(),
              out.resolve("operator-" + n + "-restart.log"))) {
            restart(operator, changes, workload.items());
          }
        }
        String periodic = System.getProperty("bench.periodicResync", "").trim();
        Duration period = periodic.isEmpty() ? Measures.periodicResync(n)
            : periodic.equals("off") ? Duration.ZERO : OperatorConfig.parseDuration(periodic);
        if (!period.isZero() && !period.isNegative()) {
          env.put("ECSBRIDGE_RESYNC_PERIOD", period.toSeconds() + "s");
          try (OperatorJar operator = OperatorJar.start(jar, jvmOptions, env, Measures.freePort(),
              out.resolve("operator-" + n + "-periodic.log"))) {
            new PeriodicResync(report, period, Integer.getInteger("bench.periodicWindow", 2))
                .measure(operator, changes, workload.items(), changedIndex());
          }
        }
      }
      report.put("stackCpuSeconds", "CPU seconds of moto, kube-apiserver, etcd over the run",
          Measures.stackCpuSeconds());
    }
    report.put("loadAverageEnd", "load average at end", Measures.loadAverage());
    report.put("runSeconds", "the whole run, harness start to end (s)", (System.nanoTime() - runStart) / 1e9);
    report.write(out.resolve("bench-" + n + ".json"), out.resolve("bench-" + n + ".md"));
    System.out.println("\n" + report.table());
    System.out.println("[bench] written: " + root.relativize(out.resolve("bench-" + n + ".json")) + " and .md");
  }

  private void measure(OperatorJar operator, Workload workload, Changes changes, List<Item> items, AwsTestClients aws)
      throws Exception {
    Phases.startAndIdle(report, operator);
    double callSecondsBefore = operator.metric("ecsbridge_aws_api_call_duration_seconds_sum");
    double callCountBefore = operator.metric("ecsbridge_aws_api_call_duration_seconds_count");
    double waitBefore = operator.metric("ecsbridge_aws_client_ratelimit_wait_seconds_sum");
    Phases.converge(report, operator, workload, items);
    Phases.repositoriesInAws(report, aws.ecr(), items);
    Phases.servicesInAws(report, aws.ecs(), items);
    report.put("convergeBudgetWaitSeconds", "time AWS calls waited for the client-side budget (s, summed)",
        operator.metric("ecsbridge_aws_client_ratelimit_wait_seconds_sum") - waitBefore);
    report.put("convergeMeanCallSeconds", "mean AWS call latency seen by the operator (moto's answer) (s)",
        (operator.metric("ecsbridge_aws_api_call_duration_seconds_sum") - callSecondsBefore)
            / (operator.metric("ecsbridge_aws_api_call_duration_seconds_count") - callCountBefore));
    Phases.newImage(report, operator, workload, aws.ecs(), items);

    if (!"off".equals(System.getProperty("bench.forcedResync", "on").trim())) {
      forcedResyncs(operator, workload, changes, items);
    }

    Phases.singles(report, operator, workload, items);
    Phases.steady(report, operator, workload, idleSeconds);
    hold(operator, "steady");
  }

  /** A person's forced resync of all, then a change under another (two phases; {@code bench.forcedResync=off}: none). */
  private void forcedResyncs(OperatorJar operator, Workload workload, Changes changes, List<Item> items)
      throws Exception {
    report.section("a person's forced resync of all (reconcile-requested-at: USER lane, fresh reads), everything in "
        + "sync");
    AwsCalls beforeResync = operator.calls();
    double cpuResync = operator.cpuSeconds();
    String value = Instant.now().toString();
    long start = System.nanoTime();
    workload.requestReconcileOfAll(value);
    Measures.await("every resource handled the resync", Duration.ofMinutes(10),
        () -> workload.handledCount(value) == items.size());
    report.put("resyncSeconds", "time for all to handle it (s)", (System.nanoTime() - start) / 1e9);
    Measures.awaitQuiet(operator);
    AwsCalls resync = operator.calls().minus(beforeResync);
    report.put("resyncCpuSeconds", "CPU seconds of the resync", operator.cpuSeconds() - cpuResync);
    report.put("resyncWrites", "AWS writes (must be 0)", resync.writes());
    report.put("resyncReadsPerResource", "AWS reads per resource in a person's forced resync (fresh), by operation",
        Measures.perResource(resync, items));
    report.put("resyncReadsPerKind", "AWS reads per resource in a person's forced resync (fresh), by kind",
        Measures.perKind(resync, items, true));

    report.section("a change under a person's forced resync of all");
    changeUnderForcedResync(workload, changes, items);
  }

  /**
   * bench.holdSeconds (0): keeps the operator running this long after a phase's figures are taken, for a look at
   * its heap (jcmd PID GC.class_histogram, GC.heap_dump) that does not disturb the figures.
   */
  private static void hold(OperatorJar operator, String phase) throws InterruptedException {
    int seconds = Integer.getInteger("bench.holdSeconds", 0);
    if (seconds > 0) {
      System.out.printf("[bench] holding the operator (pid %d) after %s for %d s%n", operator.pid(), phase, seconds);
      Thread.sleep(seconds * 1000L);
    }
  }

  /**
   * A person's ask, under a person's ask: a reconcile of every resource requested (reconcile-requested-at), and once
   * every request is accepted by the API server the last repository and the last service changed (see
   * {@link Changes}). The changed ones are the last of their kind (bench.changeIndex, default N-1): the last asked to
   * resync, so that the change is queued behind the whole resync of its kind.
   */
  private void changeUnderForcedResync(Workload workload, Changes changes, List<Item> items) throws Exception {
    int changed = changedIndex();
    report.put("changedIndex", "the changed resources (of each kind, 0 to N-1)", changed);
    String value = Instant.now().toString();
    long start = System.nanoTime();
    workload.requestReconcileOfAll(value);
    report.put("changeResyncRequestSeconds", "time to request the resync of all (s)",
        (System.nanoTime() - start) / 1e9);
    changes.changeAndTime(changed).forEach((label, seconds) -> report.put("changeUnderResyncSeconds." + label,
        label + ": change to AWS write (s)", seconds));
    Measures.await("every resource handled the resync", Duration.ofMinutes(10),
        () -> workload.handledCount(value) == items.size());
    report.put("changeResyncSeconds", "the resync's duration, first request to all handled (s)",
        (System.nanoTime() - start) / 1e9);
  }

  private int changedIndex() {
    return Integer.getInteger("bench.changeIndex", n - 1);
  }

  /**
   * The operator started again with every resource in place (a restart, an upgrade, a failover): its start-up time,
   * and, as soon as it is ready, the last repository and service changed (a person's change under the start-up
   * pass); the pass (from ready to its last AWS call, once every resource has had its pass) and its calls, whose only
   * writes must be the two changes'.
   */
  private void restart(OperatorJar operator, Changes changes, List<Item> items) throws Exception {
    report.section("restart with " + items.size() + " resources in place, a change under the start-up pass");
    report.put("restartStartupSeconds", "process start to /readyz 200 (s)",
        operator.awaitReady(Duration.ofMinutes(2)));
    long ready = System.nanoTime();
    CompletableFuture<Map<String, Double>> changed = CompletableFuture.supplyAsync(() -> {
      try {
        return changes.changeAndTime(changedIndex());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Measures.awaitPasses(operator, items, new Passes(Map.of())); // every resource had a pass (under load too)...
    long last = Measures.awaitQuiet(operator, Measures.passFloor(items)); // ...and its last AWS call
    changed.get().forEach((label, seconds) -> report.put("changeUnderStartupPassSeconds." + label,
        label + ": change at ready to AWS write (s)", seconds));
    double pass = Math.max(0, last - ready) / 1e9;
    report.put("restartPassSeconds", "start-up pass: ready to its last AWS call (s)", pass);
    report.put("restartPassMetricsReads", "the bench's reads of /metrics, from the start to 3 s of quiet after the pass",
        operator.metricsReads());
    AwsCalls calls = operator.calls();
    report.put("restartPassCalls", "AWS calls of the pass (total)", calls.total());
    double cpu = operator.cpuSeconds(); // before the reads below, each of which costs the operator CPU
    Map<String, Double> sums = operator.metrics("ecsbridge_aws_api_call_duration_seconds_sum",
        "ecsbridge_aws_api_call_duration_seconds_count", "ecsbridge_aws_client_ratelimit_wait_seconds_sum");
    report.put("restartPassMeanCallSeconds", "mean AWS call latency in the pass (moto's answer; not the budget's "
        + "wait) (s)", sums.get("ecsbridge_aws_api_call_duration_seconds_sum")
            / sums.get("ecsbridge_aws_api_call_duration_seconds_count"));
    report.put("restartPassBudgetWaitSeconds", "time the pass's AWS calls waited for the client-side budget (s, summed)",
        sums.get("ecsbridge_aws_client_ratelimit_wait_seconds_sum"));
    report.put("restartPassDeferrals", "resyncs deferred for want of AWS budget in the pass (calls refused)",
        operator.passes().deferred());
    report.put("restartPassWrites", "AWS writes of the pass (only the 2 changes': UpdateService, "
        + "PutImageScanningConfiguration)", calls.writesByOperation());
    report.put("restartPassCallsPerKind", "AWS calls of the pass per resource, by kind",
        Measures.perKind(calls, items, false));
    report.put("restartPassCallsPerResource", "AWS calls of the pass per resource of its kind, by operation",
        Measures.perResource(calls, items));
    report.put("restartRssMiB", "RSS after the pass (MiB)", operator.rssMiB());
    report.put("restartPeakRssMiB", "peak RSS (VmHWM) (MiB)", operator.peakRssMiB());
    report.put("restartCpuSeconds", "CPU seconds, start to the pass's end", cpu);
    report.put("metricsReadCpuMillis", "CPU per /metrics read (a scrape), " + items.size() + " resources (ms, "
        + METRICS_READS + " reads)", operator.cpuMillisPerMetricsRead(METRICS_READS));
    hold(operator, "the restart's pass");
  }
}
