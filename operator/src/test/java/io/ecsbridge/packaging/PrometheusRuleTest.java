package io.ecsbridge.packaging;

import static io.ecsbridge.testing.Helm.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.metrics.OperatorState;
import io.ecsbridge.metrics.ResourceConditions;
import io.ecsbridge.testing.Helm;
import io.ecsbridge.testing.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The chart's opt-in PrometheusRule (prometheusRule.enabled): its alerts, on the metrics the operator exposes
 * (ResourceConditionsTest and OperatorJarIT check those), scoped to the release's metrics Service; checked by
 * promtool when one is at hand (PROMTOOL, or promtool on the PATH).
 */
class PrometheusRuleTest {
  static final String VALUES = """
      metrics:
        serviceMonitor: {enabled: true, labels: {release: prometheus}}
      prometheusRule:
        enabled: true
        labels: {release: prometheus}
        additionalLabels: {team: platform}
        stalledFor: 30m
      """;

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> alerts(GenericKubernetesResource rule) {
    Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
      for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
        alerts.put((String) r.get("alert"), r);
      }
    }
    return alerts;
  }

  @Test
  void offByDefault() {
    assertThat(ofKind(Helm.parse(Helm.template("ecsb", "ops", "{}")), "PrometheusRule")).isEmpty();
  }

  @Test
  void alertsOnStalledResourcesFailedRolloutsThrottlingAndNoLeaderOnTheOperatorsOwnMetrics() {
    GenericKubernetesResource rule = ofKind(Helm.parse(Helm.template("ecsb", "ops", VALUES)), "PrometheusRule")
        .get(0);
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getNamespace()).isEqualTo("ops");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Map<String, Map<String, Object>> alerts = alerts(rule);
    assertThat(alerts).containsOnlyKeys("EcsBridgeResourceStalled", "EcsBridgeRolloutFailed", "EcsBridgeAwsThrottling",
        "EcsBridgeNoLeader", "EcsBridgeNotReady");

    assertThat(expr(alerts, "EcsBridgeResourceStalled")).contains("ecsbridge_resources{", "condition=\"Stalled\"");
    assertThat(alerts.get("EcsBridgeResourceStalled").get("for")).isEqualTo("30m");
    assertThat(expr(alerts, "EcsBridgeRolloutFailed"))
        .contains("kind=\"EcsService\"", "condition=\"Stalled\"", "reason=~\"RolloutFailed|RolledBack\"");
    assertThat(expr(alerts, "EcsBridgeAwsThrottling")).contains("ecsbridge_aws_api_calls_total{",
        "outcome=\"throttled\"", "rate(");
    assertThat(expr(alerts, "EcsBridgeNoLeader")).contains("ecsbridge_leader{", "or vector(0)");
    assertThat(expr(alerts, "EcsBridgeNotReady")).contains("ecsbridge_ready{");
    assertThat(alerts.values()).allSatisfy(a -> {
      assertThat((String) a.get("expr")).as("scoped to this release's metrics Service")
          .contains("namespace=\"ops\",service=\"ecsb-ecs-bridge-metrics\"");
      assertThat((Map<String, Object>) a.get("labels")).containsKey("severity").containsEntry("team", "platform");
      assertThat((Map<String, Object>) a.get("annotations")).containsKeys("summary", "description");
    });

    // every metric an alert reads is one the operator exposes
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\\becsbridge_[a-z_]+").matcher(alerts.values().stream()
        .map(a -> (String) a.get("expr")).reduce("", String::concat));
    while (m.find()) {
      names.add(m.group());
    }
    assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(n).isIn(ResourceConditions.NAME, OperatorState.LEADER,
        OperatorState.READY, io.ecsbridge.aws.AwsCallMeter.CALLS.replace('.', '_') + "_total"));
  }

  @Test
  void promtoolChecksTheRules() throws Exception {
    String promtool = System.getenv().getOrDefault("PROMTOOL", "promtool");
    Tools.Output version;
    try {
      version = Tools.run(List.of(promtool, "--version"), null, Map.of(), 1);
    } catch (RuntimeException e) {
      version = null;
    }
    Assumptions.assumeTrue(version != null && version.exitCode() == 0,
        "promtool not found (set PROMTOOL): the rules are not checked by it here");
    GenericKubernetesResource rule = ofKind(Helm.parse(Helm.template("ecsb", "ops", VALUES)), "PrometheusRule")
        .get(0);
    Path file = Files.createTempFile("ecsbridge-rules", ".yaml");
    Files.writeString(file, new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
        .asYaml(rule.getAdditionalProperties().get("spec")));
    Tools.Output check = Tools.run(List.of(promtool, "check", "rules", file.toString()), null, Map.of(), 1);
    assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
    assertThat(check.stdout()).contains("SUCCESS: 5 rules found");
  }

  private static String expr(Map<String, Map<String, Object>> alerts, String alert) {
    return ((String) alerts.get(alert).get("expr")).replaceAll("\\s+", " ");
  }
}
