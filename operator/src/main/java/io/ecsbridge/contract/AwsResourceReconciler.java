package io.ecsbridge.contract;

import com.fasterxml.jackson.databind.JsonNode;
import static io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT;

import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.DeletionPolicy;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsErrors;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.AwsScope;
import io.ecsbridge.aws.Lanes;
import io.ecsbridge.aws.ResyncDeferred;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame every kind's reconciler runs in, so each kind only says how to read AWS, compare and write:
 * <ol>
 *   <li>the first status is written at once, before any AWS call;</li>
 *   <li>AWS failures are classified once ({@link io.ecsbridge.aws.AwsErrors}): retryable ones go to JOSDK's backoff
 *       (Reconciling AwsRetrying, never Stalled), terminal ones become Stalled with AWS's code and message;</li>
 *   <li>every Stalled verdict is told once in a Warning Event (and its log line) when it begins or changes;</li>
 *   <li>a Stalled resource is looked at again by itself on a slow backoff with jitter ({@link StalledRechecks}: the
 *       operator's stalled-recheck period, doubling up to the resync period), so that a fix made outside (an IAM
 *       policy, a quota, a name freed) heals it without an edit; its spec, the reconcile-requested-at annotation or
 *       a changed input ({@link #inputsChanged}) look at once; in between, no AWS call;</li>
 *   <li>a resource with nothing in flight is looked at again after the resync period less up to 10% ({@link Polls#resync}): resyncs spread out;</li>
 *   <li>each pass runs in a lane ({@link PassLanes}, {@link Lanes}): a person's change (USER) waits for its AWS budget
 *       and may spend its reserve; a resync of a resource in sync (RESYNC) never waits: when its budget keeps the
 *       reserve, the pass ends before its first write with no status write and no Event, and runs again later
 *       ({@link ResyncDeferred});</li>
 *   <li>status is written only when it changed, with observedGeneration and kstatus conditions, through JOSDK's
 *       cache ({@link io.ecsbridge.status.StatusWriter}) so that the next reconcile reads the memory fields it wrote.</li>
 * </ol>
 */
public abstract class AwsResourceReconciler<R extends CustomResource<S, T>, S extends AwsResourceSpec,
    T extends AwsResourceStatus> implements Reconciler<R>, Cleaner<R> {

  private static final Logger log = LoggerFactory.getLogger(AwsResourceReconciler.class);

  protected final OperatorContext op;
  private final StalledRechecks rechecks;
  private final Overdue overdue;
  private final StatusWrites<R, T> statusWrites;

  protected AwsResourceReconciler(OperatorContext op) {
    this.op = op;
    this.rechecks = new StalledRechecks(op.stalledRecheck(), op.resyncPeriod(), op.clock());
    this.overdue = new Overdue(op.resyncPeriod(), op.clock());
    this.statusWrites = new StatusWrites<>(op.statusWriter());
  }

  /** The outcome of one pass: the verdict, and when to look again (empty: on the next event or resync). */
  public record Result(Health health, Optional<Duration> requeue) {
    public static Result of(Health health) {
      return new Result(health, Optional.empty());
    }

    public static Result of(Health health, Duration requeue) {
      return new Result(health, Optional.ofNullable(requeue));
    }
  }

  /** A deletion pass's outcome: done, or not yet with the verdict (blocked: ended by a change elsewhere; Warning). */
  public record DeleteResult(boolean done, Health health, Duration requeue, boolean blocked) {
    public static DeleteResult finished() {
      return new DeleteResult(true, null, null, false);
    }

    public static DeleteResult waiting(Health health, Duration requeue) {
      return new DeleteResult(false, health, requeue, false);
    }
  }

  protected abstract T newStatus();

  /** Reads AWS, compares with the spec, writes the difference, fills status facts; throws AwsException. */
  protected abstract Result sync(R resource, T status, Context<R> context);

  /** Deletes the AWS resource (deletionPolicy Delete, not ObserveOnly); throws AwsException. */
  protected abstract DeleteResult delete(R resource, T status, Context<R> context);

  /** A short human name of the kind for messages, e.g. "ECR repository". */
  protected abstract String what();

  /** The kind's own event sources (the references it watches); the frame adds the accounts' ({@link AccountScopes}). */
  protected List<EventSource<?, R>> eventSources(EventSourceContext<R> context) {
    return List.of();
  }

  @Override
  public final List<EventSource<?, R>> prepareEventSources(EventSourceContext<R> context) {
    List<EventSource<?, R>> sources = new ArrayList<>(eventSources(context));
    sources.addAll(op.accounts().eventSources(context));
    sources.add(new Departures<R>(this::departed));
    return sources;
  }

  /**
   * One pass: the account is resolved first ({@link AccountScopes}); a verdict ends the pass before any AWS call,
   * else {@link #sync} runs as the account's identity ({@link AwsScope}) and status.accountId records it.
   */
  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    statusWrites.restore(resource);
    boolean accountChanged = op.accounts().takeChanged(resource); // taken by every pass: a mark serves one pass
    AccountScopes.Resolution account = op.accounts().resolve(resource, resource.getSpec(), resource.getStatus());
    if (resource.getStatus() == null) {
      resource.setStatus(newStatus());
      account.record(resource.getStatus());
      writeStatusNow(resource, context, Health.progressing("Reconciling", "Reconciliation started"));
    }
    if (account.held() && PassLanes.of(resource.getStatus(), generation(resource), annotation(resource),
        () -> accountChanged) == Lanes.Lane.RESYNC) {
      log.debug("in sync, its account not confirmed in this process yet: {}", account.verdict().message());
      return UpdateControl.<R>noUpdate().rescheduleAfter(account.requeue());
    }
    Optional<Duration> waiting = account.resolved() && !accountChanged ? stalledWait(resource, context)
        : Optional.empty();
    if (waiting.isPresent()) {
      log.debug("stalled and unchanged; next look in {}", waiting.get());
      return UpdateControl.<R>noUpdate().rescheduleAfter(waiting.get());
    }
    T status = resource.getStatus();
    Lanes.Lane lane = overdue.lane(uid(resource), PassLanes.of(status, generation(resource), annotation(resource),
        () -> accountChanged || inputsChanged(resource, context)));
    JsonNode before = statusWrites.start(resource);
    account.record(status);
    Optional<Condition> stalledBefore = Verdicts.stalled(status);
    Result result;
    try {
      result = account.resolved() ? Lanes.call(resource.getKind(), uid(resource), lane,
              () -> AwsScope.call(account.identity(), () -> sync(resource, status, context)))
          : Result.of(account.verdict(), account.requeue());
    } catch (ResyncDeferred deferred) {
      // only reads were made (a resync pass's first write makes it USER's): nothing to remember, nothing to tell
      overdue.deferred(uid(resource));
      deferred(resource);
      statusWrites.end(resource);
      log.debug("resync deferred: {}", deferred.getMessage());
      return UpdateControl.<R>noUpdate().rescheduleAfter(deferred.retryAfter());
    } catch (AwsException e) {
      if (e.retryable()) {
        throw e;
      }
      result = Result.of(Health.stalled(e.reason(), e.getMessage()));
    }
    overdue.ran(uid(resource));
    Verdicts.announceStalled(op.events(), resource, stalledBefore, result.health(), generation(resource),
        Objects.equals(status.getLastHandledReconcileAt(), annotation(resource)));
    Conditions.apply(status, result.health(), generation(resource), op.clock());
    status.setLastHandledReconcileAt(annotation(resource));
    Optional<Duration> requeue = result.requeue();
    if (result.health().state() == Health.State.PROGRESSING) {
      requeue = requeue.map(r -> Polls.escalate(r, Polls.reconcilingFor(status, op.clock())));
    }
    if (result.health().state() == Health.State.STALLED && !observedWhileStalled(result.health().reason())) {
      Duration recheck = rechecks.stalled(uid(resource));
      requeue = Optional.of(requeue.filter(r -> r.compareTo(recheck) < 0).orElse(recheck));
    } else {
      rechecks.clear(uid(resource));
    }
    if (requeue.isEmpty()) {
      requeue = Optional.of(Polls.resync(op.resyncPeriod())); // the resync, with jitter
    }
    statusWrites.end(resource);
    statusWrites.writeIfChanged(resource, before, context);
    UpdateControl<R> control = UpdateControl.noUpdate();
    requeue.ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(R resource, Context<R> context, Exception e) {
    JsonNode before = statusWrites.end(resource);
    if (AwsErrors.interruptedByStop(e)) {
      // the operator stops and interrupted a reconcile that outlasted the grace it gives them: no fault of this
      // resource, nothing to record; whoever leads next reconciles it again
      log.debug("interrupted by the operator's stop: {}", e.toString());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    AwsException aws = e instanceof AwsException a ? a
        : e.getCause() instanceof AwsException a ? a : null;
    String message = aws != null ? "Retrying after a transient AWS error (" + aws.errorCode() + "): " + aws.getMessage()
        : "Retrying after an error: " + e.getMessage();
    op.events().warning(resource, aws != null ? "AwsRetrying" : "ReconcileError", message);
    if (resource.getStatus() == null) {
      resource.setStatus(newStatus());
    }
    // "before" is the status as written before this reconcile: what it changed before failing (memory of a call
    // that succeeded) is written too
    Retrying.mark(resource.getStatus(), aws != null ? "AwsRetrying" : "Retrying", message, generation(resource),
        op.clock());
    rechecks.clear(uid(resource));
    statusWrites.writeIfChanged(resource, before, context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Deletion, as the identity the resource lives in: an account that no longer resolves (or resolves to another
   * account than status.accountId) blocks it ({@link AccountScopes#unavailable}); never deleted as another identity.
   */
  @Override
  public DeleteControl cleanup(R resource, Context<R> context) {
    statusWrites.restore(resource);
    op.accounts().takeChanged(resource); // a deletion is a change's pass anyway
    S spec = resource.getSpec();
    rechecks.clear(uid(resource));
    if (spec.getDeletionPolicy() == DeletionPolicy.Retain) {
      op.events().normal(resource, "Retained", what() + " left in AWS (deletionPolicy: Retain)");
      return released(resource);
    }
    if (spec.getManagementPolicy() == ManagementPolicy.ObserveOnly) {
      return released(resource);
    }
    if (resource.getStatus() == null) {
      resource.setStatus(newStatus());
    }
    T status = resource.getStatus();
    AccountScopes.Resolution account = op.accounts().resolve(resource, spec, status);
    if (!account.resolved() && status.getAccountId() == null) {
      op.events().normal(resource, "NotDeleted", "no AWS account resolved and none recorded: this resource never "
          + "reached AWS, nothing to delete (" + account.verdict().message() + ")");
      return released(resource);
    }
    DeleteResult result;
    try {
      result = account.resolved() ? Lanes.call(resource.getKind(), uid(resource), Lanes.Lane.USER,
              () -> AwsScope.call(account.identity(), () -> delete(resource, status, context)))
          : Retrying.accountGone(what(), status.getAccountId(), account, op.resyncPeriod());
    } catch (AwsException e) {
      if (e.retryable()) {
        throw e;
      }
      result = DeleteResult.waiting(Health.stalled(e.reason(), e.getMessage()), op.resyncPeriod());
    }
    if (result.done()) {
      return released(resource);
    }
    Verdicts.announceDeleteWait(op.events(), resource, result.health(), result.blocked());
    writeStatusNow(resource, context, result.health());
    Duration wait = result.health().state() == Health.State.PROGRESSING
        ? Polls.escalate(result.requeue(), Polls.reconcilingFor(resource.getStatus(), op.clock())) : result.requeue();
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.toMillis());
  }

  /** The finalizer goes: nothing more to remember of this resource. */
  private DeleteControl released(R resource) {
    departed(resource);
    return DeleteControl.defaultDelete();
  }

  /**
   * The resource is gone from this operator: released, deleted, or moved to another shard ({@link Departures}, which
   * calls it on the informer's thread). Forgets what the frame and the kind keep per resource. A pass of the resource
   * still running (the old shard's, at a move) may remember it again as it ends: one resource's few hundred bytes,
   * left until the process ends.
   */
  void departed(R resource) {
    statusWrites.forget(resource);
    rechecks.clear(uid(resource));
    overdue.ran(uid(resource));
    forgotten(resource);
  }

  /** How many resources the frame remembers a run of deferred passes of (tests: memory). */
  int deferralsRemembered() {
    return overdue.size();
  }

  /**
   * The resource is gone from this operator (its finalizer removed: deleted, retained, released, observe-only): the
   * kind forgets what it kept in memory per resource (read-aheads, kept reads). Must not call AWS.
   */
  protected void forgotten(R resource) {}

  /**
   * This pass was deferred for its AWS budget ({@link ResyncDeferred}) before any write: it comes back by itself. The
   * kind notes that it is no longer under way (a read-ahead may take it as a companion meanwhile: its next run then
   * finds its read made). Must not call AWS.
   */
  protected void deferred(R resource) {}

  /**
   * Whether something that neither the spec nor the reconcile annotation shows changed since the Stalled verdict: a
   * referenced resource, an annotation of the kind's own. A Stalled resource whose inputs changed is looked at at
   * once instead of after its backoff. Must not call AWS.
   */
  protected boolean inputsChanged(R resource, Context<R> context) {
    return false;
  }

  /**
   * Stalled reasons that are observations (of AWS, or of another resource) rather than refusals: looked at on every
   * event and resync instead of on the slow backoff. ObserveOnly's NotFound and OutOfSync end by themselves when
   * someone creates or fixes the resource in AWS.
   */
  protected boolean observedWhileStalled(String reason) {
    return "NotFound".equals(reason) || "OutOfSync".equals(reason);
  }

  /**
   * Empty when this pass must look at AWS; else how long until the Stalled resource's next look. A Stalled resource
   * is looked at when its spec, the reconcile annotation or its inputs changed, when its reason is an observation,
   * and when its backoff is due.
   */
  private Optional<Duration> stalledWait(R resource, Context<R> context) {
    Optional<Condition> stalled = Verdicts.stalled(resource.getStatus());
    if (stalled.isEmpty()
        || !Objects.equals(stalled.get().getObservedGeneration(), generation(resource))
        || !Objects.equals(resource.getStatus().getLastHandledReconcileAt(), annotation(resource))
        || observedWhileStalled(stalled.get().getReason())
        || AccountScopes.REASONS.contains(stalled.get().getReason())
        || inputsChanged(resource, context)) {
      return Optional.empty();
    }
    Duration left = rechecks.untilDue(uid(resource));
    return left.isZero() ? Optional.empty() : Optional.of(left);
  }

  private static String uid(HasMetadata resource) {
    return resource.getMetadata().getUid();
  }

  /**
   * What this resource may do with the AWS resource {@code what} that exists with these tags: the one ownership
   * decision of {@link Ownership#decide}. A refusal is a Stalled verdict, told in a Warning Event like every other.
   */
  protected Ownership.Decision ownership(R resource, String what, Map<String, String> liveTags) {
    var claimant = new Ownership.Claimant(resource.getKind(), what, Ownership.Owner.of(op.instanceId(), resource),
        resource.getSpec().getManagementPolicy());
    Class<? extends HasMetadata> kind = resource.getClass();
    return Ownership.decide(claimant, Ownership.tag(liveTags), op.allowCrossNamespace(),
        owner -> op.owners().state(kind, owner.namespace(), owner.name()));
  }

  /**
   * Makes the calls that remove the differences, each told in an Event: {@code DriftCorrected} when they correct drift
   * (the kind's judgement, by default {@link #isDrift}), else {@code Updated}; a change without a description in none.
   */
  protected void applyChanges(R resource, List<Change> changes, boolean drift) {
    for (Change change : changes) {
      change.apply().run();
      if (change.description() != null) {
        changeEvent(resource, change.description(), drift);
      }
    }
  }

  /** The Event of one change made: {@code DriftCorrected} when it corrects drift, else {@code Updated}. */
  protected void changeEvent(R resource, String description, boolean drift) {
    if (drift) {
      op.events().normal(resource, "DriftCorrected", description + " (changed in AWS outside ecs-bridge)");
    } else {
      op.events().normal(resource, "Updated", description);
    }
  }

  /** True when the spec has not changed since a reconcile that ended Ready: a difference now is drift. */
  protected boolean isDrift(R resource) {
    T status = resource.getStatus();
    return status != null && Objects.equals(status.getObservedGeneration(), generation(resource))
        && Conditions.isTrue(status, Conditions.READY);
  }

  private void writeStatusNow(R resource, Context<R> context, Health health) {
    if (resource.getStatus() == null) {
      resource.setStatus(newStatus());
    }
    JsonNode before = StatusWrites.snapshot(resource.getStatus());
    Conditions.apply(resource.getStatus(), health, generation(resource), op.clock());
    statusWrites.writeIfChanged(resource, before, context);
  }

  protected static long generation(CustomResource<?, ?> resource) {
    Long generation = resource.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  public static String annotation(CustomResource<?, ?> resource) {
    return annotation(resource, RECONCILE_REQUESTED_AT);
  }

  public static String annotation(HasMetadata resource, String key) {
    return resource.getMetadata().getAnnotations() == null ? null : resource.getMetadata().getAnnotations().get(key);
  }
}
