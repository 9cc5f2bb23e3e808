package io.ecsbridge.reconciler;

import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The kind contract (issue 8): a kind says how to observe its AWS resource, what differs from the spec (a pure list
 * of changes), how to create and delete it, what status reports and what health the live state has; this class owns
 * the order of the steps for every kind that implements it: check the inputs, observe, create when absent (an answer
 * that it already exists, or one that someone else owns, is judged like any existing resource), decide ownership
 * ({@link Ownership#decide}), report, refuse what no write can fix, then observe only, adopt or apply the
 * differences, each told in an Event, then {@link #afterApply} (the state the changes leave, steps after them).
 * Deletion touches only a resource whose owner tag is this resource's exactly (or, {@link #removable}, the parts of
 * it that are).
 * The frame around it ({@link AwsResourceReconciler}) owns the first status, errors, Stalled and its backoff, Events
 * of verdicts, status writes and polls.
 *
 * @param <L> the live state of the AWS resource as the kind's gateway reads it
 */
public abstract class ContractReconciler<R extends CustomResource<S, T>, S extends AwsResourceSpec,
    T extends AwsResourceStatus, L> extends AwsResourceReconciler<R, S, T> {

  protected ContractReconciler(OperatorContext op) {
    super(op);
  }

  /** The region of this resource (spec.region or the operator's). */
  protected abstract String region(R resource);

  /** The AWS resource in messages and Events, e.g. "ECR repository web". */
  protected abstract String describe(R resource);

  /** A refusal known before reading AWS (an input AWS would reject); reads nothing. */
  protected Optional<Health> precheck(R resource) {
    return Optional.empty();
  }

  /** Reads AWS: the live state, or empty when the resource does not exist. */
  protected abstract Optional<L> observe(R resource, String region);

  /** The live resource's tags (ownership by tag). */
  protected abstract Map<String, String> tags(L live);

  /**
   * Creates the resource, tagged with {@code owner}; empty when AWS answers that it already exists (a reply lost, a
   * race): it is then observed again and judged like any existing one.
   */
  protected abstract Optional<L> create(R resource, String region, String owner);

  /** Copies the facts of the live state that status reports. */
  protected abstract void report(T status, L live);

  /** A difference no write can remove (fixed at creation): the verdict, before any write. */
  protected Optional<Health> unfixable(R resource, L live) {
    return Optional.empty();
  }

  /** What differs from the spec, each with the call that removes it. Pure: no AWS call, no status write. */
  protected abstract List<Change> diff(R resource, L live, String region, String owner);

  /** The verdict of the live state once in sync ({@code created}: it was just created). */
  protected abstract Result health(R resource, L live, boolean created);

  /** Deletes the AWS resource, which is this resource's own; or says why not yet. */
  protected abstract DeleteResult remove(R resource, L live, String region);

  /**
   * What this resource may do with the live resource: by default the decision of {@link Ownership#decide} on its
   * owner tag. A kind whose unit of ownership spans several AWS objects (a task definition family's revisions) decides
   * over them.
   */
  protected Ownership.Decision decide(R resource, L live, String region) {
    return ownership(resource, describe(resource), tags(live));
  }

  /**
   * Whether deletion calls {@link #remove}: by default when the live resource's owner tag is exactly this resource's
   * (else it is left in AWS, told in a NotDeleted Event). A kind that deletes part by part, each part judged by its
   * own tag (a family's revisions), says true and judges and tells in {@code remove}.
   */
  protected boolean removable(R resource, L live) {
    return Ownership.ownedBy(tags(live), Ownership.value(op.instanceId(), resource));
  }

  /** The message of the Created Event. */
  protected String createdEvent(R resource, L live, String region) {
    return "Created " + describe(resource) + " in " + region;
  }

  /**
   * The live state once the changes are made, and the place for steps after them; called on every pass that may
   * write, whether or not anything changed. By default the observed state: changes are made to the resource in
   * place and status already reports it. A kind whose change replaces the resource (a task definition's change
   * registers a new revision) returns what the change made, recorded by its {@link Change} when it ran; status then
   * reports it ({@link #report}) and {@link #health} judges it.
   */
  protected L afterApply(R resource, L live, List<Change> applied, String region) {
    return live;
  }

  @Override
  protected final Result sync(R resource, T status, Context<R> context) {
    Optional<Health> refused = precheck(resource);
    if (refused.isPresent()) {
      return Result.of(refused.get());
    }
    String region = region(resource);
    String owner = Ownership.value(op.instanceId(), resource);
    Optional<L> found = observe(resource, region);
    if (found.isEmpty()) {
      if (resource.getSpec().getManagementPolicy() == ManagementPolicy.ObserveOnly) {
        return Result.of(Verdicts.notFound(describe(resource), region));
      }
      Optional<L> created = create(resource, region, owner);
      if (created.isPresent() && isOwn(created.get(), owner)) {
        L live = created.get();
        op.events().normal(resource, "Created", createdEvent(resource, live, region));
        report(status, live);
        List<Change> changes = diff(resource, live, region, owner);
        applyChanges(resource, changes, false);
        return afterChanges(resource, status, live, changes, region, true);
      }
      found = created.isPresent() ? created : observe(resource, region);
      if (found.isEmpty()) {
        throw new AwsException(AwsException.Kind.RETRYABLE, "NotVisibleYet", 0, "AWS says " + describe(resource)
            + " exists but does not show it yet", null);
      }
    }
    L live = found.get();
    Ownership.Decision decision = decide(resource, live, region);
    if (decision.refused()) {
      return Result.of(decision.health()); // nothing of an AWS resource that is not ours goes to status
    }
    // listed before report: diff may read what status remembers of the previous pass (it is pure: order is free)
    List<Change> changes = diff(resource, live, region, owner);
    report(status, live);
    Optional<Health> unfixable = unfixable(resource, live);
    if (unfixable.isPresent()) {
      return Result.of(unfixable.get());
    }
    return syncExisting(resource, decision, describe(resource), () -> changes,
        applied -> afterChanges(resource, status, live, applied, region, false));
  }

  /** After the changes: the state they leave ({@link #afterApply}), reported when it is another, and its health. */
  private Result afterChanges(R resource, T status, L live, List<Change> changes, String region, boolean created) {
    L after = afterApply(resource, live, changes, region);
    if (after != live) {
      report(status, after);
    }
    return health(resource, after, created);
  }

  /** An answer to create without an owner tag, or with ours, is ours; one with another's tag existed before. */
  private boolean isOwn(L live, String owner) {
    String tag = Ownership.tag(tags(live));
    return tag == null || tag.equals(owner);
  }

  @Override
  protected final DeleteResult delete(R resource, T status, Context<R> context) {
    String region = region(resource);
    Optional<L> live = observe(resource, region);
    if (live.isEmpty()) {
      return DeleteResult.finished();
    }
    if (!removable(resource, live.get())) {
      op.events().normal(resource, "NotDeleted", describe(resource) + " is not owned by this resource: left in AWS");
      return DeleteResult.finished();
    }
    return remove(resource, live.get(), region);
  }

  /**
   * The steps for a resource that exists: the ownership decision ({@link #ownership}), then ObserveOnly only compares
   * ({@link #observed}); Adopt says that it takes the resource over; then the changes are made
   * ({@link #applyChanges}) and {@code inSync} gives the verdict from the changes made.
   *
   * @param what the resource in messages, e.g. "ECS cluster web"
   * @param changes the differences from the spec, listed once ownership allows it
   */
  private Result syncExisting(R resource, Ownership.Decision decision, String what,
      Supplier<List<Change>> changes, Function<List<Change>, Result> inSync) {
    if (decision.refused()) {
      return Result.of(decision.health());
    }
    List<Change> differences = changes.get();
    if (decision.action() == Ownership.Action.OBSERVE) {
      return Result.of(Verdicts.observed(what, differences));
    }
    if (decision.action() == Ownership.Action.ADOPT) {
      op.events().normal(resource, decision.reason(), decision.message());
    }
    applyChanges(resource, differences);
    return inSync.apply(differences);
  }

}
