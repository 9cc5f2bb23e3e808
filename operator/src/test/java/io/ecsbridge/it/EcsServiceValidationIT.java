package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real API server rejects invalid EcsServices at admission, with the CRD's own message: one case per rule. */
class EcsServiceValidationIT extends AdmissionIT {
  EcsServiceValidationIT() {
    super("EcsService");
  }

  private static final String BASE = "cluster: prod\ntaskDefinition: web:1\n";

  @Test
  void acceptsAFullValidSpec() {
    GenericKubernetesResource r = apply("valid", """
        serviceName: web-prod
        clusterRef: {name: prod}
        taskDefinitionRef: {name: web}
        desiredCount: 2
        capacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1, base: 1}, {capacityProvider: FARGATE_SPOT, weight: 3}]
        platformVersion: 1.4.0
        networkConfiguration:
          awsvpcConfiguration: {subnets: [subnet-1, subnet-2], securityGroups: [sg-1], assignPublicIp: DISABLED}
        loadBalancers:
        - {targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef', containerName: web, containerPort: 8080}
        serviceRegistries: [{registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-0123456789abcdef', port: 8080}]
        serviceConnectConfiguration:
          enabled: true
          namespace: internal
          services: [{portName: http, clientAliases: [{port: 80, dnsName: web.internal}]}]
        deploymentConfiguration:
          maximumPercent: 200
          minimumHealthyPercent: 50
          deploymentCircuitBreaker: {enable: true, rollback: true}
          alarms: {alarmNames: [web-5xx], enable: true, rollback: true}
        deploymentController: {type: ECS}
        healthCheckGracePeriodSeconds: 30
        enableExecuteCommand: true
        enableECSManagedTags: true
        propagateTags: SERVICE
        placementConstraints: [{type: distinctInstance}, {type: memberOf, expression: 'attribute:ecs.os-type == linux'}]
        placementStrategy: [{type: spread, field: 'attribute:ecs.availability-zone'}, {type: binpack, field: memory}]
        schedulingStrategy: REPLICA
        tags: {team: payments}
        autoScaling:
          minCapacity: 2
          maxCapacity: 10
          targetTrackingPolicies:
          - {name: cpu, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60, scaleInCooldown: 120}
          - {name: rps, predefinedMetricType: ALBRequestCountPerTarget, targetValue: 1000,
             resourceLabel: app/web/1/targetgroup/web/2}
          scheduledActions:
          - {name: night, schedule: 'cron(0 22 * * ? *)', timezone: Europe/Paris, minCapacity: 1, maxCapacity: 2}
        """);
    assertThat(r.getMetadata().getUid()).isNotBlank();
    assertThat(r.getAdditionalProperties().get("spec").toString()).contains("managementPolicy=Managed",
        "deletionPolicy=Delete");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no-cluster       | taskDefinition: web:1                                                   | exactly one of clusterRef and cluster is required
      both-clusters    | cluster: a\\nclusterRef: {name: a}\\ntaskDefinition: web:1             | exactly one of clusterRef and cluster is required
      both-taskdefs    | cluster: a\\ntaskDefinition: web:1\\ntaskDefinitionRef: {name: web}    | taskDefinitionRef and taskDefinition are mutually exclusive
      no-taskdef       | cluster: a                                                              | one of taskDefinitionRef and taskDefinition is required
      launch-and-cps   | LAUNCH_TYPE_AND_CPS                                                     | launchType and capacityProviderStrategy are mutually exclusive
      daemon-count     | DAEMON_COUNT                                                            | a DAEMON service runs one task per instance
      daemon-scaling   | DAEMON_SCALING                                                          | a DAEMON service runs one task per instance
      min-over-max     | AUTOSCALING_MIN_MAX                                                     | autoScaling.minCapacity must not exceed maxCapacity
      dup-policies     | DUP_POLICIES                                                            | targetTrackingPolicies names must be unique
      dup-actions      | DUP_ACTIONS                                                             | scheduledActions names must be unique
      alb-no-label     | ALB_NO_LABEL                                                            | ALBRequestCountPerTarget needs a resourceLabel
      action-empty     | ACTION_EMPTY                                                            | a scheduled action sets minCapacity, maxCapacity or both
      action-min-max   | ACTION_MIN_MAX                                                          | scheduledActions minCapacity must not exceed maxCapacity
      member-no-expr   | MEMBER_NO_EXPR                                                          | memberOf needs an expression
      distinct-expr    | DISTINCT_EXPR                                                           | memberOf needs an expression
      reserved-tag     | TAG                                                                     | tag keys starting with ecsbridge.io/ or aws: are reserved
      bad-launch-type  | LAUNCH_ENUM                                                             | Unsupported value
      bad-controller   | CONTROLLER_ENUM                                                         | Unsupported value
      bad-propagate    | PROPAGATE_ENUM                                                          | Unsupported value
      bad-metric       | METRIC_ENUM                                                             | Unsupported value
      bad-public-ip    | PUBLIC_IP_ENUM                                                          | Unsupported value
      bad-name         | BAD_NAME                                                                | should match
      bad-ref-name     | BAD_REF                                                                 | should match
      bad-weight       | BAD_WEIGHT                                                              | should be less than or equal to 1000
      """)
  void rejectsInvalidSpecs(String name, String spec, String message) {
    rejected(name, switch (spec) {
      case "LAUNCH_TYPE_AND_CPS" -> BASE + "launchType: FARGATE\ncapacityProviderStrategy: [{capacityProvider: FARGATE}]";
      case "DAEMON_COUNT" -> BASE + "schedulingStrategy: DAEMON\ndesiredCount: 2";
      case "DAEMON_SCALING" -> BASE + "schedulingStrategy: DAEMON\nautoScaling: {minCapacity: 1, maxCapacity: 2}";
      case "AUTOSCALING_MIN_MAX" -> BASE + "autoScaling: {minCapacity: 5, maxCapacity: 2}";
      case "DUP_POLICIES" -> BASE + "autoScaling: {minCapacity: 1, maxCapacity: 2, targetTrackingPolicies: ["
          + "{name: a, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 50},"
          + "{name: a, predefinedMetricType: ECSServiceAverageMemoryUtilization, targetValue: 50}]}";
      case "DUP_ACTIONS" -> BASE + "autoScaling: {minCapacity: 1, maxCapacity: 2, scheduledActions: ["
          + "{name: a, schedule: 'rate(1 day)', minCapacity: 1}, {name: a, schedule: 'rate(2 days)', minCapacity: 2}]}";
      case "ALB_NO_LABEL" -> BASE + "autoScaling: {minCapacity: 1, maxCapacity: 2, targetTrackingPolicies: ["
          + "{name: a, predefinedMetricType: ALBRequestCountPerTarget, targetValue: 50}]}";
      case "ACTION_EMPTY" -> BASE + "autoScaling: {minCapacity: 1, maxCapacity: 2, scheduledActions: ["
          + "{name: a, schedule: 'rate(1 day)'}]}";
      case "ACTION_MIN_MAX" -> BASE + "autoScaling: {minCapacity: 1, maxCapacity: 2, scheduledActions: ["
          + "{name: a, schedule: 'rate(1 day)', minCapacity: 3, maxCapacity: 2}]}";
      case "MEMBER_NO_EXPR" -> BASE + "placementConstraints: [{type: memberOf}]";
      case "DISTINCT_EXPR" -> BASE + "placementConstraints: [{type: distinctInstance, expression: x}]";
      case "TAG" -> BASE + "tags: {'ecsbridge.io/owner': x}";
      case "LAUNCH_ENUM" -> BASE + "launchType: LAMBDA";
      case "CONTROLLER_ENUM" -> BASE + "deploymentController: {type: JENKINS}";
      case "PROPAGATE_ENUM" -> BASE + "propagateTags: EVERYWHERE";
      case "METRIC_ENUM" -> BASE + "autoScaling: {minCapacity: 1, maxCapacity: 2, targetTrackingPolicies: ["
          + "{name: a, predefinedMetricType: Vibes, targetValue: 50}]}";
      case "PUBLIC_IP_ENUM" -> BASE + "networkConfiguration: {awsvpcConfiguration: {subnets: [s], assignPublicIp: YES}}";
      case "BAD_NAME" -> BASE + "serviceName: 'web prod'";
      case "BAD_REF" -> "clusterRef: {name: Prod_1}\ntaskDefinition: web:1";
      case "BAD_WEIGHT" -> BASE.replace("taskDefinition", "taskDefinition")
          + "capacityProviderStrategy: [{capacityProvider: FARGATE, weight: 5000}]";
      default -> spec.replace("\\n", "\n");
    }, message);
  }

  @Test
  void theSampleIsAccepted() throws Exception {
    String yaml = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root().resolve("samples/ecs-service.yaml"));
    GenericKubernetesResource sample = k8s.getKubernetesSerialization().unmarshal(yaml,
        GenericKubernetesResource.class);
    sample.getMetadata().setNamespace(namespace);
    assertThat(k8s.resource(sample).create().getMetadata().getUid()).isNotBlank();
  }

  @Test
  void anExternalControllerMayGoWithoutATaskDefinition() {
    assertThat(apply("external", "cluster: prod\ndeploymentController: {type: EXTERNAL}\ndesiredCount: 1")
        .getMetadata().getUid()).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      serviceName        | serviceName: a              | serviceName: b              | serviceName is immutable
      serviceName-added  | ''                          | serviceName: b              | serviceName is immutable: it cannot be added or removed
      cluster            | cluster: a                  | cluster: b                  | cluster is immutable
      cluster-to-ref     | cluster: a                  | clusterRef: {name: a}       | cluster and clusterRef are immutable
      clusterRef         | clusterRef: {name: a}       | clusterRef: {name: b}       | clusterRef is immutable
      launchType         | launchType: EC2             | launchType: FARGATE         | launchType is immutable
      launchType-removed | launchType: EC2             | ''                          | launchType is immutable: it cannot be added or removed
      scheduling         | schedulingStrategy: REPLICA | schedulingStrategy: DAEMON  | schedulingStrategy is immutable
      scheduling-added   | ''                          | schedulingStrategy: REPLICA | schedulingStrategy is immutable: it cannot be added or removed
      role               | role: a                     | role: b                     | role is immutable
      role-added         | ''                          | role: b                     | role is immutable: it cannot be added or removed
      region             | region: eu-west-1           | region: eu-west-3           | region is immutable
      region-added       | ''                          | region: eu-west-3           | region is immutable: it cannot be added or removed
      """)
  void immutableFieldsCannotChange(String name, String before, String after, String message) {
    String resource = "imm-" + name.toLowerCase();
    String cluster = before.startsWith("cluster") || after.startsWith("cluster") ? "" : "cluster: prod\n";
    apply(resource, cluster + "taskDefinition: web:1\n" + before);
    rejected(resource, cluster + "taskDefinition: web:1\n" + after, message);
  }

  @Test
  void theTaskDefinitionAndTheCountsCanChange() {
    apply("mutable", BASE + "desiredCount: 1");
    assertThat(apply("mutable", "cluster: prod\ntaskDefinitionRef: {name: web}\ndesiredCount: 3\n"
        + "autoScaling: {minCapacity: 1, maxCapacity: 4}").getMetadata().getGeneration()).isEqualTo(2L);
  }

  @ParameterizedTest(name = "capacityProviderStrategy [{0}]")
  @ValueSource(strings = {"fargate", "FARGATE_SPOTT", "Fargate", "ecs-x", "AWS_provider", "my provider"})
  void unknownCapacityProvidersAreRefused(String provider) {
    rejected("cp", BASE + "capacityProviderStrategy: [{capacityProvider: '%s'}]".formatted(provider),
        "capacityProvider must be FARGATE, FARGATE_SPOT or the name of a custom capacity provider");
  }

  @Test
  void aCustomCapacityProviderIsAccepted() {
    assertThat(apply("custom-cp", BASE + "capacityProviderStrategy: [{capacityProvider: my-asg, weight: 1}]")
        .getMetadata().getUid()).isNotBlank();
  }

  @Test
  void aStrategyItemNamesItsProviderOrReferencesOneNeverBoth() {
    assertThat(apply("cp-ref", BASE + "capacityProviderStrategy: [{capacityProviderRef: {name: workers}, weight: 1}]")
        .getMetadata().getUid()).isNotBlank();
    rejected("cp-both", BASE + "capacityProviderStrategy: [{capacityProvider: my-asg, capacityProviderRef: "
        + "{name: workers}}]", "exactly one of capacityProvider and capacityProviderRef is required");
    rejected("cp-none", BASE + "capacityProviderStrategy: [{weight: 1}]",
        "exactly one of capacityProvider and capacityProviderRef is required");
  }

  private static String policy(String metric, String targetValue) {
    return BASE + "autoScaling: {minCapacity: 1, maxCapacity: 2, targetTrackingPolicies: [{name: p, "
        + "predefinedMetricType: %s, targetValue: %s%s}]}".formatted(metric, targetValue,
        metric.startsWith("ALB") ? ", resourceLabel: app/web/1/targetgroup/web/2" : "");
  }

  @ParameterizedTest(name = "{0} targetValue {1}")
  @CsvSource({"ECSServiceAverageCPUUtilization,-5", "ECSServiceAverageCPUUtilization,0",
      "ECSServiceAverageMemoryUtilization,-0.5", "ALBRequestCountPerTarget,-100", "ALBRequestCountPerTarget,0"})
  void aTargetValueMustBePositive(String metric, String targetValue) {
    rejected("target", policy(metric, targetValue), "should be greater than 0");
  }

  @ParameterizedTest(name = "{0} targetValue {1}")
  @CsvSource({"ECSServiceAverageCPUUtilization,100", "ECSServiceAverageCPUUtilization,0.5",
      "ECSServiceAverageCPUUtilization,150",
      "ECSServiceAverageMemoryUtilization,99.9", "ALBRequestCountPerTarget,5000"})
  void targetValuesInRangeAreAccepted(String metric, String targetValue) {
    apply("in-range", policy(metric, targetValue));
  }

  static Stream<Arguments> arnsThatAreNotArns() {
    return Stream.of(
        Arguments.of("tg-name", "loadBalancers: [{targetGroupArn: web-tg, containerName: web, containerPort: 80}]",
            "targetGroupArn must be an Elastic Load Balancing target group ARN"),
        Arguments.of("tg-lb-arn", "loadBalancers: [{targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:"
            + "123456789012:loadbalancer/app/web/0123456789abcdef', containerName: web, containerPort: 80}]",
            "targetGroupArn must be an Elastic Load Balancing target group ARN"),
        Arguments.of("registry-name", "serviceRegistries: [{registryArn: web.internal}]",
            "registryArn must be a Cloud Map service ARN"),
        Arguments.of("registry-namespace", "serviceRegistries: [{registryArn: 'arn:aws:servicediscovery:eu-west-1:"
            + "123456789012:namespace/ns-0123456789abcdef'}]", "registryArn must be a Cloud Map service ARN"),
        Arguments.of("role-user-arn", "role: 'arn:aws:iam::123456789012:user/deploy'",
            "role must be an IAM role name (or /path/name) or an IAM role ARN"),
        Arguments.of("role-spaces", "role: 'ecs service role'",
            "role must be an IAM role name (or /path/name) or an IAM role ARN"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arnsThatAreNotArns")
  void arnsThatAreNotArnsAreRefused(String name, String spec, String message) {
    rejected(name, BASE + spec, message);
  }

  @ParameterizedTest(name = "role {0}")
  @ValueSource(strings = {"ecsServiceRole", "/service-role/ecsServiceRole",
      "arn:aws:iam::123456789012:role/ecsServiceRole", "arn:aws-cn:iam::123456789012:role/path/to/web+=,.@-_1"})
  void roleNamesAndArnsAreAccepted(String role) {
    apply("role-" + Integer.toHexString(role.hashCode()), BASE + "role: '%s'".formatted(role));
  }

  @Test
  void tagsAtAwsLimitsAreAccepted() {
    assertThat(apply("tags-at-limits", BASE + tagsAtAwsLimits(true)).getMetadata().getUid()).isNotBlank();
  }

  static Stream<Arguments> tagsAwsRefuses() {
    return AdmissionIT.tagsAwsRefuses(true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tagsAwsRefuses")
  void rejectsTagsAwsRefuses(String name, String tags, String message) {
    rejected(name, BASE + tags, message);
  }
}
