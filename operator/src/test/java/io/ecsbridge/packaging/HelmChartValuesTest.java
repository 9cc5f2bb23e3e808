package io.ecsbridge.packaging;

import static io.ecsbridge.testing.Helm.as;
import static io.ecsbridge.testing.Helm.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Helm;
import io.ecsbridge.testing.Repo;
import io.ecsbridge.testing.Tools;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's install-and-upgrade values (issue 13): its version, the image by digest, the log level, extra volumes,
 * a credentials Secret, AWS_REGION, the NetworkPolicy's Pod Identity agent and proxy egress, the CRDs as templates
 * (crds.enabled, crds.keep), and the IRSA ServiceAccount name in docs/install.md as the chart renders it.
 */
class HelmChartValuesTest {
  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  private static Container operator(String values) {
    return pod(values).getContainers().get(0);
  }

  private static PodSpec pod(String values) {
    return as(ofKind(Helm.parse(Helm.template("ecsb", "ops", values)), "Deployment").get(0), Deployment.class)
        .getSpec().getTemplate().getSpec();
  }

  private static Optional<EnvVar> env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
  }

  static String pomVersion() throws Exception {
    Matcher m = Pattern.compile("(?m)^  <version>([^<]+)</version>").matcher(Files.readString(Repo.root()
        .resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void theChartIsVersionedWithTheOperator(@TempDir Path out) throws Exception {
    String chart = Files.readString(Tools.chart().resolve("Chart.yaml"));
    String version = pomVersion();
    assertThat(chart).containsPattern("(?m)^version: " + Pattern.quote(version) + "$")
        .containsPattern("(?m)^appVersion: \"" + Pattern.quote(version) + "\"$");
    // what `make chart` does: a package named by that version
    Helm.helm("package", Tools.chart().toString(), "--version", version, "--app-version", version, "--destination",
        out.toString()).assertSuccess();
    assertThat(out.resolve("ecs-bridge-" + version + ".tgz")).isRegularFile();
    assertThat(Files.readString(Repo.root().resolve("Makefile")))
        .contains("package helm/ecs-bridge --version $(VERSION) --app-version $(VERSION)");
  }

  @Test
  void theImageIsPulledByDigestWhenOneIsGiven() {
    assertThat(operator("{}").getImage()).isEqualTo("ecs-bridge:" + appVersion());
    assertThat(operator("image: {repository: r.example/ecs-bridge, tag: v9}").getImage())
        .isEqualTo("r.example/ecs-bridge:v9");
    assertThat(operator("image: {repository: r.example/ecs-bridge, digest: " + DIGEST + "}").getImage())
        .isEqualTo("r.example/ecs-bridge@" + DIGEST);
    assertThat(Helm.helm("template", "x", Tools.chart().toString(), "--set", "image.digest=latest").stderr())
        .contains("/image/digest");
  }

  private static String appVersion() {
    try {
      return pomVersion();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void logLevelAwsRegionAndExtraVolumes() {
    assertThat(env(operator("{}"), "ECSBRIDGE_LOG_LEVEL")).hasValueSatisfying(e -> assertThat(e.getValue())
        .isEqualTo("info"));
    assertThat(env(operator("{}"), "AWS_REGION")).isEmpty();
    Container c = operator("""
        operator: {logLevel: debug}
        aws: {region: eu-west-1}
        extraVolumes: [{name: ca, configMap: {name: corporate-ca}}]
        extraVolumeMounts: [{name: ca, mountPath: /etc/ecs-bridge/ca, readOnly: true}]
        """);
    assertThat(env(c, "ECSBRIDGE_LOG_LEVEL").orElseThrow().getValue()).isEqualTo("debug");
    assertThat(env(c, "AWS_REGION").orElseThrow().getValue()).isEqualTo("eu-west-1");
    assertThat(c.getVolumeMounts()).extracting("name", "mountPath").contains(
        org.assertj.core.groups.Tuple.tuple("tmp", "/tmp"),
        org.assertj.core.groups.Tuple.tuple("ca", "/etc/ecs-bridge/ca"));
    assertThat(pod("extraVolumes: [{name: ca, configMap: {name: corporate-ca}}]").getVolumes())
        .extracting("name").containsExactly("tmp", "ca");
    assertThat(Helm.helm("template", "x", Tools.chart().toString(), "--set", "operator.logLevel=verbose").stderr())
        .contains("/operator/logLevel");
  }

  @Test
  void theJvmOptionsAreTheFootprintDefaultsAndCanBeReplaced() {
    assertThat(env(operator("{}"), "JAVA_TOOL_OPTIONS").orElseThrow().getValue()).isEqualTo(
        "-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xmn8m -XX:InitialHeapSize=24m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TieredStopAtLevel=1 -XX:TrimNativeHeapInterval=15000 -XX:+ExitOnOutOfMemoryError -Dsun.reflect.inflationThreshold=1000000");
    assertThat(env(operator("""
        jvmMaxRamPercentage: 60
        operator: {jvmOptions: "-XX:+UseG1GC"}
        """), "JAVA_TOOL_OPTIONS").orElseThrow().getValue()).isEqualTo("-XX:MaxRAMPercentage=60 -XX:+UseG1GC");
  }

  @Test
  void aCredentialsSecretForClustersWithoutIrsaOrPodIdentity() {
    assertThat(operator("{}").getEnv()).extracting("name").doesNotContain("AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
    Container c = operator("aws: {credentialsSecret: {name: aws-keys}}");
    for (String name : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
      EnvVar e = env(c, name).orElseThrow();
      assertThat(e.getValue()).as("never a literal").isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("aws-keys");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(name);
    }
    assertThat(env(c, "AWS_SESSION_TOKEN").orElseThrow().getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    Container custom = operator(
        "aws: {credentialsSecret: {name: k, accessKeyIdKey: id, secretAccessKeyKey: secret, sessionTokenKey: ''}}");
    assertThat(env(custom, "AWS_ACCESS_KEY_ID").orElseThrow().getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("id");
    assertThat(env(custom, "AWS_SESSION_TOKEN")).isEmpty();
  }

  @Test
  void networkPolicyAdmitsThePodIdentityAgentAndAProxy() {
    NetworkPolicy plain = networkPolicy("networkPolicy: {enabled: true, podIdentityAgent: false}");
    assertThat(plain.getSpec().getEgress()).allSatisfy(r -> assertThat(r.getTo()).isNullOrEmpty());
    NetworkPolicy np = networkPolicy("networkPolicy: {enabled: true, proxy: {cidr: 10.0.0.10/32, port: 3128}}");
    assertThat(egressTo(np, "169.254.170.23/32")).extracting(r -> r.getPorts().get(0).getPort().getIntVal())
        .isEqualTo(80);
    assertThat(egressTo(np, "fd00:ec2::23/128")).isNotNull();
    assertThat(egressTo(np, "10.0.0.10/32").getPorts().get(0).getPort().getIntVal()).isEqualTo(3128);
    assertThat(Helm.helm("template", "x", Tools.chart().toString(), "--set", "networkPolicy.enabled=true",
        "--set", "networkPolicy.proxy.cidr=proxy.corp").stderr()).contains("/networkPolicy/proxy/cidr");
  }

  private static NetworkPolicy networkPolicy(String values) {
    return as(ofKind(Helm.parse(Helm.template("ecsb", "ops", values)), "NetworkPolicy").get(0),
        NetworkPolicy.class);
  }

  private static NetworkPolicyEgressRule egressTo(NetworkPolicy np, String cidr) {
    return np.getSpec().getEgress().stream().filter(r -> r.getTo() != null && r.getTo().stream()
        .anyMatch(p -> p.getIpBlock() != null && cidr.equals(p.getIpBlock().getCidr()))).findFirst().orElseThrow();
  }

  @Test
  void crdsAsTemplatesAreTheGeneratedOnesKeptOnUninstall() throws Exception {
    assertThat(ofKind(Helm.parse(Helm.template("ecsb", "ops", "{}")), "CustomResourceDefinition")).isEmpty();
    List<GenericKubernetesResource> crds = ofKind(Helm.parse(Helm.template("ecsb", "ops", "crds: {enabled: true}")),
        "CustomResourceDefinition");
    KubernetesSerialization yaml = new KubernetesSerialization();
    List<Path> files;
    try (Stream<Path> s = Files.list(Tools.chart().resolve("crds"))) {
      files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(crds).hasSize(files.size()).isNotEmpty();
    for (Path file : files) {
      CustomResourceDefinition generated = yaml.unmarshal(Files.readString(file), CustomResourceDefinition.class);
      CustomResourceDefinition rendered = crds.stream().map(d -> as(d, CustomResourceDefinition.class))
          .filter(d -> d.getMetadata().getName().equals(generated.getMetadata().getName())).findFirst()
          .orElseThrow();
      assertThat(rendered.getSpec()).as(file.toString()).isEqualTo(generated.getSpec());
      assertThat(rendered.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
      assertThat(rendered.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");
    }
    assertThat(ofKind(Helm.parse(Helm.template("ecsb", "ops", "crds: {enabled: true, keep: false}")),
        "CustomResourceDefinition")).allSatisfy(d -> assertThat(d.getMetadata().getAnnotations())
        .doesNotContainKey("helm.sh/resource-policy"));
  }

  @Test
  void theReadmeNamesTheServiceAccountTheChartRenders() throws Exception {
    // the README's install command: release ecs-bridge in namespace ecs-bridge
    String sa = ofKind(Helm.parse(Helm.template("ecs-bridge", "ecs-bridge", "{}")), "ServiceAccount").get(0)
        .getMetadata().getName();
    String other = ofKind(Helm.parse(Helm.template("prod", "ops", "{}")), "ServiceAccount").get(0)
        .getMetadata().getName();
    String readme = Files.readString(Repo.root().resolve("docs/install.md"));
    assertThat(readme).contains("system:serviceaccount:ecs-bridge:" + sa + "`")
        .contains("--service-account " + sa + " ").contains("`" + other.replace("prod", "<release>") + "`");
    assertThat(readme).doesNotContain("IRSA and Pod Identity set it");
    assertThat(Map.of("sa", sa)).containsEntry("sa", "ecs-bridge");
  }
}
