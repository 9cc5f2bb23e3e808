package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The jar the package phase builds carries only the fabric8 model modules the operator needs (operator/pom.xml's
 * exclusions, docs/operations.md "Footprint levers"): fabric8 instantiates every resource type its model jars list as
 * a service when it builds its deserializer, so a module that comes back (a dependency bump, a new fabric8 module)
 * costs classes and memory at every start. OperatorJarIT runs this jar.
 */
class JarContentsIT {
  private static final String MODEL = "io/fabric8/kubernetes/api/model/";
  /** The API groups of the excluded modules (kubernetes-model-storageclass holds storage and storagemigration). */
  private static final List<String> EXCLUDED = List.of("gatewayapi", "resource", "rbac", "discovery",
      "events", "flowcontrol", "networking", "scheduling", "storage", "storagemigration", "node");

  @Test
  void theJarHasNoneOfTheExcludedModelModulesAndTheTypesTheOperatorUses() throws Exception {
    Path jar = Repo.root().resolve("operator/target/ecs-bridge.jar");
    assertThat(jar).as("built by the package phase").exists();
    Set<String> groups = new TreeSet<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream().map(ZipEntry::getName).filter(n -> n.startsWith(MODEL) && n.endsWith(".class"))
          .map(n -> n.substring(MODEL.length())).filter(n -> n.indexOf('/') > 0)
          .forEach(n -> groups.add(n.substring(0, n.indexOf('/'))));
      assertThat(groups).as("API groups of fabric8's model in the jar").doesNotContainAnyElementsOf(EXCLUDED)
          .contains("coordination", "apiextensions", "authorization", "authentication", "apps", "batch", "extensions",
              "certificates", "autoscaling", "policy", "metrics");
      for (String used : List.of("ConfigMap", "Secret", "Namespace", "Event", "coordination/v1/Lease",
          "apiextensions/v1/CustomResourceDefinition", "authorization/v1/SelfSubjectRulesReview")) {
        assertThat(file.getEntry(MODEL + used + ".class")).as(used).isNotNull();
      }
      // logging is set up in code (logging/LogSetup); a logback XML file left in the jar (a build over the classes of
      // an older one: `mvn clean`) would be what a -Dlogback.configurationFile of the same name found
      assertThat(file.stream().map(ZipEntry::getName).filter(n -> n.matches("logback[^/]*\\.xml")))
          .as("logback XML files in the jar (a stale build? mvn clean)").isEmpty();
      String services = new String(file.getInputStream(
          file.getEntry("META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource")).readAllBytes(),
          StandardCharsets.UTF_8);
      for (String group : EXCLUDED) {
        assertThat(services).as("resource types registered at start").doesNotContain("model." + group + ".");
      }
    }
  }
}
