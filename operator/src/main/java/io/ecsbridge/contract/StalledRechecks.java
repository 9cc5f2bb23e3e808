package io.ecsbridge.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a Stalled resource is looked at again by itself: after {@code first}, then after twice the previous wait, up
 * to {@code max} (the resync period, or {@code first} if that is longer), each wait stretched by up to 10% at random so that resources stalled together
 * (an IAM change, a quota) do not come back together. Kept in memory per resource uid: a restart looks once at once,
 * which is what a restart is for.
 */
public final class StalledRechecks {
  private record Entry(Instant due, Duration period) {}

  private final Duration first;
  private final Duration max;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public StalledRechecks(Duration first, Duration max, Clock clock) {
    this.first = first;
    this.max = max.compareTo(first) < 0 ? first : max; // a resync shorter than the first wait does not hurry it
    this.clock = clock;
  }

  /** How long until the next look is due; zero when it is due now (or nothing is remembered). */
  public Duration untilDue(String uid) {
    Entry entry = uid == null ? null : entries.get(uid);
    if (entry == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), entry.due());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** A look ended Stalled: schedules the next one and returns the wait until it. */
  public Duration stalled(String uid) {
    Entry previous = uid == null ? null : entries.get(uid);
    Duration wait = previous == null ? first : min(previous.period().multipliedBy(2), max);
    long jitter = (long) (wait.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble());
    Duration delay = wait.plusMillis(jitter);
    if (uid != null) {
      entries.put(uid, new Entry(clock.instant().plus(delay), wait));
    }
    return delay;
  }

  /** The resource is no longer Stalled (or is gone): forget it. */
  public void clear(String uid) {
    if (uid != null) {
      entries.remove(uid);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
