package io.ecsbridge.contract;

import io.ecsbridge.aws.Lanes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fairness among deferred resyncs: a resource whose resync passes have been deferred ({@link
 * io.ecsbridge.aws.ResyncDeferred}) for a whole resync period runs its next pass in the USER lane, so it waits for
 * its budget's tokens instead of being deferred again. Without it, a budget saturated by resyncs for good (more resync
 * work per period than the budget allows) admits passes in no order, and an unlucky resource could be deferred
 * pass after pass and never resync (PrioritiesIT: one repository of 30 not resynced in 4 minutes at a 15 s period).
 * With it, every resource resyncs at least once every two periods, however saturated the budget; people's changes
 * keep the reserve and still go first, since overdue passes wait for tokens like they do.
 */
final class Overdue {
  private final Map<String, Instant> deferredSince = new ConcurrentHashMap<>();
  private final Duration period;
  private final Clock clock;

  Overdue(Duration period, Clock clock) {
    this.period = period;
    this.clock = clock;
  }

  /** The lane of a pass: RESYNC becomes USER once the resource has been deferred for a whole period. */
  Lanes.Lane lane(String uid, Lanes.Lane decided) {
    if (decided != Lanes.Lane.RESYNC) {
      return decided;
    }
    Instant since = deferredSince.get(uid);
    return since != null && !since.plus(period).isAfter(clock.instant()) ? Lanes.Lane.USER : decided;
  }

  /** The resource's pass was deferred (the first deferral of a run of them starts the clock). */
  void deferred(String uid) {
    deferredSince.putIfAbsent(uid, clock.instant());
  }

  /** A pass of the resource ran (or the resource is gone): the run of deferrals is over. */
  void ran(String uid) {
    deferredSince.remove(uid);
  }

  /** How many resources' runs of deferrals are remembered (tests: memory). */
  int size() {
    return deferredSince.size();
  }
}
