package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsAccountSpec;
import io.ecsbridge.api.v1alpha1.AwsAccountStatus;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Polls;
import io.ecsbridge.contract.StalledRechecks;
import io.ecsbridge.contract.StatusWrites;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * AwsAccount: assumes the account's role (STS AssumeRole, through {@link AccountCredentials}), asks STS who that is
 * (GetCallerIdentity) and lists the namespaces its selector matches. Not an AWS resource on the kind contract: it
 * creates nothing in AWS. Ready when the role is assumed; Stalled with STS's message and a Warning Event when it
 * cannot be (looked at again by itself, backing off as every Stalled resource), a Normal Event RoleAssumed when it
 * becomes Ready; Reconciling while the source
 * account of a role chain has no credentials yet. Status is written only when it changes.
 */
public final class AwsAccountReconciler implements Reconciler<AwsAccount>, Cleaner<AwsAccount> {
  static final Duration WAIT_FOR_SOURCE = Duration.ofSeconds(5);

  private final OperatorContext context;
  private final AccountCredentials credentials;
  private final StatusWrites<AwsAccount, AwsAccountStatus> writes;
  private final StalledRechecks rechecks;
  private final NamespaceSelection namespaces;

  public AwsAccountReconciler(OperatorContext context, AccountCredentials credentials) {
    this.context = context;
    this.credentials = credentials;
    this.writes = new StatusWrites<>(context.statusWriter());
    this.rechecks = new StalledRechecks(context.stalledRecheck(), context.resyncPeriod(), context.clock());
    // the Namespace informer of the namespaced kinds' account watches; an operator without them: informers of its own
    this.namespaces = context.accounts() instanceof AccountWatches watches ? watches.namespaceSelection()
        : new NamespaceSelection(new AccountDirectory());
  }

  /** The registry of account credentials this reconciler keeps (the resources it admits call AWS with them). */
  public AccountCredentials credentials() {
    return credentials;
  }

  @Override
  public List<EventSource<?, AwsAccount>> prepareEventSources(EventSourceContext<AwsAccount> eventSources) {
    return List.of(namespaces.eventSource(eventSources));
  }

  @Override
  public UpdateControl<AwsAccount> reconcile(AwsAccount account, Context<AwsAccount> josdk) {
    writes.restore(account);
    if (account.getStatus() == null) {
      account.setStatus(new AwsAccountStatus());
    }
    writes.start(account);
    AwsAccountStatus status = account.getStatus();
    List<String> matching = namespaces.matching(account.getSpec().namespaceSelector);
    status.namespaces = matching;
    status.namespaceCount = matching.size();
    Health health = stillStalled(account).orElseGet(() -> assume(account, status));
    boolean newlyStalled = health.state() == Health.State.STALLED
        && !(Conditions.isTrue(status, Conditions.STALLED)
            && Conditions.find(status.getConditions(), Conditions.STALLED)
                .map(c -> Conditions.message(health.message()).equals(c.getMessage())).orElse(false));
    boolean newlyReady = health.state() == Health.State.READY && !Conditions.isTrue(status, Conditions.READY);
    Conditions.apply(status, health, account.getMetadata().getGeneration(), context.clock());
    writes.writeIfChanged(account, writes.end(account), josdk);
    if (newlyStalled) {
      context.events().warning(account, health.reason(), health.message());
    } else if (newlyReady) {
      context.events().normal(account, health.reason(), health.message());
    }
    String uid = account.getMetadata().getUid();
    if (health.state() == Health.State.STALLED) {
      Duration due = rechecks.untilDue(uid);
      return UpdateControl.<AwsAccount>noUpdate().rescheduleAfter(due.isZero() ? rechecks.stalled(uid) : due);
    }
    rechecks.clear(uid);
    // waiting for its source's credentials: the longer it waits, the rarer the looks (a source that does not exist)
    return health.state() == Health.State.PROGRESSING
        ? UpdateControl.<AwsAccount>noUpdate().rescheduleAfter(Polls.escalate(WAIT_FOR_SOURCE,
            Polls.reconcilingFor(status, context.clock())))
        : UpdateControl.noUpdate();
  }

  /**
   * A Stalled account of an unchanged spec whose next look is not due yet (a namespace event woke it): stays Stalled
   * as it is, without a call to STS; the backoff alone decides when STS is asked again.
   */
  private Optional<Health> stillStalled(AwsAccount account) {
    AwsAccountStatus status = account.getStatus();
    if (!Conditions.isTrue(status, Conditions.STALLED)
        || !account.getMetadata().getGeneration().equals(status.getObservedGeneration())
        || rechecks.untilDue(account.getMetadata().getUid()).isZero()) {
      return Optional.empty();
    }
    return Conditions.find(status.getConditions(), Conditions.STALLED)
        .map(c -> Health.stalled(c.getReason(), c.getMessage()));
  }

  private Health assume(AwsAccount account, AwsAccountStatus status) {
    AwsAccountSpec spec = account.getSpec();
    String name = account.getMetadata().getName();
    AwsCredentialsProvider via = null;
    if (spec.sourceAccountRef != null) {
      String source = spec.sourceAccountRef.name;
      if (source.equals(name)) {
        return Health.stalled("InvalidSourceAccount", "sourceAccountRef names this AwsAccount itself");
      }
      Optional<AwsCredentialsProvider> sourceCredentials = credentials.lookup(source);
      if (sourceCredentials.isEmpty()) {
        return Health.progressing("WaitingForSourceAccount",
            "waiting for the credentials of AwsAccount " + source + " (sourceAccountRef)");
      }
      via = sourceCredentials.get();
    }
    credentials.provide(name, spec.roleArn, spec.externalId, via);
    try {
      GetCallerIdentityResponse identity = credentials.whoAmI(name);
      status.accountId = identity.account();
      status.arn = identity.arn();
      return Health.ready("RoleAssumed", "assumed " + spec.roleArn + " in account " + identity.account());
    } catch (RuntimeException e) {
      StsFailure failure = StsFailure.of(e);
      if (failure.retryable()) {
        throw e; // throttling, a 5xx, the network: JOSDK retries with backoff
      }
      return Health.stalled(failure.reason(), failure.message());
    }
  }

  @Override
  public ErrorStatusUpdateControl<AwsAccount> updateErrorStatus(AwsAccount account, Context<AwsAccount> josdk,
      Exception e) {
    writes.end(account);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  @Override
  public DeleteControl cleanup(AwsAccount account, Context<AwsAccount> josdk) {
    credentials.remove(account.getMetadata().getName());
    rechecks.clear(account.getMetadata().getUid());
    writes.forget(account);
    return DeleteControl.defaultDelete();
  }
}
