package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * None of the operator's own classes names a type of a fabric8 model module the jar leaves out (operator/pom.xml's
 * exclusions; JarContentsIT): such a class would fail with NoClassDefFoundError in the jar, while the unit tests (which
 * get those modules back to mock the client) and the ITs of rbac and networking (test scope) would not notice. The
 * check reads each compiled class's constant pool, where every type and method it refers to is named.
 */
class ExcludedModelModulesTest {
  /** The packages of the excluded modules (kubernetes-model-storageclass holds storage and storagemigration). */
  static final List<String> EXCLUDED = Stream.of("gatewayapi", "resource", "rbac", "discovery", "events",
      "flowcontrol", "networking", "scheduling", "storage", "storagemigration", "node")
      .map(g -> "io/fabric8/kubernetes/api/model/" + g + "/").toList();
  /** The client's entry points to those groups (their DSLs return the excluded types). */
  static final List<String> ENTRY_POINTS = List.of("io/fabric8/kubernetes/client/dsl/RbacAPIGroupDSL",
      "io/fabric8/kubernetes/client/dsl/NetworkAPIGroupDSL", "io/fabric8/kubernetes/client/dsl/StorageAPIGroupDSL",
      "io/fabric8/kubernetes/client/dsl/EventingAPIGroupDSL",
      "io/fabric8/kubernetes/client/dsl/DiscoveryAPIGroupDSL", "io/fabric8/kubernetes/client/dsl/FlowControlAPIGroupDSL",
      "io/fabric8/kubernetes/client/dsl/SchedulingAPIGroupDSL",
      "io/fabric8/kubernetes/client/dsl/DynamicResourceAllocationAPIGroupDSL");

  @Test
  void noClassOfTheOperatorNamesAnExcludedModule() throws IOException {
    Path classes = Path.of("target/classes/io/ecsbridge");
    assertThat(classes).as("compiled before the tests").isDirectory();
    try (Stream<Path> files = Files.walk(classes)) {
      List<Path> all = files.filter(f -> f.toString().endsWith(".class")).toList();
      assertThat(all).hasSizeGreaterThan(100);
      for (Path f : all) {
        String pool = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(EXCLUDED).as("%s names an excluded model package", f)
            .noneMatch(pool::contains);
        assertThat(ENTRY_POINTS).as("%s calls an excluded API group's client", f).noneMatch(pool::contains);
      }
    }
  }
}
