package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * EcsCluster's spec on ECS: CreateCluster's members, each managed only when the spec sets it (ECS keeps its own value
 * otherwise). settings: only the settings listed count. configuration: logging DEFAULT and the log encryption flags
 * false when unset, an execute command configuration that says only that equals none. serviceConnectDefaults: ECS
 * reports the Cloud Map namespace's ARN, which does not contain its name: a name matches any namespace set, an ARN
 * must be equal. capacityProviders: a set; the default strategy (compared whenever capacityProviders is set, absent
 * = none) with weight and base 0 when unset, a set by capacity provider. capacityProviderRefs (and a strategy item's
 * capacityProviderRef) are Kubernetes' own: the reconciler resolves them into names first.
 */
public final class ClusterShape extends Shape {
  public static final ClusterShape SHAPE = new ClusterShape();

  private static final List<Member> MEMBERS = List.of(
      ifSet("settings", v -> sortBy(list(v), "name")).same(ClusterShape::settingsApplied),
      ifSet("configuration", ClusterShape::configuration)
          .same((a, b) -> Objects.equals(withoutDefaults(a), withoutDefaults(b))),
      ifSet("serviceConnectDefaults", v -> v).same(ClusterShape::sameNamespace),
      ifSet("capacityProviders", v -> sortStrings(list(v))),
      member("defaultCapacityProviderStrategy", ClusterShape::strategy)
          .when(spec -> spec.hasNonNull("capacityProviders")));

  private ClusterShape() {
    super(EcsClusterSpec.class);
  }

  @Override
  public List<Member> members() {
    return MEMBERS;
  }

  @Override
  public Set<String> fixedAtCreation() {
    return Set.of();
  }

  @Override
  public Set<String> identity() {
    return Set.of("clusterName");
  }

  /** capacityProviderRefs are resolved by the reconciler into capacityProviders ({@link CapacityProviderRefs}). */
  @Override
  public Set<String> kubernetesOnly() {
    return Set.of("capacityProviderRefs");
  }

  /** The create request; a strategy item still naming a reference (unresolved) is not AWS's. */
  @Override
  public ObjectNode request(JsonNode spec) {
    ObjectNode out = super.request(spec);
    if (out.get("defaultCapacityProviderStrategy") instanceof ArrayNode items) {
      ArrayNode named = NODES.arrayNode();
      items.forEach(i -> {
        if (!i.has("capacityProviderRef")) {
          named.add(i);
        }
      });
      out.set("defaultCapacityProviderStrategy", named);
    }
    return out;
  }

  /** The spec's settings whose value the live cluster does not have, in the spec's order. */
  public static ArrayNode differingSettings(JsonNode spec, JsonNode live) {
    ArrayNode out = NODES.arrayNode();
    JsonNode have = SHAPE.canonical("settings", live);
    list(spec.get("settings")).forEach(s -> {
      if (!settingsApplied(NODES.arrayNode().add(s), have)) {
        out.add(s);
      }
    });
    return out;
  }

  /** A strategy as "provider:weight:base" keys, sorted: the Event's words. */
  public static List<String> strategyKeys(JsonNode strategy) {
    return java.util.stream.StreamSupport.stream(strategy.spliterator(), false)
        .map(s -> s.path("capacityProvider").asText() + ":" + s.path("weight").asLong(0) + ":"
            + s.path("base").asLong(0))
        .sorted().toList();
  }

  private static boolean settingsApplied(JsonNode want, JsonNode have) {
    if (want == null) {
      return true;
    }
    for (JsonNode w : want) {
      boolean found = false;
      for (JsonNode h : have == null ? NODES.arrayNode() : have) {
        found |= w.path("name").equals(h.path("name")) && w.path("value").equals(h.path("value"));
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode configuration(JsonNode value) {
    ObjectNode c = object(value);
    if (c.get("executeCommandConfiguration") instanceof ObjectNode exec) {
      defaults(exec, "logging", "DEFAULT");
      if (exec.get("logConfiguration") instanceof ObjectNode log) {
        defaults(log, "cloudWatchEncryptionEnabled", false, "s3EncryptionEnabled", false);
      }
    }
    return c;
  }

  /** An execute command configuration of logging DEFAULT alone is none; an empty configuration is none. */
  private static JsonNode withoutDefaults(JsonNode configuration) {
    ObjectNode c = object(configuration);
    if (NODES.objectNode().put("logging", "DEFAULT").equals(c.get("executeCommandConfiguration"))) {
      c.remove("executeCommandConfiguration");
    }
    return c.isEmpty() ? null : c;
  }

  private static boolean sameNamespace(JsonNode want, JsonNode have) {
    String w = want == null ? "" : want.path("namespace").asText("");
    String h = have == null ? "" : have.path("namespace").asText("");
    return !h.isEmpty() && (!w.startsWith("arn:") || w.equals(h));
  }

  /** Items that still name a reference (the reconciler resolves them first) are not AWS's: left out. */
  private static JsonNode strategy(JsonNode value) {
    ArrayNode items = NODES.arrayNode();
    list(value).forEach(i -> {
      if (!i.has("capacityProviderRef")) {
        items.add(defaults((ObjectNode) i, "weight", 0, "base", 0));
      }
    });
    return sortBy(items, "capacityProvider");
  }
}
