package io.ecsbridge.reconciler;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentAlarms;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceConnectClientAlias;
import software.amazon.awssdk.services.ecs.model.ServiceConnectConfiguration;
import software.amazon.awssdk.services.ecs.model.ServiceConnectService;
import software.amazon.awssdk.services.ecs.model.ServiceRegistry;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * The EcsService spec as the CreateService / UpdateService request ECS would echo back, normalized: ECS's defaults
 * filled in, lists sorted where ECS does not keep their order, placement fields spelled as ECS spells them. Each field
 * has one normalization, applied to both sides: the spec is put into the SDK's shape first, then normalized like the
 * value a DescribeServices returns, so that the two compare with equals.
 */
final class ServiceRequest {
  private ServiceRequest() {}

  /**
   * The CreateService request. An EXTERNAL controller gives task definition, network, load balancers and registries
   * to its task sets: they are left out.
   */
  static CreateServiceRequest create(EcsService resource, String cluster, String taskDefinition,
      Map<String, String> tags) {
    EcsServiceSpec spec = resource.getSpec();
    boolean external = controller(spec).equals("EXTERNAL");
    CreateServiceRequest.Builder b = CreateServiceRequest.builder()
        .cluster(cluster)
        .serviceName(resource.serviceName())
        .clientToken(resource.getMetadata().getUid())
        .taskDefinition(external ? null : taskDefinition)
        .launchType(spec.launchType == null ? null : spec.launchType.name())
        .platformVersion(external ? null : spec.platformVersion)
        .role(spec.role)
        .schedulingStrategy(spec.schedulingStrategy == null ? null : spec.schedulingStrategy.name())
        .healthCheckGracePeriodSeconds(spec.healthCheckGracePeriodSeconds)
        .enableExecuteCommand(spec.enableExecuteCommand)
        .enableECSManagedTags(spec.enableECSManagedTags)
        .propagateTags(spec.propagateTags == null ? null : spec.propagateTags.name())
        .deploymentConfiguration(deploymentConfiguration(spec))
        .tags(Tags.toEcs(tags));
    Integer count = spec.desiredCount != null ? spec.desiredCount
        : spec.autoScaling != null ? spec.autoScaling.minCapacity : null;
    if (!daemon(spec) && count != null) {
      b.desiredCount(count);
    }
    if (spec.capacityProviderStrategy != null) {
      b.capacityProviderStrategy(capacityProviderStrategy(spec.capacityProviderStrategy));
    }
    if (!external && spec.networkConfiguration != null) {
      b.networkConfiguration(networkConfiguration(spec.networkConfiguration));
    }
    if (!external && spec.loadBalancers != null) {
      b.loadBalancers(loadBalancers(spec.loadBalancers));
    }
    if (!external && spec.serviceRegistries != null) {
      b.serviceRegistries(serviceRegistries(spec.serviceRegistries));
    }
    if (spec.serviceConnectConfiguration != null) {
      b.serviceConnectConfiguration(serviceConnect(spec.serviceConnectConfiguration));
    }
    if (spec.deploymentController != null) {
      b.deploymentController(DeploymentController.builder().type(spec.deploymentController.type.name()).build());
    }
    if (spec.placementConstraints != null) {
      b.placementConstraints(placementConstraints(spec.placementConstraints));
    }
    if (spec.placementStrategy != null) {
      b.placementStrategy(placementStrategy(spec.placementStrategy));
    }
    return b.build();
  }

  /**
   * Compares the normalized spec with the normalized service field by field, puts each difference into the one
   * UpdateService request and returns the names of the fields that differ. With a CODE_DEPLOY or EXTERNAL controller,
   * the fields that controller owns (task definition, load balancers, network, platform version, capacity providers,
   * registries, Service Connect) are neither compared nor sent.
   *
   * @param serviceConnectSent the hash of the Service Connect configuration sent last ({@link #serviceConnectHash}):
   *     ECS reports Service Connect only on deployments
   */
  static List<String> diffs(EcsServiceSpec spec, Service live, String wantedTd, String serviceConnectSent,
      UpdateServiceRequest.Builder update) {
    Diffs diffs = new Diffs();
    String controller = controller(spec);
    if (!daemon(spec) && spec.desiredCount != null && spec.autoScaling == null) {
      diffs.compare("desiredCount", spec.desiredCount, live.desiredCount(), update::desiredCount);
    }
    if (controller.equals("ECS")) {
      if (wantedTd != null) {
        diffs.compare("taskDefinition", wantedTd, live.taskDefinition(), update::taskDefinition);
      }
      if (spec.capacityProviderStrategy != null) {
        diffs.compare("capacityProviderStrategy", capacityProviderStrategy(spec.capacityProviderStrategy),
            sortedStrategy(live.capacityProviderStrategy()), update::capacityProviderStrategy);
      }
      diffs.compare("platformVersion", Objects.requireNonNullElse(spec.platformVersion, "LATEST"),
          Objects.requireNonNullElse(live.platformVersion(), "LATEST"), update::platformVersion);
      if (spec.networkConfiguration != null) {
        diffs.compare("networkConfiguration", networkConfiguration(spec.networkConfiguration),
            normalized(live.networkConfiguration()), update::networkConfiguration);
      }
      diffs.compare("loadBalancers", loadBalancers(spec.loadBalancers), sortedLoadBalancers(live.loadBalancers()),
          update::loadBalancers);
      diffs.compare("serviceRegistries", serviceRegistries(spec.serviceRegistries),
          sortedRegistries(live.serviceRegistries()), update::serviceRegistries);
      diffs.compare("serviceConnectConfiguration", serviceConnectHash(spec), serviceConnectSent,
          hash -> update.serviceConnectConfiguration(spec.serviceConnectConfiguration == null
              ? ServiceConnectConfiguration.builder().enabled(false).build()
              : serviceConnect(spec.serviceConnectConfiguration)));
      diffs.compare("enableExecuteCommand", Boolean.TRUE.equals(spec.enableExecuteCommand),
          Boolean.TRUE.equals(live.enableExecuteCommand()), update::enableExecuteCommand);
    }
    if (!controller.equals("EXTERNAL")) {
      diffs.compare("deploymentConfiguration", deploymentConfiguration(spec),
          normalized(live.deploymentConfiguration(), daemon(spec)), update::deploymentConfiguration);
    }
    diffs.compare("deploymentController", controller,
        live.deploymentController() == null ? "ECS" : live.deploymentController().typeAsString(),
        type -> update.deploymentController(DeploymentController.builder().type(type).build()));
    diffs.compare("healthCheckGracePeriodSeconds", Objects.requireNonNullElse(spec.healthCheckGracePeriodSeconds, 0),
        Objects.requireNonNullElse(live.healthCheckGracePeriodSeconds(), 0), update::healthCheckGracePeriodSeconds);
    diffs.compare("enableECSManagedTags", Boolean.TRUE.equals(spec.enableECSManagedTags),
        Boolean.TRUE.equals(live.enableECSManagedTags()), update::enableECSManagedTags);
    diffs.compare("propagateTags", spec.propagateTags == null ? "NONE" : spec.propagateTags.name(),
        Objects.requireNonNullElse(live.propagateTagsAsString(), "NONE"), update::propagateTags);
    diffs.compare("placementConstraints", placementConstraints(spec.placementConstraints),
        sortedConstraints(live.placementConstraints()), update::placementConstraints);
    diffs.compare("placementStrategy", placementStrategy(spec.placementStrategy),
        normalizedStrategy(live.placementStrategy()), update::placementStrategy);
    return diffs.fields;
  }

  /** The names of the differing fields, in the order compared; each difference is also set on the request. */
  private static final class Diffs {
    final List<String> fields = new ArrayList<>();

    <T> void compare(String field, T want, T have, Consumer<T> set) {
      if (!Objects.equals(want, have)) {
        fields.add(field);
        set.accept(want);
      }
    }
  }

  static String controller(EcsServiceSpec spec) {
    return spec.deploymentController == null || spec.deploymentController.type == null ? "ECS"
        : spec.deploymentController.type.name();
  }

  static boolean daemon(EcsServiceSpec spec) {
    return spec.schedulingStrategy == EcsServiceSpec.SchedulingStrategy.DAEMON;
  }

  /** ECS reports Service Connect only on deployments: the operator remembers a hash of what it sent. */
  static String serviceConnectHash(EcsServiceSpec spec) {
    if (spec.serviceConnectConfiguration == null) {
      return null;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(
          serviceConnect(spec.serviceConnectConfiguration).toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- each field: the spec in the SDK's shape, then the normalization shared with the live value -----------------

  private static DeploymentConfiguration deploymentConfiguration(EcsServiceSpec spec) {
    var d = spec.deploymentConfiguration;
    if (d == null) {
      return normalized(null, daemon(spec));
    }
    var breaker = d.deploymentCircuitBreaker;
    var alarms = d.alarms;
    return normalized(DeploymentConfiguration.builder()
        .maximumPercent(d.maximumPercent)
        .minimumHealthyPercent(d.minimumHealthyPercent)
        .deploymentCircuitBreaker(breaker == null ? null
            : DeploymentCircuitBreaker.builder().enable(breaker.enable).rollback(breaker.rollback).build())
        .alarms(alarms == null ? null : DeploymentAlarms.builder().alarmNames(alarms.alarmNames)
            .enable(alarms.enable).rollback(alarms.rollback).build())
        .build(), daemon(spec));
  }

  /** A deployment configuration reduced to the fields the spec manages, with ECS's defaults filled. */
  private static DeploymentConfiguration normalized(DeploymentConfiguration live, boolean daemon) {
    DeploymentConfiguration d = live == null ? DeploymentConfiguration.builder().build() : live;
    DeploymentCircuitBreaker breaker = d.deploymentCircuitBreaker();
    DeploymentAlarms alarms = d.alarms();
    return DeploymentConfiguration.builder()
        .maximumPercent(d.maximumPercent() != null ? d.maximumPercent() : daemon ? 100 : 200)
        .minimumHealthyPercent(d.minimumHealthyPercent() != null ? d.minimumHealthyPercent() : daemon ? 0 : 100)
        .deploymentCircuitBreaker(DeploymentCircuitBreaker.builder()
            .enable(breaker != null && Boolean.TRUE.equals(breaker.enable()))
            .rollback(breaker != null && Boolean.TRUE.equals(breaker.rollback())).build())
        .alarms(DeploymentAlarms.builder()
            .alarmNames(alarms == null ? List.of() : sorted(alarms.alarmNames()))
            .enable(alarms != null && Boolean.TRUE.equals(alarms.enable()))
            .rollback(alarms != null && Boolean.TRUE.equals(alarms.rollback())).build())
        .build();
  }

  private static NetworkConfiguration networkConfiguration(EcsServiceSpec.NetworkConfiguration n) {
    var vpc = n.awsvpcConfiguration;
    return normalized(NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder()
        .subnets(vpc.subnets)
        .securityGroups(vpc.securityGroups)
        .assignPublicIp(vpc.assignPublicIp == null ? null : vpc.assignPublicIp.name())
        .build()).build());
  }

  private static NetworkConfiguration normalized(NetworkConfiguration live) {
    if (live == null || live.awsvpcConfiguration() == null) {
      return null;
    }
    AwsVpcConfiguration vpc = live.awsvpcConfiguration();
    return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder()
        .subnets(sorted(vpc.subnets()))
        .securityGroups(sorted(vpc.securityGroups()))
        .assignPublicIp(Objects.requireNonNullElse(vpc.assignPublicIpAsString(), "DISABLED"))
        .build()).build();
  }

  private static List<CapacityProviderStrategyItem> capacityProviderStrategy(
      List<EcsServiceSpec.CapacityProviderStrategyItem> items) {
    return sortedStrategy(items.stream().map(i -> CapacityProviderStrategyItem.builder()
        .capacityProvider(i.capacityProvider).weight(i.weight).base(i.base).build()).toList());
  }

  private static List<CapacityProviderStrategyItem> sortedStrategy(List<CapacityProviderStrategyItem> items) {
    return items.stream().map(i -> CapacityProviderStrategyItem.builder().capacityProvider(i.capacityProvider())
            .weight(i.weight() == null ? 0 : i.weight()).base(i.base() == null ? 0 : i.base()).build())
        .sorted(Comparator.comparing(CapacityProviderStrategyItem::capacityProvider)).toList();
  }

  private static List<LoadBalancer> loadBalancers(List<EcsServiceSpec.LoadBalancer> lbs) {
    return sortedLoadBalancers(lbs == null ? List.of() : lbs.stream().map(l -> LoadBalancer.builder()
        .targetGroupArn(l.targetGroupArn).loadBalancerName(l.loadBalancerName).containerName(l.containerName)
        .containerPort(l.containerPort).build()).toList());
  }

  private static List<LoadBalancer> sortedLoadBalancers(List<LoadBalancer> lbs) {
    return lbs.stream().map(l -> LoadBalancer.builder().targetGroupArn(l.targetGroupArn())
            .loadBalancerName(l.loadBalancerName()).containerName(l.containerName()).containerPort(l.containerPort())
            .build())
        .sorted(Comparator.comparing(LoadBalancer::toString)).toList();
  }

  private static List<ServiceRegistry> serviceRegistries(List<EcsServiceSpec.ServiceRegistry> registries) {
    return sortedRegistries(registries == null ? List.of() : registries.stream().map(r -> ServiceRegistry.builder()
        .registryArn(r.registryArn).port(r.port).containerName(r.containerName).containerPort(r.containerPort)
        .build()).toList());
  }

  private static List<ServiceRegistry> sortedRegistries(List<ServiceRegistry> registries) {
    return registries.stream().map(r -> ServiceRegistry.builder().registryArn(r.registryArn()).port(r.port())
        .containerName(r.containerName()).containerPort(r.containerPort()).build())
        .sorted(Comparator.comparing(ServiceRegistry::toString)).toList();
  }

  private static List<PlacementConstraint> placementConstraints(List<EcsServiceSpec.PlacementConstraint> constraints) {
    return sortedConstraints(constraints == null ? List.of() : constraints.stream().map(c -> PlacementConstraint
        .builder().type(c.type.name()).expression(c.expression).build()).toList());
  }

  private static List<PlacementConstraint> sortedConstraints(List<PlacementConstraint> constraints) {
    return constraints.stream().map(c -> PlacementConstraint.builder().type(c.typeAsString())
            .expression(c.expression()).build())
        .sorted(Comparator.comparing(PlacementConstraint::toString)).toList();
  }

  /** Placement strategy keeps its order (it is a precedence); ECS upper-cases cpu/memory and says instanceId. */
  private static List<PlacementStrategy> placementStrategy(List<EcsServiceSpec.PlacementStrategy> strategy) {
    return normalizedStrategy(strategy == null ? List.of() : strategy.stream().map(s -> PlacementStrategy.builder()
        .type(s.type.name()).field(s.field).build()).toList());
  }

  private static List<PlacementStrategy> normalizedStrategy(List<PlacementStrategy> strategy) {
    return strategy.stream().map(s -> PlacementStrategy.builder().type(s.typeAsString())
        .field(strategyField(s.field())).build()).toList();
  }

  private static String strategyField(String field) {
    if (field == null) {
      return null;
    }
    String lower = field.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "host", "instanceid" -> "instanceId";
      case "cpu", "memory" -> field.toUpperCase(Locale.ROOT);
      default -> field;
    };
  }

  private static ServiceConnectConfiguration serviceConnect(EcsServiceSpec.ServiceConnectConfiguration c) {
    return ServiceConnectConfiguration.builder().enabled(c.enabled).namespace(c.namespace)
        .services(c.services == null ? List.of() : c.services.stream().map(s -> ServiceConnectService.builder()
            .portName(s.portName).discoveryName(s.discoveryName).ingressPortOverride(s.ingressPortOverride)
            .clientAliases(s.clientAliases == null ? List.of() : s.clientAliases.stream()
                .map(a -> ServiceConnectClientAlias.builder().port(a.port).dnsName(a.dnsName).build()).toList())
            .build()).toList())
        .build();
  }

  private static List<String> sorted(List<String> values) {
    return values == null ? List.of() : values.stream().sorted().toList();
  }
}
