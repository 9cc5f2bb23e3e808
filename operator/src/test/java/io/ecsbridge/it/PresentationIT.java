package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.kinds.Kinds;
import io.ecsbridge.kinds.Kinds.Kind;
import io.ecsbridge.testing.TestEnvironment;
import io.ecsbridge.testing.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What `kubectl get` and `kubectl explain` show of the installed CRDs (crds/), rendered by the real API server: its
 * Table response (server-side printing, what kubectl prints for custom resources) and its OpenAPI v3 (what kubectl
 * explain reads), read by the real kubectl where a person would use it. No operator runs: the status is written
 * through the status subresource as the operator would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresentationIT {
  private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
  private static final String TASK_DEFINITION = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3";
  private final KubernetesClient k8s = TestEnvironment.get().kube().client();
  private String namespace;
  private Path kubeconfig;
  private Path cacheDir;

  @BeforeAll
  void setUp() throws Exception {
    namespace = "p-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    kubeconfig = Files.createTempFile("ecsbridge-kubeconfig", ".yaml");
    kubeconfig.toFile().deleteOnExit();
    Files.writeString(kubeconfig, TestEnvironment.get().kube().kubeconfig());
    cacheDir = Files.createTempDirectory("ecsbridge-kubectl-cache");
  }

  static Stream<Kind<?>> kinds() {
    return Kinds.ALL.stream();
  }

  @Test
  void ecsServicesShowReadyFirstReasonAndAgeLastAndWideAddsTaskDefinitionClusterAndAccount() {
    apply("web", "cluster: prod\ntaskDefinition: web\n");
    apply("api", "clusterRef: {name: main}\ntaskDefinitionRef: {name: api}\n");
    GenericKubernetesResource web = k8s.genericKubernetesResources("ecsbridge.io/v1alpha1", "EcsService")
        .inNamespace(namespace).withName("web").get();
    web.setAdditionalProperty("status", Map.of(
        "runningCount", 1, "desiredCount", 2, "rolloutPhase", "IN_PROGRESS", "taskDefinition", TASK_DEFINITION, "taskDefinitionRevision", "web:3",
        "conditions", List.of(Map.of("type", "Ready", "status", "False", "reason", "RolloutInProgress",
            "message", "ECS service web is rolling out web:3", "lastTransitionTime", "2026-01-01T00:00:00Z"))));
    k8s.resource(web).updateStatus();

    List<List<String>> table = table(kubectl("get", "ecsservices", "-n", namespace));
    assertThat(table.get(0)).containsExactly("NAME", "READY", "RUNNING", "DESIRED", "ROLLOUT", "REASON", "AGE");
    assertThat(row(table, "web")).startsWith("web", "False", "1", "2", "IN_PROGRESS", "RolloutInProgress")
        .hasSize(7);
    assertThat(row(table, "api")).startsWith("api", "", "", "", "", "").hasSize(7);

    List<List<String>> wide = table(kubectl("get", "ecsservices", "-n", namespace, "-o", "wide"));
    assertThat(wide.get(0)).containsExactly("NAME", "READY", "RUNNING", "DESIRED", "ROLLOUT", "REASON", "AGE",
        "TASK DEFINITION", "CLUSTER", "ACCOUNT");
    // the cluster column shows spec.cluster, or spec.clusterRef.name: one JSONPath, a union of the two
    assertThat(row(wide, "web").subList(7, 10)).containsExactly("web:3", "prod", "");
    assertThat(row(wide, "api").subList(7, 10)).containsExactly("", "main", "");
  }

  /** The API server's Table for the kind lists the CRD's columns in its order: READY first, REASON, AGE, wide. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theApiServerServesTheColumnsInOrder(Kind<?> kind) throws Exception {
    String path = "apis/" + kind.group() + "/v1alpha1/"
        + (kind.clusterScoped() ? "" : "namespaces/" + namespace + "/") + kind.plural();
    HttpClient http = k8s.getHttpClient();
    HttpRequest request = http.newHttpRequestBuilder()
        .uri(k8s.getMasterUrl().toString().replaceFirst("/?$", "/") + path).header("Accept", TABLE).build();
    HttpResponse<String> response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    assertThat(response.code()).as(response.body()).isEqualTo(200);
    JsonNode table = new ObjectMapper().readTree(response.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    List<String> shown = new ArrayList<>();
    List<String> wide = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> (c.path("priority").asInt() == 0 ? shown : wide)
        .add(c.path("name").asText()));
    assertThat(shown.get(0)).isEqualTo("Name");
    assertThat(shown.get(1)).isEqualTo("Ready");
    assertThat(shown.subList(shown.size() - 2, shown.size())).containsExactly("Reason", "Age");
    if (!kind.clusterScoped()) {
      assertThat(wide).contains("Account");
    }
    List<String> all = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> all.add(c.path("name").asText()));
    assertThat(all.subList(1, all.size())).as("the order of crds/")
        .containsExactlyElementsOf(installed(kind).getSpec().getVersions().get(0).getAdditionalPrinterColumns()
            .stream().map(CustomResourceColumnDefinition::getName).toList());
    assertThat(all.indexOf("Age")).as("-o wide columns come after AGE").isEqualTo(shown.size() - 1);
  }

  /** `kubectl explain KIND`, `KIND.spec` and `KIND.status` print the CRD's descriptions, never {@code <empty>}. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void kubectlExplainDescribesTheKindItsSpecAndStatus(Kind<?> kind) {
    JSONSchemaProps root = installed(kind).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    Map<String, String> expected = Map.of(
        kind.plural(), root.getDescription(),
        kind.plural() + ".spec", root.getProperties().get("spec").getDescription(),
        kind.plural() + ".status", root.getProperties().get("status").getDescription());
    expected.forEach((what, description) -> {
      String out = kubectl("explain", what);
      String shown = out.substring(out.indexOf("DESCRIPTION:") + "DESCRIPTION:".length(),
          out.contains("FIELDS:") ? out.indexOf("FIELDS:") : out.length()).replaceAll("\\s+", " ").trim();
      assertThat(shown).as("kubectl explain " + what).isNotEqualTo("<empty>")
          .isEqualTo(description.replaceAll("\\s+", " ").trim());
    });
  }

  private CustomResourceDefinition installed(Kind<?> kind) {
    return k8s.apiextensions().v1().customResourceDefinitions().withName(kind.crdName()).get();
  }

  private void apply(String name, String spec) {
    String yaml = """
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsService
        metadata:
          name: %s
          namespace: %s
        spec:
        %s
        """.formatted(name, namespace, spec.indent(2));
    k8s.resource(k8s.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class)).create();
  }

  private String kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(Tools.kubectl().toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", cacheDir.toString()));
    command.addAll(Arrays.asList(args));
    return Tools.run(command, null, Map.of(), 2).assertSuccess().stdout();
  }

  /**
   * kubectl's table as rows of cells: each column starts where its header does (headers are split where two or more
   * spaces separate them: "TASK DEFINITION" is one); an empty cell is "".
   */
  private static List<List<String>> table(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    String header = lines.get(0);
    List<Integer> starts = new ArrayList<>();
    Matcher m = Pattern.compile("(?<=^|\\s{2})\\S").matcher(header);
    while (m.find()) {
      starts.add(m.start());
    }
    return lines.stream().map(l -> {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < starts.size(); i++) {
        int from = Math.min(starts.get(i), l.length());
        int to = i + 1 < starts.size() ? Math.min(starts.get(i + 1), l.length()) : l.length();
        cells.add(l.substring(from, to).trim());
      }
      return cells;
    }).toList();
  }

  private static List<String> row(List<List<String>> table, String name) {
    return table.stream().filter(r -> r.get(0).equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name + " in " + table));
  }
}
