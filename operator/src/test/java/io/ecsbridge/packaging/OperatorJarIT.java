package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.Repo;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The container's process without Docker: the jar `make build` produces, started with the Dockerfile's ENTRYPOINT/CMD
 * and ENV (the image's only content besides the JRE), pointed at the test API server through a kubeconfig and at moto.
 * It answers /healthz, becomes ready, reconciles, logs JSON, and serves /metrics (saved to target/ for the README).
 */
class OperatorJarIT {
  private final TestEnvironment env = TestEnvironment.get();
  private final KubernetesClient k8s = env.kube().client();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> output = new CopyOnWriteArrayList<>();
  private Process process;

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private int status(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void theImagesCommandStartsTheJarWhichBecomesReadyAndReconciles() throws Exception {
    Path jar = Repo.root().resolve("operator/target/ecs-bridge.jar");
    assertThat(jar).as("built by the package phase (make build)").exists();
    DockerfileModel dockerfile = DockerfileModel.load();
    String jarInImage = dockerfile.copies().get("operator/target/ecs-bridge.jar");

    List<String> command = new ArrayList<>();
    for (String arg : dockerfile.command()) {
      command.add(arg.equals("java") ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
          : arg.equals(jarInImage) ? jar.toString() : arg);
    }
    String namespace = "jar-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    Path kubeconfig = Files.createTempFile("ecsbridge-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, env.kube().kubeconfig());
    kubeconfig.toFile().deleteOnExit();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }

    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> penv = pb.environment();
    penv.putAll(dockerfile.env());
    penv.put("KUBECONFIG", kubeconfig.toString());
    penv.put("AWS_ENDPOINT_URL", env.moto().endpoint().toString());
    penv.put("AWS_REGION", TestEnvironment.REGION);
    penv.put("AWS_ACCESS_KEY_ID", "testing");
    penv.put("AWS_SECRET_ACCESS_KEY", "testing");
    penv.put("ECSBRIDGE_WATCH_NAMESPACES", namespace);
    penv.put("ECSBRIDGE_INSTANCE_ID", "jar");
    penv.put("ECSBRIDGE_HTTP_PORT", String.valueOf(port));
    penv.put("ECSBRIDGE_HTTP_ADDRESS", "127.0.0.1");
    penv.put("ECSBRIDGE_LOG_FORMAT", "json");
    process = pb.start();
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        r.lines().forEach(output::add);
      } catch (Exception ignored) {
        // the process ended
      }
    }, "jar-output");
    drain.setDaemon(true);
    drain.start();

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .failFast("the jar exited: " + output, () -> !process.isAlive())
        .until(() -> status(port, "/healthz") == 200);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> status(port, "/readyz") == 200);

    EcrRepository repo = k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRepository
        metadata: {name: from-the-jar}
        spec: {imageTagMutability: MUTABLE}
        """, EcrRepository.class);
    k8s.resource(repo).inNamespace(namespace).create();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      EcrRepository r = k8s.resources(EcrRepository.class).inNamespace(namespace).withName("from-the-jar").get();
      return r.getStatus() != null && Conditions.isTrue(r.getStatus(), Conditions.READY);
    });

    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("ecsbridge_aws_api_calls_total{operation=\"CreateRepository\",outcome=\"ok\"");
    Path saved = Repo.root().resolve("operator/target/metrics-sample.txt");
    Files.writeString(saved, metrics);
    everyOperatorMetricIsInTheReadme(metrics);
    everyMetricOfTheDashboardExists(metrics);

    // JAVA_TOOL_OPTIONS from the Dockerfile reached the JVM, and every log line is one JSON object
    assertThat(output).anyMatch(l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage="));
    ObjectMapper json = new ObjectMapper();
    List<String> logs = output.stream().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
    assertThat(logs).isNotEmpty().allSatisfy(l -> {
      JsonNode node = json.readTree(l);
      assertThat(node.isObject()).as(l).isTrue();
    });
    assertThat(logs).anyMatch(l -> l.contains("ecs-bridge started"));
  }

  /** The README's metrics table names every ecs-bridge and JOSDK metric family /metrics exposes. */
  private static void everyOperatorMetricIsInTheReadme(String metrics) throws Exception {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    List<String> families = metrics.lines().filter(l -> l.startsWith("# TYPE "))
        .map(l -> l.split(" ")[2]).filter(n -> n.startsWith("ecsbridge_") || n.startsWith("operator_sdk_"))
        .map(n -> n.replaceAll("_max$", "").replaceAll("_(ecrrepository|ecscluster|ecstaskdefinition|ecsservice)$",
            "_<controller>"))
        .distinct().toList();
    assertThat(families).isNotEmpty()
        .allSatisfy(f -> assertThat(readme).as("README lists " + f).contains("`" + f));
  }

  /** Every metric the Grafana dashboard queries exists (failures are counted only once one happens). */
  private static void everyMetricOfTheDashboardExists(String metrics) throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Repo.root().resolve("helm/ecs-bridge/files/grafana-dashboard.json")
        .toFile());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(ecsbridge|operator_sdk|jvm)_[a-z0-9_]+")
        .matcher(String.join("\n", dashboard.findValuesAsText("expr")));
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group());
    }
    assertThat(names).contains("ecsbridge_aws_api_calls_total", "operator_sdk_reconciliations_started_total")
        .filteredOn(n -> !n.equals("operator_sdk_reconciliations_failed_total"))
        .allSatisfy(n -> assertThat(metrics).as("/metrics has " + n).contains(n));
  }
}
