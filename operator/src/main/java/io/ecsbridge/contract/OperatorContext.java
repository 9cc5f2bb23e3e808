package io.ecsbridge.contract;

import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;

/**
 * What every reconciler shares: where Events go, the clock, this operator's identity, the resync period, the first
 * wait before a Stalled resource is looked at again by itself (doubling up to the resync period), how status is
 * written, and the tenancy settings: whether one namespace may reach another's AWS resources, and how the custom
 * resource an owner tag names is looked up; and which AWS identity a namespaced resource acts as ({@link AccountScopes}).
 */
public record OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod,
    Duration stalledRecheck, StatusWriter statusWriter, boolean allowCrossNamespace, OwnerLookup owners,
    AccountScopes accounts) {

  public static final Duration DEFAULT_STALLED_RECHECK = Duration.ofMinutes(1);

  /** Every resource acting as the operator itself ({@link AccountScopes#OPERATOR}). */
  public OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod,
      Duration stalledRecheck, StatusWriter statusWriter, boolean allowCrossNamespace, OwnerLookup owners) {
    this(events, clock, instanceId, resyncPeriod, stalledRecheck, statusWriter, allowCrossNamespace, owners,
        AccountScopes.OPERATOR);
  }

  /** The same context, resources acting as the accounts {@code accounts} resolves. */
  public OperatorContext withAccounts(AccountScopes accounts) {
    return new OperatorContext(events, clock, instanceId, resyncPeriod, stalledRecheck, statusWriter,
        allowCrossNamespace, owners, accounts);
  }

  /** Namespaces kept apart, no owner look-up (every other owner counts as existing), status through JOSDK's cache. */
  public OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod) {
    this(events, clock, instanceId, resyncPeriod, DEFAULT_STALLED_RECHECK, StatusWriter.CACHED, false,
        OwnerLookup.UNCHECKED);
  }

  /** The same with the given stalled recheck and status writer (unit tests keep status in memory). */
  public OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod,
      Duration stalledRecheck, StatusWriter statusWriter) {
    this(events, clock, instanceId, resyncPeriod, stalledRecheck, statusWriter, false, OwnerLookup.UNCHECKED);
  }

  /** The same with the given tenancy settings. */
  public OperatorContext(EventRecorder events, Clock clock, String instanceId, Duration resyncPeriod,
      boolean allowCrossNamespace, OwnerLookup owners) {
    this(events, clock, instanceId, resyncPeriod, DEFAULT_STALLED_RECHECK, StatusWriter.CACHED, allowCrossNamespace,
        owners);
  }
}
