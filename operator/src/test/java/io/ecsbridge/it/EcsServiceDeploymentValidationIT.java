package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real API server refuses, at admission, the deployment strategy settings ECS refuses (one case per rule, with the
 * CRD's own message), and takes the valid ones: blue/green, linear and canary services with load balancers, hooks and
 * Service Connect test traffic rules.
 */
class EcsServiceDeploymentValidationIT extends AdmissionIT {
  EcsServiceDeploymentValidationIT() {
    super("EcsService");
  }

  private static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/";
  private static final String BASE = "cluster: prod\ntaskDefinition: web:1\n";
  private static final String LB = "loadBalancers: [{targetGroupArn: '" + TG + "blue/0123456789abcdef', "
      + "containerName: web, containerPort: 80%s}]\n";
  private static final String ADVANCED = ", advancedConfiguration: {alternateTargetGroupArn: '" + TG
      + "green/0123456789abcdef', productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:"
      + "listener-rule/app/web/1234567890abcdef/1234567890abcdef/1234567890abcdef', roleArn: "
      + "'arn:aws:iam::123456789012:role/ecs-elb'}";
  private static final String HOOK = "{hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke', "
      + "roleArn: 'arn:aws:iam::123456789012:role/hooks', lifecycleStages: [%s]}";

  @Test
  void acceptsBlueGreenLinearAndCanaryServices() {
    assertThat(apply("blue-green", BASE + LB.formatted(ADVANCED) + """
        deploymentConfiguration:
          strategy: BLUE_GREEN
          bakeTimeInMinutes: 10
          lifecycleHooks:
          - {hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke:live',
             roleArn: 'arn:aws:iam::123456789012:role/hooks', lifecycleStages: [POST_TEST_TRAFFIC_SHIFT, PRE_SCALE_UP],
             hookDetails: {suite: smoke, retries: 3, tags: [a, b]}}
        """).getMetadata().getUid()).isNotBlank();
    assertThat(apply("linear", BASE + LB.formatted(ADVANCED) + """
        deploymentConfiguration: {strategy: LINEAR, bakeTimeInMinutes: 0,
          linearConfiguration: {stepPercent: 3.0, stepBakeTimeInMinutes: 1440}}
        """).getMetadata().getUid()).isNotBlank();
    assertThat(apply("canary", BASE + """
        serviceConnectConfiguration:
          enabled: true
          services: [{portName: http, clientAliases: [{port: 80, testTrafficRules: {header: {name: x-canary,
            value: {exact: 'yes'}}}}]}]
        deploymentConfiguration: {strategy: CANARY, canaryConfiguration: {canaryPercent: 0.1, canaryBakeTimeInMinutes: 0}}
        """).getMetadata().getUid()).isNotBlank();
    assertThat(apply("rolling", BASE + LB.formatted("") + "deploymentConfiguration: {strategy: ROLLING, "
        + "bakeTimeInMinutes: 0}\n").getMetadata().getUid()).isNotBlank();
  }

  @Test
  void theBlueGreenSampleIsAccepted() throws Exception {
    String yaml = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root()
        .resolve("samples/ecs-service-blue-green.yaml"));
    var sample = k8s.getKubernetesSerialization().unmarshal(yaml,
        io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    sample.getMetadata().setNamespace(namespace);
    assertThat(k8s.resource(sample).create().getMetadata().getUid()).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      code-deploy-strategy  | CODE_DEPLOY_STRATEGY  | need the ECS deployment controller (not CODE_DEPLOY or EXTERNAL)
      external-bake-time    | EXTERNAL_BAKE         | need the ECS deployment controller (not CODE_DEPLOY or EXTERNAL)
      code-deploy-hooks     | CODE_DEPLOY_HOOKS     | need the ECS deployment controller (not CODE_DEPLOY or EXTERNAL)
      blue-green-plain-lb   | BLUE_GREEN_PLAIN_LB   | needs advancedConfiguration (alternateTargetGroupArn
      canary-plain-lb       | CANARY_PLAIN_LB       | needs advancedConfiguration (alternateTargetGroupArn
      linear-config-canary  | LINEAR_ON_CANARY      | linearConfiguration is only for strategy LINEAR
      linear-config-rolling | LINEAR_ON_DEFAULT     | linearConfiguration is only for strategy LINEAR
      canary-config-linear  | CANARY_ON_LINEAR      | canaryConfiguration is only for strategy CANARY
      hooks-rolling         | HOOKS_ROLLING         | lifecycleHooks are for strategy BLUE_GREEN, LINEAR or CANARY
      bake-rolling          | BAKE_ROLLING          | bakeTimeInMinutes is for strategy BLUE_GREEN, LINEAR or CANARY
      bake-over-1440        | BAKE_OVER             | should be less than or equal to 1440
      bake-negative         | BAKE_NEGATIVE         | should be greater than or equal to 0
      step-under-3          | STEP_UNDER            | should be greater than or equal to 3
      step-over-100         | STEP_OVER             | should be less than or equal to 100
      step-bake-over        | STEP_BAKE_OVER        | should be less than or equal to 1440
      canary-under-0.1      | CANARY_UNDER          | should be greater than or equal to 0.1
      canary-over-100       | CANARY_OVER           | should be less than or equal to 100
      canary-bake-over      | CANARY_BAKE_OVER      | should be less than or equal to 1440
      bad-strategy          | STRATEGY_ENUM         | Unsupported value
      bad-stage             | STAGE_ENUM            | Unsupported value
      stage-twice           | STAGE_TWICE           | lifecycleStages must be unique
      no-stages             | NO_STAGES             | should have at least 1 items
      hook-not-lambda       | HOOK_NOT_LAMBDA       | hookTargetArn must be a Lambda function ARN
      hook-no-role          | HOOK_NO_ROLE          | Required value
      hook-bad-role         | HOOK_BAD_ROLE         | roleArn must be an IAM role ARN
      advanced-classic      | ADVANCED_CLASSIC      | advancedConfiguration needs a targetGroupArn (not a Classic Load Balancer)
      advanced-same-tg      | ADVANCED_SAME_TG      | an alternateTargetGroupArn other than it
      advanced-no-alternate | ADVANCED_NO_ALTERNATE | Required value
      advanced-bad-listener | ADVANCED_BAD_LISTENER | productionListenerRule must be an Elastic Load Balancing listener rule or listener ARN
      advanced-bad-role     | ADVANCED_BAD_ROLE     | roleArn must be an IAM role ARN
      test-header-no-name   | TEST_HEADER_NO_NAME   | Required value
      test-header-no-exact  | TEST_HEADER_NO_EXACT  | Required value
      """)
  void rejectsWhatEcsRefuses(String name, String spec, String message) {
    rejected(name, switch (spec) {
      case "CODE_DEPLOY_STRATEGY" -> BASE + "deploymentController: {type: CODE_DEPLOY}\n"
          + "deploymentConfiguration: {strategy: BLUE_GREEN}";
      case "EXTERNAL_BAKE" -> "cluster: prod\ndeploymentController: {type: EXTERNAL}\n"
          + "deploymentConfiguration: {bakeTimeInMinutes: 5}";
      case "CODE_DEPLOY_HOOKS" -> BASE + "deploymentController: {type: CODE_DEPLOY}\n"
          + "deploymentConfiguration: {lifecycleHooks: [" + HOOK.formatted("PRE_SCALE_UP") + "]}";
      case "BLUE_GREEN_PLAIN_LB" -> BASE + LB.formatted("") + "deploymentConfiguration: {strategy: BLUE_GREEN}";
      case "CANARY_PLAIN_LB" -> BASE + LB.formatted("") + "deploymentConfiguration: {strategy: CANARY}";
      case "LINEAR_ON_CANARY" -> BASE + "deploymentConfiguration: {strategy: CANARY, linearConfiguration: "
          + "{stepPercent: 10}}";
      case "LINEAR_ON_DEFAULT" -> BASE + "deploymentConfiguration: {linearConfiguration: {stepPercent: 10}}";
      case "CANARY_ON_LINEAR" -> BASE + "deploymentConfiguration: {strategy: LINEAR, canaryConfiguration: "
          + "{canaryPercent: 10}}";
      case "HOOKS_ROLLING" -> BASE + "deploymentConfiguration: {strategy: ROLLING, lifecycleHooks: ["
          + HOOK.formatted("PRE_SCALE_UP") + "]}";
      case "BAKE_ROLLING" -> BASE + "deploymentConfiguration: {bakeTimeInMinutes: 5}";
      case "BAKE_OVER" -> BASE + "deploymentConfiguration: {strategy: BLUE_GREEN, bakeTimeInMinutes: 1441}";
      case "BAKE_NEGATIVE" -> BASE + "deploymentConfiguration: {strategy: BLUE_GREEN, bakeTimeInMinutes: -1}";
      case "STEP_UNDER" -> BASE + "deploymentConfiguration: {strategy: LINEAR, linearConfiguration: "
          + "{stepPercent: 2.9}}";
      case "STEP_OVER" -> BASE + "deploymentConfiguration: {strategy: LINEAR, linearConfiguration: "
          + "{stepPercent: 100.1}}";
      case "STEP_BAKE_OVER" -> BASE + "deploymentConfiguration: {strategy: LINEAR, linearConfiguration: "
          + "{stepBakeTimeInMinutes: 1441}}";
      case "CANARY_UNDER" -> BASE + "deploymentConfiguration: {strategy: CANARY, canaryConfiguration: "
          + "{canaryPercent: 0.05}}";
      case "CANARY_OVER" -> BASE + "deploymentConfiguration: {strategy: CANARY, canaryConfiguration: "
          + "{canaryPercent: 101}}";
      case "CANARY_BAKE_OVER" -> BASE + "deploymentConfiguration: {strategy: CANARY, canaryConfiguration: "
          + "{canaryBakeTimeInMinutes: 2000}}";
      case "STRATEGY_ENUM" -> BASE + "deploymentConfiguration: {strategy: RED_BLACK}";
      case "STAGE_ENUM" -> BASE + "deploymentConfiguration: {strategy: BLUE_GREEN, lifecycleHooks: ["
          + HOOK.formatted("BAKE_TIME") + "]}";
      case "STAGE_TWICE" -> BASE + "deploymentConfiguration: {strategy: BLUE_GREEN, lifecycleHooks: ["
          + HOOK.formatted("PRE_SCALE_UP, PRE_SCALE_UP") + "]}";
      case "NO_STAGES" -> BASE + "deploymentConfiguration: {strategy: BLUE_GREEN, lifecycleHooks: ["
          + HOOK.formatted("") + "]}";
      case "HOOK_NOT_LAMBDA" -> BASE + "deploymentConfiguration: {strategy: BLUE_GREEN, lifecycleHooks: ["
          + "{hookTargetArn: 'arn:aws:sns:us-east-1:123456789012:topic', roleArn: 'arn:aws:iam::123456789012:role/h',"
          + " lifecycleStages: [PRE_SCALE_UP]}]}";
      case "HOOK_NO_ROLE" -> BASE + "deploymentConfiguration: {strategy: BLUE_GREEN, lifecycleHooks: ["
          + "{hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', lifecycleStages: [PRE_SCALE_UP]}]}";
      case "HOOK_BAD_ROLE" -> BASE + "deploymentConfiguration: {strategy: BLUE_GREEN, lifecycleHooks: ["
          + "{hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', roleArn: hooks, "
          + "lifecycleStages: [PRE_SCALE_UP]}]}";
      case "ADVANCED_CLASSIC" -> BASE + "loadBalancers: [{loadBalancerName: clb, containerName: web, containerPort: "
          + "80" + ADVANCED + "}]";
      case "ADVANCED_SAME_TG" -> BASE + LB.formatted(", advancedConfiguration: {alternateTargetGroupArn: '" + TG
          + "blue/0123456789abcdef'}");
      case "ADVANCED_NO_ALTERNATE" -> BASE + LB.formatted(", advancedConfiguration: {roleArn: "
          + "'arn:aws:iam::123456789012:role/ecs-elb'}");
      case "ADVANCED_BAD_LISTENER" -> BASE + LB.formatted(", advancedConfiguration: {alternateTargetGroupArn: '" + TG
          + "green/0123456789abcdef', productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:"
          + "targetgroup/green/0123456789abcdef'}");
      case "ADVANCED_BAD_ROLE" -> BASE + LB.formatted(", advancedConfiguration: {alternateTargetGroupArn: '" + TG
          + "green/0123456789abcdef', roleArn: ecs-elb}");
      case "TEST_HEADER_NO_NAME" -> BASE + "serviceConnectConfiguration: {enabled: true, services: [{portName: http, "
          + "clientAliases: [{port: 80, testTrafficRules: {header: {value: {exact: x}}}}]}]}";
      case "TEST_HEADER_NO_EXACT" -> BASE + "serviceConnectConfiguration: {enabled: true, services: [{portName: http,"
          + " clientAliases: [{port: 80, testTrafficRules: {header: {name: x, value: {}}}}]}]}";
      default -> throw new IllegalArgumentException(spec);
    }, message);
  }
}
