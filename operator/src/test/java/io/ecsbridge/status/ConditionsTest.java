package io.ecsbridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Clock T1 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Clock T2 = Clock.fixed(Instant.parse("2026-01-01T01:00:00Z"), ZoneOffset.UTC);

  @Test
  void verdictsSetAllThreeConsistently() {
    EcrRepositoryStatus s = new EcrRepositoryStatus();
    Conditions.apply(s, Health.stalled("AccessDenied", "no"), 3, T1);
    assertThat(Conditions.isTrue(s, Conditions.STALLED)).isTrue();
    assertThat(Conditions.isTrue(s, Conditions.READY)).isFalse();
    assertThat(Conditions.isTrue(s, Conditions.RECONCILING)).isFalse();
    assertThat(s.getObservedGeneration()).isEqualTo(3L);
    assertThat(s.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
    Conditions.apply(s, Health.progressing("Creating", "..."), 4, T1);
    assertThat(Conditions.isTrue(s, Conditions.RECONCILING)).isTrue();
    assertThat(Conditions.isTrue(s, Conditions.STALLED)).isFalse();
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenStatusChanges() {
    EcrRepositoryStatus s = new EcrRepositoryStatus();
    Conditions.apply(s, Health.ready("Synced", "ok"), 1, T1);
    Conditions.apply(s, Health.ready("Synced", "still ok"), 2, T2);
    assertThat(Conditions.find(s.getConditions(), Conditions.READY).orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-01-01T00:00:00Z");
    Conditions.apply(s, Health.progressing("Updating", "..."), 3, T2);
    assertThat(Conditions.find(s.getConditions(), Conditions.READY).orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-01-01T01:00:00Z");
  }
}
