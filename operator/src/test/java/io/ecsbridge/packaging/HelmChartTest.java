package io.ecsbridge.packaging;

import static io.ecsbridge.testing.Helm.as;
import static io.ecsbridge.testing.Helm.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.kinds.Kinds;
import io.ecsbridge.testing.Helm;
import io.ecsbridge.testing.Tools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chart as helm sees it: lint, the rendered manifests for default and other values, and the values schema. */
class HelmChartTest {
  static final String ALL_OPTIONS = """
      aws: {region: eu-west-1}
      operator:
        watchNamespaces: [team-a, team-b]
        allowCrossNamespace: true
        logFormat: text
        resyncPeriod: 5m
        awsRateLimit: 2.5
        awsRateLimits: {ecs: 40, ecr: "10:30"}
      serviceAccount:
        annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/ecs-bridge"}
      metrics:
        serviceMonitor: {enabled: true, labels: {release: prometheus}}
      networkPolicy:
        enabled: true
        metricsFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
      grafanaDashboard: {enabled: true}
      argocd: {healthChecks: {enabled: true}}
      """;

  private static Map<String, String> env(Container c) {
    return c.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void lintsCleanWithDefaultAndAllOptions() {
    Tools.Output plain = Helm.helm("lint", "--strict", Tools.chart().toString()).assertSuccess();
    assertThat(plain.stdout()).contains("0 chart(s) failed");
    Tools.Output options = Helm.helm("lint", "--strict", Tools.chart().toString(), "--values",
        Helm.writeValues(ALL_OPTIONS).toString()).assertSuccess();
    assertThat(options.stdout()).contains("0 chart(s) failed");
  }

  @Test
  void defaultsRenderTwoLeaderElectedRestrictedReplicasWithClusterWideRbac() {
    List<GenericKubernetesResource> docs = Helm.parse(Helm.template("ecsb", "ops", "{}"));
    assertThat(docs.stream().map(GenericKubernetesResource::getKind).sorted())
        .containsExactly("ClusterRole", "ClusterRoleBinding", "Deployment", "PodDisruptionBudget", "Role",
            "RoleBinding", "Service", "ServiceAccount");

    Deployment deployment = as(ofKind(docs, "Deployment").get(0), Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("ecsb-ecs-bridge");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getTopologySpreadConstraints()).extracting("topologyKey")
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    Container c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(env(c)).containsEntry("ECSBRIDGE_LEADER_ELECTION", "true")
        .containsEntry("ECSBRIDGE_LEASE_NAME", "ecs-bridge-leader").containsEntry("ECSBRIDGE_LEASE_NAMESPACE", "ops")
        .containsEntry("ECSBRIDGE_LOG_FORMAT", "json").containsEntry("ECSBRIDGE_INSTANCE_ID", "ecs-bridge")
        .containsEntry("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "false")
        .doesNotContainKeys("ECSBRIDGE_WATCH_NAMESPACES", "AWS_REGION", "AWS_ENDPOINT_URL")
        .as("each service's default AWS budget").doesNotContainKeys("ECSBRIDGE_AWS_RATE_LIMIT",
            "ECSBRIDGE_AWS_RATE_LIMITS");
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("POD_NAME")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("POD_NAMESPACE")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace"));

    ClusterRole role = as(ofKind(docs, "ClusterRole").get(0), ClusterRole.class);
    everyKindIsWatchedPatchedAndGetsStatus(role.getRules());
    assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).doesNotContain("*", "delete", "deletecollection"));
    assertThat(role.getRules()).filteredOn(r -> r.getVerbs().contains("create")).as("only Events are created")
        .allSatisfy(r -> assertThat(r.getResources()).containsExactly("events"));
    assertThat(role.getRules()).flatExtracting("resources").doesNotContain("*", "secrets");
    Role lease = as(ofKind(docs, "Role").get(0), Role.class);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("ops");
    assertThat(lease.getRules()).flatExtracting("resources").containsOnly("leases");
    // fabric8's LeaseLock: create, get, patch (take, renew); update: the release on shutdown (and JOSDK's check)
    assertThat(lease.getRules()).filteredOn(r -> r.getResourceNames().isEmpty()).singleElement()
        .satisfies(r -> assertThat(r.getVerbs()).containsExactly("create"));
    assertThat(lease.getRules()).filteredOn(r -> !r.getResourceNames().isEmpty()).singleElement()
        .satisfies(r -> {
          assertThat(r.getResourceNames()).containsExactly("ecs-bridge-leader");
          assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "update", "patch");
        });
  }

  /**
   * The rules name every kind of the operator's list (files/kinds.yaml, generated from it), and only those; the core
   * objects the kinds read (ConfigMaps an EcsTaskDefinition references) are read only: get, list, watch.
   */
  private static void everyKindIsWatchedPatchedAndGetsStatus(List<PolicyRule> rules) {
    kindsAreWatchedPatchedAndGetStatus(rules, k -> true, List.of("configmaps", "namespaces"));
  }

  /** The same for the kinds {@code which} selects, reading (get, list, watch) exactly {@code reads}. */
  private static void kindsAreWatchedPatchedAndGetStatus(List<PolicyRule> rules,
      java.util.function.Predicate<Kinds.Kind<?>> which, List<String> reads) {
    assertThat(rules).filteredOn(r -> r.getApiGroups().contains("") && !r.getResources().contains("events"))
        .singleElement().satisfies(r -> {
          assertThat(r.getApiGroups()).containsExactly("");
          assertThat(r.getResources()).containsExactlyElementsOf(reads);
          assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
        });
    List<String> plurals = Kinds.ALL.stream().filter(which).map(Kinds.Kind::plural).toList();
    List<PolicyRule> ours = rules.stream().filter(r -> r.getApiGroups().contains("ecsbridge.io")).toList();
    assertThat(ours).extracting(PolicyRule::getVerbs)
        .containsExactly(List.of("get", "list", "watch"), List.of("patch"), List.of("patch"));
    assertThat(ours.get(0).getResources()).as("informers").containsExactlyElementsOf(plurals);
    assertThat(ours.get(1).getResources()).as("finalizer").containsExactlyElementsOf(plurals);
    assertThat(ours.get(2).getResources()).as("status")
        .containsExactlyElementsOf(plurals.stream().map(p -> p + "/status").toList());
  }

  @Test
  void secretsAreReadableOnlyWhenSecretReferencesAreEnabled() {
    List<GenericKubernetesResource> docs = Helm.parse(Helm.template("ecsb", "ops",
        "{operator: {secretReferences: true}}"));
    ClusterRole role = as(ofKind(docs, "ClusterRole").get(0), ClusterRole.class);
    assertThat(role.getRules()).filteredOn(r -> r.getResources().contains("configmaps")).singleElement()
        .satisfies(r -> {
          assertThat(r.getResources()).containsExactly("configmaps", "secrets", "namespaces");
          assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
        });
    Container c = as(ofKind(docs, "Deployment").get(0), Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(env(c)).containsEntry("ECSBRIDGE_SECRET_REFERENCES", "true");
    Container off = as(ofKind(Helm.parse(Helm.template("ecsb", "ops", "{}")), "Deployment").get(0), Deployment.class)
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(off)).as("off by default").containsEntry("ECSBRIDGE_SECRET_REFERENCES", "false");
  }

  @Test
  void watchedNamespacesGetRolesAndOnlyTheClusterScopedKindsClusterWide() {
    List<GenericKubernetesResource> docs = Helm.parse(Helm.template("ecsb", "ops", ALL_OPTIONS));
    // only the cluster-scoped kinds (AwsAccount) and the Namespaces they select are granted cluster-wide
    assertThat(ofKind(docs, "ClusterRole")).singleElement().satisfies(r -> {
      assertThat(r.getMetadata().getName()).isEqualTo("ecsb-ecs-bridge-cluster-scoped");
      kindsAreWatchedPatchedAndGetStatus(as(r, ClusterRole.class).getRules(), Kinds.Kind::clusterScoped,
          List.of("namespaces"));
    });
    assertThat(ofKind(docs, "ClusterRoleBinding")).hasSize(1);
    assertThat(ofKind(docs, "Role")).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder("team-a/ecsb-ecs-bridge", "team-b/ecsb-ecs-bridge",
            "ops/ecsb-ecs-bridge-leader-election");
    assertThat(ofKind(docs, "RoleBinding")).hasSize(3);
    ofKind(docs, "Role").stream().map(r -> as(r, Role.class))
        .filter(r -> !r.getMetadata().getName().endsWith("-leader-election"))
        .forEach(r -> kindsAreWatchedPatchedAndGetStatus(r.getRules(), k -> !k.clusterScoped(),
            List.of("configmaps")));
    Container c = as(ofKind(docs, "Deployment").get(0), Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(env(c)).containsEntry("ECSBRIDGE_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("AWS_REGION", "eu-west-1").containsEntry("ECSBRIDGE_LOG_FORMAT", "text")
        .containsEntry("ECSBRIDGE_RESYNC_PERIOD", "5m").containsEntry("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "true")
        .containsEntry("ECSBRIDGE_AWS_RATE_LIMIT", "2.5").containsEntry("ECSBRIDGE_AWS_RATE_LIMITS", "ecr=10:30,ecs=40");
    io.ecsbridge.config.OperatorConfig.load(env(c));
    assertThat(ofKind(docs, "ServiceAccount").get(0).getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/ecs-bridge");
  }

  @Test
  void optionalServiceMonitorNetworkPolicyDashboardAndArgoCdHealth() throws Exception {
    List<GenericKubernetesResource> docs = Helm.parse(Helm.template("ecsb", "ops", ALL_OPTIONS));
    GenericKubernetesResource monitor = ofKind(docs, "ServiceMonitor").get(0);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(ofKind(docs, "NetworkPolicy")).hasSize(1);

    List<ConfigMap> maps = ofKind(docs, "ConfigMap").stream().map(d -> as(d, ConfigMap.class)).toList();
    ConfigMap dashboard = maps.stream().filter(m -> m.getMetadata().getName().endsWith("-dashboard")).findFirst()
        .orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    var json = new ObjectMapper().readTree(dashboard.getData().get("ecs-bridge.json"));
    assertThat(json.get("panels").findValuesAsText("expr")).anyMatch(e -> e.contains("ecsbridge_aws_api_calls_total"))
        .anyMatch(e -> e.contains("operator_sdk_"));

    ConfigMap argo = maps.stream().filter(m -> m.getMetadata().getName().endsWith("-argocd-health")).findFirst()
        .orElseThrow();
    assertThat(argo.getData().keySet()).containsExactlyInAnyOrderElementsOf(Kinds.ALL.stream()
        .map(k -> "resource.customizations.health." + k.group() + "_" + k.kind()).toList());
    assertThat(argo.getData().values()).allSatisfy(script -> assertThat(script.strip())
        .isEqualTo(java.nio.file.Files.readString(Tools.chart().resolve("files/argocd-health.lua")).strip()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      replicaCount: 0                                   | at '/replicaCount': minimum: got 0, want 1
      operator: {logFormat: xml}                        | at '/operator/logFormat': value must be one of 'text', 'json'
      operator: {watchNamespaces: [Team_A]}             | at '/operator/watchNamespaces/0': 'Team_A' does not match pattern
      operator: {resyncPeriod: ten minutes}             | at '/operator/resyncPeriod': 'ten minutes' does not match pattern
      operator: {reconcileConcurrency: 0}               | at '/operator/reconcileConcurrency': minimum: got 0, want 1
      operator: {allowCrossNamespace: "yes"}            | at '/operator/allowCrossNamespace': got string, want boolean
      aws: {region: Europe}                             | at '/aws/region': 'Europe' does not match pattern
      replicas: 3                                       | additional properties 'replicas' not allowed
      podSecurityContext: {runAsNonRoot: false}         | at '/podSecurityContext/runAsNonRoot': value must be true
      securityContext: {allowPrivilegeEscalation: true} | at '/securityContext/allowPrivilegeEscalation': value must be false
      metrics: {port: 70000}                            | at '/metrics/port': maximum: got 70,000, want 65,535
      operator: {awsRateLimits: {s3: 5}}                | at '/operator/awsRateLimits': additional properties 's3' not allowed
      operator: {awsRateLimits: {ecs: "fast"}}          | at '/operator/awsRateLimits/ecs': 'fast' does not match pattern
      operator: {awsRateLimits: {ecr: 0}}               | at '/operator/awsRateLimits/ecr': exclusiveMinimum: got 0, want 0
      operator: {awsRateLimit: 0}                       | at '/operator/awsRateLimit': exclusiveMinimum: got 0, want 0
      """)
  void badValuesAreRejectedByTheSchemaWithAClearMessage(String values, String message) {
    Tools.Output out = Helm.helm("template", "ecsb", Tools.chart().toString(), "--values",
        Helm.writeValues(values).toString());
    assertThat(out.exitCode()).as(out.stdout()).isNotZero();
    assertThat(out.stderr()).contains("values don't meet the specifications of the schema(s)").contains(message);
  }
}
