package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryingTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T07:00:00Z"), ZoneOffset.UTC);

  private static String condition(EcrRepositoryStatus status, String type) {
    Condition c = Conditions.find(status.getConditions(), type).orElseThrow();
    return c.getStatus() + " " + c.getReason();
  }

  @Test
  void aStalledVerdictOfThisGenerationOutlivesATransientError() {
    EcrRepositoryStatus status = new EcrRepositoryStatus();
    Conditions.apply(status, Health.stalled("RolloutFailed", "the rollout failed"), 3, CLOCK);
    status.setObservedGeneration(3L);

    Retrying.mark(status, "AwsRetrying", "Retrying after a transient AWS error (ThrottlingException)", 3, CLOCK);

    assertThat(condition(status, Conditions.STALLED)).isEqualTo("True RolloutFailed");
    assertThat(condition(status, Conditions.READY)).isEqualTo("False RolloutFailed");
    assertThat(condition(status, Conditions.RECONCILING)).startsWith("False");
  }

  @Test
  void aNewGenerationIsReconcilingNotStalledWhileRetried() {
    EcrRepositoryStatus status = new EcrRepositoryStatus();
    Conditions.apply(status, Health.stalled("RolloutFailed", "the rollout failed"), 3, CLOCK);
    status.setObservedGeneration(3L);

    Retrying.mark(status, "AwsRetrying", "Retrying after a transient AWS error (ThrottlingException)", 4, CLOCK);

    assertThat(condition(status, Conditions.STALLED)).isEqualTo("False NotStalled");
    assertThat(condition(status, Conditions.RECONCILING)).isEqualTo("True AwsRetrying");
    assertThat(condition(status, Conditions.READY)).isEqualTo("False AwsRetrying");
    assertThat(status.getObservedGeneration()).isEqualTo(4L);
  }

  @Test
  void aReadyResourceStaysReadyAndIsMarkedReconciling() {
    EcrRepositoryStatus status = new EcrRepositoryStatus();
    Conditions.apply(status, Health.ready("Synced", "in sync"), 3, CLOCK);
    status.setObservedGeneration(3L);

    Retrying.mark(status, "AwsRetrying", "Retrying after a transient AWS error (ThrottlingException)", 3, CLOCK);

    assertThat(condition(status, Conditions.READY)).isEqualTo("True Synced");
    assertThat(condition(status, Conditions.RECONCILING)).isEqualTo("True AwsRetrying");
    assertThat(condition(status, Conditions.STALLED)).startsWith("False");
  }
}
