package io.ecsbridge.it;

import static io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT;
import static io.ecsbridge.api.v1alpha1.Annotations.ROLLBACK_REQUESTED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * ECS-native BLUE_GREEN, LINEAR and CANARY deployments end to end: the real API server, the operator, moto with the
 * ecs-bridge extension (each lifecycle stage lasts ECSBRIDGE_MOTO_STAGE_SECONDS = 2 s, a bake "minute" 1 s; an image
 * containing "ecsbridge-fail" fails when its tasks start). The operator resyncs every second, so that every stage is
 * seen. Health comes from DescribeServiceDeployments while a deployment runs; a finished one costs no deployment read.
 */
class EcsServiceDeploymentsIT extends EcsServiceFixtures {
  private static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/";
  private static final List<String> BLUE_GREEN_STAGES = List.of("PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP",
      "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT",
      "BAKE_TIME", "CLEAN_UP");

  @BeforeEach
  void resyncEverySecond() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
  }

  /** A staged deployment takes about ten stages of 2 s. */
  private ConditionFactory deployment() {
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100));
  }

  private double deploymentReads() {
    return awsCalls("ecs", "ListServiceDeployments") + awsCalls("ecs", "DescribeServiceDeployments");
  }

  private ServiceDeployment serviceDeployment(String arn) {
    return aws.ecs().describeServiceDeployments(r -> r.serviceDeploymentArns(arn)).serviceDeployments().get(0);
  }

  private List<Event> stageEvents(EcsService service, String deploymentArn) {
    String id = deploymentArn.substring(deploymentArn.lastIndexOf('/') + 1);
    return events(service).stream().filter(e -> "ServiceDeployment".equals(e.getReason())
        && e.getMessage().startsWith("Service deployment " + id + " ")).toList();
  }

  @Test
  void aBlueGreenServiceGoesThroughItsStagesToReadyAndAnInSyncResyncReadsNoDeploymentApi() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    String v1 = registerTaskDefinition("web", "nginx:1.27");
    EcsService created = create(service("web", """
        cluster: prod
        taskDefinition: web:1
        desiredCount: 2
        launchType: EC2
        loadBalancers:
        - targetGroupArn: '%1$sweb-blue/0123456789abcdef'
          containerName: web
          containerPort: 8080
          advancedConfiguration:
            alternateTargetGroupArn: '%1$sweb-green/0123456789abcdef'
            productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef'
            roleArn: 'arn:aws:iam::123456789012:role/ecs-elb'
        deploymentConfiguration: {strategy: BLUE_GREEN, bakeTimeInMinutes: 2}
        """.formatted(TG)));
    deployment().until(() -> isReady(get(EcsService.class, "web")));
    String first = get(EcsService.class, "web").getStatus().rollout.serviceDeploymentArn;
    assertThat(describe("prod", "web").deploymentConfiguration().strategyAsString()).isEqualTo("BLUE_GREEN");
    assertThat(describe("prod", "web").loadBalancers().get(0).advancedConfiguration().alternateTargetGroupArn())
        .endsWith("web-green/0123456789abcdef");

    // a new revision: one UpdateService, then the stages of a blue/green deployment, each told once
    String v2 = registerTaskDefinition("web", "nginx:1.28");
    double updates = awsCalls("ecs", "UpdateService");
    long t0 = System.nanoTime();
    edit(created, r -> {
      ((EcsService) r).getSpec().taskDefinition = "web:2";
      return r;
    });
    String[] second = new String[1];
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
      EcsServiceStatus s = get(EcsService.class, "web").getStatus();
      if (s.rollout != null && !first.equals(s.rollout.serviceDeploymentArn) && s.rollout.lifecycleStage != null) {
        second[0] = s.rollout.serviceDeploymentArn;
        return true;
      }
      return false;
    });
    long toFirstStageMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("BLUE_GREEN: spec change -> first stage in status.rollout: %d ms (polled every 10 ms)%n",
        toFirstStageMs);
    assertThat(toFirstStageMs).as("new revision to the first stage").isLessThan(5000);
    EcsService moving = get(EcsService.class, "web");
    assertThat(reason(moving, Conditions.RECONCILING)).isEqualTo("RolloutInProgress");
    assertThat(condition(moving, Conditions.RECONCILING).orElseThrow().getMessage()).contains("BLUE_GREEN", "stage");
    assertThat(moving.getStatus().rolloutPhase).isEqualTo(moving.getStatus().rollout.lifecycleStage);

    deployment().until(() -> {
      EcsService s = get(EcsService.class, "web");
      return isReady(s) && v2.equals(s.getStatus().taskDefinition) && second[0].equals(
          s.getStatus().rollout.serviceDeploymentArn);
    });
    EcsService ready = get(EcsService.class, "web");
    assertThat(awsCalls("ecs", "UpdateService")).as("one UpdateService").isEqualTo(updates + 1);
    assertThat(ready.getStatus().rollout.status).isEqualTo("SUCCESSFUL");
    assertThat(ready.getStatus().rolloutPhase).isEqualTo("SUCCESSFUL");
    assertThat(ready.getStatus().rollout.strategy).isEqualTo("BLUE_GREEN");
    assertThat(ready.getStatus().rollout.targetServiceRevision.requestedProductionTrafficWeight).isEqualTo(100.0);
    assertThat(ready.getStatus().rollout.sourceServiceRevisions).isNotEmpty();
    assertThat(ready.getStatus().rollout.finishedAt).isNotBlank();
    // AWS's side: the service runs v2, its current deployment is the one status shows, SUCCESSFUL
    Service live = describe("prod", "web");
    assertThat(live.taskDefinition()).isEqualTo(v2).isNotEqualTo(v1);
    assertThat(live.currentServiceDeployment()).isEqualTo(second[0]);
    assertThat(serviceDeployment(second[0]).statusAsString()).isEqualTo("SUCCESSFUL");
    List<String> told = stageEvents(ready, second[0]).stream().map(Event::getMessage).toList();
    for (String stage : BLUE_GREEN_STAGES) {
      assertThat(told).as("an Event for stage " + stage).anyMatch(m -> m.contains(": stage " + stage));
    }
    assertThat(told).anyMatch(m -> m.endsWith(" ended SUCCESSFUL"));
    assertThat(told).as("each stage told once").doesNotHaveDuplicates();

    // in sync after a finished deployment: resyncs (every second) and a requested reconcile write nothing and read
    // no deployment API
    double writes = awsWrites();
    double reads = deploymentReads();
    double describes = awsCalls("ecs", "DescribeServices");
    Map<String, Double> before = callsByOperation();
    annotate(ready, RECONCILE_REQUESTED_AT, "in-sync-1");
    eventually().until(() -> "in-sync-1".equals(get(EcsService.class, "web").getStatus().getLastHandledReconcileAt()));
    eventually().until(() -> awsCalls("ecs", "DescribeServices") >= describes + 4);
    Map<String, Double> after = callsByOperation();
    double passes = awsCalls("ecs", "DescribeServices") - describes;
    Map<String, Double> delta = new TreeMap<>();
    after.forEach((op, n) -> {
      if (n - before.getOrDefault(op, 0.0) > 0) {
        delta.put(op, n - before.getOrDefault(op, 0.0));
      }
    });
    System.out.printf("BLUE_GREEN in sync: %.0f passes, AWS calls %s = %.1f per pass, deployment API reads 0%n",
        passes, delta, delta.values().stream().mapToDouble(Double::doubleValue).sum() / passes);
    assertThat(awsWrites()).as("no AWS write in sync").isEqualTo(writes);
    assertThat(deploymentReads()).as("no ListServiceDeployments/DescribeServiceDeployments in sync").isEqualTo(reads);
    assertThat(isReady(get(EcsService.class, "web"))).isTrue();
  }

  @Test
  void aFailingImageInACanaryDeploymentEndsRolledBackAndIsNotAppliedAgain() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    String v1 = registerTaskDefinition("api", "nginx:1.27");
    EcsService created = create(service("api", """
        cluster: prod
        taskDefinition: api:1
        desiredCount: 2
        launchType: EC2
        serviceConnectConfiguration:
          enabled: true
          namespace: internal
          services: [{portName: http, clientAliases: [{port: 80, testTrafficRules: {header: {name: x-canary,
            value: {exact: 'yes'}}}}]}]
        deploymentConfiguration:
          strategy: CANARY
          canaryConfiguration: {canaryPercent: 10, canaryBakeTimeInMinutes: 1}
        """));
    deployment().until(() -> isReady(get(EcsService.class, "api")));
    // the test traffic rule reached ECS: the revision deployed has it
    String revision = get(EcsService.class, "api").getStatus().rollout.targetServiceRevision.arn;
    var alias = aws.ecs().describeServiceRevisions(r -> r.serviceRevisionArns(revision)).serviceRevisions().get(0)
        .serviceConnectConfiguration().services().get(0).clientAliases().get(0);
    assertThat(alias.testTrafficRules().header().name()).isEqualTo("x-canary");
    assertThat(alias.testTrafficRules().header().value().exact()).isEqualTo("yes");

    String broken = registerTaskDefinition("api", "registry.example/api:ecsbridge-fail");
    edit(created, r -> {
      ((EcsService) r).getSpec().taskDefinition = "api:2";
      return r;
    });
    deployment().until(() -> "RolledBack".equals(reason(get(EcsService.class, "api"), Conditions.STALLED)));
    EcsService stalled = get(EcsService.class, "api");
    String arn = stalled.getStatus().rollout.serviceDeploymentArn;
    assertThat(stalled.getStatus().rollout.status).isEqualTo("ROLLBACK_SUCCESSFUL");
    assertThat(stalled.getStatus().rolloutPhase).isEqualTo("ROLLBACK_SUCCESSFUL");
    assertThat(stalled.getStatus().failedTaskDefinition).isEqualTo(broken);
    assertThat(condition(stalled, Conditions.STALLED).orElseThrow().getMessage())
        .contains("CANARY", "rolled back", broken, v1, "is not applied again");
    assertThat(isTrue(stalled, Conditions.READY)).isFalse();
    assertThat(serviceDeployment(arn).statusAsString()).isEqualTo("ROLLBACK_SUCCESSFUL");
    assertThat(describe("prod", "api").taskDefinition()).isEqualTo(v1);
    assertThat(stageEvents(stalled, arn)).anyMatch(e -> e.getMessage().endsWith("ended ROLLBACK_SUCCESSFUL: "
        + "ECS deployment circuit breaker: tasks failed to start."));
    assertThat(events(stalled)).anyMatch(e -> "Warning".equals(e.getType()) && "RolledBack".equals(e.getReason()));

    // resyncs look again (every second): the broken revision is not applied again, no deployment read either
    double updates = awsCalls("ecs", "UpdateService");
    double reads = deploymentReads();
    double describes = awsCalls("ecs", "DescribeServices");
    eventually().until(() -> awsCalls("ecs", "DescribeServices") >= describes + 3);
    assertThat(awsCalls("ecs", "UpdateService")).as("the broken revision is not applied again").isEqualTo(updates);
    assertThat(deploymentReads()).as("a finished deployment is not read again").isEqualTo(reads);
    assertThat(reason(get(EcsService.class, "api"), Conditions.STALLED)).isEqualTo("RolledBack");
    assertThat(describe("prod", "api").taskDefinition()).isEqualTo(v1);
  }

  @Test
  void theRollbackAnnotationStopsALinearDeploymentOncePerValue() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    String v1 = registerTaskDefinition("web", "nginx:1.27");
    EcsService created = create(service("web", """
        cluster: prod
        taskDefinition: web:1
        desiredCount: 1
        launchType: EC2
        deploymentConfiguration:
          strategy: LINEAR
          linearConfiguration: {stepPercent: 50, stepBakeTimeInMinutes: 0}
        """));
    deployment().until(() -> isReady(get(EcsService.class, "web")));
    annotate(get(EcsService.class, "web"), ROLLBACK_REQUESTED_AT, "before");
    eventually().until(() -> "before".equals(get(EcsService.class, "web").getStatus().lastHandledRollbackAt));
    assertThat(hasEvent(get(EcsService.class, "web"), "NothingToRollBack")).isTrue();
    assertThat(awsCalls("ecs", "StopServiceDeployment")).as("nothing in progress: no call").isZero();

    // a new revision, each step held 60 s: rolled back on request while production traffic shifts
    String v2 = registerTaskDefinition("web", "nginx:1.28");
    edit(created, r -> {
      EcsService s = (EcsService) r;
      s.getSpec().taskDefinition = "web:2";
      s.getSpec().deploymentConfiguration.linearConfiguration.stepBakeTimeInMinutes = 60;
      return r;
    });
    deployment().until(() -> {
      EcsServiceStatus s = get(EcsService.class, "web").getStatus();
      return s.rollout != null && "PRODUCTION_TRAFFIC_SHIFT".equals(s.rollout.lifecycleStage)
          && "IN_PROGRESS".equals(s.rollout.status);
    });
    String arn = get(EcsService.class, "web").getStatus().rollout.serviceDeploymentArn;
    assertThat(condition(get(EcsService.class, "web"), Conditions.RECONCILING).orElseThrow().getMessage())
        .contains("LINEAR", "PRODUCTION_TRAFFIC_SHIFT", "production traffic 50%");
    annotate(get(EcsService.class, "web"), ROLLBACK_REQUESTED_AT, "now");
    eventually().until(() -> "now".equals(get(EcsService.class, "web").getStatus().lastHandledRollbackAt));
    assertThat(awsCalls("ecs", "StopServiceDeployment")).isEqualTo(1);
    assertThat(events(get(EcsService.class, "web"))).anyMatch(e -> "RollbackRequested".equals(e.getReason())
        && e.getMessage().contains(arn.substring(arn.lastIndexOf('/') + 1)));
    deployment().until(() -> "RolledBack".equals(reason(get(EcsService.class, "web"), Conditions.STALLED)));
    EcsService stalled = get(EcsService.class, "web");
    assertThat(stalled.getStatus().rollout.serviceDeploymentArn).isEqualTo(arn);
    assertThat(stalled.getStatus().rollout.status).isEqualTo("ROLLBACK_SUCCESSFUL");
    assertThat(stalled.getStatus().failedTaskDefinition).isEqualTo(v2);
    assertThat(serviceDeployment(arn).statusAsString()).isEqualTo("ROLLBACK_SUCCESSFUL");
    assertThat(describe("prod", "web").taskDefinition()).isEqualTo(v1);
    assertThat(awsCalls("ecs", "StopServiceDeployment")).as("once per annotation value").isEqualTo(1);

    // a new value with nothing in progress: told, no call
    annotate(stalled, ROLLBACK_REQUESTED_AT, "again");
    eventually().until(() -> "again".equals(get(EcsService.class, "web").getStatus().lastHandledRollbackAt));
    assertThat(awsCalls("ecs", "StopServiceDeployment")).isEqualTo(1);
    assertThat(events(get(EcsService.class, "web"))).filteredOn(e -> "NothingToRollBack".equals(e.getReason()))
        .anyMatch(e -> e.getMessage().contains("=again"));
  }
}
