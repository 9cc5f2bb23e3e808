package io.ecsbridge.bench;

import io.ecsbridge.bench.Workload.Item;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The phases every controller under measurement goes through, the same for the operator ({@link Bench}) and for
 * another controller on the same work ({@link AckBench}), so that their figures are taken alike: the start and idle,
 * the converge of the workload applied at once, resources applied one at a time while idle, and the steady state.
 */
final class Phases {
  private Phases() {}

  /** Start to ready, its CPU, and the idle RSS and CPU over the next 10 s (no resources yet). */
  static void startAndIdle(Report report, Controller controller) throws InterruptedException {
    report.section("start-up and idle (no resources)");
    report.put("startupSeconds", "process start to /readyz 200 (s)", controller.awaitReady(Duration.ofMinutes(2)));
    double cpu0 = controller.cpuSeconds();
    report.put("startupCpuSeconds", "CPU seconds to ready", cpu0);
    Thread.sleep(10_000); // the start-up's garbage and JIT settle: the idle figures below are of an idle process
    report.put("idleRssMiB", "idle RSS, 10 s after ready, before applying (MiB)", controller.rssMiB());
    report.put("idleCpuSeconds10s", "CPU seconds in those 10 s", controller.cpuSeconds() - cpu0);
  }

  /**
   * Applies {@code items} at once and measures until all are Ready and the AWS calls have settled: time, CPU (to all
   * Ready, and to the calls settled), peak RSS, apply-to-Ready per kind, and the AWS calls per kind and per resource.
   * Returns those calls.
   */
  static AwsCalls converge(Report report, Controller controller, Workload workload, List<Item> items)
      throws Exception {
    report.section("converge: " + items.size() + " resources applied at once");
    report.put("loadAverageBeforeConverge", "load average before applying", Measures.loadAverage());
    AwsCalls before = controller.calls();
    Map<String, Double> stackBefore = Measures.stackCpuSeconds();
    double cpuBefore = controller.cpuSeconds();
    long start = System.nanoTime();
    workload.apply(items);
    report.put("applySeconds", "time to create them all (" + Workload.THREADS + " client threads) (s)",
        (System.nanoTime() - start) / 1e9);
    double converge = Measures.awaitReady(workload, items, start, controller);
    report.put("convergeSeconds", "converge: first apply to all Ready (s)", converge);
    report.put("convergeCpuSeconds", "CPU seconds to converge", controller.cpuSeconds() - cpuBefore);
    report.put("convergePeakRssMiB", "peak RSS so far (VmHWM) (MiB)", controller.peakRssMiB());
    for (String kind : Measures.kindsOf(items)) {
      report.put("applyToReady." + kind, kind + " apply-to-Ready (s)",
          Measures.quantiles(workload.applyToReady(kind)));
    }
    Measures.awaitQuiet(controller);
    // a controller may go on reconciling after all are Ready (ACK reads each repository again on the passes its own
    // status writes cause): the CPU until its AWS calls settled is the work the calls below are counted over
    report.put("convergeCpuSecondsToQuiet", "CPU seconds to converge, until the AWS calls settled (3 s quiet)",
        controller.cpuSeconds() - cpuBefore);
    AwsCalls converging = controller.calls().minus(before);
    report.put("convergeCalls", "AWS calls to converge (total)", converging.total());
    Map<String, Double> stack = Measures.stackCpuSeconds();
    stack.replaceAll((k, v) -> Report.round(v - stackBefore.getOrDefault(k, 0.0), 1));
    report.put("convergeStackCpuSeconds", "CPU seconds of moto, kube-apiserver, etcd to converge", stack);
    report.put("convergeCallsPerKind", "AWS calls per resource, by kind",
        Measures.perKind(converging, items, false));
    report.put("convergeCallsPerResource", "AWS calls per resource of its kind, by operation",
        Measures.perResource(converging, items));
    return converging;
  }

  /**
   * What AWS (moto) holds once the controller says all are Ready: the workload's repositories that exist there, and
   * how many of them carry the workload's tag (bench=ecs-bridge), so that Ready is checked against AWS, not taken on
   * the controller's word.
   */
  static void repositoriesInAws(Report report, EcrClient ecr, List<Item> items) {
    java.util.Set<String> names = new java.util.HashSet<>();
    items.stream().filter(i -> i.kind().equals(Workload.REPOSITORY)).forEach(i -> names.add(i.name()));
    if (names.isEmpty()) {
      return;
    }
    int found = 0;
    int tagged = 0;
    for (var repository : ecr.describeRepositoriesPaginator(r -> r.maxResults(1000)).repositories()) {
      if (names.contains(repository.repositoryName())) {
        found++;
        boolean tag = ecr.listTagsForResource(r -> r.resourceArn(repository.repositoryArn())).tags().stream()
            .anyMatch(t -> t.key().equals("bench") && t.value().equals("ecs-bridge"));
        tagged += tag ? 1 : 0;
      }
    }
    report.put("awsRepositories", "the workload's repositories in AWS (moto) after converge: found, tagged",
        found + " of " + names.size() + ", " + tagged + " tagged");
    if (found != names.size() || tagged != names.size()) {
      throw new IllegalStateException("Ready, but AWS holds " + found + " of the " + names.size()
          + " repositories and " + tagged + " with their tag");
    }
  }

  /**
   * As {@link #repositoriesInAws}, for the services: the workload's services that AWS (moto) holds ACTIVE in the
   * workload's clusters, and how many of them run their own task definition (family = the service's name).
   */
  static void servicesInAws(Report report, EcsClient ecs, List<Item> items) {
    java.util.Set<String> names = new java.util.HashSet<>();
    items.stream().filter(i -> i.kind().equals(Workload.SERVICE)).forEach(i -> names.add(i.name()));
    if (names.isEmpty()) {
      return;
    }
    int found = 0;
    int ownTaskDefinition = 0;
    for (Item cluster : items.stream().filter(i -> i.kind().equals(Workload.CLUSTER)).toList()) {
      List<String> arns = ecs.listServicesPaginator(r -> r.cluster(cluster.name()).maxResults(100)).serviceArns()
          .stream().toList();
      for (int from = 0; from < arns.size(); from += 10) { // DescribeServices takes 10 at a time
        List<String> batch = arns.subList(from, Math.min(arns.size(), from + 10));
        for (Service s : ecs.describeServices(r -> r.cluster(cluster.name()).services(batch)).services()) {
          if (names.contains(s.serviceName()) && "ACTIVE".equals(s.status())) {
            found++;
            ownTaskDefinition += s.taskDefinition().contains("/" + s.serviceName() + ":") ? 1 : 0;
          }
        }
      }
    }
    report.put("awsServices", "the workload's services in AWS (moto) after converge: found ACTIVE, with their own "
        + "task definition", found + " of " + names.size() + ", " + ownTaskDefinition + " with theirs");
    if (found != names.size() || ownTaskDefinition != names.size()) {
      throw new IllegalStateException("Ready, but AWS holds " + found + " of the " + names.size()
          + " services ACTIVE and " + ownTaskDefinition + " with their own task definition");
    }
  }

  /** The image {@link #newImage} gives the first service's task definition. */
  static final String NEW_IMAGE = "public.ecr.aws/nginx/nginx:1.28";

  /**
   * A new image for the first service's task definition, as a person changes a Deployment's image: its container
   * changed by the same merge patch in both spellings (the containerDefinitions' fields are AWS's in both), then the
   * seconds until ECS has the service on a task definition with that image (the service updated to a new revision;
   * its rollout follows), NaN (shown "-") when not within bench.newImageLimitSeconds (120). The service is on the
   * first cluster ({@code i % clusters}). Ends once the controller's AWS calls have settled (the rollout's looks), so
   * that the phases after it count none of its work.
   */
  static void newImage(Report report, Controller controller, Workload workload, EcsClient ecs, List<Item> items)
      throws InterruptedException {
    Item service = items.stream().filter(i -> i.kind().equals(Workload.SERVICE)).findFirst().orElse(null);
    if (service == null) {
      return;
    }
    report.section("a new image in one service's task definition");
    String cluster = items.stream().filter(i -> i.kind().equals(Workload.CLUSTER)).findFirst().orElseThrow().name();
    long start = System.nanoTime();
    workload.patch(Workload.TASK_DEFINITION, service.name(), "{\"spec\":{\"containerDefinitions\":[{\"name\":\"app\","
        + "\"image\":\"" + NEW_IMAGE + "\",\"portMappings\":[{\"containerPort\":80}]}]}}");
    long deadline = start + Duration.ofSeconds(Integer.getInteger("bench.newImageLimitSeconds", 120)).toNanos();
    double seconds = Double.NaN;
    while (System.nanoTime() < deadline) {
      String taskDefinition = ecs.describeServices(r -> r.cluster(cluster).services(service.name())).services()
          .get(0).taskDefinition();
      if (NEW_IMAGE.equals(ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinition)).taskDefinition()
          .containerDefinitions().get(0).image())) {
        seconds = (System.nanoTime() - start) / 1e9;
        break;
      }
      Thread.sleep(100);
    }
    report.put("newImageSeconds", "a new image in a task definition: patch to its service updated to the new "
        + "revision (s; -: not within " + (deadline - start) / 1_000_000_000L + " s)", seconds);
    Measures.awaitQuiet(controller);
  }

  /** Resources applied one at a time while idle (bench.singleRepositories, bench.singleServices): apply-to-Ready. */
  static void singles(Report report, Controller controller, Workload workload, List<Item> items) throws Exception {
    report.section("resources applied one at a time while idle");
    Measures.awaitQuiet(controller);
    Singles.measure(workload, items).forEach((kind, seconds) -> report.put("singleApplyToReady." + kind,
        kind + (kind.equals(Workload.SERVICE) ? " (with its task definition)" : "") + " apply-to-Ready (s)",
        Measures.quantiles(seconds)));
  }

  /** Once quiet: the CPU over {@code idleSeconds} idle seconds, the steady and peak RSS, the run's CPU. */
  static void steady(Report report, Controller controller, Workload workload, int idleSeconds) throws Exception {
    report.section("steady state (" + workload.items().size() + " resources, idle)");
    Measures.awaitQuiet(controller);
    double cpuIdle = controller.cpuSeconds();
    Thread.sleep(idleSeconds * 1000L);
    report.put("steadyIdleCpuSeconds", "CPU seconds over " + idleSeconds + " idle seconds",
        controller.cpuSeconds() - cpuIdle);
    report.put("steadyRssMiB", "steady RSS (MiB)", controller.rssMiB());
    report.put("peakRssMiB", "peak RSS of the run (VmHWM) (MiB)", controller.peakRssMiB());
    report.put("totalCpuSeconds", "CPU seconds of the whole run", controller.cpuSeconds());
  }
}
