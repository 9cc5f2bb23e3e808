package io.ecsbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The side-by-side's own parts that need no ACK: its workloads and its build's check of the sources. */
class AckBenchTest {
  @Test
  void ackGetsTheSameRepositoriesInItsOwnSpelling() {
    List<Workload.Item> ours = Workload.items(3, true, false, 0, null);
    List<Workload.Item> ack = AckBench.repositories(3);
    assertThat(ack).extracting(Workload.Item::key).isEqualTo(ours.stream().map(Workload.Item::key).toList());
    assertThat(ack.get(2).yaml()).contains("name: bench-repo-2", "imageTagMutability: MUTABLE",
        "scanOnPush: false", "tags: [{key: bench, value: ecs-bridge}]");
    assertThat(ours.get(2).yaml()).contains("imageTagMutability: MUTABLE", "scanOnPush: false",
        "tags: {bench: ecs-bridge}");
  }

  @Test
  void ackGetsTheSameServicesInItsOwnSpelling() {
    Workload.Network net = new Workload.Network("subnet-a", "subnet-b", "sg-1");
    List<Workload.Item> ours = Workload.items(4, false, true, 3, net);
    List<Workload.Item> ack = AckBench.services(4, 3, net);
    assertThat(ack).extracting(Workload.Item::key).containsExactlyInAnyOrderElementsOf(
        ours.stream().map(Workload.Item::key).toList());
    Workload.Item service = ack.stream().filter(i -> i.key().equals("EcsService/bench-svc-3")).findFirst()
        .orElseThrow();
    assertThat(service.yaml()).contains("name: bench-svc-3", "clusterRef: {from: {name: bench-0}}",
        "taskDefinitionRef: {from: {name: bench-svc-3}}", "desiredCount: 1", "launchType: FARGATE",
        "awsVPCConfiguration: {subnets: [subnet-a, subnet-b], securityGroups: [sg-1]}",
        "deploymentCircuitBreaker: {enable: true, rollback: true}");
    assertThat(ours.stream().filter(i -> i.key().equals("EcsService/bench-svc-3")).findFirst().orElseThrow().yaml())
        .contains("clusterRef: {name: bench-0}", "taskDefinitionRef: {name: bench-svc-3}", "desiredCount: 1");
    assertThat(ack.stream().filter(i -> i.key().equals("EcsTaskDefinition/bench-svc-3")).findFirst().orElseThrow()
        .yaml()).contains("family: bench-svc-3", "requiresCompatibilities: [FARGATE]", "networkMode: awsvpc",
        "cpu: \"256\"", "memory: \"512\"", "image: \"public.ecr.aws/nginx/nginx:1.27\"");
    assertThat(ack.stream().filter(i -> i.key().equals("EcsCluster/bench-2")).findFirst().orElseThrow().yaml())
        .contains("name: bench-2", "tags: [{key: bench, value: ecs-bridge}]");
  }

  @Test
  void theBuildSaysWhichSourcesAreMissing(@TempDir Path src) throws Exception {
    Files.createDirectories(src.resolve("ecs-controller"));
    Files.writeString(src.resolve("ecs-controller/go.mod"), """
        module github.com/aws-controllers-k8s/ecs-controller

        require (
        \tgithub.com/aws-controllers-k8s/ec2-controller v1.2.26
        \tgithub.com/aws-controllers-k8s/runtime v0.57.0
        \tgithub.com/aws/aws-sdk-go-v2 v1.36.0
        )
        """);
    Files.createDirectories(src.resolve("ec2-controller"));
    Files.writeString(src.resolve("ec2-controller/go.mod"), "module github.com/aws-controllers-k8s/ec2-controller\n");
    // the ACK modules come from the controller's go.mod: the runtime's sources are missing, the SDK is not ACK's
    assertThat(build(src, "ecs-controller")).isEqualTo("no " + src.toRealPath()
        + "/runtime/go.mod (the sources of aws-controllers-k8s/runtime, which ecs-controller requires)");
    // the default controller is the ecr-controller, whose sources are not there at all
    assertThat(build(src)).isEqualTo("no " + src.toRealPath() + "/ecr-controller/go.mod (the sources of "
        + "aws-controllers-k8s/ecr-controller)");
  }

  @Test
  void aCpuLimitIsReadAsMillicoresOrCores() throws Exception {
    assertThat(run("bash", script("cpu-limit.sh"), "--millicores", "100m")).isEqualTo(new Result(0, "100m"));
    assertThat(run("bash", script("cpu-limit.sh"), "--millicores", "0.25")).isEqualTo(new Result(0, "250m"));
    assertThat(run("bash", script("cpu-limit.sh"), "--millicores", "010m")).isEqualTo(new Result(0, "10m"));
    for (String wrong : List.of("fast", "100M", "1.5m")) {
      Result r = run("bash", script("cpu-limit.sh"), "--millicores", wrong);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.out()).endsWith("ACK_CPU_LIMIT is millicores (100m) or cores (0.1), not " + wrong);
    }
    assertThat(run("bash", script("cpu-limit.sh"), "--millicores", "5m").out()).contains("is below 10m");
  }

  @Test
  void aCpuLimitRunsTheControllerInACgroupWithThatQuota(@TempDir Path out) throws Exception {
    // a cgroup needs root and a cgroup cpu controller whose files it may write (this machine has both)
    Path v2 = Path.of("/sys/fs/cgroup/cgroup.controllers");
    Path v1 = Path.of("/sys/fs/cgroup/cpu");
    boolean v2cpu = Files.isReadable(v2) && List.of(Files.readString(v2).strip().split("\\s+")).contains("cpu");
    Path subtree = Path.of("/sys/fs/cgroup/cgroup.subtree_control");
    boolean v2ready = v2cpu && Files.isWritable(subtree)
        && List.of(Files.readString(subtree).strip().split("\\s+")).contains("cpu");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")) && (v2ready || !v2cpu && Files.isWritable(v1)),
        "not root, or no writable cgroup cpu controller handed down to child cgroups");
    // not the script's own prefix (ecs-bridge-ack-bench-), whose empty groups a bench run removes
    String name = "ecs-bridge-cpu-limit-test-" + ProcessHandle.current().pid();
    Path group = (v2cpu ? Path.of("/sys/fs/cgroup") : v1).resolve(name);
    try {
      Result made = run(List.of("ACK_CGROUP_NAME=" + name), "bash", script("cpu-limit.sh"), "100m", "/bin/cat",
          out.toString());
      assertThat(made.code()).as(made.out()).isZero();
      Path wrapper = Path.of(made.out());
      assertThat(wrapper.getFileName()).hasToString("ack-cpu-100m-cat.sh");
      // the wrapper becomes the binary (here cat, its argument passed on) in the cgroup, whose quota is 10 ms of
      // each 100 ms: what the bench then reads back from /proc/PID/cgroup
      assertThat(run(wrapper.toString(), "/proc/self/cgroup").out()).contains(":/" + name);
      if (v2cpu) {
        assertThat(Files.readString(group.resolve("cpu.max")).strip()).isEqualTo("10000 100000");
      } else {
        assertThat(Files.readString(group.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("10000");
        assertThat(Files.readString(group.resolve("cpu.cfs_period_us")).strip()).isEqualTo("100000");
      }
      Process limited = new ProcessBuilder(wrapper.toString()).start(); // cat, echoing its input
      try {
        // once cat echoes a line the wrapper has joined the cgroup and become cat
        limited.getOutputStream().write("joined\n".getBytes(StandardCharsets.UTF_8));
        limited.getOutputStream().flush();
        assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(limited.getInputStream(),
            StandardCharsets.UTF_8)).readLine()).isEqualTo("joined");
        assertThat(Measures.cpuLimit(limited.pid())).isEqualTo("100m");
        assertThat(Measures.cpuLimit(ProcessHandle.current().pid())).isNotEqualTo("100m");
      } finally {
        limited.destroyForcibly().waitFor();
      }
    } finally {
      Files.deleteIfExists(group); // rmdir of an empty cgroup
    }
  }

  private record Result(int code, String out) {}

  private static String script(String name) {
    return Repo.root().resolve("hack/ack").resolve(name).toString();
  }

  private static Result run(String... command) throws Exception {
    return run(List.of(), command);
  }

  /** {@code command}'s exit code and output (both streams), with {@code env} ("NAME=value") added. */
  private static Result run(List<String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    env.forEach(e -> pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 30 s: " + String.join(" ", command));
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
  }

  /** hack/ack/build.sh's last line when it exits 2 (it must), without the script's name. */
  private static String build(Path src, String... controller) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", Repo.root().resolve("hack/ack/build.sh")
        .toString(), src.toString()));
    command.addAll(List.of(controller));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    return out.substring(out.lastIndexOf(": no ") + 2);
  }
}
