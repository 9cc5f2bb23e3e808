package io.ecsbridge.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.DeletionPolicy;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame every kind's reconciler runs in, so each kind only says how to read AWS, compare and write:
 * <ol>
 *   <li>the first status is written at once, before any AWS call;</li>
 *   <li>a resource Stalled by a terminal error is left alone until its spec or the reconcile-requested-at
 *       annotation changes (no hot loop, no AWS calls);</li>
 *   <li>AWS failures are classified once: retryable ones go to JOSDK's backoff (Reconciling, never Stalled),
 *       terminal ones become Stalled with AWS's message and an Event;</li>
 *   <li>status is written only when it changed, with observedGeneration and kstatus conditions.</li>
 * </ol>
 */
public abstract class AwsResourceReconciler<R extends CustomResource<S, T>, S extends AwsResourceSpec,
    T extends AwsResourceStatus> implements Reconciler<R>, Cleaner<R> {

  public static final String RECONCILE_REQUESTED_AT = "ecsbridge.io/reconcile-requested-at";
  private static final Logger log = LoggerFactory.getLogger(AwsResourceReconciler.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  protected final OperatorContext op;

  protected AwsResourceReconciler(OperatorContext op) {
    this.op = op;
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

  /** The outcome of one deletion pass: done (release the finalizer) or not yet, with the verdict. */
  public record DeleteResult(boolean done, Health health, Duration requeue) {
    public static DeleteResult finished() {
      return new DeleteResult(true, null, null);
    }

    public static DeleteResult waiting(Health health, Duration requeue) {
      return new DeleteResult(false, health, requeue);
    }
  }

  protected abstract T newStatus();

  /** Reads AWS, compares with the spec, writes the difference, fills status facts; throws AwsException. */
  protected abstract Result sync(R resource, T status, Context<R> context);

  /** Deletes the AWS resource (deletionPolicy Delete, not ObserveOnly); throws AwsException. */
  protected abstract DeleteResult delete(R resource, T status, Context<R> context);

  /** A short human name of the kind for messages, e.g. "ECR repository". */
  protected abstract String what();

  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    if (resource.getStatus() == null) {
      writeStatusNow(resource, context,
          Health.progressing("Reconciling", "Reconciliation started"));
    }
    if (stalledAndUnchanged(resource)) {
      log.debug("stalled and unchanged since; not calling AWS");
      return UpdateControl.noUpdate();
    }
    JsonNode before = JSON.convertValue(resource.getStatus(), JsonNode.class);
    T status = resource.getStatus();
    Result result;
    try {
      result = sync(resource, status, context);
    } catch (AwsException e) {
      if (e.retryable()) {
        throw e;
      }
      op.events().warning(resource, e.reason(), e.getMessage());
      result = Result.of(Health.stalled(e.reason(), e.getMessage()));
    }
    Conditions.apply(status, result.health(), generation(resource), op.clock());
    status.setLastHandledReconcileAt(annotation(resource));
    UpdateControl<R> control = changed(before, status) ? UpdateControl.patchStatus(forStatusPatch(resource))
        : UpdateControl.noUpdate();
    result.requeue().ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(R resource, Context<R> context, Exception e) {
    AwsException aws = e instanceof AwsException a ? a
        : e.getCause() instanceof AwsException a ? a : null;
    String message = aws != null ? "Retrying after a transient AWS error (" + aws.errorCode() + "): " + aws.getMessage()
        : "Retrying after an error: " + e.getMessage();
    op.events().warning(resource, aws != null ? "AwsRetrying" : "ReconcileError", message);
    if (resource.getStatus() == null) {
      resource.setStatus(newStatus());
    }
    JsonNode before = JSON.convertValue(resource.getStatus(), JsonNode.class);
    T status = resource.getStatus();
    // keep Ready as it was: a throttled call says nothing about whether AWS matches the spec
    boolean wasReady = Conditions.isTrue(status, Conditions.READY);
    long generation = generation(resource);
    Conditions.set(status.getConditions(), Conditions.RECONCILING, true, aws != null ? "AwsRetrying" : "Retrying",
        message, generation, op.clock());
    Conditions.set(status.getConditions(), Conditions.STALLED, false, "NotStalled", "", generation, op.clock());
    if (Conditions.find(status.getConditions(), Conditions.READY).isEmpty()) {
      Conditions.set(status.getConditions(), Conditions.READY, wasReady, "Reconciling", message, generation,
          op.clock());
    }
    return changed(before, status) ? ErrorStatusUpdateControl.patchStatus(forStatusPatch(resource))
        : ErrorStatusUpdateControl.noStatusUpdate();
  }

  @Override
  public DeleteControl cleanup(R resource, Context<R> context) {
    S spec = resource.getSpec();
    if (spec.getDeletionPolicy() == DeletionPolicy.Retain) {
      op.events().normal(resource, "Retained", what() + " left in AWS (deletionPolicy: Retain)");
      return DeleteControl.defaultDelete();
    }
    if (spec.getManagementPolicy() == ManagementPolicy.ObserveOnly) {
      return DeleteControl.defaultDelete();
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
      op.events().warning(resource, e.reason(), e.getMessage());
      result = DeleteResult.waiting(Health.stalled(e.reason(), e.getMessage()), op.resyncPeriod());
    }
    if (result.done()) {
      return DeleteControl.defaultDelete();
    }
    writeStatusNow(resource, context, result.health());
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(result.requeue().toMillis());
  }

  /**
   * Status is ours alone and written with server-side apply: no optimistic lock, so that a status write never fails
   * on a resourceVersion made stale by our own first-status write or by a concurrent spec edit.
   */
  private R forStatusPatch(R resource) {
    resource.getMetadata().setResourceVersion(null);
    return resource;
  }

  /** ObserveOnly never creates: the verdict when the resource does not exist. */
  protected static Health notFound(String what, String where) {
    return Health.stalled("NotFound", what + " does not exist in " + where
        + " (managementPolicy: ObserveOnly never creates it)");
  }

  /**
   * What this resource may do with the AWS resource {@code what} that exists with these tags: the one ownership
   * decision of {@link Ownership#decide}. A refusal of another owner's resource (OwnedByAnother,
   * OwnedByAnotherNamespace) is told in a Warning Event.
   */
  protected Ownership.Decision ownership(R resource, String what, Map<String, String> liveTags) {
    return told(resource, decideOwnership(resource, what, liveTags));
  }

  /** The ownership decision alone, told nowhere. */
  protected Ownership.Decision decideOwnership(R resource, String what, Map<String, String> liveTags) {
    var claimant = new Ownership.Claimant(resource.getKind(), what, Ownership.Owner.of(op.instanceId(), resource),
        resource.getSpec().getManagementPolicy());
    Class<? extends HasMetadata> kind = resource.getClass();
    return Ownership.decide(claimant, Ownership.tag(liveTags), op.allowCrossNamespace(),
        owner -> op.owners().state(kind, owner.namespace(), owner.name()));
  }

  /** Tells a refusal of another owner's resource in a Warning Event; returns the decision. */
  protected Ownership.Decision told(R resource, Ownership.Decision decision) {
    if (decision.refused() && !Ownership.ALREADY_EXISTS.equals(decision.reason())) {
      op.events().warning(resource, decision.reason(), decision.message());
    }
    return decision;
  }

  /**
   * The steps for a resource that exists: the ownership decision ({@link #ownership}), then ObserveOnly only compares
   * ({@link #observed}); Adopt says that it takes the resource over; then the changes are made
   * ({@link #applyChanges}) and {@code inSync} is the verdict.
   *
   * @param what the resource in messages, e.g. "ECS cluster web"
   * @param changes the differences from the spec, listed once ownership allows it
   */
  protected Result syncExisting(R resource, String what, Map<String, String> liveTags, Supplier<List<Change>> changes,
      Result inSync) {
    return syncExisting(resource, ownership(resource, what, liveTags), what, changes, inSync);
  }

  /** The same, with the ownership decision already made. */
  protected Result syncExisting(R resource, Ownership.Decision decision, String what,
      Supplier<List<Change>> changes, Result inSync) {
    if (decision.refused()) {
      return Result.of(decision.health());
    }
    List<Change> differences = changes.get();
    if (decision.action() == Ownership.Action.OBSERVE) {
      return Result.of(observed(what, differences));
    }
    if (decision.action() == Ownership.Action.ADOPT) {
      op.events().normal(resource, decision.reason(), decision.message());
    }
    applyChanges(resource, differences);
    return inSync;
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

  /** The verdict of ObserveOnly (which never writes): Ready when AWS matches the spec, else Stalled OutOfSync. */
  protected static Health observed(String what, List<Change> changes) {
    return observedFields(what, changes.stream().map(Change::field).distinct().toList());
  }

  /** The same verdict from the names of the fields that differ. */
  protected static Health observedFields(String what, Collection<String> fields) {
    if (fields.isEmpty()) {
      return Health.ready("Observed", what + " matches the spec (ObserveOnly)");
    }
    return Health.stalled("OutOfSync", what + " differs from the spec in " + String.join(", ", fields)
        + " (managementPolicy: ObserveOnly never writes)");
  }

  /** True when the spec has not changed since a reconcile that ended Ready: a difference now is drift. */
  protected boolean isDrift(R resource) {
    T status = resource.getStatus();
    return status != null && Objects.equals(status.getObservedGeneration(), generation(resource))
        && Conditions.isTrue(status, Conditions.READY);
  }

  /** A resource Stalled by a terminal error stays untouched until its spec or the reconcile annotation changes. */
  protected boolean stalledAndUnchanged(R resource) {
    T status = resource.getStatus();
    if (status == null || !Conditions.isTrue(status, Conditions.STALLED)) {
      return false;
    }
    Condition stalled = Conditions.find(status.getConditions(), Conditions.STALLED).orElseThrow();
    return Objects.equals(stalled.getObservedGeneration(), generation(resource))
        && Objects.equals(status.getLastHandledReconcileAt(), annotation(resource))
        && skipWhileStalled(stalled.getReason());
  }

  /**
   * Whether a Stalled of this reason waits for a person (no AWS call until the spec or the reconcile annotation
   * changes). ObserveOnly's NotFound and OutOfSync can end by themselves (someone creates or fixes the resource in
   * AWS): those keep being observed on resyncs.
   */
  protected boolean skipWhileStalled(String reason) {
    return !"NotFound".equals(reason) && !"OutOfSync".equals(reason);
  }

  private void writeStatusNow(R resource, Context<R> context, Health health) {
    if (resource.getStatus() == null) {
      resource.setStatus(newStatus());
    }
    JsonNode before = JSON.convertValue(resource.getStatus(), JsonNode.class);
    Conditions.apply(resource.getStatus(), health, generation(resource), op.clock());
    if (!changed(before, resource.getStatus())) {
      return;
    }
    R fresh = freshCopy(resource);
    fresh.setStatus(resource.getStatus());
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(resource, fresh, context);
  }

  @SuppressWarnings("unchecked")
  private R freshCopy(R resource) {
    try {
      R fresh = (R) resource.getClass().getDeclaredConstructor().newInstance();
      fresh.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
          .withNamespace(resource.getMetadata().getNamespace()).build());
      return fresh;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean changed(JsonNode before, Object after) {
    return !JSON.convertValue(after, JsonNode.class).equals(before);
  }

  protected static long generation(CustomResource<?, ?> resource) {
    Long generation = resource.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  protected static String annotation(CustomResource<?, ?> resource) {
    return annotation(resource, RECONCILE_REQUESTED_AT);
  }

  protected static String annotation(HasMetadata resource, String key) {
    return resource.getMetadata().getAnnotations() == null ? null : resource.getMetadata().getAnnotations().get(key);
  }
}
