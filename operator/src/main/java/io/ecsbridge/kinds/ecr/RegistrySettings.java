package io.ecsbridge.kinds.ecr;

import static io.ecsbridge.kinds.ecr.RegistryShape.SHAPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRegistrySpec;
import io.ecsbridge.api.v1alpha1.EcrRegistryStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.RegistryGateway.Reads;
import io.ecsbridge.aws.RegistryGateway.Settings;
import io.ecsbridge.aws.SdkJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** The registry's settings between ECR and the custom resource: what is read, the spec's shape of it, status. */
final class RegistrySettings {
  /** ECR's defaults in words, for the Reset Events. */
  static final Map<String, String> DEFAULT_TEXT = Map.of("scanningConfiguration", "BASIC, no rules",
      "replicationConfiguration", "no rules", "policy", "none");

  private RegistrySettings() {}

  static final List<String> MEMBERS = List.of("scanningConfiguration", "replicationConfiguration", "policy");

  /**
   * The settings a pass reads: those the spec sets and those this resource owns (reset on deletion even when the spec
   * no longer names them); all under ObserveOnly (it reports them).
   */
  static Reads reads(EcrRegistrySpec spec, EcrRegistryStatus status) {
    if (spec.getManagementPolicy() == ManagementPolicy.ObserveOnly) {
      return Reads.ALL;
    }
    List<String> read = new ArrayList<>(set(spec));
    if (status != null && status.ownedSettings != null) {
      read.addAll(status.ownedSettings);
    }
    return new Reads(read.contains(MEMBERS.get(0)), read.contains(MEMBERS.get(1)), read.contains(MEMBERS.get(2)));
  }

  /** The settings the spec sets, in order. */
  static List<String> set(EcrRegistrySpec spec) {
    ObjectNode json = io.ecsbridge.contract.Shape.json(spec);
    return MEMBERS.stream().filter(json::hasNonNull).toList();
  }

  /** The live settings in the spec's shape; a setting not read is absent (counted as its default). */
  static ObjectNode json(Settings live) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    if (live.scanning() != null) {
      json.set("scanningConfiguration", SdkJson.toJson(live.scanning()));
    }
    if (live.replication() != null) {
      json.set("replicationConfiguration", SdkJson.toJson(live.replication()));
    }
    if (live.policyText() != null) {
      json.set("policy", PolicyJson.parse(live.policyText()));
    }
    return json;
  }

  /** The policy exactly as it is sent to ECR (compact JSON), or null when the spec has none. */
  static String policyText(EcrRegistrySpec spec) {
    return spec.policy == null || spec.policy.isNull() ? null : PolicyJson.write(spec.policy);
  }

  /** Those of {@code members} that differ from ECR's defaults, each with its value (for a refusal's message). */
  static String foreign(Settings live, List<String> members) {
    ObjectNode json = json(live);
    return members.stream().filter(m -> !SHAPE.atDefault(m, json))
        .map(m -> m + " " + abbreviate(String.valueOf(SHAPE.canonical(m, json))))
        .collect(Collectors.joining(", "));
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  /** A replication configuration in words: "[rule: eu-west-1/123456789012 for prefixes [web]]". */
  static String describeReplication(JsonNode replication) {
    List<String> rules = new ArrayList<>();
    for (JsonNode rule : replication.path("rules")) {
      EcrRegistryStatus.ReplicationRule r = rule(rule);
      rules.add("to " + r.destinations + (r.repositoryFilters == null ? " (every repository)"
          : " for prefixes " + r.repositoryFilters));
    }
    return rules.isEmpty() ? "without rules (nothing replicated)" : String.join("; ", rules);
  }

  static void report(EcrRegistryStatus status, Settings live) {
    status.registryId = live.registryId();
    status.scanType = live.scanning() == null ? null : live.scanning().scanTypeAsString();
    if (live.replication() == null) {
      status.replicationRules = null;
    } else {
      JsonNode rules = SdkJson.toJson(live.replication()).path("rules");
      status.replicationRules = rules.isEmpty() ? null
          : StreamSupport.stream(rules.spliterator(), false).map(RegistrySettings::rule).toList();
    }
    status.policyPresent = live.policyText() == null ? null : !live.policyText().isBlank();
  }

  private static EcrRegistryStatus.ReplicationRule rule(JsonNode rule) {
    EcrRegistryStatus.ReplicationRule r = new EcrRegistryStatus.ReplicationRule();
    List<String> destinations = new ArrayList<>();
    rule.path("destinations").forEach(d -> destinations.add(d.path("region").asText() + "/"
        + d.path("registryId").asText()));
    r.destinations = destinations;
    List<String> filters = new ArrayList<>();
    rule.path("repositoryFilters").forEach(f -> filters.add(f.path("filter").asText()));
    r.repositoryFilters = filters.isEmpty() ? null : filters;
    return r;
  }
}
