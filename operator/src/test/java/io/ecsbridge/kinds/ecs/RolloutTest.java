package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.kinds.ecs.Rollout.Verdict;
import io.ecsbridge.status.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * Rollout health from DescribeServices responses shaped like real ECS's (SDK model classes), following a service
 * through the stages ECS-NOTES.md describes: create, update, failure, circuit-breaker rollback and its trap.
 */
class RolloutTest {
  private static final String V1 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1";
  private static final String V2 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:2";
  private static final String V3 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3";
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private static Deployment deployment(String id, String status, DeploymentRolloutState state, String reason,
      String taskDefinition, int desired, int running, int pending, int failed) {
    return Deployment.builder().id(id).status(status).rolloutState(state).rolloutStateReason(reason)
        .taskDefinition(taskDefinition).desiredCount(desired).runningCount(running).pendingCount(pending)
        .failedTasks(failed).launchType("FARGATE").platformVersion("1.4.0").createdAt(T0).updatedAt(T0.plusSeconds(30))
        .build();
  }

  private static Service service(int desired, int running, Deployment... deployments) {
    return Service.builder().serviceName("web")
        .serviceArn("arn:aws:ecs:eu-west-1:123456789012:service/prod/web")
        .clusterArn("arn:aws:ecs:eu-west-1:123456789012:cluster/prod").status("ACTIVE")
        .desiredCount(desired).runningCount(running).pendingCount(desired - running)
        .taskDefinition(deployments.length == 0 ? null : deployments[0].taskDefinition())
        .deployments(List.of(deployments)).build();
  }

  @Test
  void aNewServiceRollsOutThenIsReady() {
    Verdict starting = Rollout.assess(service(2, 0, deployment("ecs-svc/1", "PRIMARY",
        DeploymentRolloutState.IN_PROGRESS, "ECS deployment ecs-svc/1 in progress.", V1, 2, 0, 2, 0)), V1,
        "ecs-svc/1", null);
    assertThat(starting.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(starting.health().reason()).isEqualTo("RolloutInProgress");
    assertThat(starting.requeue()).contains(Duration.ofSeconds(2));
    assertThat(starting.requeue(true)).as("after the pass's own write").contains(Duration.ofSeconds(1));

    Verdict done = Rollout.assess(service(2, 2, deployment("ecs-svc/1", "PRIMARY",
        DeploymentRolloutState.COMPLETED, "ECS deployment ecs-svc/1 completed.", V1, 2, 2, 0, 0)), V1, "ecs-svc/1", null);
    assertThat(done.health().state()).isEqualTo(Health.State.READY);
    assertThat(done.requeue()).isEmpty();
    assertThat(done.requeue(true)).as("nothing moving: nothing to look at soon").isEmpty();
    assertThat(done.failedTaskDefinition()).isNull();
  }

  @Test
  void anUpdateIsInProgressWhileTheOldDeploymentDrainsThenReady() {
    Deployment old = deployment("ecs-svc/1", "ACTIVE", DeploymentRolloutState.COMPLETED,
        "ECS deployment ecs-svc/1 completed.", V1, 2, 2, 0, 0);
    Verdict rolling = Rollout.assess(service(2, 3, deployment("ecs-svc/2", "PRIMARY",
        DeploymentRolloutState.IN_PROGRESS, "ECS deployment ecs-svc/2 in progress.", V2, 2, 1, 1, 0), old), V2,
        "ecs-svc/2", null);
    assertThat(rolling.health().reason()).isEqualTo("RolloutInProgress");
    assertThat(rolling.health().message()).contains(V2, "1/2 running");
    assertThat(rolling.moving()).isTrue();

    Verdict done = Rollout.assess(service(2, 2, deployment("ecs-svc/2", "PRIMARY",
        DeploymentRolloutState.COMPLETED, "ECS deployment ecs-svc/2 completed.", V2, 2, 2, 0, 0)), V2, "ecs-svc/2", null);
    assertThat(done.health().state()).isEqualTo(Health.State.READY);
  }

  @Test
  void completedButStillDrainingTheOldDeploymentIsNotReady() {
    Verdict v = Rollout.assess(service(2, 3, deployment("ecs-svc/2", "PRIMARY", DeploymentRolloutState.COMPLETED,
        "ECS deployment ecs-svc/2 completed.", V2, 2, 2, 0, 0), deployment("ecs-svc/1", "ACTIVE",
        DeploymentRolloutState.COMPLETED, "", V1, 0, 1, 0, 0)), V2, "ecs-svc/2", null);
    assertThat(v.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(v.moving()).isTrue();
  }

  @Test
  void aFailedRolloutWithoutRollbackIsStalledWithEcsReason() {
    String reason = "ECS deployment circuit breaker: tasks failed to start.";
    Verdict v = Rollout.assess(service(2, 2, deployment("ecs-svc/2", "PRIMARY", DeploymentRolloutState.FAILED,
        reason, V2, 2, 0, 0, 3), deployment("ecs-svc/1", "ACTIVE", DeploymentRolloutState.COMPLETED, "", V1, 2, 2,
        0, 0)), V2, "ecs-svc/2", null);
    assertThat(v.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(v.health().reason()).isEqualTo("RolloutFailed");
    assertThat(v.health().message()).isEqualTo(reason);
    assertThat(v.failedTaskDefinition()).isEqualTo(V2);
    assertThat(v.requeue()).isEmpty();
  }

  @Test
  void aRollbackInProgressIsStalledRolledBack() {
    Verdict v = Rollout.assess(service(2, 2,
        deployment("ecs-svc/3", "PRIMARY", DeploymentRolloutState.IN_PROGRESS,
            "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.", V1, 2, 1, 1, 0),
        deployment("ecs-svc/2", "ACTIVE", DeploymentRolloutState.FAILED,
            "ECS deployment circuit breaker: tasks failed to start.", V2, 0, 0, 0, 3)), V2, "ecs-svc/2", null);
    assertThat(v.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(v.health().reason()).isEqualTo("RolledBack");
    assertThat(v.health().message()).contains(V2, V1, "tasks failed to start");
    assertThat(v.failedTaskDefinition()).isEqualTo(V2);
  }

  @Test
  void theTrapAfterARollbackTheServiceLooksStableButIsNotReady() {
    // one deployment, COMPLETED, running == desired: the services-stable waiter would succeed here
    Service stable = service(2, 2, deployment("ecs-svc/3", "PRIMARY", DeploymentRolloutState.COMPLETED,
        "ECS deployment ecs-svc/3 completed.", V1, 2, 2, 0, 0));
    Verdict v = Rollout.assess(stable, V2, "ecs-svc/2", V1);
    assertThat(v.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(v.health().reason()).isEqualTo("RolledBack");
    assertThat(v.failedTaskDefinition()).isEqualTo(V2);
    assertThat(v.moving()).isFalse();
  }

  @Test
  void ourDeploymentGoneAndAnotherRevisionCompletedIsDriftNotARollback() {
    // someone ran update-service --task-definition web:3 and it completed: no rolling back, not the revision before ours
    Service changed = service(2, 2, deployment("ecs-svc/4", "PRIMARY", DeploymentRolloutState.COMPLETED,
        "ECS deployment ecs-svc/4 completed.", V3, 2, 2, 0, 0));
    Verdict v = Rollout.assess(changed, V2, "ecs-svc/2", V1);
    assertThat(v.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(v.health().reason()).isEqualTo("UpdatePending");
    assertThat(v.failedTaskDefinition()).isNull();
  }

  @Test
  void aRollbackSaidByThePrimaryIsStalledEvenWithoutThePreviousRevision() {
    Service rolledBack = service(2, 2, deployment("ecs-svc/3", "PRIMARY", DeploymentRolloutState.COMPLETED,
        "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.", V1, 2, 2, 0, 0));
    Verdict v = Rollout.assess(rolledBack, V2, "ecs-svc/2", null);
    assertThat(v.health().reason()).isEqualTo("RolledBack");
    assertThat(v.failedTaskDefinition()).isEqualTo(V2);
  }

  @Test
  void anotherDeploymentOfTheSameTaskDefinitionIsNotARollback() {
    // someone forced a new deployment: ours is gone, but the PRIMARY runs what the spec asks for
    Verdict v = Rollout.assess(service(2, 2, deployment("ecs-svc/9", "PRIMARY", DeploymentRolloutState.COMPLETED,
        "ECS deployment ecs-svc/9 completed.", V2, 2, 2, 0, 0)), V2, "ecs-svc/2", null);
    assertThat(v.health().state()).isEqualTo(Health.State.READY);
  }

  @Test
  void aServiceOnAnotherTaskDefinitionThatWeDidNotDeployIsPendingNotStalled() {
    Verdict v = Rollout.assess(service(2, 2, deployment("ecs-svc/1", "PRIMARY", DeploymentRolloutState.COMPLETED,
        "", V1, 2, 2, 0, 0)), V2, null, null);
    assertThat(v.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(v.health().reason()).isEqualTo("UpdatePending");
    assertThat(v.moving()).isFalse();
  }

  @Test
  void runningBelowDesiredIsScalingNotReadyAndNotPolledFast() {
    Verdict v = Rollout.assess(service(4, 2, deployment("ecs-svc/1", "PRIMARY", DeploymentRolloutState.COMPLETED,
        "", V1, 4, 2, 2, 0)), V1, "ecs-svc/1", null);
    assertThat(v.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(v.health().reason()).isEqualTo("Scaling");
    assertThat(v.moving()).isFalse();
    assertThat(v.requeue()).contains(Duration.ofSeconds(15));
  }

  @Test
  void aDrainingServiceIsNotReady() {
    Service draining = service(0, 0).toBuilder().status("DRAINING").build();
    assertThat(Rollout.assess(draining, V1, null, null).health().state()).isEqualTo(Health.State.PROGRESSING);
  }

  @Test
  void externalControllersAreJudgedByTaskSets() {
    Service external = service(2, 2).toBuilder()
        .deploymentController(c -> c.type(DeploymentControllerType.EXTERNAL)).build();
    assertThat(Rollout.assess(external, V2, null, null).health().state()).isEqualTo(Health.State.READY);

    TaskSet stabilizing = TaskSet.builder().id("ecs-svc/ts1").status("PRIMARY")
        .stabilityStatus(StabilityStatus.STABILIZING).taskDefinition(V1).computedDesiredCount(2).runningCount(1)
        .build();
    Verdict moving = Rollout.assess(external.toBuilder().taskSets(stabilizing).build(), V2, null, null);
    assertThat(moving.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(moving.moving()).isTrue();

    Verdict steady = Rollout.assess(external.toBuilder().taskSets(stabilizing.toBuilder()
        .stabilityStatus(StabilityStatus.STEADY_STATE).build()).build(), V2, null, null);
    assertThat(steady.health().state()).isEqualTo(Health.State.READY);
  }
}
