package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Helm;
import io.ecsbridge.testing.Repo;
import io.ecsbridge.testing.TestEnvironment;
import io.ecsbridge.testing.Tools;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CRD upgrade path on the real kube-apiserver: the previous release's CRDs (git, {@link #PREVIOUS}) installed the
 * way `helm install` installs crds/, custom resources of that release's samples created, then the current CRDs as
 * the chart renders them with crds.enabled (templates, helm.sh/resource-policy: keep) applied over them: a
 * server-side dry run, then for real; the existing custom resources stay valid (a server-side dry run of each as a
 * new object, which the new schema and its CEL rules validate in full). So that the shared API server keeps the
 * current CRDs for the other tests, both versions are applied under a group of this test's own (the same rename on
 * both sides).
 */
class CrdUpgradeIT {
  /** The last chart version's commit (Chart.yaml 0.1.0, main at the start of issue 13). */
  static final String PREVIOUS = "738fdc7";

  private final TestEnvironment env = TestEnvironment.get();
  private final KubernetesClient k8s = env.kube().client();
  private final String group = "u" + UUID.randomUUID().toString().substring(0, 6) + ".upgrade.ecsbridge.io";
  private final List<String> crdNames = new ArrayList<>();
  private String ns;
  private Path kubeconfig;

  @BeforeEach
  void namespaceAndKubeconfig() throws Exception {
    ns = "upg-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    kubeconfig = Files.createTempFile("ecsbridge-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, env.kube().kubeconfig());
    kubeconfig.toFile().deleteOnExit();
  }

  @AfterEach
  void removeTheTestGroup() {
    crdNames.forEach(n -> k8s.apiextensions().v1().customResourceDefinitions().withName(n).delete());
  }

  private static String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", Repo.root().toString()));
    command.addAll(List.of(args));
    return Tools.run(command, null, Map.of(), 1).assertSuccess().stdout();
  }

  /** CRDs and custom resources moved to this test's group. */
  private String regroup(String yaml) {
    return yaml.replaceAll("(?m)^(\\s*)group: \"?ecsbridge\\.io\"?\\s*$", "$1group: \"" + group + "\"")
        .replaceAll("(?m)^(\\s*)name: \"?([a-z]+)\\.ecsbridge\\.io\"?\\s*$", "$1name: \"$2." + group + "\"")
        .replaceAll("(?m)^apiVersion: ecsbridge\\.io/", "apiVersion: " + group + "/");
  }

  private Tools.Output kubectl(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(Tools.kubectl().toString(), "--kubeconfig",
        kubeconfig.toString()));
    command.addAll(List.of(args));
    return Tools.run(command, stdin, Map.of(), 3);
  }

  private void waitEstablished() {
    kubectl(null, "wait", "--for=condition=Established", "--timeout=60s", "crd", "-l",
        "ecsbridge.io/upgrade-test=" + group.substring(0, 7)).assertSuccess();
  }

  private String labelled(String crds) {
    // a label to wait on and to find them by
    return crds.replaceAll("(?m)^metadata:\\s*$", "metadata:\n  labels: {ecsbridge.io/upgrade-test: \""
        + group.substring(0, 7) + "\"}");
  }

  @Test
  void thePreviousReleasesCrdsAndResourcesUpgradeToTheCurrentOnes() {
    // the previous release, as `helm install` creates crds/: a plain create of each file
    StringBuilder previous = new StringBuilder();
    for (String file : git("ls-tree", "--name-only", PREVIOUS, "helm/ecs-bridge/crds/").split("\n")) {
      if (file.endsWith(".yml")) {
        previous.append("---\n").append(git("show", PREVIOUS + ":" + file));
      }
    }
    String oldCrds = labelled(regroup(previous.toString()));
    assertThat(oldCrds).doesNotContain("group: \"ecsbridge.io\"");
    Tools.Output created = kubectl(oldCrds, "create", "-f", "-");
    assertThat(created.exitCode()).as(created.stderr()).isZero();
    created.stdout().lines().map(l -> l.replaceAll("^customresourcedefinition\\.apiextensions\\.k8s\\.io/(\\S+).*",
        "$1")).forEach(crdNames::add);
    assertThat(crdNames).hasSizeGreaterThanOrEqualTo(9);
    waitEstablished();

    // custom resources of that release: its samples
    List<String> samples = new ArrayList<>();
    for (String file : git("ls-tree", "--name-only", PREVIOUS, "samples/").split("\n")) {
      if (file.endsWith(".yaml")) {
        samples.add(regroup(git("show", PREVIOUS + ":" + file)));
      }
    }
    assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
    for (String sample : samples) {
      Tools.Output out = kubectl(sample, "-n", ns, "create", "-f", "-");
      assertThat(out.exitCode()).as(sample + out.stderr()).isZero();
    }

    // the current CRDs as the chart renders them with crds.enabled (what `helm upgrade` applies)
    String rendered = Helm.template("ecs-bridge", ns, "crds: {enabled: true}", "--show-only", "templates/crds.yaml");
    String newCrds = labelled(regroup(rendered));
    assertThat(Pattern.compile("helm.sh/resource-policy: keep").matcher(newCrds).results().count())
        .isEqualTo(crdNames.size());
    Tools.Output dryRun = kubectl(newCrds, "apply", "--server-side", "--force-conflicts", "--dry-run=server",
        "-f", "-");
    assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
    Tools.Output applied = kubectl(newCrds, "apply", "--server-side", "--force-conflicts", "-f", "-");
    assertThat(applied.exitCode()).as(applied.stderr()).isZero();
    assertThat(applied.stdout()).contains("serverside-applied");
    waitEstablished();

    // the existing resources are still there and valid under the new schema and rules
    for (String sample : samples) {
      Tools.Output got = kubectl(sample, "-n", ns, "get", "-f", "-", "-o", "name");
      assertThat(got.exitCode()).as(got.stderr()).isZero();
      String renamed = sample.replaceAll("(?m)^(  name: )\"?([a-z0-9.-]+)\"?\\s*$", "$1$2-again");
      Tools.Output valid = kubectl(renamed, "-n", ns, "create", "--dry-run=server", "-f", "-");
      assertThat(valid.exitCode()).as(renamed + valid.stderr()).isZero();
    }
    assertThat(k8s.apiextensions().v1().customResourceDefinitions().withName(crdNames.get(0)).get()
        .getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
  }
}
