package io.ecsbridge.contract;

import com.fasterxml.jackson.databind.JsonNode;
import static io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT;

import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.DeletionPolicy;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsErrors;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
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
import java.time.Duration;
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
 *   <li>status is written only when it changed, with observedGeneration and kstatus conditions, through JOSDK's
 *       cache ({@link io.ecsbridge.status.StatusWriter}) so that the next reconcile reads the memory fields it wrote.</li>
 * </ol>
 */
public abstract class AwsResourceReconciler<R extends CustomResource<S, T>, S extends AwsResourceSpec,
    T extends AwsResourceStatus> implements Reconciler<R>, Cleaner<R> {

  private static final Logger log = LoggerFactory.getLogger(AwsResourceReconciler.class);

  protected final OperatorContext op;
  private final StalledRechecks rechecks;
  private final StatusWrites<R, T> statusWrites;

  protected AwsResourceReconciler(OperatorContext op) {
    this.op = op;
    this.rechecks = new StalledRechecks(op.stalledRecheck(), op.resyncPeriod(), op.clock());
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

  /**
   * The identity this resource's AWS calls are made with, bound for the whole pass ({@link AwsScope}). The
   * operator's own until accounts are resolved per namespace.
   */
  protected AwsIdentity identity(R resource, Context<R> context) {
    return AwsIdentity.OPERATOR;
  }

  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    return AwsScope.call(identity(resource, context), () -> reconcileAs(resource, context));
  }

  private UpdateControl<R> reconcileAs(R resource, Context<R> context) {
    statusWrites.restore(resource);
    if (resource.getStatus() == null) {
      writeStatusNow(resource, context, Health.progressing("Reconciling", "Reconciliation started"));
    }
    Optional<Duration> waiting = stalledWait(resource, context);
    if (waiting.isPresent()) {
      log.debug("stalled and unchanged; next look in {}", waiting.get());
      return UpdateControl.<R>noUpdate().rescheduleAfter(waiting.get());
    }
    T status = resource.getStatus();
    JsonNode before = statusWrites.start(resource);
    Optional<Condition> stalledBefore = Verdicts.stalled(status);
    Result result;
    try {
      result = sync(resource, status, context);
    } catch (AwsException e) {
      if (e.retryable()) {
        throw e;
      }
      result = Result.of(Health.stalled(e.reason(), e.getMessage()));
    }
    announceStalled(resource, stalledBefore, result.health());
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
    T status = resource.getStatus();
    long generation = generation(resource);
    // Ready stays as it was for a resync of this generation (a throttled read says nothing about whether AWS matches
    // the spec); a new generation is not Ready until it has been applied
    boolean sameGeneration = Objects.equals(status.getObservedGeneration(), generation);
    Conditions.set(status.getConditions(), Conditions.RECONCILING, true, aws != null ? "AwsRetrying" : "Retrying",
        message, generation, op.clock());
    Conditions.set(status.getConditions(), Conditions.STALLED, false, "NotStalled", "", generation, op.clock());
    if (!sameGeneration || Conditions.find(status.getConditions(), Conditions.READY).isEmpty()) {
      Conditions.set(status.getConditions(), Conditions.READY, false, aws != null ? "AwsRetrying" : "Retrying",
          message, generation, op.clock());
    }
    // this generation is being worked on (kstatus: Reconciling at the observed generation)
    status.setObservedGeneration(generation);
    rechecks.clear(uid(resource));
    statusWrites.writeIfChanged(resource, before, context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  @Override
  public DeleteControl cleanup(R resource, Context<R> context) {
    return AwsScope.call(identity(resource, context), () -> cleanupAs(resource, context));
  }

  private DeleteControl cleanupAs(R resource, Context<R> context) {
    statusWrites.restore(resource);
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
    DeleteResult result;
    try {
      result = delete(resource, resource.getStatus(), context);
    } catch (AwsException e) {
      if (e.retryable()) {
        throw e;
      }
      result = DeleteResult.waiting(Health.stalled(e.reason(), e.getMessage()), op.resyncPeriod());
    }
    if (result.done()) {
      return released(resource);
    }
    announceDeleteWait(resource, result.health(), result.blocked());
    writeStatusNow(resource, context, result.health());
    Duration wait = result.health().state() == Health.State.PROGRESSING
        ? Polls.escalate(result.requeue(), Polls.reconcilingFor(resource.getStatus(), op.clock())) : result.requeue();
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.toMillis());
  }

  /** The finalizer goes: nothing more to remember of this resource. */
  private DeleteControl released(R resource) {
    statusWrites.forget(resource);
    rechecks.clear(uid(resource));
    return DeleteControl.defaultDelete();
  }

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
        || inputsChanged(resource, context)) {
      return Optional.empty();
    }
    Duration left = rechecks.untilDue(uid(resource));
    return left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /**
   * A Stalled verdict is told in a Warning Event when it begins, when its reason or message changes, and when it is
   * reached again for a new generation or a reconcile request: once per episode, not once per look.
   */
  private void announceStalled(R resource, Optional<Condition> before, Health health) {
    if (health.state() == Health.State.STALLED && !Verdicts.repeats(before, health, generation(resource),
        Objects.equals(resource.getStatus().getLastHandledReconcileAt(), annotation(resource)))) {
      op.events().warning(resource, health.reason(), health.message());
    }
  }

  /** A deletion that waits (services still in a cluster, images in a repository) says so in an Event, once. */
  private void announceDeleteWait(R resource, Health health, boolean blocked) {
    if (Verdicts.shows(resource.getStatus(), health)) {
      return;
    }
    if (health.state() == Health.State.STALLED || blocked) {
      op.events().warning(resource, health.reason(), health.message());
    } else {
      op.events().normal(resource, health.reason(), health.message());
    }
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
   * Makes the calls that remove the differences, each told in an Event: {@code DriftCorrected} when the spec has not
   * changed since a reconcile that ended Ready (someone changed AWS behind our back), else {@code Updated}.
   */
  protected void applyChanges(R resource, List<Change> changes) {
    applyChanges(resource, changes, isDrift(resource));
  }

  /** The same, with the kind's own judgement of drift; a change without a description is told in no Event. */
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
