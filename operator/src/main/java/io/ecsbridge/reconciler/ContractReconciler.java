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
import java.util.function.Supplier;

/**
 * The kind contract (issue 8): a kind says how to observe its AWS resource, what differs from the spec (a pure list
 * of changes), how to create and delete it, what status reports and what health the live state has; this class owns
 * the order of the steps for every kind that implements it: check the inputs, observe, create when absent (an answer
 * that it already exists, or one that someone else owns, is judged like any existing resource), decide ownership
 * ({@link Ownership#decide}), report, refuse what no write can fix, wait while the resource takes no write, then
 * observe only, adopt or apply the differences, each told in an Event, and judge the health of what AWS answered;
 * every verdict reached at a place is followed by {@link #remember}. Deletion touches only a resource whose owner tag is this resource's exactly.
 * The frame around it ({@link AwsResourceReconciler}) owns the first status, errors, Stalled and its backoff, Events
 * of verdicts, status writes and polls.
 *
 * @param <P> where the AWS resource is and what a pass needs to reach it: the region for most kinds; for an EcsService
 *     the region, the resolved cluster and the task definition it should run
 * @param <L> the live state of the AWS resource as the kind's gateway reads it (a change may record in it what AWS
 *     answered, for {@link #health})
 */
public abstract class ContractReconciler<R extends CustomResource<S, T>, S extends AwsResourceSpec,
    T extends AwsResourceStatus, P, L> extends AwsResourceReconciler<R, S, T> {

  protected ContractReconciler(OperatorContext op) {
    super(op);
  }

  /**
   * Where this pass works: the region (spec.region or the operator's) and whatever else the kind resolves before it
   * reads AWS (references to other resources); or the verdict that ends the pass first (a reference not ready).
   * Must not write AWS.
   */
  protected abstract Placed<P> place(R resource, T status, Context<R> context);

  /** Where a deletion works; by default the same as {@link #place} (a kind whose references may be gone overrides). */
  protected P placeForDelete(R resource, T status, Context<R> context) {
    Placed<P> placed = place(resource, status, context);
    if (placed.verdict() != null) {
      throw new IllegalStateException(describe(resource) + ": no place to delete from: " + placed.verdict());
    }
    return placed.target();
  }

  /** The place in messages, e.g. "us-east-1" or "cluster web". */
  protected String location(P place) {
    return String.valueOf(place);
  }

  /** The place of a pass, or the verdict that ends it before AWS is read. */
  public record Placed<P>(P target, Health verdict) {
    public static <P> Placed<P> at(P target) {
      return new Placed<>(target, null);
    }

    public static <P> Placed<P> refused(Health verdict) {
      return new Placed<>(null, verdict);
    }
  }

  /** The AWS resource in messages and Events, e.g. "ECR repository web". */
  protected abstract String describe(R resource);

  /** The AWS resource where it is, in the ownership decision's messages; by default {@link #describe}. */
  protected String describeAt(R resource, P place) {
    return describe(resource);
  }

  /** The message of the Created Event. */
  protected String createdMessage(R resource, L live, P place) {
    return "Created " + describe(resource) + " in " + location(place);
  }

  /** A refusal known before reading AWS (an input AWS would reject); reads nothing. */
  protected Optional<Health> precheck(R resource) {
    return Optional.empty();
  }

  /** Reads AWS: the live state, or empty when the resource does not exist. */
  protected abstract Optional<L> observe(R resource, P place);

  /** The live resource's tags (ownership by tag). */
  protected abstract Map<String, String> tags(L live);

  /**
   * Creates the resource, tagged with {@code owner}; empty when AWS answers that it already exists (a reply lost, a
   * race): it is then observed again and judged like any existing one.
   */
  protected abstract Optional<L> create(R resource, P place, String owner);

  /** Copies the facts of the live state that status reports. */
  protected abstract void report(T status, L live);

  /** A difference no write can remove (fixed at creation): the verdict, before any write. */
  protected Optional<Health> unfixable(R resource, L live) {
    return Optional.empty();
  }

  /**
   * A live resource that takes no write now (being deleted outside ecs-bridge, still provisioning): its verdict and
   * when to look again, before any diff. By default none.
   */
  protected Optional<Result> busy(R resource, L live) {
    return Optional.empty();
  }

  /**
   * Whether the place differs from the one the last pass worked at (a reference now resolves to another revision):
   * the changes it brings are {@code Updated}, not {@code DriftCorrected}. By default the place never changes.
   */
  protected boolean placeChanged(R resource, P place) {
    return false;
  }

  /** ObserveOnly's verdict: Ready when nothing differs, else Stalled OutOfSync naming the fields. */
  protected Result observed(R resource, L live, List<Change> differences) {
    return Result.of(Verdicts.observed(describe(resource), differences));
  }

  /**
   * After a pass reached its verdict at its place (not when it threw): the kind may remember in status what the pass
   * worked with (what its references resolved to), so that {@link #inputsChanged} can tell a change. By default
   * nothing.
   */
  protected void remember(R resource, T status, P place) {}

  /** What differs from the spec, each with the call that removes it. Pure: no AWS call, no status write. */
  protected abstract List<Change> diff(R resource, L live, P place, String owner);

  /** The verdict of the live state once in sync ({@code created}: it was just created). */
  protected abstract Result health(R resource, L live, boolean created);

  /** Deletes the AWS resource, which is this resource's own; or says why not yet. */
  protected abstract DeleteResult remove(R resource, L live, P place);

  @Override
  protected final Result sync(R resource, T status, Context<R> context) {
    Optional<Health> refused = precheck(resource);
    if (refused.isPresent()) {
      return Result.of(refused.get());
    }
    Placed<P> placed = place(resource, status, context);
    if (placed.verdict() != null) {
      return Result.of(placed.verdict());
    }
    Result result = syncAt(resource, status, placed.target());
    remember(resource, status, placed.target());
    return result;
  }

  private Result syncAt(R resource, T status, P place) {
    String owner = Ownership.value(op.instanceId(), resource);
    Optional<L> found = observe(resource, place);
    if (found.isEmpty()) {
      if (resource.getSpec().getManagementPolicy() == ManagementPolicy.ObserveOnly) {
        return Result.of(Verdicts.notFound(describe(resource), location(place)));
      }
      Optional<L> created = create(resource, place, owner);
      if (created.isPresent() && isOwn(created.get(), owner)) {
        L live = created.get();
        op.events().normal(resource, "Created", createdMessage(resource, live, place));
        report(status, live);
        applyChanges(resource, diff(resource, live, place, owner), false);
        return health(resource, live, true);
      }
      found = created.isPresent() ? created : observe(resource, place);
      if (found.isEmpty()) {
        throw new AwsException(AwsException.Kind.RETRYABLE, "NotVisibleYet", 0, "AWS says " + describe(resource)
            + " exists but does not show it yet", null);
      }
    }
    L live = found.get();
    Ownership.Decision decision = ownership(resource, describeAt(resource, place), tags(live));
    if (decision.refused()) {
      return Result.of(decision.health()); // nothing of an AWS resource that is not ours goes to status
    }
    report(status, live);
    Optional<Health> unfixable = unfixable(resource, live);
    if (unfixable.isPresent()) {
      return Result.of(unfixable.get());
    }
    Optional<Result> busy = busy(resource, live);
    if (busy.isPresent()) {
      return busy.get();
    }
    return syncExisting(resource, decision, live, place, () -> diff(resource, live, place, owner));
  }

  /** An answer to create without an owner tag, or with ours, is ours; one with another's tag existed before. */
  private boolean isOwn(L live, String owner) {
    String tag = Ownership.tag(tags(live));
    return tag == null || tag.equals(owner);
  }

  @Override
  protected final DeleteResult delete(R resource, T status, Context<R> context) {
    P place = placeForDelete(resource, status, context);
    Optional<L> live = observe(resource, place);
    if (live.isEmpty()) {
      return DeleteResult.finished();
    }
    if (!Ownership.ownedBy(tags(live.get()), Ownership.value(op.instanceId(), resource))) {
      op.events().normal(resource, "NotDeleted", describe(resource) + " is not owned by this resource: left in AWS");
      return DeleteResult.finished();
    }
    return remove(resource, live.get(), place);
  }

  /**
   * The steps for a resource that exists: the ownership decision ({@link #ownership}), then ObserveOnly only compares
   * ({@link #observed}); Adopt says that it takes the resource over; then the changes are made
   * ({@link #applyChanges}) and the health of the live state is the verdict.
   *
   * @param changes the differences from the spec, listed once ownership allows it
   */
  private Result syncExisting(R resource, Ownership.Decision decision, L live, P place,
      Supplier<List<Change>> changes) {
    if (decision.refused()) {
      return Result.of(decision.health());
    }
    List<Change> differences = changes.get();
    if (decision.action() == Ownership.Action.OBSERVE) {
      return observed(resource, live, differences);
    }
    if (decision.action() == Ownership.Action.ADOPT) {
      op.events().normal(resource, decision.reason(), decision.message());
    }
    applyChanges(resource, differences, isDrift(resource) && !placeChanged(resource, place));
    return health(resource, live, false);
  }

}
