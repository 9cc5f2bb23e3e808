package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Helm;
import io.ecsbridge.testing.TestEnvironment;
import io.ecsbridge.testing.Tools;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every manifest the chart renders (CRDs included), for the default values and with every option on, passes a
 * server-side dry run (`kubectl apply --dry-run=server`: admission, schema validation, defaulting) on the real
 * kube-apiserver; and `helm install --dry-run=server` against it prints the NOTES. The ServiceMonitor is checked
 * against a minimal stand-in of the Prometheus Operator's CRD (group, version, kind and scope only). The Deployment
 * passes the API server's PodSecurity admission at the restricted level.
 */
class HelmChartDryRunIT {
  private final TestEnvironment env = TestEnvironment.get();
  private final KubernetesClient k8s = env.kube().client();
  private String ns;
  private Path kubeconfig;

  @BeforeEach
  void namespacesAndKubeconfig() throws Exception {
    ns = "dry-" + UUID.randomUUID().toString().substring(0, 8);
    for (String name : List.of(ns, ns + "-a", ns + "-b")) {
      k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
    kubeconfig = Files.createTempFile("ecsbridge-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, env.kube().kubeconfig());
    kubeconfig.toFile().deleteOnExit();
    installServiceMonitorStandIn();
  }

  private void installServiceMonitorStandIn() {
    if (k8s.apiextensions().v1().customResourceDefinitions().withName("servicemonitors.monitoring.coreos.com")
        .get() != null) {
      return;
    }
    CustomResourceDefinition crd = k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: servicemonitors.monitoring.coreos.com}
        spec:
          group: monitoring.coreos.com
          scope: Namespaced
          names: {kind: ServiceMonitor, plural: servicemonitors, singular: servicemonitor, listKind: ServiceMonitorList}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """, CustomResourceDefinition.class);
    k8s.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    k8s.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        // a CRD just applied may have a status without conditions yet
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
            && c.getStatus().getConditions().stream()
            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
  }

  private Tools.Output dryRun(String values) {
    return dryRun(values, "--include-crds");
  }

  private Tools.Output dryRun(String values, String... helmArgs) {
    String rendered = Helm.template("dry", ns, values, helmArgs);
    int documents = Helm.parse(rendered).size();
    Tools.Output out = Tools.run(List.of(Tools.kubectl().toString(), "--kubeconfig", kubeconfig.toString(),
        "apply", "--dry-run=server", "-f", "-"), rendered, Map.of(), 3);
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(out.stdout().lines().filter(l -> l.endsWith("(server dry run)")).count())
        .as(out.stdout()).isEqualTo(documents);
    return out;
  }

  @Test
  void theDeploymentMeetsTheRestrictedPodSecurityStandard() {
    // the API server's PodSecurity admission warns about workloads whose pods the namespace's level would refuse
    k8s.namespaces().withName(ns).edit(n -> {
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/warn", "restricted");
      return n;
    });
    assertThat(dryRun("{}").stderr()).doesNotContain("PodSecurity");
    // and it does notice: without the seccomp profile the same Deployment would violate it
    assertThat(dryRun("podSecurityContext: {seccompProfile: null}\nsecurityContext: {seccompProfile: null}\n")
        .stderr()).contains("would violate PodSecurity \"restricted:latest\"").contains("seccompProfile");
  }

  @Test
  void defaultManifestsPassAServerSideDryRun() {
    dryRun("{}");
  }

  @Test
  void everyOptionPassesAServerSideDryRun() {
    dryRun(HelmChartTest.ALL_OPTIONS.replace("[team-a, team-b]", "[" + ns + "-a, " + ns + "-b]")
        .replace("grafanaDashboard: {enabled: true}", "grafanaDashboard: {enabled: true, namespace: " + ns + "-a}"));
  }

  /** Issue 13's values: image digest, credentials Secret, log level, extra volumes, egress, CRDs as templates. */
  @Test
  void installAndUpgradeOptionsPassAServerSideDryRun() {
    String out = dryRun("""
        image: {repository: r.example/ecs-bridge, digest: "sha256:%s"}
        aws: {region: eu-west-1, credentialsSecret: {name: aws-keys}}
        operator: {logLevel: debug}
        extraVolumes: [{name: ca, configMap: {name: corporate-ca}}]
        extraVolumeMounts: [{name: ca, mountPath: /etc/ecs-bridge/ca, readOnly: true}]
        networkPolicy: {enabled: true, proxy: {cidr: 10.0.0.10/32, port: 3128}}
        crds: {enabled: true}
        """.formatted("0123456789abcdef".repeat(4)), new String[0]).stdout();
    // the templated CRDs (no --include-crds) are applied over the installed ones
    assertThat(out).contains("customresourcedefinition.apiextensions.k8s.io/ecsservices.ecsbridge.io")
        .contains("networkpolicy.networking.k8s.io/dry-ecs-bridge");
  }

  @Test
  void helmInstallDryRunAgainstTheApiServerPrintsTheNotes() {
    Tools.Output out = Helm.helm("install", "dry", Tools.chart().toString(), "--dry-run=server", "--namespace", ns,
        "--kubeconfig", kubeconfig.toString(), "--set", "argocd.healthChecks.enabled=true");
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(out.stdout()).contains("STATUS: pending-install").contains("create-pod-identity-association")
        .contains("eks.amazonaws.com/role-arn").contains("all namespaces").contains("patch configmap argocd-cm");
  }

  @Test
  void threeShardsPassAServerSideDryRunAndTheNotesNameThem() {
    dryRun("shards: 3\nmetrics: {serviceMonitor: {enabled: true}}\n");
    Tools.Output out = Helm.helm("install", "dry", Tools.chart().toString(), "--dry-run=server", "--namespace", ns,
        "--kubeconfig", kubeconfig.toString(), "--set", "shards=3");
    assertThat(out.exitCode()).as(out.stderr()).isZero();
    assertThat(out.stdout()).contains("3 shards").contains("deployment/dry-ecs-bridge-shard-2")
        .contains("ecs-bridge-leader-shard-<k>").contains("ecsbridge.io/shard=1");
  }
}
