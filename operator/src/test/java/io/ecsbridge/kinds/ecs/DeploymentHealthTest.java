package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.status.Health;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.Rollback;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/** Health of a BLUE_GREEN / LINEAR / CANARY service from its service deployment, shaped like ECS's answers. */
class DeploymentHealthTest {
  private static final String TD1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
  private static final String TD2 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2";
  private static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/Abc123";

  private static Service service(String td, int running, int desired) {
    return Service.builder().serviceName("web").status("ACTIVE").taskDefinition(td).runningCount(running)
        .desiredCount(desired).deploymentConfiguration(DeploymentConfiguration.builder().strategy("BLUE_GREEN")
            .build()).build();
  }

  private static ServiceDeployment.Builder deployment(String status) {
    return ServiceDeployment.builder().serviceDeploymentArn(ARN).status(status)
        .deploymentConfiguration(DeploymentConfiguration.builder().strategy("BLUE_GREEN").build());
  }

  @Test
  void inProgressIsReconcilingWithTheStageAndTheTrafficShift() {
    Rollout.Verdict v = DeploymentHealth.assess(deployment("IN_PROGRESS").lifecycleStage("TEST_TRAFFIC_SHIFT")
        .targetServiceRevision(ServiceRevisionSummary.builder().arn("rev").requestedTestTrafficWeight(100.0)
            .requestedProductionTrafficWeight(0.0).build()).build(), service(TD2, 2, 2), TD2);
    assertThat(v.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(v.health().reason()).isEqualTo("RolloutInProgress");
    assertThat(v.health().message()).isEqualTo("The BLUE_GREEN deployment Abc123 of ECS service web is IN_PROGRESS "
        + "in stage TEST_TRAFFIC_SHIFT (new revision: production traffic 0%, test traffic 100%)");
    assertThat(v.requeue()).contains(Rollout.POLL);
    assertThat(v.failedTaskDefinition()).isNull();
    assertThat(DeploymentHealth.phase(deployment("IN_PROGRESS").lifecycleStage("BAKE_TIME").build()))
        .isEqualTo("BAKE_TIME");
  }

  @Test
  void aCanaryShareIsToldAsECSReportsIt() {
    Rollout.Verdict v = DeploymentHealth.assess(deployment("IN_PROGRESS").lifecycleStage("PRODUCTION_TRAFFIC_SHIFT")
        .deploymentConfiguration(DeploymentConfiguration.builder().strategy("CANARY").build())
        .targetServiceRevision(ServiceRevisionSummary.builder().requestedProductionTrafficWeight(5.5).build())
        .build(), service(TD2, 2, 2), TD2);
    assertThat(v.health().message()).contains("The CANARY deployment", "production traffic 5.5%, test traffic -");
  }

  @Test
  void successfulOnTheExpectedTaskDefinitionWithAllTasksIsReady() {
    Rollout.Verdict v = DeploymentHealth.assess(deployment("SUCCESSFUL").build(), service(TD2, 2, 2), TD2);
    assertThat(v.health().state()).isEqualTo(Health.State.READY);
    assertThat(v.health().message()).isEqualTo("ECS service web runs " + TD2 + " with 2/2 tasks (BLUE_GREEN "
        + "deployment Abc123 SUCCESSFUL)");
    assertThat(v.requeue()).isEmpty();
    assertThat(DeploymentHealth.phase(deployment("SUCCESSFUL").lifecycleStage("CLEAN_UP").build()))
        .isEqualTo("SUCCESSFUL");
  }

  @Test
  void successfulOnAnotherTaskDefinitionOrShortOfTasksIsNotReady() {
    assertThat(DeploymentHealth.assess(deployment("SUCCESSFUL").build(), service(TD1, 2, 2), TD2).health().reason())
        .isEqualTo("UpdatePending");
    Rollout.Verdict scaling = DeploymentHealth.assess(deployment("SUCCESSFUL").build(), service(TD2, 1, 2), TD2);
    assertThat(scaling.health().reason()).isEqualTo("Scaling");
    assertThat(scaling.requeue()).contains(Rollout.SCALING_POLL);
  }

  @Test
  void aRollbackIsStalledRolledBackAndTheFailedTaskDefinitionIsNamed() {
    Rollout.Verdict v = DeploymentHealth.assess(deployment("ROLLBACK_SUCCESSFUL")
        .statusReason("ECS deployment circuit breaker: tasks failed to start.")
        .rollback(Rollback.builder().reason("ECS deployment circuit breaker: tasks failed to start.").build())
        .build(), service(TD1, 2, 2), TD2);
    assertThat(v.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(v.health().reason()).isEqualTo("RolledBack");
    assertThat(v.health().message()).isEqualTo("The BLUE_GREEN deployment Abc123 of ECS service web was rolled back "
        + "from " + TD2 + " to " + TD1 + ": ECS deployment circuit breaker: tasks failed to start.");
    assertThat(v.failedTaskDefinition()).isEqualTo(TD2);
    assertThat(v.requeue()).isEmpty();
  }

  @Test
  void aRollbackOfAnotherChangeNamesNoFailedTaskDefinition() {
    Rollout.Verdict v = DeploymentHealth.assess(deployment("ROLLBACK_SUCCESSFUL").build(), service(TD2, 2, 2), TD2);
    assertThat(v.health().reason()).isEqualTo("RolledBack");
    assertThat(v.failedTaskDefinition()).isNull();
  }

  @Test
  void stoppedAndRollbackFailedAreStalledWithEcsReason() {
    Rollout.Verdict stopped = DeploymentHealth.assess(deployment("STOPPED").statusReason("Stopped by a user.")
        .build(), service(TD1, 2, 2), TD2);
    assertThat(stopped.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(stopped.health().reason()).isEqualTo("RolloutFailed");
    assertThat(stopped.health().message()).endsWith("ended STOPPED: Stopped by a user.");
    assertThat(stopped.failedTaskDefinition()).isEqualTo(TD2);
    Rollout.Verdict failed = DeploymentHealth.assess(deployment("ROLLBACK_FAILED").statusReason("no capacity")
        .build(), service(TD2, 0, 2), TD2);
    assertThat(failed.health().message()).endsWith("ended ROLLBACK_FAILED: no capacity");
    assertThat(failed.failedTaskDefinition()).isNull();
  }

  @Test
  void stoppingAndRollingBackAreReconciling() {
    for (String status : new String[] {"STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"}) {
      Rollout.Verdict v = DeploymentHealth.assess(deployment(status).build(), service(TD2, 2, 2), TD2);
      assertThat(v.health().reason()).as(status).isEqualTo("RollingBack");
      assertThat(v.requeue()).as(status).contains(Duration.ofSeconds(2));
      assertThat(DeploymentHealth.finished(status)).isFalse();
    }
    assertThat(DeploymentHealth.assess(deployment("PENDING").build(), service(TD2, 0, 2), TD2).health().reason())
        .isEqualTo("RolloutInProgress");
  }
}
