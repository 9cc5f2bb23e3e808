package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.ShapeContract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/** EcsService's mapping onto ECS: coverage of the spec, and each member's normalization against what ECS reports. */
class ServiceShapeTest extends ShapeContract {

  private static EcsServiceSpec serviceSpec(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml.isBlank() ? "{}" : yaml, EcsServiceSpec.class);
  }

  @Override
  protected Shape shape() {
    return ServiceShape.of(serviceSpec("")); // REPLICA, ECS controller: every member compared
  }

  @Override
  protected Class<? extends HasMetadata> kind() {
    return EcsService.class;
  }

  @Override
  protected String everyField() {
    return """
        region: eu-west-1
        managementPolicy: Managed
        deletionPolicy: Delete
        serviceName: web
        clusterRef: {name: prod}
        cluster: prod
        taskDefinitionRef: {name: web}
        taskDefinition: web:3
        desiredCount: 2
        launchType: FARGATE
        capacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1, base: 1}]
        platformVersion: 1.4.0
        networkConfiguration: {awsvpcConfiguration: {subnets: [s-2, s-1], securityGroups: [sg-1], assignPublicIp: ENABLED}}
        loadBalancers:
        - {targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/1', loadBalancerName: clb,
           containerName: web, containerPort: 80,
           advancedConfiguration: {alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/g/2',
             productionListenerRule: 'arn:aws:elasticloadbalancing:eu-west-1:1:listener-rule/app/a/1/2/3',
             testListenerRule: 'arn:aws:elasticloadbalancing:eu-west-1:1:listener-rule/app/a/1/2/4',
             roleArn: 'arn:aws:iam::1:role/ecs-elb'}}
        serviceRegistries:
        - {registryArn: 'arn:aws:servicediscovery:eu-west-1:1:service/srv-1', port: 80, containerName: web,
           containerPort: 80}
        serviceConnectConfiguration:
          enabled: true
          namespace: internal
          services: [{portName: http, discoveryName: web, ingressPortOverride: 8080,
                      clientAliases: [{port: 80, dnsName: web.internal,
                                       testTrafficRules: {header: {name: x-canary, value: {exact: 'yes'}}}}]}]
        deploymentConfiguration:
          maximumPercent: 150
          minimumHealthyPercent: 50
          deploymentCircuitBreaker: {enable: true, rollback: true}
          alarms: {alarmNames: [b, a], enable: true, rollback: false}
          strategy: CANARY
          bakeTimeInMinutes: 5
          lifecycleHooks: [{hookTargetArn: 'arn:aws:lambda:eu-west-1:1:function:check', roleArn: 'arn:aws:iam::1:role/h',
                            lifecycleStages: [POST_TEST_TRAFFIC_SHIFT, PRE_SCALE_UP], hookDetails: {suite: smoke}}]
          linearConfiguration: {stepPercent: 25.0, stepBakeTimeInMinutes: 2}
          canaryConfiguration: {canaryPercent: 10.0, canaryBakeTimeInMinutes: 3}
        deploymentController: {type: ECS}
        healthCheckGracePeriodSeconds: 30
        enableExecuteCommand: true
        enableECSManagedTags: true
        propagateTags: SERVICE
        placementConstraints: [{type: memberOf, expression: "attribute:ecs.os-type == linux"}]
        placementStrategy: [{type: spread, field: host}, {type: binpack, field: cpu}]
        schedulingStrategy: REPLICA
        role: ecsServiceRole
        tags: {team: a}
        autoScaling:
          minCapacity: 1
          maxCapacity: 4
          targetTrackingPolicies: [{name: cpu, predefinedMetricType: ALBRequestCountPerTarget, resourceLabel: x,
                                    targetValue: 50, scaleInCooldown: 60, scaleOutCooldown: 60, disableScaleIn: true}]
          scheduledActions: [{name: night, schedule: "cron(0 22 * * ? *)", timezone: Europe/Paris, minCapacity: 0,
                              maxCapacity: 1}]
        """;
  }

  @Override
  protected Supplier<SdkPojo> createRequest() {
    return CreateServiceRequest::builder;
  }

  @Override
  protected List<Supplier<SdkPojo>> updateRequests() {
    return List.of(UpdateServiceRequest::builder);
  }

  @Override
  protected List<Case> cases() {
    return List.of(
        new Case("desiredCount", "desiredCount: 2", "{\"desiredCount\": 2}", "{\"desiredCount\": 3}"),
        new Case("taskDefinition", "taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/web:3'",
            "{\"taskDefinition\": \"arn:aws:ecs:eu-west-1:1:task-definition/web:3\"}",
            "{\"taskDefinition\": \"arn:aws:ecs:eu-west-1:1:task-definition/web:2\"}"),
        new Case("capacityProviderStrategy", "capacityProviderStrategy: [{capacityProvider: FARGATE_SPOT, weight: 1}, "
                + "{capacityProvider: FARGATE, base: 1}]",
            "{\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 0, \"base\": 1}, "
                + "{\"capacityProvider\": \"FARGATE_SPOT\", \"weight\": 1, \"base\": 0}]}",
            "{\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1, \"base\": 1}, "
                + "{\"capacityProvider\": \"FARGATE_SPOT\", \"weight\": 1, \"base\": 0}]}"),
        new Case("platformVersion", "", "{\"platformVersion\": \"LATEST\"}", "{\"platformVersion\": \"1.3.0\"}"),
        new Case("networkConfiguration", "networkConfiguration: {awsvpcConfiguration: {subnets: [b, a]}}",
            "{\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"a\", \"b\"], \"securityGroups\": [],"
                + " \"assignPublicIp\": \"DISABLED\"}}}",
            "{\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"a\", \"b\"], "
                + "\"assignPublicIp\": \"ENABLED\"}}}"),
        new Case("loadBalancers", """
            loadBalancers:
            - {targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/b/2', containerName: web, containerPort: 80}
            - {targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/1', containerName: web, containerPort: 80}
            """, """
            {"loadBalancers": [
              {"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/1", "containerName": "web",
               "containerPort": 80, "notInTheModel": "x"},
              {"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/b/2", "containerName": "web",
               "containerPort": 80}]}
            """, """
            {"loadBalancers": [
              {"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/1", "containerName": "web",
               "containerPort": 80}]}
            """),
        new Case("loadBalancers", "", "{\"loadBalancers\": []}",
            "{\"loadBalancers\": [{\"loadBalancerName\": \"clb\", \"containerName\": \"web\", \"containerPort\": 80}]}"),
        new Case("serviceRegistries", "serviceRegistries: [{registryArn: 'arn:r', port: 80}]",
            "{\"serviceRegistries\": [{\"registryArn\": \"arn:r\", \"port\": 80}]}", "{}"),
        new Case("serviceConnectConfiguration", "", "", ""), // not reported by ECS: see below
        new Case("enableExecuteCommand", "", "{\"enableExecuteCommand\": false}", "{\"enableExecuteCommand\": true}"),
        new Case("deploymentConfiguration", "deploymentConfiguration: {maximumPercent: 150, alarms: "
                + "{alarmNames: [b, a], enable: true, rollback: true}}", """
            {"deploymentConfiguration": {"maximumPercent": 150, "minimumHealthyPercent": 100,
              "deploymentCircuitBreaker": {"enable": false, "rollback": false},
              "alarms": {"alarmNames": ["a", "b"], "enable": true, "rollback": true},
              "strategy": "ROLLING", "bakeTimeInMinutes": 0}}
            """, """
            {"deploymentConfiguration": {"maximumPercent": 150, "minimumHealthyPercent": 100,
              "deploymentCircuitBreaker": {"enable": true, "rollback": false},
              "alarms": {"alarmNames": ["a", "b"], "enable": true, "rollback": true}}}
            """),
        new Case("deploymentConfiguration", "", "{}",
            "{\"deploymentConfiguration\": {\"maximumPercent\": 100}}"),
        new Case("deploymentConfiguration", "", "{\"deploymentConfiguration\": {\"strategy\": \"ROLLING\", "
                + "\"bakeTimeInMinutes\": 0, \"lifecycleHooks\": []}}",
            "{\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 0}}"),
        new Case("deploymentConfiguration", "deploymentConfiguration: {strategy: BLUE_GREEN}", // no documented default
            "{\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5}}",
            "{\"deploymentConfiguration\": {\"strategy\": \"CANARY\", \"bakeTimeInMinutes\": 5}}"),
        new Case("deploymentConfiguration", "deploymentConfiguration: {strategy: BLUE_GREEN, bakeTimeInMinutes: 5, "
                + "lifecycleHooks: [{hookTargetArn: 'arn:l', roleArn: 'arn:r', lifecycleStages: [POST_SCALE_UP, "
                + "PRE_SCALE_UP], hookDetails: {n: 1}}]}", """
            {"deploymentConfiguration": {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5, "lifecycleHooks": [
              {"hookTargetArn": "arn:l", "roleArn": "arn:r", "lifecycleStages": ["PRE_SCALE_UP", "POST_SCALE_UP"],
               "hookDetails": {"n": 1}}]}}
            """, """
            {"deploymentConfiguration": {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 15, "lifecycleHooks": [
              {"hookTargetArn": "arn:l", "roleArn": "arn:r", "lifecycleStages": ["PRE_SCALE_UP", "POST_SCALE_UP"],
               "hookDetails": {"n": 1}}]}}
            """),
        new Case("deploymentConfiguration", "deploymentConfiguration: {strategy: LINEAR, bakeTimeInMinutes: 0, "
                + "linearConfiguration: {stepPercent: 20}}",
            "{\"deploymentConfiguration\": {\"strategy\": \"LINEAR\", \"bakeTimeInMinutes\": 0, "
                + "\"linearConfiguration\": {\"stepPercent\": 20.0, \"stepBakeTimeInMinutes\": 6}}}",
            "{\"deploymentConfiguration\": {\"strategy\": \"LINEAR\", \"bakeTimeInMinutes\": 0, "
                + "\"linearConfiguration\": {\"stepPercent\": 10.0, \"stepBakeTimeInMinutes\": 6}}}"),
        new Case("deploymentConfiguration", "deploymentConfiguration: {strategy: CANARY}",
            "{\"deploymentConfiguration\": {\"strategy\": \"CANARY\", "
                + "\"canaryConfiguration\": {\"canaryPercent\": 5.0, \"canaryBakeTimeInMinutes\": 10}}}",
            "{\"deploymentConfiguration\": {\"strategy\": \"CANARY\", "
                + "\"canaryConfiguration\": {\"canaryPercent\": 5.0, \"canaryBakeTimeInMinutes\": 1}}}"),
        new Case("deploymentController", "", "{\"deploymentController\": {\"type\": \"ECS\"}}",
            "{\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}"),
        new Case("healthCheckGracePeriodSeconds", "", "{\"healthCheckGracePeriodSeconds\": 0}",
            "{\"healthCheckGracePeriodSeconds\": 30}"),
        new Case("enableECSManagedTags", "", "{\"enableECSManagedTags\": false}", "{\"enableECSManagedTags\": true}"),
        new Case("propagateTags", "", "{\"propagateTags\": \"NONE\"}", "{\"propagateTags\": \"SERVICE\"}"),
        new Case("placementConstraints", "placementConstraints: [{type: memberOf, expression: b}, "
                + "{type: distinctInstance}]",
            "{\"placementConstraints\": [{\"type\": \"distinctInstance\"}, {\"type\": \"memberOf\", "
                + "\"expression\": \"b\"}]}",
            "{\"placementConstraints\": [{\"type\": \"distinctInstance\"}]}"),
        new Case("placementStrategy", "placementStrategy: [{type: spread, field: host}, {type: binpack, field: cpu}]",
            "{\"placementStrategy\": [{\"type\": \"spread\", \"field\": \"instanceId\"}, {\"type\": \"binpack\", "
                + "\"field\": \"CPU\"}]}",
            "{\"placementStrategy\": [{\"type\": \"binpack\", \"field\": \"CPU\"}, {\"type\": \"spread\", "
                + "\"field\": \"instanceId\"}]}"));
  }

  @Test
  void aDaemonsDeploymentDefaultsAreItsOwn() {
    ServiceShape daemon = ServiceShape.of(serviceSpec("schedulingStrategy: DAEMON"));
    var spec = spec("schedulingStrategy: DAEMON");
    assertThat(daemon.differences(spec, json("{\"deploymentConfiguration\": {\"maximumPercent\": 100, "
        + "\"minimumHealthyPercent\": 0}}"))).isEmpty();
    assertThat(shape().differences(spec("schedulingStrategy: REPLICA"), json("{\"deploymentConfiguration\": "
        + "{\"maximumPercent\": 100, \"minimumHealthyPercent\": 0}}"))).containsExactly("deploymentConfiguration");
  }

  @Test
  void anotherControllersFieldsAreNotCompared() {
    var live = json("{\"taskDefinition\": \"x\", \"platformVersion\": \"1.3.0\", \"loadBalancers\": "
        + "[{\"loadBalancerName\": \"clb\"}], \"enableExecuteCommand\": true, "
        + "\"deploymentConfiguration\": {\"maximumPercent\": 150}}");
    assertThat(ServiceShape.of(serviceSpec("deploymentController: {type: CODE_DEPLOY}"))
        .differences(spec("taskDefinition: y\ndeploymentController: {type: CODE_DEPLOY}"), live))
        .containsExactly("deploymentConfiguration", "deploymentController");
    assertThat(ServiceShape.of(serviceSpec("deploymentController: {type: EXTERNAL}"))
        .differences(spec("taskDefinition: y\ndeploymentController: {type: EXTERNAL}"), live))
        .containsExactly("deploymentController");
  }

  @Test
  void theServiceConnectHashIsTheOneStatusAlreadyHolds() {
    // values computed by the hand-written converter this mapping replaced: an upgrade must not resend Service
    // Connect (it starts a deployment)
    assertThat(ServiceRequest.serviceConnectHash(serviceSpec("serviceConnectConfiguration: {enabled: true, "
        + "namespace: internal, services: [{portName: http, clientAliases: [{port: 80, dnsName: web.internal}]}]}")))
        .isEqualTo("10f5a49effb328b268a0553d");
    assertThat(ServiceRequest.serviceConnectHash(serviceSpec("serviceConnectConfiguration: {enabled: true}")))
        .isEqualTo("a2f6fabfb15f0cd6a99d73ad");
    assertThat(ServiceRequest.serviceConnectHash(serviceSpec("serviceConnectConfiguration: {enabled: false, "
        + "namespace: ns, services: [{portName: http, discoveryName: web, ingressPortOverride: 8080}, "
        + "{portName: grpc, clientAliases: [{port: 90}]}]}"))).isEqualTo("794a56275624d07c2ac416b9");
    assertThat(ServiceRequest.serviceConnectHash(serviceSpec(""))).isNull();
    assertThat(ServiceRequest.serviceConnectHash(serviceSpec("deploymentController: {type: CODE_DEPLOY}\n"
        + "serviceConnectConfiguration: {enabled: true}"))).isEqualTo("a2f6fabfb15f0cd6a99d73ad");
  }

  @Test
  void createSendsTheSpecAsWrittenWithTheResolvedTaskDefinitionAndTheInitialCount() {
    EcsServiceSpec spec = serviceSpec("""
        cluster: prod
        taskDefinition: web
        autoScaling: {minCapacity: 2, maxCapacity: 4}
        placementStrategy: [{type: spread, field: host}]
        """);
    assertThat(ServiceShape.of(spec).createRequest(spec, "arn:td")).isEqualTo(json("""
        {"taskDefinition": "arn:td", "desiredCount": 2, "placementStrategy": [{"type": "spread", "field": "host"}]}
        """));
    EcsServiceSpec external = serviceSpec("""
        desiredCount: 1
        platformVersion: 1.4.0
        enableExecuteCommand: true
        deploymentController: {type: EXTERNAL}
        networkConfiguration: {awsvpcConfiguration: {subnets: [a]}}
        """);
    assertThat(ServiceShape.of(external).createRequest(external, "arn:td")).isEqualTo(json("""
        {"desiredCount": 1, "enableExecuteCommand": true, "deploymentController": {"type": "EXTERNAL"}}
        """));
    EcsServiceSpec daemon = serviceSpec("schedulingStrategy: DAEMON");
    assertThat(ServiceShape.of(daemon).createRequest(daemon, null)).isEqualTo(json("""
        {"schedulingStrategy": "DAEMON"}
        """));
  }
}
