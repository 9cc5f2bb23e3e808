package io.ecsbridge.reconciler;

import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;

/**
 * What every reconciler shares: where Events go, the clock, this operator's identity, the resync period, the first
 * wait before a Stalled resource is looked at again by itself (doubling up to the resync period), and how status is
 * written.
 */
public record OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod,
    Duration stalledRecheck, StatusWriter statusWriter) {

  public static final Duration DEFAULT_STALLED_RECHECK = Duration.ofMinutes(1);

  public OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod) {
    this(events, clock, instanceId, resyncPeriod, DEFAULT_STALLED_RECHECK, StatusWriter.CACHED);
  }
}
