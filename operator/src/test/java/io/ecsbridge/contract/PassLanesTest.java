package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.ecsbridge.aws.Lanes.Lane;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Which lane a pass runs in, from what the resource shows before any AWS call. */
class PassLanesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T08:00:00Z"), ZoneOffset.UTC);

  private static EcrRepositoryStatus status(Health health, long generation, String handled) {
    EcrRepositoryStatus status = new EcrRepositoryStatus();
    Conditions.apply(status, health, generation, CLOCK);
    status.setLastHandledReconcileAt(handled);
    return status;
  }

  private static final Health READY = Health.ready("Synced", "in sync");

  @Test
  void aResourceInSyncWithNothingAskedIsAResync() {
    assertThat(PassLanes.of(status(READY, 3, null), 3, null, () -> false)).isEqualTo(Lane.RESYNC);
    assertThat(PassLanes.of(status(READY, 3, "t1"), 3, "t1", () -> false)).isEqualTo(Lane.RESYNC);
  }

  @Test
  void aNewResourceOrANewGenerationIsAPersonsChange() {
    assertThat(PassLanes.of(null, 1, null, () -> false)).isEqualTo(Lane.USER);
    assertThat(PassLanes.of(status(READY, 3, null), 4, null, () -> false)).isEqualTo(Lane.USER);
    EcrRepositoryStatus unobserved = status(READY, 3, null);
    unobserved.setObservedGeneration(null);
    assertThat(PassLanes.of(unobserved, 3, null, () -> false)).isEqualTo(Lane.USER);
  }

  @Test
  void aReconcileRequestNotYetHandledIsAPersonsChange() {
    assertThat(PassLanes.of(status(READY, 3, null), 3, "t1", () -> false)).isEqualTo(Lane.USER);
    assertThat(PassLanes.of(status(READY, 3, "t1"), 3, "t2", () -> false)).isEqualTo(Lane.USER);
    assertThat(PassLanes.of(status(READY, 3, "t1"), 3, null, () -> false)).as("the annotation removed")
        .isEqualTo(Lane.USER);
  }

  @Test
  void aResourceNotReadyOrWithWorkInFlightIsAChangesContinuation() {
    assertThat(PassLanes.of(status(Health.progressing("RolloutInProgress", "rolling"), 3, null), 3, null,
        () -> false)).isEqualTo(Lane.USER);
    assertThat(PassLanes.of(status(Health.stalled("AccessDenied", "no"), 3, null), 3, null, () -> false))
        .isEqualTo(Lane.USER);
    EcrRepositoryStatus retrying = status(READY, 3, null);
    Retrying.mark(retrying, "AwsRetrying", "throttled", 3, CLOCK);
    assertThat(PassLanes.of(retrying, 3, null, () -> false)).as("Ready, and Reconciling AwsRetrying")
        .isEqualTo(Lane.USER);
  }

  @Test
  void aReferencedObjectThatChangedIsAPersonsChangeAndIsAskedOnlyOfAResourceInSync() {
    assertThat(PassLanes.of(status(READY, 3, null), 3, null, () -> true)).isEqualTo(Lane.USER);
    boolean[] asked = {false};
    PassLanes.of(status(READY, 3, null), 4, null, () -> asked[0] = true);
    assertThat(asked[0]).as("a new generation decides first").isFalse();
  }
}
