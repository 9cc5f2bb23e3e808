package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Which AWS identity a namespaced resource acts as (the AwsAccount that admits its namespace, or the operator's own):
 * the frame asks before every pass, reconcile and cleanup, and either binds the identity for the pass
 * ({@link io.ecsbridge.aws.AwsScope}) or ends the pass with the verdict, before any AWS call. Implemented in
 * {@code accounts/} (the frame knows only this interface).
 */
public interface AccountScopes {

  /** The identity of this pass, or the verdict that ends it first (and when to look again: null, the frame's). */
  Resolution resolve(HasMetadata resource, AwsResourceSpec spec, AwsResourceStatus status);

  /**
   * What reconciles a kind's resources when an AwsAccount serving (or having served) their namespace changes, or a
   * namespace's labels change; none when accounts are not resolved.
   */
  <R extends HasMetadata> List<EventSource<?, R>> eventSources(EventSourceContext<R> context);

  /**
   * Whether an AwsAccount or Namespace change asked for this resource's pass since its last pass: an input changed,
   * so the pass is a change's (USER lane) and a Stalled resource is looked at at once. Consumed: true once per change.
   */
  default boolean takeChanged(HasMetadata resource) {
    return false;
  }

  /**
   * The outcome: an identity with its account id, or a verdict. {@code held}: a wait that says nothing of the resource
   * (this process has not yet confirmed its account's credentials, after a start): the frame looks again after
   * {@code requeue} without writing the verdict to a resource in sync, so a restart does not flip every resource of an
   * account to Reconciling and back.
   */
  record Resolution(AwsIdentity identity, Health verdict, Duration requeue, boolean held) {
    public static Resolution of(AwsIdentity identity) {
      return new Resolution(identity, null, null, false);
    }

    public static Resolution refused(Health verdict) {
      return new Resolution(null, verdict, null, false);
    }

    public static Resolution refused(Health verdict, Duration requeue) {
      return new Resolution(null, verdict, requeue, false);
    }

    /** A refusal the frame holds quietly for a resource in sync (see above). */
    public static Resolution held(Health verdict, Duration requeue) {
      return new Resolution(null, verdict, requeue, true);
    }

    public boolean resolved() {
      return verdict == null;
    }

    /** status.accountId: the account a resolved pass acts in (the resolution refused any other once it was set). */
    public void record(AwsResourceStatus status) {
      if (resolved() && identity.accountId() != null) {
        status.setAccountId(identity.accountId());
      }
    }
  }

  String ACCOUNT_REQUIRED = "AccountRequired";
  String AMBIGUOUS_ACCOUNT = "AmbiguousAccount";
  String ACCOUNT_NOT_ALLOWED = "AccountNotAllowed";
  String ACCOUNT_NOT_READY = "AccountNotReady";
  String ACCOUNT_PENDING = "AccountPending";
  String REGION_NOT_ALLOWED = "RegionNotAllowed";
  String ACCOUNT_CHANGED = "AccountChanged";
  String ACCOUNT_UNAVAILABLE = "AccountUnavailable";

  /**
   * The reasons of resolution verdicts: observations of AwsAccounts and namespaces (watched), never of AWS, so a
   * resource Stalled for one of them is resolved again on every event instead of waiting for its backoff.
   */
  Set<String> REASONS = Set.of(ACCOUNT_REQUIRED, AMBIGUOUS_ACCOUNT, ACCOUNT_NOT_ALLOWED, ACCOUNT_NOT_READY,
      ACCOUNT_PENDING, REGION_NOT_ALLOWED, ACCOUNT_CHANGED, ACCOUNT_UNAVAILABLE);

  /** Every resource acts as the operator itself (unit tests, and an operator built without accounts). */
  AccountScopes OPERATOR = new AccountScopes() {
    @Override
    public Resolution resolve(HasMetadata resource, AwsResourceSpec spec, AwsResourceStatus status) {
      return Resolution.of(AwsIdentity.OPERATOR);
    }

    @Override
    public <R extends HasMetadata> List<EventSource<?, R>> eventSources(EventSourceContext<R> context) {
      return List.of();
    }
  };

  /**
   * Deletion of a resource whose account cannot be resolved any more (its AwsAccount deleted, the namespace no
   * longer admitted) while AWS still holds what it made there: it waits, blocked; never deleted through another
   * identity.
   */
  static Health unavailable(String what, String accountId, Health why) {
    return Health.stalled(ACCOUNT_UNAVAILABLE, "cannot delete the " + what + " in AWS account " + accountId + ": "
        + why.message() + ". Restore the AwsAccount that admits this namespace, or set spec.deletionPolicy: Retain "
        + "to leave it in AWS and let this resource go");
  }
}
