package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.Repo;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What can be checked of the image without a Docker engine: the Dockerfile itself (OperatorJarIT runs its command). */
class DockerfileTest {
  private final DockerfileModel dockerfile = DockerfileModel.load();

  @Test
  void runsAsANumericNonRootUser() {
    String user = dockerfile.last("USER");
    assertThat(user).as("USER").matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
    assertThat(user.split(":")[0]).as("the chart's runAsUser").isEqualTo("65532");
  }

  @Test
  void baseImageIsAJava17JrePinnedToATag() {
    String base = dockerfile.baseImage();
    assertThat(base).startsWith("eclipse-temurin:17").contains("-jre").doesNotEndWith(":latest");
    assertThat(base).as("a tag naming the Java release and the OS").matches("eclipse-temurin:17[^:@]*-jre-[a-z]+(@sha256:[0-9a-f]{64})?");
  }

  @Test
  void nothingIsBuiltInsideDocker() {
    assertThat(dockerfile.all("RUN")).noneMatch(r -> r.matches("(?s).*\\b(mvn|mvnw|gradle|gradlew|javac|go build)\\b.*"));
    assertThat(dockerfile.all("FROM")).as("a single stage").hasSize(1);
    assertThat(dockerfile.copies()).containsOnlyKeys("operator/target/ecs-bridge.jar");
  }

  @Test
  void startsTheJarWithContainerAwareMemory() throws Exception {
    String jar = dockerfile.copies().get("operator/target/ecs-bridge.jar");
    assertThat(dockerfile.command()).containsExactly("java", "-jar", jar);
    assertThat(dockerfile.env().get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
    assertThat(Files.readString(Repo.root().resolve(".dockerignore")).lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList())
        .as("the build context is only the jar").containsExactly("*", "!operator/target/ecs-bridge.jar");
  }

  /** The Dockerfile's image has the environment of the image Jib builds (operator/pom.xml): one can not drift. */
  @Test
  void setsTheEnvironmentOfJibsImage() throws Exception {
    String pom = Files.readString(Repo.root().resolve("operator/pom.xml"));
    for (String name : List.of("JAVA_TOOL_OPTIONS", "GLIBC_TUNABLES")) {
      Matcher jib = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(pom);
      assertThat(jib.find()).as(name + " in the Jib image's environment").isTrue();
      assertThat(dockerfile.env().get(name)).as(name).isEqualTo(jib.group(1));
    }
  }
}
