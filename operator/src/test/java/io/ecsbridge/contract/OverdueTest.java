package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.aws.Lanes.Lane;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OverdueTest {
  private Instant now = Instant.parse("2026-12-05T10:00:00Z");
  private final Overdue overdue = new Overdue(Duration.ofSeconds(15), new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  });

  @Test
  void aResourceDeferredForAWholePeriodWaitsForItsTokensInsteadOfBeingDeferredAgain() {
    assertThat(overdue.lane("a", Lane.RESYNC)).isEqualTo(Lane.RESYNC);
    overdue.deferred("a");
    now = now.plusSeconds(10);
    overdue.deferred("a"); // a later deferral of the same run does not restart the clock
    assertThat(overdue.lane("a", Lane.RESYNC)).isEqualTo(Lane.RESYNC);
    now = now.plusSeconds(5);
    assertThat(overdue.lane("a", Lane.RESYNC)).isEqualTo(Lane.USER);
    assertThat(overdue.lane("b", Lane.RESYNC)).as("another resource").isEqualTo(Lane.RESYNC);
  }

  @Test
  void aPassThatRanEndsTheRunAndUserStaysUser() {
    overdue.deferred("a");
    now = now.plusSeconds(20);
    overdue.ran("a");
    assertThat(overdue.lane("a", Lane.RESYNC)).isEqualTo(Lane.RESYNC);
    assertThat(overdue.lane("a", Lane.USER)).isEqualTo(Lane.USER);
  }
}
