package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The queue's arithmetic on nanoTime instants, which are compared by their difference: nanoTime may wrap. */
class ResyncQueueTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final long SPACING = Duration.ofMillis(500).toNanos();

  @Test
  void placesGivenAcrossTheWrapOfNanoTimeAreCountedKeptAndQueuedAfter() {
    ResyncQueue queue = new ResyncQueue();
    long now = Long.MAX_VALUE - SECOND / 2; // the slots below lie beyond Long.MAX_VALUE: negative numbers
    long a = queue.defer("a", now, SECOND, SPACING);
    assertThat(a - now).isEqualTo(SECOND);
    assertThat(queue.waiting(now)).as("a's place is to come").isEqualTo(1);

    long b = queue.defer("b", now, SECOND, SPACING);
    assertThat(b - a).as("b after a, one spacing later").isEqualTo(SPACING);
    assertThat(queue.defer("a", now + SECOND / 4, SECOND / 10, SPACING)).as("a came early: it keeps its place")
        .isEqualTo(a);

    long later = now + 2 * SECOND;
    assertThat(queue.waiting(later)).as("both slots passed less than COMING ago").isEqualTo(2);
    queue.defer("c", later, 0, SPACING);
    assertThat(queue.size()).as("no place dropped as stale").isEqualTo(3);
    assertThat(queue.waiting(later + ResyncQueue.STALE.toNanos() + SECOND)).isZero();
  }
}
