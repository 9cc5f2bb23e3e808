package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The slow backoff of Stalled resources: first wait, doubling, capped at the resync period, jitter, forgetting. */
class StalledRechecksTest {

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-04T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
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
  }

  private final MovingClock clock = new MovingClock();
  private final StalledRechecks rechecks = new StalledRechecks(Duration.ofMinutes(1), Duration.ofMinutes(10), clock);

  @Test
  void waitsDoubleUpToTheResyncPeriodWithAtMostTenPercentJitter() {
    long[] expectedMinutes = {1, 2, 4, 8, 10, 10};
    for (long minutes : expectedMinutes) {
      Duration wait = rechecks.stalled("a");
      assertThat(wait).isBetween(Duration.ofMinutes(minutes), Duration.ofMinutes(minutes).multipliedBy(11)
          .dividedBy(10));
      assertThat(rechecks.untilDue("a")).isEqualTo(wait);
      clock.advance(wait);
      assertThat(rechecks.untilDue("a")).isZero();
    }
  }

  @Test
  void nothingRememberedIsDueNowAndClearForgets() {
    assertThat(rechecks.untilDue("a")).isZero();
    rechecks.stalled("a");
    assertThat(rechecks.untilDue("a")).isPositive();
    assertThat(rechecks.untilDue("b")).as("per resource").isZero();
    rechecks.clear("a");
    assertThat(rechecks.untilDue("a")).isZero();
    assertThat(rechecks.stalled("a")).as("a new episode starts at the first wait").isLessThan(Duration.ofSeconds(67));
  }

  @Test
  void aResyncShorterThanTheFirstWaitDoesNotHurryAStalledResource() {
    StalledRechecks fast = new StalledRechecks(Duration.ofMinutes(1), Duration.ofSeconds(1), clock);
    assertThat(fast.stalled("a")).isBetween(Duration.ofMinutes(1), Duration.ofSeconds(66));
    assertThat(fast.stalled("a")).isBetween(Duration.ofMinutes(1), Duration.ofSeconds(66));
  }

  @Test
  void lookAtTheFirstHourWithTheDefaults() {
    int looks = 1; // the look that found it Stalled
    Duration elapsed = Duration.ZERO;
    while (true) {
      Duration wait = rechecks.stalled("a");
      elapsed = elapsed.plus(wait);
      if (elapsed.compareTo(Duration.ofHours(1)) > 0) {
        break;
      }
      clock.advance(wait);
      looks++;
    }
    assertThat(looks).as("looks in the first hour (1 min doubling to 10 min)").isBetween(8, 9);
  }
}
