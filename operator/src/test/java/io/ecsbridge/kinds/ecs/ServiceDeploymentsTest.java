package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.FakeServiceDeploymentGateway;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/** When a staged service's deployments are read, what status keeps of them, and the Events they tell. */
class ServiceDeploymentsTest {
  private static final String A = "arn:aws:ecs:us-east-1:1:service-deployment/prod/web/A";
  private static final String B = "arn:aws:ecs:us-east-1:1:service-deployment/prod/web/B";
  private static final String TD = "arn:aws:ecs:us-east-1:1:task-definition/web:2";

  private final FakeServiceDeploymentGateway gateway = new FakeServiceDeploymentGateway();
  private final ServiceDeployments deployments = new ServiceDeployments(gateway);

  private static EcsServiceSpec spec(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml.isBlank() ? "{}" : yaml, EcsServiceSpec.class);
  }

  private static ServiceDeployment d(String arn, String status, String stage) {
    return ServiceDeployment.builder().serviceDeploymentArn(arn).status(status).lifecycleStage(stage)
        .deploymentConfiguration(DeploymentConfiguration.builder().strategy("BLUE_GREEN").build())
        .targetServiceRevision(ServiceRevisionSummary.builder().arn("rev-2").requestedTaskCount(2)
            .requestedProductionTrafficWeight(0.0).requestedTestTrafficWeight(100.0).build())
        .sourceServiceRevisions(ServiceRevisionSummary.builder().arn("rev-1").runningTaskCount(2).build())
        .startedAt(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  private static Service service(String current) {
    return Service.builder().serviceName("web").status("ACTIVE").taskDefinition(TD).runningCount(2).desiredCount(2)
        .currentServiceDeployment(current).build();
  }

  @Test
  void onlyTheEcsControllerWithAStagedStrategyReadsServiceDeployments() {
    assertThat(ServiceDeployments.staged(spec("deploymentConfiguration: {strategy: BLUE_GREEN}"))).isTrue();
    assertThat(ServiceDeployments.staged(spec("deploymentConfiguration: {strategy: LINEAR}"))).isTrue();
    assertThat(ServiceDeployments.staged(spec("deploymentConfiguration: {strategy: ROLLING}"))).isFalse();
    assertThat(ServiceDeployments.staged(spec("deploymentConfiguration: {maximumPercent: 200}"))).isFalse();
    assertThat(ServiceDeployments.staged(spec(""))).isFalse();
  }

  @Test
  void aReadIsDueOnlyWhileADeploymentIsNotFinishedOrAnotherIsCurrent() {
    EcsServiceStatus status = new EcsServiceStatus();
    assertThat(ServiceDeployments.due(status, service(A))).as("nothing kept").isTrue();
    ServiceDeployments.record(status, d(A, "IN_PROGRESS", "SCALE_UP"), "web");
    assertThat(ServiceDeployments.due(status, service(A))).as("in progress").isTrue();
    ServiceDeployments.record(status, d(A, "SUCCESSFUL", null), "web");
    assertThat(ServiceDeployments.due(status, service(A))).as("finished, still current").isFalse();
    assertThat(ServiceDeployments.due(status, service(null))).as("finished, ECS names none").isFalse();
    assertThat(ServiceDeployments.due(status, service(B))).as("another one started").isTrue();
  }

  @Test
  void theCurrentDeploymentIsTheOneEcsNamesElseTheNewestListed() {
    gateway.put(d(A, "SUCCESSFUL", null));
    gateway.put(d(B, "IN_PROGRESS", "PRE_SCALE_UP"));
    assertThat(deployments.read("us-east-1", "prod", service(A)).orElseThrow().serviceDeploymentArn()).isEqualTo(A);
    assertThat(gateway.lists).isZero();
    assertThat(deployments.read("us-east-1", "prod", service(null)).orElseThrow().serviceDeploymentArn())
        .isEqualTo(B);
    assertThat(gateway.lists).isEqualTo(1);
    assertThat(new ServiceDeployments(new FakeServiceDeploymentGateway()).read("us-east-1", "prod", service(null)))
        .isEmpty();
  }

  @Test
  void eachStageAndTheEndAreToldOnceAndStatusKeepsTheDeployment() {
    EcsServiceStatus status = new EcsServiceStatus();
    assertThat(ServiceDeployments.record(status, d(A, "IN_PROGRESS", "PRE_SCALE_UP"), "web")).containsExactly(
        "Service deployment A (BLUE_GREEN) of ECS service web: stage PRE_SCALE_UP (new revision: production traffic "
            + "0%, test traffic 100%)");
    assertThat(ServiceDeployments.record(status, d(A, "IN_PROGRESS", "PRE_SCALE_UP"), "web")).isEmpty();
    assertThat(ServiceDeployments.record(status, d(A, "IN_PROGRESS", "TEST_TRAFFIC_SHIFT"), "web")).hasSize(1);
    assertThat(ServiceDeployments.record(status, d(A, "SUCCESSFUL", "CLEAN_UP"), "web"))
        .containsExactly("Service deployment A (BLUE_GREEN) of ECS service web ended SUCCESSFUL");
    assertThat(ServiceDeployments.record(status, d(A, "SUCCESSFUL", "CLEAN_UP"), "web")).isEmpty();
    assertThat(status.rollout.serviceDeploymentArn).isEqualTo(A);
    assertThat(status.rollout.status).isEqualTo("SUCCESSFUL");
    assertThat(status.rollout.strategy).isEqualTo("BLUE_GREEN");
    assertThat(status.rollout.targetServiceRevision.requestedTestTrafficWeight).isEqualTo(100.0);
    assertThat(status.rollout.sourceServiceRevisions).extracting(r -> r.arn).containsExactly("rev-1");
    assertThat(status.rollout.startedAt).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ServiceDeployments.record(status, d(B, "IN_PROGRESS", "RECONCILE_SERVICE"), "web")).hasSize(1);
  }

  @Test
  void aPassThatReadsNothingJudgesWhatStatusKept() {
    EcsServiceStatus status = new EcsServiceStatus();
    ServiceDeployments.record(status, d(A, "SUCCESSFUL", null), "web");
    ServiceDeployments.Judged judged = deployments.judge(status, "us-east-1", "prod", service(A), null, false, false, TD,
        () -> { throw new AssertionError("no rolling verdict"); });
    assertThat(gateway.reads()).as("no deployment API read in sync").isZero();
    assertThat(judged.verdict().health().reason()).isEqualTo("RolloutComplete");
    assertThat(judged.told()).isEmpty();
    assertThat(status.rolloutPhase).isEqualTo("SUCCESSFUL");
  }

  @Test
  void aPassThatWroteReadsTheDeploymentTheAnswerNames() {
    EcsServiceStatus status = new EcsServiceStatus();
    ServiceDeployments.record(status, d(A, "SUCCESSFUL", null), "web");
    gateway.put(d(B, "PENDING", null));
    ServiceDeployments.Judged judged = deployments.judge(status, "us-east-1", "prod", service(B), null, true, true, TD,
        () -> null);
    assertThat(gateway.describes).isEqualTo(1);
    assertThat(judged.verdict().health().reason()).isEqualTo("RolloutInProgress");
    assertThat(status.rollout.serviceDeploymentArn).isEqualTo(B);
    assertThat(status.rolloutPhase).isEqualTo("PENDING");
  }

  @Test
  void aWriteThatStartedADeploymentEcsDoesNotNameYetIsNotJudgedOnTheFinishedOne() {
    EcsServiceStatus status = new EcsServiceStatus();
    ServiceDeployments.record(status, d(A, "SUCCESSFUL", null), "web");
    gateway.put(d(A, "SUCCESSFUL", null));
    ServiceDeployments.Judged judged = deployments.judge(status, "us-east-1", "prod", service(A), null, true, true,
        TD, () -> null);
    assertThat(judged.verdict().health().reason()).isEqualTo("RolloutInProgress");
    assertThat(judged.verdict().requeue()).contains(Rollout.POLL);
    assertThat(judged.told()).isEmpty();
    assertThat(deployments.judge(status, "us-east-1", "prod", service(A), null, true, false, TD, () -> null)
        .verdict().health().reason()).as("a write that started none: the finished one stands")
        .isEqualTo("RolloutComplete");
  }

  @Test
  void withNoDeploymentKnownTheRollingVerdictStands() {
    EcsServiceStatus status = new EcsServiceStatus();
    Rollout.Verdict rolling = Rollout.Verdict.of(io.ecsbridge.status.Health.ready("RolloutComplete", "ok"));
    assertThat(deployments.judge(status, "us-east-1", "prod", service(null), null, false, false, TD,
        () -> rolling)
        .verdict()).isSameAs(rolling);
    assertThat(List.of(status.rolloutPhase == null)).containsExactly(true);
  }
}
