package io.ecsbridge.reconciler;

import io.ecsbridge.status.EventRecorder;
import java.time.Clock;
import java.time.Duration;

/**
 * What every reconciler shares: where Events go, the clock, this operator's identity, the resync period, and the
 * tenancy settings: whether one namespace may reach another's AWS resources, and how the custom resource an owner tag
 * names is looked up.
 */
public record OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod,
    boolean allowCrossNamespace, OwnerLookup owners) {

  /** Namespaces kept apart, and no owner look-up: every other owner counts as existing. */
  public OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod) {
    this(events, clock, instanceId, resyncPeriod, false, OwnerLookup.UNCHECKED);
  }
}
