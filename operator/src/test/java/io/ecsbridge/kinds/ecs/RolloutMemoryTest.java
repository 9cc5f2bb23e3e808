package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.status.Health;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutMemoryTest {
  private static final String V2 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:2";
  private static final Rollout.Verdict MOVING = new Rollout.Verdict(
      Health.progressing("RolloutInProgress", "Deployment ecs-svc/3 of web:1 in progress"), true, null);

  /**
   * web:2 rolled back; a person then changed another field, whose UpdateService started a deployment of web:1. The
   * verdict is RolledBack however that deployment ends: looking at it every 1 to 2 s, without the escalation that only
   * Reconciling resources get, would read ECS some 1,800 times an hour for nothing.
   */
  @Test
  void aServiceStalledOnARolledBackRevisionDoesNotPollTheRolloutUnderIt() {
    EcsServiceStatus status = new EcsServiceStatus();
    status.failedTaskDefinition = V2;
    for (boolean wrote : new boolean[] {true, false}) {
      RolloutMemory.Verdict v = RolloutMemory.verdict(status, MOVING, true,
          new RolloutMemory.Before(V2, V2, null), wrote);
      assertThat(v.result().health().state()).isEqualTo(Health.State.STALLED);
      assertThat(v.result().health().reason()).isEqualTo("RolledBack");
      assertThat(v.result().requeue()).as("wrote " + wrote).isEmpty();
    }
  }

  @Test
  void aRolloutInProgressIsLookedAtSoonAfterTheWriteThenEveryPoll() {
    EcsServiceStatus status = new EcsServiceStatus();
    RolloutMemory.Before before = new RolloutMemory.Before(V2, null, null);
    assertThat(RolloutMemory.verdict(status, MOVING, true, before, true).result().requeue())
        .contains(Duration.ofSeconds(1));
    assertThat(RolloutMemory.verdict(status, MOVING, true, before, false).result().requeue())
        .contains(Duration.ofSeconds(2));
  }
}
