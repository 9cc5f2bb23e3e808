package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRegistrySpec;
import java.util.List;
import java.util.Set;

/**
 * EcrRegistry's spec on ECR: the registry settings in the shape ECR reports them (GetRegistryScanningConfiguration's
 * scanningConfiguration), each put whole (PutRegistryScanningConfiguration takes its members). Compared when set:
 * scanningConfiguration (scanType BASIC by default; rules a set by scanFrequency, their filters a set by filter,
 * filterType WILDCARD by default).
 */
public final class RegistryShape extends Shape {
  public static final RegistryShape SHAPE = new RegistryShape();

  /** ECR's defaults of a registry nobody configured, in the spec's shape. */
  static final ObjectNode DEFAULTS = defaults();

  private static final List<Member> MEMBERS = List.of(
      ifSet("scanningConfiguration", RegistryShape::scanning));

  private RegistryShape() {
    super(EcrRegistrySpec.class);
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
    return Set.of();
  }

  @Override
  public Set<String> kubernetesOnly() {
    return Set.of();
  }

  /** Whether the live settings (JSON in the spec's shape) are ECR's defaults in every member this kind knows. */
  boolean atDefaults(JsonNode live) {
    return members().stream()
        .allMatch(m -> java.util.Objects.equals(canonical(m.name(), live), canonical(m.name(), DEFAULTS)));
  }

  private static JsonNode scanning(JsonNode value) {
    ObjectNode scanning = defaults(object(value), "scanType", "BASIC");
    if (scanning.has("rules")) {
      for (JsonNode rule : scanning.get("rules")) {
        if (rule.has("repositoryFilters")) {
          rule.get("repositoryFilters").forEach(f -> defaults((ObjectNode) f, "filterType", "WILDCARD"));
          ((ObjectNode) rule).set("repositoryFilters", sortBy(rule.get("repositoryFilters"), "filter"));
        }
      }
      scanning.set("rules", sortBy(scanning.get("rules"), "scanFrequency"));
    }
    return scanning;
  }

  private static ObjectNode defaults() {
    ObjectNode out = NODES.objectNode();
    out.putObject("scanningConfiguration").put("scanType", "BASIC").putArray("rules");
    return out;
  }
}
