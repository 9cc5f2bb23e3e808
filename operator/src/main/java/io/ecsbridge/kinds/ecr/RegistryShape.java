package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRegistrySpec;
import java.util.List;
import java.util.Set;

/**
 * EcrRegistry's spec on ECR: the registry settings in the shape ECR reports them (GetRegistryScanningConfiguration's
 * scanningConfiguration, DescribeRegistry's replicationConfiguration, GetRegistryPolicy's policy text parsed), each
 * put whole (PutRegistryScanningConfiguration takes scanningConfiguration's members, PutReplicationConfiguration the
 * replicationConfiguration, PutRegistryPolicy the policy's text). Compared when set: scanningConfiguration (scanType
 * BASIC by default; rules a set by scanFrequency, their filters a set by filter, filterType WILDCARD by default);
 * replicationConfiguration (rules a set, their destinations a set by region and registryId, their filters a set by
 * filter, filterType PREFIX_MATCH by default); policy (IAM's rules: {@link PolicyJson}).
 */
public final class RegistryShape extends Shape {
  public static final RegistryShape SHAPE = new RegistryShape();

  /** ECR's defaults of a registry nobody configured, in the spec's shape. */
  static final ObjectNode DEFAULTS = defaults();

  private static final List<Member> MEMBERS = List.of(
      ifSet("scanningConfiguration", RegistryShape::scanning),
      ifSet("replicationConfiguration", RegistryShape::replication),
      document("policy", v -> v).when(spec -> spec.hasNonNull("policy"))
          .same((a, b) -> java.util.Objects.equals(PolicyJson.canonicalIamPolicy(a), PolicyJson.canonicalIamPolicy(b))));

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
    return members().stream().allMatch(m -> atDefault(m.name(), live));
  }

  /** Whether one member of the live settings is ECR's default (a setting not read counts as its default). */
  boolean atDefault(String member, JsonNode live) {
    return member(member).same().test(canonical(member, live), canonical(member, DEFAULTS));
  }

  /** The replication configuration: rules a set, destinations and filters sets, PREFIX_MATCH filled. */
  private static JsonNode replication(JsonNode value) {
    ObjectNode replication = object(value);
    ArrayNode rules = list(replication.get("rules"));
    for (JsonNode rule : rules) {
      ObjectNode r = (ObjectNode) rule;
      if (r.get("destinations") instanceof ArrayNode destinations) {
        r.set("destinations", sortBy(destinations, "region", "registryId"));
      }
      if (r.get("repositoryFilters") instanceof ArrayNode filters) {
        filters.forEach(f -> defaults((ObjectNode) f, "filterType", "PREFIX_MATCH"));
        r.set("repositoryFilters", sortBy(filters, "filter"));
      }
    }
    ArrayNode keyed = NODES.arrayNode(); // keys ordered, so that the order of rules never depends on who wrote them
    rules.forEach(rule -> keyed.add(java.util.Objects.requireNonNullElse(clean(rule), NODES.objectNode())));
    replication.set("rules", sortBy(keyed));
    return replication;
  }

  private static JsonNode scanning(JsonNode value) {
    // rules [] when none: PutRegistryScanningConfiguration is sent whole (and moto 5.2.1 fails on rules absent)
    ObjectNode scanning = defaults(object(value), "scanType", "BASIC", "rules", List.of());
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
    out.putObject("replicationConfiguration").putArray("rules");
    return out;
  }
}
