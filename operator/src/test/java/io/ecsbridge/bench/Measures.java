package io.ecsbridge.bench;

import io.ecsbridge.bench.Workload.Item;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The benchmark's waits, its per-resource arithmetic and its reads of the machine. */
final class Measures {
  /** How many resources the run has: every wait's limit grows with it (see {@link #limit}). */
  private static volatile int resources = 100;

  private Measures() {}

  static void scaleTo(int resourceCount) {
    resources = resourceCount;
  }

  /**
   * A wait's limit: {@code base}, plus 1 s per resource of the run (at the operator's default AWS budgets a full
   * pass over N repositories alone takes N/2 s), so that a slow run at N = 2,000 ends in figures, not a timeout.
   */
  static Duration limit(Duration base) {
    return base.plusSeconds(resources);
  }

  /** Seconds from {@code change} (once it returns) until {@code done} holds in AWS. */
  static Callable<Double> timed(Runnable change, BooleanSupplier done) {
    return () -> {
      change.run();
      long at = System.nanoTime();
      long deadline = at + limit(Duration.ofMinutes(5)).toNanos();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          return Double.NaN;
        }
        Thread.sleep(20);
      }
      return (System.nanoTime() - at) / 1e9;
    };
  }

  /** Until every item is Ready (a line every 10 s); returns the seconds from {@code start} to the last one. */
  static double awaitReady(Workload workload, List<Item> items, long start, Controller operator)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit(Duration.ofMinutes(5)).toNanos();
    long nextLine = System.nanoTime();
    while (workload.readyCount() < items.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(workload.readyCount() + " of " + items.size() + " Ready in time");
      }
      if (System.nanoTime() >= nextLine) {
        System.out.printf("[bench]   %5.1f s: %d of %d Ready, RSS %.0f MiB, CPU %.1f s%n",
            (System.nanoTime() - start) / 1e9, workload.readyCount(), items.size(), operator.rssMiB(),
            operator.cpuSeconds());
        nextLine += 10_000_000_000L;
      }
      Thread.sleep(20);
    }
    return items.stream().mapToLong(workload::readyAt).max().orElseThrow() / 1e9 - start / 1e9;
  }

  /**
   * Until the operator's AWS call counter has not moved for 3 s (the work started has ended); returns when it last
   * moved (System.nanoTime, polled every {@link #MOVING_POLL} while it moves, then every 250 ms).
   */
  static long awaitQuiet(Controller operator) throws InterruptedException {
    return awaitQuiet(operator, 0);
  }

  /**
   * As {@link #awaitQuiet(Controller)}, but quiet only once the counter has reached {@code atLeast}: a start-up pass
   * reads every resource at least once, and may not have begun when the operator reports ready (3 s without a call
   * before the pass starts is not its end).
   */
  static long awaitQuiet(Controller operator, double atLeast) throws InterruptedException {
    Duration limit = limit(Duration.ofMinutes(5));
    long quiet = awaitQuiet(operator, atLeast, System.nanoTime() + limit.toNanos());
    if (quiet < 0) {
      throw new IllegalStateException("the controller's AWS calls did not settle within " + limit + " (" + atLeast
          + " calls expected at least)");
    }
    return quiet;
  }

  /** As {@link #awaitQuiet(Controller, double)}, until {@code deadline} (System.nanoTime): -1 if not quiet by then. */
  static long awaitQuiet(Controller operator, double atLeast, long deadline) throws InterruptedException {
    double last = -1;
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      double now = operator.calls().total();
      boolean moving = now != last;
      if (moving) {
        last = now;
        stableSince = System.nanoTime();
      } else if (now >= atLeast && System.nanoTime() - stableSince > 3_000_000_000L) {
        return stableSince;
      }
      Thread.sleep(moving ? MOVING_POLL.toMillis() : 250);
    }
    return -1;
  }

  /**
   * How often {@link #awaitQuiet} reads /metrics while the calls keep coming (every 250 ms once a read saw none): a
   * read costs the operator CPU for every resource (it counts their conditions: 13.2 to 16.2 ms at 6,043), and a
   * restart's start-up pass, which this waits out, lasts from one to 17 minutes. Read every 250 ms throughout, as
   * until the twenty-first round, the reads were 37% of the operator's CPU in the pass at N = 1,000 (a profile;
   * docs/operations.md, "Where the start-up pass's CPU went"). The quiet's start (the last call) is found no more
   * than this late.
   */
  static final Duration MOVING_POLL = Duration.ofSeconds(1);

  /** Until {@code done} holds, polled every 20 ms, for at most {@link #limit}({@code base}). */
  static void await(String what, Duration base, BooleanSupplier done) throws InterruptedException {
    Duration limit = limit(base);
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + limit + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Each kind's calls (reads only, or all) per resource of that kind. */
  static Map<String, Double> perKind(AwsCalls calls, List<Item> items, boolean readsOnly) {
    Map<String, Double> byKind = new TreeMap<>();
    calls.byOperation().forEach((op, c) -> {
      if (!readsOnly || AwsCalls.isRead(op)) {
        byKind.merge(AwsCalls.kindOf(op), c / count(items, AwsCalls.kindOf(op)), Double::sum);
      }
    });
    byKind.replaceAll((k, v) -> Report.round(v, 2));
    return byKind;
  }

  /** Each operation's calls divided by the number of resources of the kind it serves. */
  static Map<String, Double> perResource(AwsCalls calls, List<Item> items) {
    Map<String, Double> per = new TreeMap<>();
    calls.byOperation().forEach((op, c) -> per.put(op, Report.round(c / count(items, AwsCalls.kindOf(op)), 2)));
    return per;
  }

  /**
   * The periodic phase's resync period when bench.periodicResync is not given, for N of each kind: 0.8 s per
   * resource, at least 90 s, rounded up to 10 s (N = 100: 90 s; N = 1,000: 800 s). An in-sync repository costs about
   * 3.4 ECR reads per resync and ECR's default budget is 10 calls/s, so a resync of all takes about 43% of it (a
   * budget short of it would defer resyncs: fewer of them, not cheaper ones), and the start-up pass (5 fresh reads a
   * repository: 0.5 s each) mostly ends before the first resyncs come.
   */
  static Duration periodicResync(int n) {
    return Duration.ofSeconds(Math.max(90, (long) Math.ceil(n * 0.8 / 10) * 10));
  }

  /** How many resync periods a window of {@code windowSeconds} spans. */
  static double periods(double windowSeconds, Duration period) {
    return windowSeconds * 1000.0 / period.toMillis();
  }

  /**
   * AWS reads per resource per resync in a window of periodic resyncs, by kind: the kind's reads in the window ÷ (its
   * resources × window ÷ P). Every resource is resynced once per period P (less its 0 to 10% jitter, or sooner when
   * another's batched read takes it along), so this is what the kind costs per resource per period.
   */
  static Map<String, Double> readsPerResync(AwsCalls window, List<Item> items, double windowSeconds,
      Duration period) {
    Map<String, Double> byKind = new TreeMap<>();
    window.byOperation().forEach((op, c) -> {
      if (AwsCalls.isRead(op)) {
        byKind.merge(AwsCalls.kindOf(op), c, Double::sum);
      }
    });
    byKind.replaceAll((kind, reads) -> perResync(reads, items, kind, windowSeconds, period));
    return byKind;
  }

  /** As {@link #readsPerResync}, by operation (each divided by the resources of the kind it serves). */
  static Map<String, Double> readsPerResyncByOperation(AwsCalls window, List<Item> items, double windowSeconds,
      Duration period) {
    Map<String, Double> byOperation = new TreeMap<>();
    window.byOperation().forEach((op, c) -> {
      if (AwsCalls.isRead(op)) {
        byOperation.put(op, perResync(c, items, AwsCalls.kindOf(op), windowSeconds, period));
      }
    });
    return byOperation;
  }

  /**
   * Passes per resource per period in the window, by kind of the workload (JOSDK's passes that ended well): about 1
   * to 1.1 when every resource is resynced once per period (the jitter shortens a period by up to 10%); more when
   * batched reads took resources along before their time, or when resyncs were deferred (a deferred pass ends well,
   * having read nothing, and comes back).
   */
  static Map<String, Double> passesPerPeriod(Passes window, List<Item> items, double windowSeconds, Duration period) {
    Map<String, Double> byKind = new TreeMap<>();
    for (String kind : kindsOf(items)) {
      byKind.put(kind, perResync(window.of(kind), items, kind, windowSeconds, period));
    }
    return byKind;
  }

  private static double perResync(double calls, List<Item> items, String kind, double windowSeconds,
      Duration period) {
    return Report.round(calls / (count(items, kind) * periods(windowSeconds, period)), 3);
  }

  /**
   * How often {@link #awaitPasses} reads /metrics while fewer than {@link #NEAR} of the passes are done (then every
   * 250 ms), for the reason of {@link #MOVING_POLL}: a pass's end is found no later than by the 250 ms reads.
   */
  static final Duration PASSES_POLL = Duration.ofSeconds(1);
  /** The share of the passes done from which {@link #awaitPasses} reads /metrics every 250 ms. */
  static final double NEAR = 0.95;

  /**
   * Until every kind of {@code items} has made at least as many passes as it has resources since {@code before}
   * (JOSDK's passes that ended well, see {@link Passes}); returns when (System.nanoTime, /metrics read every
   * {@link #PASSES_POLL}, every 250 ms near the end). After a start, the start-up pass cannot be over before (a
   * deferred pass counts too, and comes back: the caller waits for the AWS calls to stop as well).
   */
  static long awaitPasses(OperatorJar operator, List<Item> items, Passes before) throws InterruptedException {
    Duration limit = limit(Duration.ofMinutes(5));
    long deadline = System.nanoTime() + limit.toNanos();
    Passes since;
    while (!passedAll(since = operator.passes().minus(before), items)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + limit + ": a pass of every resource; passes " + since);
      }
      Thread.sleep(done(since, items) < NEAR ? PASSES_POLL.toMillis() : 250);
    }
    return System.nanoTime();
  }

  /**
   * Until the operator has made {@code atLeast} calls of {@code operation} (service:Operation); returns when
   * (System.nanoTime, /metrics read every 250 ms).
   */
  static long awaitCalls(OperatorJar operator, String operation, double atLeast) throws InterruptedException {
    Duration limit = limit(Duration.ofMinutes(5));
    long deadline = System.nanoTime() + limit.toNanos();
    while (operator.calls().byOperation().getOrDefault(operation, 0.0) < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + limit + ": " + atLeast + " " + operation);
      }
      Thread.sleep(250);
    }
    return System.nanoTime();
  }

  /** The least share, over the kinds of {@code items}, of their resources' passes that {@code passes} holds. */
  static double done(Passes passes, List<Item> items) {
    return kindsOf(items).stream().mapToDouble(kind -> passes.of(kind) / count(items, kind)).min().orElse(1);
  }

  /** Whether {@code passes} holds at least one pass per resource of each kind of {@code items}. */
  static boolean passedAll(Passes passes, List<Item> items) {
    return done(passes, items) >= 1;
  }

  /**
   * Reads per resource per hour when every resource is resynced once per {@code period}: each kind's reads per
   * resync × 3600 s / period.
   */
  static Map<String, Double> perHour(Map<String, Double> perResync, Duration period) {
    Map<String, Double> perHour = new TreeMap<>();
    perResync.forEach((kind, reads) -> perHour.put(kind, Report.round(reads * 3600.0 / period.toSeconds(), 1)));
    return perHour;
  }

  /** p50, p99 and max of {@code seconds} (nearest rank), rounded to 10 ms, and how many samples. */
  static Map<String, Object> quantiles(List<Double> seconds) {
    Map<String, Object> q = new java.util.LinkedHashMap<>();
    q.put("p50", Report.round(Report.quantile(seconds, 0.5), 2));
    q.put("p99", Report.round(Report.quantile(seconds, 0.99), 2));
    q.put("max", Report.round(Report.quantile(seconds, 1.0), 2));
    q.put("samples", seconds.size());
    return q;
  }

  /**
   * The fewest AWS calls a start-up pass of these resources makes (the floor {@link #awaitQuiet(Controller, double)}
   * waits for): one per resource of a kind read alone (repositories, task definitions), one per 10 services and one
   * per 100 clusters, which are read in batches (DESIGN.md "Batched reads"): not one per resource.
   */
  static double passFloor(List<Item> items) {
    Map<String, Long> of = items.stream().collect(java.util.stream.Collectors.groupingBy(Item::kind,
        java.util.stream.Collectors.counting()));
    return of.getOrDefault("EcrRepository", 0L) + of.getOrDefault("EcsTaskDefinition", 0L)
        + Math.ceil(of.getOrDefault("EcsService", 0L) / 10.0) + Math.ceil(of.getOrDefault("EcsCluster", 0L) / 100.0);
  }

  /** How many items are of {@code kind}, at least 1 (a divisor). */
  static double count(List<Item> items, String kind) {
    return Math.max(1, items.stream().filter(i -> i.kind().equals(kind)).count());
  }

  static List<String> kindsOf(List<Item> items) {
    return items.stream().map(Item::kind).distinct().toList();
  }

  /**
   * CPU seconds (utime + stime) of the stack's processes, children of this JVM: moto (its launcher's command line
   * names ecsbridge_moto.py), kube-apiserver and etcd. Shows whether the emulator or the API server, rather than the
   * operator's AWS budgets, sets the pace.
   */
  static Map<String, Double> stackCpuSeconds() {
    Map<String, Double> cpu = new TreeMap<>();
    ProcessHandle.current().descendants().forEach(p -> {
      String command = p.info().commandLine().orElse("");
      String name = command.contains("ecsbridge_moto") ? "moto" : command.contains("kube-apiserver")
          ? "kube-apiserver" : command.contains("etcd") ? "etcd" : null;
      if (name != null) {
        cpu.merge(name, Report.round(cpuSeconds(p.pid()), 1), Double::sum);
      }
    });
    return cpu;
  }

  /** A /proc/PID/status field given in kB ({@code VmRSS:}, {@code VmHWM:}), in MiB. */
  static double statusMiB(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) / 1024.0;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
  }

  /** CPU seconds used so far by process {@code pid}, user + system (/proc/PID/stat utime + stime); 0 if gone. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return cpuSecondsOfStat(stat);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The CPU limit of process {@code pid}'s own cgroup, as the kubelet writes one (a CFS quota per period), in
   * millicores ("100m"), or "none": what a run was really limited to (hack/ack/cpu-limit.sh), not what it was asked.
   */
  static String cpuLimit(long pid) {
    try {
      return cpuLimitOf(Files.readString(Path.of("/proc", String.valueOf(pid), "cgroup")), file -> {
        try {
          return Files.exists(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
          return null;
        }
      });
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /**
   * {@link #cpuLimit}'s reading of a /proc/PID/cgroup text: cgroup v1's cpu controller (a line "N:cpu,cpuacct:/path",
   * its files under /sys/fs/cgroup/cpu,cpuacct or /sys/fs/cgroup/cpu), else v2's (a line "0::/path", cpu.max under
   * /sys/fs/cgroup); {@code read} gives a file's content or null.
   */
  static String cpuLimitOf(String procCgroup, java.util.function.Function<Path, String> read) {
    String v1 = null;
    for (String line : procCgroup.split("\n")) {
      String[] f = line.split(":", 3);
      if (f.length == 3 && List.of(f[1].split(",")).contains("cpu")) {
        v1 = f[2];
        for (String mount : List.of(f[1], "cpu")) {
          Path dir = Path.of("/sys/fs/cgroup", mount).resolve(f[2].substring(1));
          String quota = read.apply(dir.resolve("cpu.cfs_quota_us"));
          String period = read.apply(dir.resolve("cpu.cfs_period_us"));
          if (quota != null && period != null) {
            return millicores(quota, period);
          }
        }
      }
    }
    for (String line : procCgroup.split("\n")) {
      if (line.startsWith("0::")) {
        String max = read.apply(Path.of("/sys/fs/cgroup").resolve(line.substring(4)).resolve("cpu.max"));
        if (max != null) {
          String[] qp = max.split(" ");
          return millicores(qp[0], qp[1]);
        }
      }
    }
    // a cgroup v1 cpu controller whose files are not where they are looked for: not "none", which would be a claim
    return v1 == null ? "none" : "unknown (no cpu.cfs_quota_us of " + v1 + " under /sys/fs/cgroup)";
  }

  private static String millicores(String quota, String period) {
    if (quota.equals("max") || quota.startsWith("-")) {
      return "none";
    }
    return Math.round(Long.parseLong(quota) * 1000.0 / Long.parseLong(period)) + "m";
  }

  /** utime + stime of a /proc/PID/stat line, in seconds (100 clock ticks a second, as on Linux). */
  static double cpuSecondsOfStat(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the command: state(0) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(11)
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A VPC with two subnets and a security group in moto, for the services' awsvpc configuration. */
  static Workload.Network network(Ec2Client ec2) {
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
        .subnet().subnetId();
    String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b"))
        .subnet().subnetId();
    String sg = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("bench").description("bench")).groupId();
    return new Workload.Network(a, b, sg);
  }
}
