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
 * {@code make bench-ack N=100}: ACK's ecr-controller doing {@link Bench}'s repositories on the same embedded stack (a
 * real kube-apiserver + etcd, moto), its figures taken by the same {@link Phases}: the side-by-side of issue 14's
 * "CPU to converge within 2x of ACK", with {@code make bench N=100 KINDS=repositories} for ecs-bridge. ACK is built
 * from source by hack/ack/build.sh (the Go module proxy here refuses ACK's modules); its own defaults but the endpoints
 * (see {@link AckController}).
 *
 * <p>Settings (system properties): bench.ack (the controller's binary), bench.ackCrds (its config/crd directory: the
 * CustomResourceDefinitions under it are installed), bench.ackFlags (more flags, split on spaces), bench.n (100),
 * bench.idleSeconds (30), bench.singleRepositories (20). Writes operator/target/bench/ack-N.json (and .md).
 */
public final class AckBench {
  private static final String NAMESPACE = "bench";
  /** ACK's Repository; the items keep the benchmark's kind name (its AWS calls are sorted by it). */
  static final Workload.Resources ACK_ECR = new Workload.Resources("ecr.services.k8s.aws/v1alpha1",
      Map.of(Workload.REPOSITORY, "Repository"));
  private final int n = Integer.getInteger("bench.n", 100);
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

  private void run() throws Exception {
    long runStart = System.nanoTime();
    Path binary = Path.of(required("bench.ack"));
    Path crds = Path.of(required("bench.ackCrds"));
    List<String> flags = Arrays.stream(System.getProperty("bench.ackFlags", "").trim().split("\\s+"))
        .filter(f -> !f.isEmpty()).toList();
    Path out = Repo.root().resolve("operator/target/bench");
    Files.createDirectories(out);
    report.writeTo(out.resolve("ack-" + n + ".json"), out.resolve("ack-" + n + ".md"));
    report.section("machine");
    report.put("date", "date (UTC)", Instant.now().toString().substring(0, 16));
    report.put("cpus", "CPUs", Runtime.getRuntime().availableProcessors());
    report.put("loadAverageStart", "load average at start (1, 5, 15 min)", Measures.loadAverage());
    report.put("n", "N", n);
    report.put("controller", "controller", binary + (flags.isEmpty() ? "" : " " + String.join(" ", flags)));

    try (ControlPlane kube = ControlPlane.start(); MotoServer moto = MotoServer.start(1)) {
      KubernetesClient k8s = kube.client();
      installCrds(k8s, crds);
      k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      Path kubeconfig = out.resolve("kubeconfig-ack-" + n);
      Files.writeString(kubeconfig, kube.kubeconfig());
      List<Item> items = repositories(n);
      Measures.scaleTo(items.size());
      try (Workload workload = new Workload(k8s, NAMESPACE, ACK_ECR);
          AckController ack = AckController.start(binary, kubeconfig, moto.endpoint(), NAMESPACE, flags,
              out.resolve("ack-" + n + ".log"))) {
        Phases.startAndIdle(report, ack);
        Phases.converge(report, ack, workload, items);
        Phases.repositoriesInAws(report, new AwsTestClients(moto.endpoint()).ecr(), items);
        Phases.singles(report, ack, workload, items);
        Phases.steady(report, ack, workload, idleSeconds);
      }
      report.put("stackCpuSeconds", "CPU seconds of moto, kube-apiserver, etcd over the run",
          Measures.stackCpuSeconds());
    }
    report.put("loadAverageEnd", "load average at end", Measures.loadAverage());
    report.put("runSeconds", "the whole run, harness start to end (s)", (System.nanoTime() - runStart) / 1e9);
    report.write(out.resolve("ack-" + n + ".json"), out.resolve("ack-" + n + ".md"));
    System.out.println("\n" + report.table());
    System.out.println("[bench] written: operator/target/bench/ack-" + n + ".json and .md");
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
