package io.ecsbridge.kinds.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.contract.Shape;
import java.util.Objects;

/**
 * The deployment strategy part of {@code deploymentConfiguration}, normalized alike on the spec's and ECS's side:
 * strategy ROLLING when absent (as DescribeServices reports it); a ROLLING service's bake time 0 is no bake time; a
 * LINEAR service's {@code linearConfiguration} and a CANARY service's {@code canaryConfiguration} filled with ECS's
 * documented defaults (step 10.0 % every 6 minutes; canary 5.0 % for 10 minutes), the other strategies' left out;
 * lifecycle hook stages as a set. The bake time of a BLUE_GREEN, LINEAR or CANARY service has no documented default:
 * it is compared only when the spec sets it ({@link #same}).
 */
final class DeploymentConfigurationShape {
  private DeploymentConfigurationShape() {}

  static ObjectNode strategy(ObjectNode d) {
    Shape.defaults(d, "strategy", "ROLLING");
    String strategy = d.get("strategy").asText();
    if ("ROLLING".equals(strategy) && d.hasNonNull("bakeTimeInMinutes") && d.get("bakeTimeInMinutes").asLong() == 0) {
      d.remove("bakeTimeInMinutes");
    }
    if ("LINEAR".equals(strategy)) {
      d.set("linearConfiguration", Shape.defaults(Shape.object(d.get("linearConfiguration")),
          "stepPercent", 10.0, "stepBakeTimeInMinutes", 6));
    } else {
      d.remove("linearConfiguration");
    }
    if ("CANARY".equals(strategy)) {
      d.set("canaryConfiguration", Shape.defaults(Shape.object(d.get("canaryConfiguration")),
          "canaryPercent", 5.0, "canaryBakeTimeInMinutes", 10));
    } else {
      d.remove("canaryConfiguration");
    }
    if (d.get("lifecycleHooks") instanceof ArrayNode hooks) {
      hooks.forEach(h -> {
        if (h instanceof ObjectNode hook) {
          Shape.sortStrings(hook, "lifecycleStages");
        }
      });
    }
    return d;
  }

  /** Equal for ECS: the live bake time counts only when the spec (the first, canonical) sets one. */
  static boolean same(JsonNode spec, JsonNode live) {
    if (spec instanceof ObjectNode want && live instanceof ObjectNode have && !want.has("bakeTimeInMinutes")) {
      ObjectNode copy = have.deepCopy();
      copy.remove("bakeTimeInMinutes");
      return Objects.equals(want, copy);
    }
    return Objects.equals(spec, live);
  }
}
