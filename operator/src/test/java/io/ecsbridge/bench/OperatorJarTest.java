package io.ecsbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bench runs the operator with the chart's JVM options: the same as helm/ecs-bridge/values.yaml renders. */
class OperatorJarTest {
  @Test
  void theBenchsJvmOptionsAreTheChartsDefaults() throws Exception {
    String values = Files.readString(Path.of("../helm/ecs-bridge/values.yaml"));
    assertThat(OperatorJar.CHART_JVM_OPTIONS)
        .contains("-XX:MaxRAMPercentage=" + value(values, "jvmMaxRamPercentage"))
        .contains(value(values, "jvmOptions"));
  }

  private static String value(String yaml, String key) {
    Matcher m = Pattern.compile("(?m)^\\s*" + key + ":\\s*\"?([^\"\\n#]*?)\"?\\s*(#.*)?$").matcher(yaml);
    assertThat(m.find()).as(key + " in values.yaml").isTrue();
    return m.group(1).trim();
  }
}
