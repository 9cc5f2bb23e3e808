package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** How the frame marks a pass that will be tried again: a retryable failure, a deletion whose account is gone. */
final class Retrying {
  private Retrying() {}

  /**
   * A retryable failure: Reconciling (AwsRetrying, or Retrying for an error that is not AWS's), not Stalled, at the
   * generation being worked on (kstatus). Ready stays as it was for a resync of this generation (a throttled read says
   * nothing about whether AWS matches the spec); a new generation is not Ready until it has been applied. Likewise a
   * resource Stalled at this generation stays Stalled, its verdict untouched: a throttled read while it is looked at
   * again says nothing new (a failed rollout must not flap to Reconciling and back while AWS throttles); the Warning
   * Event and the log say it is retried, and the next pass that reads AWS decides.
   */
  static void mark(AwsResourceStatus status, String reason, String message, long generation, Clock clock) {
    boolean sameGeneration = Objects.equals(status.getObservedGeneration(), generation);
    if (sameGeneration && Conditions.isTrue(status, Conditions.STALLED)) {
      return;
    }
    Conditions.set(status.getConditions(), Conditions.RECONCILING, true, reason, message, generation, clock);
    Conditions.set(status.getConditions(), Conditions.STALLED, false, "NotStalled", "", generation, clock);
    if (!sameGeneration || Conditions.find(status.getConditions(), Conditions.READY).isEmpty()) {
      Conditions.set(status.getConditions(), Conditions.READY, false, reason, message, generation, clock);
    }
    status.setObservedGeneration(generation);
  }

  /**
   * A deletion whose account does not resolve: an account not reconciled yet is waited for (Reconciling); any other
   * verdict blocks it, Stalled AccountUnavailable saying what to do (never deleted as another identity).
   */
  static AwsResourceReconciler.DeleteResult accountGone(String what, String accountId,
      AccountScopes.Resolution account, Duration recheck) {
    if (account.verdict().state() == Health.State.PROGRESSING) {
      return AwsResourceReconciler.DeleteResult.waiting(account.verdict(), account.requeue());
    }
    return new AwsResourceReconciler.DeleteResult(false, AccountScopes.unavailable(what, accountId,
        account.verdict()), recheck, true);
  }
}
