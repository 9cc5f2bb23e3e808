package io.ecsbridge.bench;

import io.ecsbridge.bench.Workload.Item;
import io.ecsbridge.testing.AwsTestClients;
import io.ecsbridge.testing.ControlPlane;
import io.ecsbridge.testing.MotoServer;
import io.ecsbridge.testing.Repo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code make bench-ack N=100}: one of ACK's controllers doing {@link Bench}'s work of its kind on the same embedded
 * stack (a real kube-apiserver + etcd, moto), its figures taken by the same {@link Phases}: the side-by-side of issue
 * 14's "CPU to converge within 2x of ACK". ACK's ecr-controller does the repositories (with {@code make bench N=100
 * KINDS=repositories} for ecs-bridge), its ecs-controller the services with their task definitions and clusters
 * ({@code KINDS=services}). ACK is built from source by hack/ack/build.sh (the Go module proxy here refuses ACK's
 * modules); its own defaults but the endpoints (see {@link AckController}).
 *
 * <p>Settings (system properties): bench.ack (the controller's binary), bench.ackCrds (its config/crd directory: the
 * CustomResourceDefinitions under it are installed), bench.ackFlags (more flags, split on spaces), bench.ackCpuLimit
 * (set by hack/ack/bench.sh from ACK_CPU_LIMIT, in millicores, e.g. 100m: the CPU limit bench.ack's wrapper runs the
 * controller under; the run fails unless the controller's cgroup has that quota, and its files are named after it),
 * bench.kinds
 * (repositories, for the ecr-controller, or services, for the ecs-controller), bench.n (100), bench.clusters (3),
 * bench.idleSeconds (30), bench.singleRepositories (20), bench.singleServices (10), bench.newImageLimitSeconds (120).
 * Writes operator/target/bench/ack-KINDS-N.json (and .md; ack-KINDS-N-cpu-LIMIT.json when limited).
 */
public final class AckBench {
  private static final String NAMESPACE = "bench";
  /** ACK's Repository; the items keep the benchmark's kind name (its AWS calls are sorted by it). */
  static final Workload.Resources ACK_ECR = new Workload.Resources("ecr.services.k8s.aws/v1alpha1",
      Map.of(Workload.REPOSITORY, "Repository"));
  /** ACK's Cluster, TaskDefinition and Service. */
  static final Workload.Resources ACK_ECS = new Workload.Resources("ecs.services.k8s.aws/v1alpha1",
      Map.of(Workload.CLUSTER, "Cluster", Workload.TASK_DEFINITION, "TaskDefinition", Workload.SERVICE, "Service"));
  private final int n = Integer.getInteger("bench.n", 100);
  private final String kinds = System.getProperty("bench.kinds", "repositories").trim();
  private final int clusters = Integer.getInteger("bench.clusters", 3);
  private final int idleSeconds = Integer.getInteger("bench.idleSeconds", 30);
  private final Report report = new Report();

  private AckBench() {}

  public static void main(String[] args) {
    try {
      new AckBench().run();
      System.exit(0);
    } catch (Exception e) {
      System.err.println("[bench] failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  /**
   * The same N repositories as {@link Workload#items}' (names, immutable tags off, scan on push off, one tag) in
   * ACK's spelling: the repository's name is a field of its spec, its tags a list.
   */
  static List<Item> repositories(int n) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(new Item(Workload.REPOSITORY, Workload.repository(i), """
          spec:
            name: %s
            imageTagMutability: MUTABLE
            imageScanningConfiguration: {scanOnPush: false}
            tags: [{key: bench, value: ecs-bridge}]
          """.formatted(Workload.repository(i))));
    }
    return items;
  }

  /**
   * The same N services as {@link Workload#items}' (each with its own task definition: Fargate, awsvpc, 256 CPU units
   * and 512 MiB, one nginx container on port 80; one desired task, the circuit breaker with rollback, in moto's
   * network), on the same clusters, in ACK's spelling: names are fields of the specs, references are
   * {@code {from: {name}}}, tags are lists, {@code awsVPCConfiguration} (the API server prunes the AWS spelling).
   */
  static List<Item> services(int n, int clusters, Workload.Network net) {
    List<Item> items = new ArrayList<>();
    for (int c = 0; c < clusters; c++) {
      items.add(new Item(Workload.CLUSTER, "bench-" + c,
          "spec: {name: bench-%d, tags: [{key: bench, value: ecs-bridge}]}".formatted(c)));
    }
    for (int i = 0; i < n; i++) {
      String name = Workload.service(i);
      items.add(new Item(Workload.TASK_DEFINITION, name,
          "spec:\n" + ("family: " + name + "\n" + Workload.TASK_DEFINITION_SPEC).indent(2)));
      items.add(new Item(Workload.SERVICE, name, """
          spec:
            name: %s
            clusterRef: {from: {name: bench-%d}}
            taskDefinitionRef: {from: {name: %s}}
            desiredCount: 1
            launchType: FARGATE
            networkConfiguration:
              awsVPCConfiguration: {subnets: [%s, %s], securityGroups: [%s]}
            deploymentConfiguration: {deploymentCircuitBreaker: {enable: true, rollback: true}}
          """.formatted(name, i % clusters, name, net.subnetA(), net.subnetB(), net.securityGroup())));
    }
    return items;
  }

  private void run() throws Exception {
    boolean services = kinds.equals("services");
    if (!services && !kinds.equals("repositories") || n < 1) {
      throw new IllegalArgumentException("bench.kinds: repositories (ACK's ecr-controller) or services (its "
          + "ecs-controller); bench.n >= 1");
    }
    String cpuLimit = System.getProperty("bench.ackCpuLimit", "").trim();
    String name = "ack-" + kinds + "-" + n + (cpuLimit.isEmpty() ? "" : "-cpu-" + cpuLimit);
    long runStart = System.nanoTime();
    Path binary = Path.of(required("bench.ack"));
    Path crds = Path.of(required("bench.ackCrds"));
    List<String> flags = Arrays.stream(System.getProperty("bench.ackFlags", "").trim().split("\\s+"))
        .filter(f -> !f.isEmpty()).toList();
    Path out = Repo.root().resolve("operator/target/bench");
    Files.createDirectories(out);
    report.writeTo(out.resolve(name + ".json"), out.resolve(name + ".md"));
    report.section("machine");
    report.put("date", "date (UTC)", Instant.now().toString().substring(0, 16));
    report.put("cpus", "CPUs", Runtime.getRuntime().availableProcessors());
    report.put("loadAverageStart", "load average at start (1, 5, 15 min)", Measures.loadAverage());
    report.put("n", "N", n);
    report.put("kinds", "kinds", kinds);
    report.put("controller", "controller", binary + (flags.isEmpty() ? "" : " " + String.join(" ", flags)));

    try (ControlPlane kube = ControlPlane.start(); MotoServer moto = MotoServer.start(1)) {
      KubernetesClient k8s = kube.client();
      installCrds(k8s, crds);
      k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      Path kubeconfig = out.resolve("kubeconfig-" + name);
      Files.writeString(kubeconfig, kube.kubeconfig());
      AwsTestClients aws = new AwsTestClients(moto.endpoint());
      List<Item> items = services ? services(n, clusters, Measures.network(aws.ec2())) : repositories(n);
      Measures.scaleTo(items.size());
      try (Workload workload = new Workload(k8s, NAMESPACE, services ? ACK_ECS : ACK_ECR);
          AckController ack = AckController.start(binary, kubeconfig, moto.endpoint(), NAMESPACE, flags,
              out.resolve(name + ".log"))) {
        Phases.startAndIdle(report, ack);
        // the quota the controller really runs under, read from its cgroup once it is ready (its wrapper joined the
        // cgroup before it became the controller): a run asked to be limited that is not (or is otherwise) fails
        // rather than carry a wrong label
        String limited = Measures.cpuLimit(ack.pid());
        report.put("cpuLimit", "controller's CPU limit (its cgroup's quota; ACK_CPU_LIMIT: hack/ack/cpu-limit.sh)",
            limited);
        if (!cpuLimit.isEmpty() && !limited.equals(cpuLimit)) {
          throw new IllegalStateException("the controller was to run limited to " + cpuLimit + " of CPU, and its "
              + "cgroup's quota is " + limited);
        }
        Phases.converge(report, ack, workload, items);
        Phases.repositoriesInAws(report, aws.ecr(), items);
        Phases.servicesInAws(report, aws.ecs(), items);
        Phases.newImage(report, ack, workload, aws.ecs(), items);
        Phases.singles(report, ack, workload, items);
        Phases.steady(report, ack, workload, idleSeconds);
      }
      report.put("stackCpuSeconds", "CPU seconds of moto, kube-apiserver, etcd over the run",
          Measures.stackCpuSeconds());
    }
    report.put("loadAverageEnd", "load average at end", Measures.loadAverage());
    report.put("runSeconds", "the whole run, harness start to end (s)", (System.nanoTime() - runStart) / 1e9);
    report.write(out.resolve(name + ".json"), out.resolve(name + ".md"));
    System.out.println("\n" + report.table());
    System.out.println("[bench] written: operator/target/bench/" + name + ".json and .md");
  }

  /** Every CustomResourceDefinition in a YAML file under {@code dir}, created and awaited Established. */
  private static void installCrds(KubernetesClient k8s, Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    int installed = 0;
    for (Path file : files) {
      if (!Files.readString(file).contains("kind: CustomResourceDefinition")) {
        continue; // kustomization.yaml
      }
      CustomResourceDefinition crd = k8s.apiextensions().v1().customResourceDefinitions().load(file.toFile()).item();
      k8s.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      k8s.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).waitUntilCondition(
          c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
                  .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
          1, TimeUnit.MINUTES);
      installed++;
    }
    if (installed == 0) {
      throw new IllegalArgumentException("no CustomResourceDefinition under " + dir);
    }
    System.out.printf("[bench] %d of ACK's CustomResourceDefinitions installed from %s%n", installed, dir);
  }

  private static String required(String property) {
    String value = System.getProperty(property, "").trim();
    if (value.isEmpty()) {
      throw new IllegalArgumentException(property + " is required (make bench-ack: hack/ack/build.sh)");
    }
    return value;
  }
}
