package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.status.Conditions;
import java.time.Duration;

/**
 * How often a resource whose work is in flight (a rollout, a drain, a cluster waiting for its services) is looked at:
 * what the kind asks for at first, then no more often than every 5 s after 30 s, every 15 s after 2 min and every
 * 30 s after 10 min, so that a rollout that never ends or a deletion blocked by someone else costs a bounded number
 * of reads an hour (120 at most after the first 10 minutes).
 */
public final class Polls {
  private Polls() {}

  /**
   * @param requested the wait the kind asked for
   * @param inFlight how long the resource has been Reconciling, whatever the reason (the condition's
   *     lastTransitionTime: a new reason while Reconciling does not restart it)
   */
  public static Duration escalate(Duration requested, Duration inFlight) {
    Duration floor = inFlight.compareTo(Duration.ofMinutes(10)) >= 0 ? Duration.ofSeconds(30)
        : inFlight.compareTo(Duration.ofMinutes(2)) >= 0 ? Duration.ofSeconds(15)
        : inFlight.compareTo(Duration.ofSeconds(30)) >= 0 ? Duration.ofSeconds(5)
        : Duration.ZERO;
    return requested.compareTo(floor) >= 0 ? requested : floor;
  }

  /** How long the resource has been Reconciling (the condition's lastTransitionTime; zero if unknown). */
  public static Duration reconcilingFor(AwsResourceStatus status, java.time.Clock clock) {
    return Conditions.find(status.getConditions(), Conditions.RECONCILING)
        .filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(c -> {
          try {
            Duration age = Duration.between(java.time.Instant.parse(c.getLastTransitionTime()), clock.instant());
            return age.isNegative() ? Duration.ZERO : age;
          } catch (java.time.format.DateTimeParseException e) {
            return Duration.ZERO;
          }
        })
        .orElse(Duration.ZERO);
  }
  /**
   * When a resource with nothing in flight is looked at next: the resync period less 0 to 10%, drawn per look, so
   * that resources created or restarted together drift apart instead of resyncing (and calling AWS) at the same
   * moment. JOSDK's maximum reconciliation interval, the resync period itself, stays the upper bound.
   */
  public static Duration resync(Duration period) {
    long millis = period.toMillis();
    return Duration.ofMillis(millis - java.util.concurrent.ThreadLocalRandom.current().nextLong(millis / 10 + 1));
  }
}
