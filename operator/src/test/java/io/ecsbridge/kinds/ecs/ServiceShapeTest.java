package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.ShapeContract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
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
  protected ServiceShape shape() {
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
        accountRef: {name: team-a}
        serviceName: web
        clusterRef: {name: prod}
        cluster: prod
        taskDefinitionRef: {name: web}
        taskDefinition: web:3
        desiredCount: 2
        launchType: FARGATE
        capacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1, base: 1}, {capacityProviderRef: {name: cp}}]
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
                                       testTrafficRules: {header: {name: x-canary, value: {exact: 'yes'}}}}],
                      timeout: {idleTimeoutSeconds: 60, perRequestTimeoutSeconds: 10},
                      tls: {issuerCertificateAuthority: {awsPcaAuthorityArn: 'arn:aws:acm-pca:eu-west-1:1:certificate-authority/1'},
                            kmsKey: 'arn:aws:kms:eu-west-1:1:key/1', roleArn: 'arn:aws:iam::123456789012:role/tls'}}]
          logConfiguration: {logDriver: awslogs, options: {awslogs-group: sc}, secretOptions: [{name: token, valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/t'}]}
          accessLogConfiguration: {format: JSON, includeQueryParameters: ENABLED}
        volumeConfigurations:
        - name: data
          managedEBSVolume: {roleArn: 'arn:aws:iam::123456789012:role/ebs', encrypted: true, kmsKeyId: k, volumeType: gp3,
                             sizeInGiB: 20, snapshotId: snap-1, volumeInitializationRate: 100, iops: 3000, throughput: 125,
                             filesystemType: xfs, tagSpecifications: [{resourceType: volume, tags: [{key: a, value: b}],
                             propagateTags: SERVICE}]}
        vpcLatticeConfigurations:
        - {roleArn: 'arn:aws:iam::123456789012:role/l', targetGroupArn: 'arn:aws:vpc-lattice:eu-west-1:1:targetgroup/tg-1',
           portName: http}
        availabilityZoneRebalancing: DISABLED
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
        new Case("serviceConnectConfiguration", "", "{}",
            "{\"serviceConnectConfiguration\": {\"enabled\": true, \"namespace\": \"internal\"}}"),
        new Case("serviceConnectConfiguration", """
            serviceConnectConfiguration:
              enabled: true
              namespace: internal
              services:
              - {portName: b, clientAliases: [{port: 90}, {port: 80}]}
              - {portName: a, tls: {issuerCertificateAuthority: {awsPcaAuthorityArn: 'arn:pca'}}}
              accessLogConfiguration: {format: TEXT}
              logConfiguration: {logDriver: awslogs}
            """, """
            {"serviceConnectConfiguration": {"enabled": true,
              "namespace": "arn:aws:servicediscovery:eu-west-1:1:namespace/ns-1",
              "services": [
                {"portName": "a", "discoveryName": "a", "clientAliases": [],
                 "tls": {"issuerCertificateAuthority": {"awsPcaAuthorityArn": "arn:pca"}, "kmsKey": "aws-owned"},
                 "timeout": {"idleTimeoutSeconds": 300, "perRequestTimeoutSeconds": 15}},
                {"portName": "b", "clientAliases": [{"port": 80, "dnsName": "b.internal"}, {"port": 90}]}],
              "logConfiguration": {"logDriver": "awslogs", "options": {}},
              "accessLogConfiguration": {"format": "TEXT", "includeQueryParameters": "DISABLED"}}}
            """, """
            {"serviceConnectConfiguration": {"enabled": true, "namespace": "internal",
              "services": [
                {"portName": "a", "tls": {"issuerCertificateAuthority": {"awsPcaAuthorityArn": "arn:pca"}}},
                {"portName": "b", "clientAliases": [{"port": 80}, {"port": 90}]}],
              "logConfiguration": {"logDriver": "awslogs"},
              "accessLogConfiguration": {"format": "JSON"}}}
            """),
        new Case("volumeConfigurations", """
            volumeConfigurations:
            - {name: data, managedEBSVolume: {roleArn: 'arn:role', sizeInGiB: 20,
               tagSpecifications: [{resourceType: volume, tags: [{key: a, value: b}]}]}}
            """, """
            {"volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "arn:role", "sizeInGiB": 20,
              "volumeType": "gp3", "filesystemType": "xfs", "encrypted": false,
              "tagSpecifications": [{"resourceType": "volume", "tags": [{"key": "a", "value": "b"}]}]}}]}
            """, """
            {"volumeConfigurations": [{"name": "data", "managedEBSVolume": {"roleArn": "arn:role", "sizeInGiB": 30,
              "tagSpecifications": [{"resourceType": "volume", "tags": [{"key": "a", "value": "b"}]}]}}]}
            """),
        new Case("volumeConfigurations", "", "{\"volumeConfigurations\": []}",
            "{\"volumeConfigurations\": [{\"name\": \"data\", \"managedEBSVolume\": {\"sizeInGiB\": 1}}]}"),
        new Case("vpcLatticeConfigurations", """
            vpcLatticeConfigurations:
            - {roleArn: r, targetGroupArn: 'arn:tg-2', portName: http}
            - {roleArn: r, targetGroupArn: 'arn:tg-1', portName: http}
            """, """
            {"vpcLatticeConfigurations": [{"roleArn": "r", "targetGroupArn": "arn:tg-1", "portName": "http"},
              {"roleArn": "r", "targetGroupArn": "arn:tg-2", "portName": "http"}]}
            """, """
            {"vpcLatticeConfigurations": [{"roleArn": "r", "targetGroupArn": "arn:tg-1", "portName": "http"}]}
            """),
        new Case("availabilityZoneRebalancing", "availabilityZoneRebalancing: ENABLED",
            "{\"availabilityZoneRebalancing\": \"ENABLED\"}", "{\"availabilityZoneRebalancing\": \"DISABLED\"}"),
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
  void zoneRebalancingLeftOutIsEcssOwn() {
    assertThat(shape().differences(spec(""), json("{\"availabilityZoneRebalancing\": \"ENABLED\"}"))).isEmpty();
    assertThat(shape().differences(spec(""), json("{\"availabilityZoneRebalancing\": \"DISABLED\"}"))).isEmpty();
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

  @Override
  protected Map<String, String> leftOut() {
    return Map.ofEntries(
        Map.entry("service", "identity: the spec's serviceName (metadata.name when absent)"),
        Map.entry("clientToken", "the custom resource's uid, so that a lost CreateService reply never makes a second "
            + "service"),
        Map.entry("forceNewDeployment", "the ecsbridge.io/redeploy-requested-at annotation (a request, not state)"));
  }

  /**
   * The canonical form compared with what ECS reports is the model's JSON normalized, never an SDK object's text: it
   * is fixed here, and the spec's form equals the form of the same configuration after a trip through the SDK's
   * request and back (so an SDK whose toString differs, or that adds members, compares the same).
   */
  @Test
  void theServiceConnectCanonicalFormIsJsonOfTheModelNotTheSdksText() {
    ServiceShape shape = shape();
    var spec = spec("""
        serviceConnectConfiguration:
          enabled: true
          namespace: internal
          services: [{portName: http, clientAliases: [{port: 80, dnsName: web.internal}], timeout: {idleTimeoutSeconds: 60}}]
        """);
    assertThat(shape.canonical("serviceConnectConfiguration", spec)).isEqualTo(json("""
        {"enabled": true, "namespace": "internal", "services": [{"clientAliases": [{"dnsName": "web.internal",
         "port": 80}], "discoveryName": "http", "portName": "http", "timeout": {"idleTimeoutSeconds": 60}}]}
        """));
    var request = software.amazon.awssdk.services.ecs.model.UpdateServiceRequest.builder();
    io.ecsbridge.aws.SdkJson.fill(request, shape.request(spec));
    var back = io.ecsbridge.aws.SdkJson.toJson(request.build());
    assertThat(shape.canonical("serviceConnectConfiguration", back))
        .isEqualTo(shape.canonical("serviceConnectConfiguration", spec));
    assertThat(shape.canonical("serviceConnectConfiguration", spec("serviceConnectConfiguration: {enabled: false, "
        + "namespace: ns}"))).as("disabled is only that").isEqualTo(json("{\"enabled\": false}"));
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
