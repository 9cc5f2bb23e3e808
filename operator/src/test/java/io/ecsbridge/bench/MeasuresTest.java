package io.ecsbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic: reads per hour, quantiles of samples, limits that grow with N. */
class MeasuresTest {
  @Test
  void readsPerHourAreReadsPerResyncTimesResyncsPerHour() {
    Map<String, Double> perHour = Measures.perHour(Map.of("EcrRepository", 4.0, "EcsService", 0.1),
        Duration.ofMinutes(10));
    assertThat(perHour).isEqualTo(Map.of("EcrRepository", 24.0, "EcsService", 0.6));
    assertThat(Measures.perHour(Map.of("EcsService", 1.0), Duration.ofHours(10))).containsEntry("EcsService", 0.1);
  }

  @Test
  void aStartUpPassReadsServicesTenAndClustersAHundredACall() {
    List<Workload.Item> items = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      items.add(new Workload.Item("EcsService", "s" + i, ""));
      items.add(new Workload.Item("EcsTaskDefinition", "t" + i, ""));
    }
    items.add(new Workload.Item("EcsCluster", "c", ""));
    items.add(new Workload.Item("EcrRepository", "r", ""));
    assertThat(Measures.passFloor(items)).isEqualTo(25 + 1 + 3 + 1);
  }

  @Test
  void readsPerResyncAreTheWindowsReadsOverResourcesTimesPeriodsInTheWindow() {
    List<Workload.Item> items = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      items.add(new Workload.Item("EcsService", "s" + i, ""));
      items.add(new Workload.Item("EcrRepository", "r" + i, ""));
    }
    for (int i = 0; i < 4; i++) {
      items.add(new Workload.Item("EcsCluster", "c" + i, ""));
    }
    // 3 periods of 60 s: 100 services resynced 3 times in 30 DescribeServices, 4 clusters in 1 DescribeClusters
    AwsCalls window = new AwsCalls(Map.of("ecs:DescribeServices", 30.0, "ecs:DescribeClusters", 1.0,
        "ecr:DescribeRepositories", 15.0, "ecr:ListTagsForResource", 300.0, "ecr:GetRepositoryPolicy", 300.0,
        "ecs:UpdateService", 2.0));
    Duration period = Duration.ofSeconds(60);
    assertThat(Measures.periods(180, period)).isEqualTo(3.0);
    assertThat(Measures.readsPerResync(window, items, 180, period)).as("writes left out")
        .isEqualTo(Map.of("EcsService", 0.1, "EcsCluster", 0.083, "EcrRepository", 2.05));
    assertThat(Measures.readsPerResyncByOperation(window, items, 180, period))
        .isEqualTo(Map.of("ecs:DescribeServices", 0.1, "ecs:DescribeClusters", 0.083,
            "ecr:DescribeRepositories", 0.05, "ecr:ListTagsForResource", 1.0, "ecr:GetRepositoryPolicy", 1.0));
    // a window of 150 s is 2.5 periods: 30 DescribeServices for 100 services are 0.12 per resync
    assertThat(Measures.readsPerResync(window, items, 150, period)).containsEntry("EcsService", 0.12);
  }

  @Test
  void passesPerPeriodShowWhetherEveryResourceWasResyncedOncePerPeriod() {
    List<Workload.Item> items = List.of(new Workload.Item("EcsService", "a", ""),
        new Workload.Item("EcsService", "b", ""), new Workload.Item("EcrRepository", "r", ""));
    Passes window = new Passes(Map.of("EcsService", 4.2, "EcrRepository", 1.0, "AwsAccount", 9.0), Map.of());
    assertThat(Measures.passesPerPeriod(window, items, 120, Duration.ofSeconds(60)))
        .isEqualTo(Map.of("EcsService", 1.05, "EcrRepository", 0.5));
  }

  @Test
  void theStartUpPassIsOverOncePassesOfEveryKindReachItsResources() {
    List<Workload.Item> items = List.of(new Workload.Item("EcsService", "a", ""),
        new Workload.Item("EcsService", "b", ""), new Workload.Item("EcrRepository", "r", ""));
    assertThat(Measures.passedAll(new Passes(Map.of("EcsService", 2.0, "EcrRepository", 1.0)), items)).isTrue();
    assertThat(Measures.passedAll(new Passes(Map.of("EcsService", 5.0)), items)).as("no repository yet").isFalse();
    assertThat(Measures.passedAll(new Passes(Map.of("EcsService", 1.0, "EcrRepository", 3.0)), items)).isFalse();
  }

  @Test
  void theShareOfPassesDoneIsTheLeastOverTheKinds() {
    List<Workload.Item> items = List.of(new Workload.Item("EcsService", "a", ""),
        new Workload.Item("EcsService", "b", ""), new Workload.Item("EcrRepository", "r", ""));
    assertThat(Measures.done(new Passes(Map.of("EcsService", 1.0, "EcrRepository", 3.0)), items)).isEqualTo(0.5);
    assertThat(Measures.done(new Passes(Map.of("EcsService", 2.0)), items)).as("no repository yet").isZero();
    assertThat(Measures.done(new Passes(Map.of("EcsService", 2.0, "EcrRepository", 1.0)), items)).isEqualTo(1.0);
  }

  @Test
  void thePeriodicPhasesDefaultPeriodGrowsWithNFromNinetySeconds() {
    assertThat(Measures.periodicResync(1)).isEqualTo(Duration.ofSeconds(90));
    assertThat(Measures.periodicResync(100)).isEqualTo(Duration.ofSeconds(90));
    assertThat(Measures.periodicResync(667)).isEqualTo(Duration.ofSeconds(540));
    assertThat(Measures.periodicResync(1000)).isEqualTo(Duration.ofSeconds(800));
  }

  @Test
  void quantilesOfTwentySamplesTakeTheHighestAsP99() {
    List<Double> samples = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      samples.add(i / 10.0);
    }
    assertThat(Measures.quantiles(samples))
        .containsEntry("p50", 1.0).containsEntry("p99", 2.0).containsEntry("max", 2.0).containsEntry("samples", 20);
    assertThat(Measures.quantiles(List.of(0.123))).containsEntry("p50", 0.12).containsEntry("p99", 0.12);
  }

  @Test
  void limitsGrowWithTheNumberOfResources() {
    Measures.scaleTo(3003);
    try {
      assertThat(Measures.limit(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10).plusSeconds(3003));
    } finally {
      Measures.scaleTo(100);
    }
  }

  @Test
  void aCpuLimitIsTheQuotaOfTheProcessesOwnCgroupInMillicores() {
    Map<String, String> files = Map.of(
        "/sys/fs/cgroup/cpu,cpuacct/ack/cpu.cfs_quota_us", "10000",
        "/sys/fs/cgroup/cpu,cpuacct/ack/cpu.cfs_period_us", "100000",
        "/sys/fs/cgroup/cpu/bench/cpu.cfs_quota_us", "-1",
        "/sys/fs/cgroup/cpu/bench/cpu.cfs_period_us", "100000",
        "/sys/fs/cgroup/pod/cpu.max", "250000 100000",
        "/sys/fs/cgroup/free/cpu.max", "max 100000");
    java.util.function.Function<java.nio.file.Path, String> read = p -> files.get(p.toString());
    // cgroup v1: the cpu controller's line, mounted with cpuacct or alone
    assertThat(Measures.cpuLimitOf("12:memory:/x\n4:cpu,cpuacct:/ack\n0::/y\n", read)).isEqualTo("100m");
    assertThat(Measures.cpuLimitOf("3:cpu:/bench\n", read)).isEqualTo("none");
    // cgroup v2: cpu.max
    assertThat(Measures.cpuLimitOf("0::/pod\n", read)).isEqualTo("2500m");
    assertThat(Measures.cpuLimitOf("0::/free\n", read)).isEqualTo("none");
    // no cpu controller at all, or v2's root (no cpu.max): no limit; a v1 cpu controller not found: unknown
    assertThat(Measures.cpuLimitOf("0::/elsewhere\n5:cpuset:/z\n", read)).isEqualTo("none");
    assertThat(Measures.cpuLimitOf("3:cpu:/gone\n", read)).startsWith("unknown");
  }

  @Test
  void cpuSecondsAreUserPlusSystemTicksOfProcStat() {
    // a command with a space and a parenthesis, as /proc allows: the fields are counted after the last ')'
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";
    assertThat(Measures.cpuSecondsOfStat(stat)).isEqualTo(18.01);
  }

  @Test
  void writesByOperationLeaveTheReadsOut() {
    AwsCalls calls = new AwsCalls(Map.of("ecs:UpdateService", 1.0, "ecs:DescribeServices", 9.0,
        "ecr:PutImageScanningConfiguration", 1.0, "ecr:ListTagsForResource", 4.0));
    assertThat(calls.writesByOperation())
        .isEqualTo(Map.of("ecs:UpdateService", 1.0, "ecr:PutImageScanningConfiguration", 1.0));
  }
}
