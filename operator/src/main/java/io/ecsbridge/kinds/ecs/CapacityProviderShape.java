package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsCapacityProviderSpec;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EcsCapacityProvider's spec on ECS: CreateCapacityProvider's members. Each provider is managed when the spec sets it,
 * field by field: what the spec says must be what ECS reports, and a field the spec leaves out keeps ECS's value
 * (ECS fills defaults that it documents only in part: managed scaling's target 100, steps 1 and 10000, warm-up 300,
 * termination protection DISABLED, draining ENABLED, and more for Managed Instances). Sets sorted: subnets, security
 * groups and the lists of instance requirements. autoScalingGroupArn is fixed at creation (UpdateCapacityProvider does
 * not take it): it is not compared here but checked by the reconciler before any write ({@code unfixable}).
 */
public final class CapacityProviderShape extends Shape {
  public static final CapacityProviderShape SHAPE = new CapacityProviderShape();

  static final String ASG_ARN = "autoScalingGroupArn";

  private static final List<Member> MEMBERS = List.of(
      ifSet("autoScalingGroupProvider", CapacityProviderShape::autoScalingGroupProvider)
          .same(CapacityProviderShape::includes),
      ifSet("managedInstancesProvider", CapacityProviderShape::managedInstancesProvider)
          .same(CapacityProviderShape::includes));

  private static final List<String> REQUIREMENT_SETS = List.of("cpuManufacturers", "excludedInstanceTypes",
      "instanceGenerations", "localStorageTypes", "acceleratorTypes", "acceleratorManufacturers", "acceleratorNames",
      "allowedInstanceTypes");

  private CapacityProviderShape() {
    super(EcsCapacityProviderSpec.class);
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
    return Set.of("name", "cluster");
  }

  @Override
  public Set<String> kubernetesOnly() {
    return Set.of();
  }

  /** Without the group's ARN, which no update takes (it is checked on its own). */
  private static JsonNode autoScalingGroupProvider(JsonNode value) {
    ObjectNode p = object(value);
    p.remove(ASG_ARN);
    return p;
  }

  private static JsonNode managedInstancesProvider(JsonNode value) {
    ObjectNode p = object(value);
    if (p.get("instanceLaunchTemplate") instanceof ObjectNode template) {
      if (template.get("networkConfiguration") instanceof ObjectNode network) {
        sortStrings(network, "subnets");
        sortStrings(network, "securityGroups");
      }
      if (template.get("instanceRequirements") instanceof ObjectNode requirements) {
        REQUIREMENT_SETS.forEach(set -> sortStrings(requirements, set));
      }
    }
    return p;
  }

  /**
   * Whether the live value says everything the spec's says (objects: each member the spec sets, recursively; lists and
   * scalars: equal, numbers as numbers). Absent in the spec: nothing to say.
   */
  static boolean includes(JsonNode want, JsonNode have) {
    if (want == null) {
      return true;
    }
    if (have == null) {
      return false;
    }
    if (want.isObject() && have.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!includes(e.getValue(), have.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (want.isNumber() && have.isNumber()) {
      return want.decimalValue().compareTo(have.decimalValue()) == 0;
    }
    return want.equals(have);
  }
}
