package io.ecsbridge.bench;

import io.ecsbridge.bench.Workload.Item;
import io.ecsbridge.config.OperatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The operator's own periodic resync, everything in sync: the operator started with a short resync period P
 * (bench.periodicResync, else {@link Measures#periodicResync}); once every resource has had its start-up pass (see
 * {@link #startupPass}), the AWS calls over a window of several periods (bench.periodicWindow, 2) give the reads per
 * resource per resync by kind and by operation (reads ÷ (resources × window/P)) and the writes (must be 0). At the
 * window's end the last repository and service are changed, a person's change among periodic resyncs.
 */
final class PeriodicResync {
  private final Report report;
  private final Duration period;
  private final int periods;

  PeriodicResync(Report report, Duration period, int periods) {
    this.report = report;
    this.period = period;
    this.periods = periods;
  }

  void measure(OperatorJar operator, Changes changes, List<Item> items, int changedIndex) throws Exception {
    report.section("the operator's periodic resync of " + items.size() + " resources in sync (period "
        + period.toSeconds() + " s)");
    report.put("periodicResyncSeconds", "resync period P (s)", period.toSeconds());
    report.put("periodicStartupSeconds", "process start to /readyz 200 (s)",
        operator.awaitReady(Duration.ofMinutes(2)));
    long ready = System.nanoTime();
    report.put("periodicStartupPassSeconds", "start-up pass: ready to every resource's pass (s)",
        (startupPass(operator, items) - ready) / 1e9);
    AwsCalls calls = operator.calls();
    Passes passes = operator.passes();
    double cpu = operator.cpuSeconds();
    long start = System.nanoTime();
    Thread.sleep(period.toMillis() * periods);
    AwsCalls window = operator.calls().minus(calls);
    Passes passed2 = operator.passes().minus(passes);
    double seconds = (System.nanoTime() - start) / 1e9;
    report.put("periodicWindowSeconds", "window: the " + periods + " periods after the start-up pass (s)", seconds);
    report.put("periodicWrites", "AWS writes in the window (must be 0)", window.writes());
    if (window.writes() > 0) {
      report.put("periodicWritesByOperation", "AWS writes in the window, by operation", window.writesByOperation());
    }
    Map<String, Double> perKind = Measures.readsPerResync(window, items, seconds, period);
    report.put("periodicReadsPerKind", "AWS reads per resource per resync, by kind: reads in the window / "
        + "(resources of the kind x window/P) (target: EcsService <= 0.2)", perKind);
    report.put("periodicReadsPerResource", "AWS reads per resource per resync, by operation (DescribeImages: about "
        + "every 6th resync, none in a window of under 6 periods)",
        Measures.readsPerResyncByOperation(window, items, seconds, period));
    report.put("periodicPassesPerPeriod", "passes per resource per period in the window (JOSDK's, deferred ones "
        + "included), by kind",
        Measures.passesPerPeriod(passed2, items, seconds, period));
    report.put("periodicDeferred", "resync calls deferred for want of budget in the window (0: it kept up)",
        passed2.deferred());
    String defaultPeriod = OperatorConfig.SETTINGS.stream()
        .filter(s -> s.env().equals("ECSBRIDGE_RESYNC_PERIOD")).findFirst().orElseThrow().defaultValue();
    report.put("readsPerHourAtDefaultResync", "AWS reads per resource per hour at the default resync period ("
        + defaultPeriod + "), by kind (a repository's DescribeImages, about every 6th resync, only if the window held "
        + "one: about 1 an hour more)", Measures.perHour(perKind, OperatorConfig.parseDuration(defaultPeriod)));
    report.put("periodicCpuSecondsPerPeriod", "operator CPU seconds per period in the window",
        (operator.cpuSeconds() - cpu) / Measures.periods(seconds, period));
    report.put("periodicRssMiB", "RSS at the window's end (MiB)", operator.rssMiB());
    changes.changeAndTime(changedIndex).forEach((label, s) -> report.put("changeUnderPeriodicResyncSeconds." + label,
        label + ": a change among periodic resyncs, to its AWS write (s)", s));
  }

  /**
   * Until the start-up pass is over: every resource has had a pass (JOSDK's count) and every repository its first
   * one, the only pass that reads its images before 5.5 periods (a deferred pass counts as a pass, and comes back; the
   * repositories' pass, 5 reads each at ECR's 10 calls/s, is the longest). Not "3 s without an AWS call": when the
   * pass lasts about a period, the first resyncs come before it ends. Returns when (System.nanoTime).
   */
  private static long startupPass(OperatorJar operator, List<Item> items) throws InterruptedException {
    long passed = Measures.awaitPasses(operator, items, new Passes(Map.of()));
    double repositories = items.stream().filter(i -> i.kind().equals(Workload.REPOSITORY)).count();
    return repositories == 0 ? passed : Measures.awaitCalls(operator, "ecr:DescribeImages", repositories);
  }
}
