package io.ecsbridge.reconciler;

import io.ecsbridge.status.EventRecorder;
import java.time.Clock;
import java.time.Duration;

/** What every reconciler shares: where Events go, the clock, this operator's identity, the resync period. */
public record OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod) {}
