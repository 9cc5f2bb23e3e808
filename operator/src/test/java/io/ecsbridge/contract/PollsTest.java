package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Polls of work in flight slow down the longer it lasts: 2 s, then 5, 15, 30. */
class PollsTest {
  @Test
  void aRolloutPollSlowsDownAsItLasts() {
    Duration rollout = Duration.ofSeconds(2);
    assertThat(Polls.escalate(rollout, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(2));
    assertThat(Polls.escalate(rollout, Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(5));
    assertThat(Polls.escalate(rollout, Duration.ofMinutes(3))).isEqualTo(Duration.ofSeconds(15));
    assertThat(Polls.escalate(rollout, Duration.ofHours(5))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aLongerWaitTheKindAskedForIsKept() {
    assertThat(Polls.escalate(Duration.ofMinutes(10), Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void resyncsAreSpreadOverTheLastTenthOfThePeriodNeverLater() {
    java.util.Set<Duration> seen = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Duration next = Polls.resync(Duration.ofMinutes(10));
      assertThat(next).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
      seen.add(next);
    }
    assertThat(seen).as("drawn, not fixed").hasSizeGreaterThan(900);
  }
}
