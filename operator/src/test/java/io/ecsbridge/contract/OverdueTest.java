package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.aws.Lanes.Lane;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OverdueTest {
  private final StalledRechecksTest.MovingClock clock = new StalledRechecksTest.MovingClock();
  private final Overdue overdue = new Overdue(Duration.ofSeconds(15), clock);

  @Test
  void aResourceDeferredForAWholePeriodWaitsForItsTokensInsteadOfBeingDeferredAgain() {
    assertThat(overdue.lane("a", Lane.RESYNC)).isEqualTo(Lane.RESYNC);
    overdue.deferred("a");
    clock.advance(Duration.ofSeconds(10));
    overdue.deferred("a"); // a later deferral of the same run does not restart the clock
    assertThat(overdue.lane("a", Lane.RESYNC)).isEqualTo(Lane.RESYNC);
    clock.advance(Duration.ofSeconds(5));
    assertThat(overdue.lane("a", Lane.RESYNC)).isEqualTo(Lane.USER);
    assertThat(overdue.lane("b", Lane.RESYNC)).as("another resource").isEqualTo(Lane.RESYNC);
  }

  @Test
  void aPassThatRanEndsTheRunAndUserStaysUser() {
    overdue.deferred("a");
    clock.advance(Duration.ofSeconds(20));
    overdue.ran("a");
    assertThat(overdue.lane("a", Lane.RESYNC)).isEqualTo(Lane.RESYNC);
    assertThat(overdue.lane("a", Lane.USER)).isEqualTo(Lane.USER);
  }
}
