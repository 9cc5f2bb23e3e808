package io.ecsbridge.bench;

import io.ecsbridge.bench.Workload.Item;
import io.ecsbridge.config.OperatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The operator's own periodic resync, everything in sync: the operator started with a short resync period P
 * (bench.periodicResync, else {@link Measures#periodicResync}); once every resource has had its start-up pass (JOSDK's
 * passes, see {@link Passes}) and its AWS calls have stopped, the AWS calls over a window of several periods
 * (bench.periodicWindow, 2) give the reads per resource per resync by kind and by operation (reads ÷ (resources ×
 * window/P)) and the writes (must be 0). At the window's end the last repository and service are changed, a person's
 * change among periodic resyncs.
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
    Measures.awaitPasses(operator, items, new Passes(Map.of()));
    // then its last AWS call: 3 s without one, before the first resync can come (0.9 P after ready at the soonest)
    long last = Measures.awaitQuiet(operator, 0, ready + period.toNanos() * 9 / 10);
    report.put("periodicStartupPassSeconds", "start-up pass: ready to its last AWS call (s)", last < 0 ? "not quiet "
        + "before 0.9 P: the window starts then and may hold some of its reads" : (last - ready) / 1e9);
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
    report.put("periodicPassesPerPeriod", "passes per resource per period in the window (JOSDK's), by kind",
        Measures.passesPerPeriod(passed2, items, seconds, period));
    report.put("periodicDeferred", "resync calls deferred for want of budget in the window (0: it kept up)",
        passed2.deferred());
    String defaultPeriod = OperatorConfig.SETTINGS.stream()
        .filter(s -> s.env().equals("ECSBRIDGE_RESYNC_PERIOD")).findFirst().orElseThrow().defaultValue();
    report.put("readsPerHourAtDefaultResync", "AWS reads per resource per hour at the default resync period ("
        + defaultPeriod + "), by kind", Measures.perHour(perKind, OperatorConfig.parseDuration(defaultPeriod)));
    report.put("periodicCpuSecondsPerPeriod", "operator CPU seconds per period in the window",
        (operator.cpuSeconds() - cpu) / Measures.periods(seconds, period));
    report.put("periodicRssMiB", "RSS at the window's end (MiB)", operator.rssMiB());
    changes.changeAndTime(changedIndex).forEach((label, s) -> report.put("changeUnderPeriodicResyncSeconds." + label,
        label + ": a change among periodic resyncs, to its AWS write (s)", s));
  }
}
