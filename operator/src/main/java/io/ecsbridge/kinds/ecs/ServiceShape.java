package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * EcsService's spec on ECS: CreateService's members, compared with what DescribeServices reports. ECS's defaults
 * filled: platformVersion LATEST, assignPublicIp DISABLED, weight and base 0, maximumPercent 200 and
 * minimumHealthyPercent 100 (100 and 0 for DAEMON), circuit breaker and alarms off, deployment controller ECS, grace
 * period 0, flags false, propagateTags NONE. Sets sorted: subnets, security groups, capacity provider strategy, load
 * balancers, registries, placement constraints, alarm names; the placement strategy keeps its order (a precedence), its
 * field spelled as ECS spells it (instanceId for host, CPU and MEMORY upper-case). Lists the spec leaves out are none.
 * desiredCount and the task definition are compared when the spec has them (the autoscaler owns the count when
 * autoScaling is set; the task definition is the resolved ARN); availabilityZoneRebalancing when the spec has it (ECS's
 * default differs between creation and update). Service Connect, volume configurations and VPC Lattice are compared,
 * in the canonical JSON form of this class, with what ECS reports on the service's PRIMARY deployment or current
 * revision ({@link RevisionMembers}), members ECS fills in when the spec leaves them out taken as ECS's. With a
 * CODE_DEPLOY or EXTERNAL deployment controller, the fields that controller owns are not compared.
 */
public final class ServiceShape extends Shape {
  /** Compared only under the ECS deployment controller: CODE_DEPLOY and EXTERNAL deploy these themselves. */
  static final Set<String> ECS_CONTROLLER_ONLY = Set.of("taskDefinition", "capacityProviderStrategy",
      "platformVersion", "networkConfiguration", "loadBalancers", "serviceRegistries", "serviceConnectConfiguration",
      "enableExecuteCommand", "volumeConfigurations", "vpcLatticeConfigurations");
  /** An EXTERNAL controller gives these to its task sets: never sent, not even at creation. */
  static final Set<String> EXTERNAL_TASK_SET_FIELDS = Set.of("taskDefinition", "platformVersion",
      "networkConfiguration", "loadBalancers", "serviceRegistries");

  private final boolean daemon;
  private final String controller;
  private final List<Member> all;
  private final List<Member> members;

  private ServiceShape(boolean daemon, String controller) {
    super(EcsServiceSpec.class);
    this.daemon = daemon;
    this.controller = controller;
    this.all = List.of(
        ifSet("desiredCount", v -> v),
        ifSet("taskDefinition", v -> v),
        ifSet("capacityProviderStrategy", v -> sortBy(each(named(list(v)), i -> defaults(i, "weight", 0, "base", 0)),
            "capacityProvider")),
        member("platformVersion", v -> orDefault(v, "LATEST")),
        ifSet("networkConfiguration", ServiceShape::networkConfiguration),
        member("loadBalancers", v -> sortBy(list(v), "targetGroupArn", "loadBalancerName", "containerName",
            "containerPort")),
        member("serviceRegistries", v -> sortBy(list(v), "registryArn", "port", "containerName", "containerPort")),
        member("serviceConnectConfiguration", ServiceShape::serviceConnect).same(RevisionMembers::sameServiceConnect),
        member("volumeConfigurations", v -> sortBy(list(v), "name")).same(RevisionMembers::sameVolumes),
        member("vpcLatticeConfigurations", v -> sortBy(list(v), "targetGroupArn", "portName", "roleArn")),
        ifSet("availabilityZoneRebalancing", v -> v),
        member("enableExecuteCommand", v -> orDefault(v, false)),
        member("deploymentConfiguration", this::deploymentConfiguration)
            .same(DeploymentConfigurationShape::same),
        member("deploymentController", v -> defaults(object(v), "type", "ECS")),
        member("healthCheckGracePeriodSeconds", v -> orDefault(v, 0)),
        member("enableECSManagedTags", v -> orDefault(v, false)),
        member("propagateTags", v -> orDefault(v, "NONE")),
        member("placementConstraints", v -> sortBy(list(v), "type", "expression")),
        member("placementStrategy", v -> each(list(v), s -> {
          if (s.hasNonNull("field")) {
            s.put("field", strategyField(s.get("field").asText()));
          }
        })));
    this.members = all.stream().filter(m -> controller.equals("ECS") || !ECS_CONTROLLER_ONLY.contains(m.name()))
        .filter(m -> !controller.equals("EXTERNAL") || !m.name().equals("deploymentConfiguration")).toList();
  }

  /** The shape of a service with this spec's scheduling strategy and deployment controller. */
  static ServiceShape of(EcsServiceSpec spec) {
    return new ServiceShape(ServiceRequest.daemon(spec), ServiceRequest.controller(spec));
  }

  @Override
  public List<Member> members() {
    return members;
  }

  /** Any member, compared under this controller or not (what is sent at creation is normalized alike). */
  @Override
  public Member member(String name) {
    return all.stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("ServiceShape has no member " + name));
  }

  @Override
  public Set<String> fixedAtCreation() {
    return Set.of("launchType", "schedulingStrategy", "role");
  }

  @Override
  public Set<String> identity() {
    return Set.of("serviceName", "cluster");
  }

  @Override
  public Set<String> kubernetesOnly() {
    return Set.of("clusterRef", "taskDefinitionRef", "autoScaling");
  }

  /**
   * The spec's JSON as compared with the service: the task definition is the resolved one ({@code wantedTd}, absent
   * when none is to be applied), desiredCount only while the operator owns the count.
   */
  ObjectNode desired(EcsServiceSpec spec, String wantedTd) {
    ObjectNode json = json(spec);
    json.remove("taskDefinition");
    if (wantedTd != null) {
      json.put("taskDefinition", wantedTd);
    }
    if (daemon || spec.autoScaling != null) {
      json.remove("desiredCount");
    }
    return json;
  }

  /**
   * CreateService's content: the spec's AWS fields as written, the resolved task definition, the initial count
   * (desiredCount, else autoScaling's minimum; none for DAEMON); an EXTERNAL controller's task set fields left out.
   */
  ObjectNode createRequest(EcsServiceSpec spec, String taskDefinition) {
    ObjectNode request = request(json(spec));
    request.remove(List.of("taskDefinition", "desiredCount"));
    if (taskDefinition != null) {
      request.put("taskDefinition", taskDefinition);
    }
    Integer count = spec.desiredCount != null ? spec.desiredCount
        : spec.autoScaling != null ? spec.autoScaling.minCapacity : null;
    if (!daemon && count != null) {
      request.put("desiredCount", count.longValue());
    }
    if (controller.equals("EXTERNAL")) {
      request.remove(EXTERNAL_TASK_SET_FIELDS);
    }
    return request;
  }

  /** The spec's AWS fields as written; a strategy item still naming a reference is left out ({@link #named}). */
  @Override
  public ObjectNode request(JsonNode spec) {
    ObjectNode request = super.request(spec);
    if (request.get("capacityProviderStrategy") instanceof ArrayNode strategy) {
      request.set("capacityProviderStrategy", named(strategy));
    }
    return request;
  }

  /**
   * Strategy items that name a provider: one still naming a capacityProviderRef is not ECS's (the reconciler resolves
   * references first, {@link CapacityProviderRefs#serviceSpec}).
   */
  private static ArrayNode named(ArrayNode items) {
    ArrayNode out = NODES.arrayNode();
    items.forEach(i -> {
      if (!i.has("capacityProviderRef")) {
        out.add(i);
      }
    });
    return out;
  }

  private static ArrayNode each(ArrayNode list, java.util.function.Consumer<ObjectNode> rule) {
    list.forEach(item -> rule.accept((ObjectNode) item));
    return list;
  }

  private static JsonNode networkConfiguration(JsonNode value) {
    if (value == null) {
      return null;
    }
    ObjectNode network = object(value);
    if (network.get("awsvpcConfiguration") instanceof ObjectNode vpc) {
      sortStrings(vpc, "subnets");
      sortStrings(vpc, "securityGroups");
      defaults(vpc, "assignPublicIp", "DISABLED");
    }
    return network;
  }

  /**
   * The configuration as ECS keeps it: none = disabled (and a disabled one is only that); services sorted by portName,
   * their discoveryName defaulted to it, client aliases sorted by port; access logs without query parameters by
   * default. Services and client aliases are lists (empty when none), so that an update removes them.
   */
  private static JsonNode serviceConnect(JsonNode value) {
    if (value == null || !value.path("enabled").asBoolean(false)) {
      return NODES.objectNode().put("enabled", false);
    }
    ObjectNode config = object(value);
    ArrayNode services = list(config.get("services"));
    services.forEach(s -> {
      ObjectNode service = (ObjectNode) s;
      defaults(service, "discoveryName", service.path("portName").asText());
      service.set("clientAliases", sortBy(list(s.get("clientAliases")), "port", "dnsName"));
    });
    config.set("services", sortBy(services, "portName"));
    if (config.get("accessLogConfiguration") instanceof ObjectNode access) {
      defaults(access, "includeQueryParameters", "DISABLED");
    }
    return config;
  }

  private JsonNode deploymentConfiguration(JsonNode value) {
    ObjectNode d = defaults(object(value), "maximumPercent", daemon ? 100 : 200,
        "minimumHealthyPercent", daemon ? 0 : 100);
    d.set("deploymentCircuitBreaker", defaults(object(d.get("deploymentCircuitBreaker")),
        "enable", false, "rollback", false));
    ObjectNode alarms = defaults(object(d.get("alarms")), "enable", false, "rollback", false);
    alarms.set("alarmNames", sortStrings(list(alarms.get("alarmNames"))));
    d.set("alarms", alarms);
    return DeploymentConfigurationShape.strategy(d);
  }

  private static String strategyField(String field) {
    return switch (field.toLowerCase(Locale.ROOT)) {
      case "host", "instanceid" -> "instanceId";
      case "cpu", "memory" -> field.toUpperCase(Locale.ROOT);
      default -> field;
    };
  }
}
