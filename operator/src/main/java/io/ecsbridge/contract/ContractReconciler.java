package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.AwsResourceSpec;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.IdentityStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kind contract (issue 8): a kind says how to observe its AWS resource, what differs from the spec (a pure list
 * of changes), how to create and delete it, what status reports and what health the live state has; this class owns
 * the order of the steps for every kind that implements it: check the inputs, observe, create when absent (an answer
 * that it already exists, or one that someone else owns, is judged like any existing resource), decide ownership
 * ({@link Ownership#decide}), report, refuse what no write can fix, wait while the resource takes no write, then
 * observe only, adopt or apply the differences, each told in an Event, then {@link #afterApply} (the state the
 * changes leave, steps after them) and judge its health; every verdict reached at a place is followed by
 * {@link #remember}.
 * Deletion touches only what is this resource's own by the kind's ownership strategy ({@link #removable}).
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

  /** The place of a pass, or the verdict that ends it (and when to look again: null, on an event) first. */
  public record Placed<P>(P target, Health verdict, Duration requeue) {
    public static <P> Placed<P> at(P target) {
      return new Placed<>(target, null, null);
    }

    public static <P> Placed<P> refused(Health verdict) {
      return new Placed<>(null, verdict, null);
    }

    /** A verdict to look at again after {@code requeue} (escalated by {@link Polls} while Reconciling). */
    public static <P> Placed<P> refused(Health verdict, Duration requeue) {
      return new Placed<>(null, verdict, requeue);
    }
  }

  /** The AWS resource in messages and Events, e.g. "ECR repository web". */
  protected abstract String describe(R resource);

  /** A refusal known before reading AWS (an input AWS would reject); reads nothing. */
  protected Optional<Health> precheck(R resource) {
    return Optional.empty();
  }

  /** Reads AWS: the live state, or empty when the resource does not exist. */
  protected abstract Optional<L> observe(R resource, P place);

  /** The live resource's tags (ownership by tag; a kind whose AWS resource takes none answers an empty map). */
  protected abstract Map<String, String> tags(L live);

  /**
   * The kind's ownership strategy ({@link OwnedBy}): by default the owner tag ({@link #tags}). A kind whose AWS
   * resource takes no tags records its identity in status; account-wide settings are claimed, and their lifecycle is
   * put/reset: {@link #observe} never answers absent (the settings always exist), {@link #create} is never called,
   * {@link #remove} resets what this resource wrote.
   */
  protected OwnedBy<L> ownedBy() {
    return new OwnedBy.Tag<>(this::tags);
  }

  /**
   * Creates the resource, tagged with {@code owner}; empty when AWS answers that it already exists (a reply lost, a
   * race): it is then observed again and judged like any existing one.
   */
  protected abstract Optional<L> create(R resource, P place, String owner);

  /**
   * Whether this pass may ask AWS to create the resource before reading it: one call instead of two for a resource
   * that does not exist yet (issue 14). Only for a kind whose create is refused when the resource exists (an answer
   * that it exists is then read and judged as ever, so ownership is decided as if it had been read first) and whose
   * refused create changes nothing; the contract asks only for a Managed resource owned by tag (never ObserveOnly or
   * Adopt, which expect it to exist). A refusal other than "exists" is read too: if the resource exists it is judged,
   * else the refusal stands. By default false: read first.
   */
  protected boolean createFirst(R resource, T status) {
    return false;
  }

  /** Copies the facts of the live state that status reports. */
  protected abstract void report(T status, L live);

  /** A difference no write can remove (fixed at creation): the verdict, before any write. */
  protected Optional<Health> unfixable(R resource, L live) {
    return Optional.empty();
  }

  /** What differs from the spec, each with the call that removes it. Pure: no AWS call, no status write. */
  protected abstract List<Change> diff(R resource, L live, P place, String owner);

  /** The verdict of the live state once in sync ({@code created}: it was just created). */
  protected abstract Result health(R resource, L live, boolean created);

  /** Deletes the AWS resource, which is this resource's own; or says why not yet. */
  protected abstract DeleteResult remove(R resource, L live, P place);

  /** The message of the Created Event. */
  protected String createdEvent(R resource, L live, P place) {
    return "Created " + describe(resource) + " in " + location(place);
  }

  /** The AWS resource where it is, in the ownership decision's messages; by default {@link #describe}. */
  protected String describeAt(R resource, P place) {
    return describe(resource);
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

  /**
   * The live state once the changes are made, and the place for steps after them; called on every pass that may
   * write, whether or not anything changed. By default the observed state: changes are made to the resource in
   * place and status already reports what they do not change. A kind whose change replaces the resource (a task
   * definition's change registers a new revision) returns what the change made, recorded by its {@link Change} when
   * it ran; a kind whose status shows what the changes change (a registry's scan type) reads it again. Status then
   * reports it ({@link #report}) and {@link #health} judges it.
   */
  protected L afterApply(R resource, L live, List<Change> applied, P place) {
    return live;
  }

  /** One pass against AWS, without the frame around it (public: unit tests drive the kinds through it). */
  @Override
  public final Result sync(R resource, T status, Context<R> context) {
    Optional<Health> refused = precheck(resource);
    if (refused.isPresent()) {
      return Result.of(refused.get());
    }
    Placed<P> placed = place(resource, status, context);
    if (placed.verdict() != null) {
      return Result.of(placed.verdict(), placed.requeue());
    }
    Result result = syncAt(resource, status, placed.target(), context);
    remember(resource, status, placed.target());
    return result;
  }

  private Result syncAt(R resource, T status, P place, Context<R> context) {
    OwnedBy<L> strategy = ownedBy();
    if (strategy instanceof OwnedBy.Claim<L> claim) {
      Optional<Health> claimed = claimedByAnother(resource, claim, context);
      if (claimed.isPresent()) {
        return Result.of(claimed.get());
      }
    }
    String owner = Ownership.value(op.instanceId(), resource);
    boolean firstTry = strategy instanceof OwnedBy.Tag
        && resource.getSpec().getManagementPolicy() == ManagementPolicy.Managed && createFirst(resource, status);
    Optional<L> found = firstTry ? Optional.empty() : observe(resource, place);
    if (found.isEmpty() && strategy instanceof OwnedBy.Claim) {
      throw new IllegalStateException(describe(resource) + ": settings always exist, observe must not answer absent");
    }
    if (found.isEmpty()) {
      if (resource.getSpec().getManagementPolicy() == ManagementPolicy.ObserveOnly) {
        return Result.of(Verdicts.notFound(describe(resource), location(place)));
      }
      Optional<L> created = Optional.empty();
      AwsException refused = null;
      try {
        created = create(resource, place, owner);
      } catch (AwsException e) {
        if (!firstTry || e.retryable()) {
          throw e;
        }
        // asked before reading: the refusal may be of a resource that exists (a role that may read but not create),
        // which is judged below as if it had been read first; if none exists, the refusal stands
        refused = e;
      }
      if (created.isPresent() && isOwn(created.get(), owner)) {
        L live = created.get();
        record(resource, status, strategy, live);
        op.events().normal(resource, "Created", createdEvent(resource, live, place));
        report(status, live);
        List<Change> changes = diff(resource, live, place, owner);
        applyChanges(resource, changes, false);
        return afterChanges(resource, status, live, changes, place, true);
      }
      found = created.isPresent() ? created : observe(resource, place);
      if (found.isEmpty() && refused != null) {
        throw refused;
      }
      if (found.isEmpty()) {
        throw new AwsException(AwsException.Kind.RETRYABLE, "NotVisibleYet", 0, "AWS says " + describe(resource)
            + " exists but does not show it yet", null);
      }
    }
    L live = found.get();
    Ownership.Decision decision = decide(resource, status, live, place, context);
    if (decision.refused()) {
      return Result.of(decision.health()); // nothing of an AWS resource that is not ours goes to status
    }
    // listed before report: diff may read what status remembers of the previous pass (it is pure: order is free)
    List<Change> differences = diff(resource, live, place, owner);
    if (decision.action() != Ownership.Action.OBSERVE) {
      record(resource, status, strategy, live);
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
    if (decision.action() == Ownership.Action.OBSERVE) {
      return observed(resource, live, differences);
    }
    if (decision.action() == Ownership.Action.ADOPT) {
      op.events().normal(resource, decision.reason(), decision.message());
    }
    applyChanges(resource, differences, isDrift(resource) && !placeChanged(resource, place));
    return afterChanges(resource, status, live, differences, place, false);
  }

  /** After the changes: the state they leave ({@link #afterApply}), reported when it is another, and its health. */
  private Result afterChanges(R resource, T status, L live, List<Change> changes, P place, boolean created) {
    L after = afterApply(resource, live, changes, place);
    if (after != live) {
      report(status, after);
    }
    return health(resource, after, created);
  }

  /**
   * An answer to create without an owner tag, or with ours, is ours; one with another's tag existed before. (A kind
   * whose resources take no tags: what its create returned is what it created.)
   */
  private boolean isOwn(L live, String owner) {
    String tag = Ownership.tag(tags(live));
    return tag == null || tag.equals(owner);
  }

  /**
   * Whose the live resource is, by the kind's strategy, and what this resource may do with it: the one decision of
   * {@link Ownership#decide}, given the owner the strategy found (the owner tag; the custom resource that recorded the
   * identity; for claimed settings, this resource when they are at their defaults or it wrote them, else nobody).
   * A kind whose unit of ownership spans several AWS objects (a task definition family's revisions) decides over
   * them.
   */
  protected Ownership.Decision decide(R resource, T status, L live, P place, Context<R> context) {
    String owner = ownedBy().owner(live, asker(resource, status, context));
    return ownership(resource, describeAt(resource, place), owner == null ? Map.of() : Map.of(Ownership.TAG, owner));
  }

  /**
   * Whether deletion calls {@link #remove}: when the live resource is exactly this resource's own by the kind's
   * strategy (else it is left in AWS, told in a NotDeleted Event). A kind that deletes part by part, each part judged
   * by its own tag (a family's revisions), says true and judges and tells in {@code remove}.
   */
  protected boolean removable(R resource, T status, L live, Context<R> context) {
    OwnedBy<L> strategy = ownedBy();
    if (strategy instanceof OwnedBy.Claim<L> claim) {
      // only what this resource recorded, while it still holds the claim
      return strategy.toRecord(live, resource).equals(OwnedBy.recorded(status))
          && claimedByAnother(resource, claim, context).isEmpty();
    }
    // tag and identity: the owner the strategy finds (an identity: recorded here, and by no older resource)
    return Ownership.value(op.instanceId(), resource).equals(strategy.owner(live, asker(resource, status, context)));
  }

  private OwnedBy.Asker<R> asker(R resource, T status, Context<R> context) {
    return new OwnedBy.Asker<>(resource, OwnedBy.recorded(status), r -> Ownership.value(op.instanceId(), r),
        () -> context.getPrimaryCache().list());
  }

  /** Records in status what this resource now owns (identity and claim strategies; tags record themselves). */
  private void record(R resource, T status, OwnedBy<L> strategy, L live) {
    String identity = strategy.toRecord(live, resource);
    if (identity == null) {
      return;
    }
    if (!(status instanceof IdentityStatus s)) {
      throw new IllegalStateException(status.getClass().getSimpleName() + " must implement IdentityStatus: "
          + describe(resource) + " is owned by an identity recorded in status");
    }
    s.setOwnedIdentity(identity);
  }

  /** Stalled AlreadyClaimed when an older custom resource of the kind claims the same scope. Reads no AWS. */
  private Optional<Health> claimedByAnother(R resource, OwnedBy.Claim<L> claim, Context<R> context) {
    return OwnedBy.Peers.claimant(context.getPrimaryCache().list(), resource, claim.scope())
        .filter(first -> !OwnedBy.Peers.sameObject(first, resource))
        .map(first -> Health.stalled(ALREADY_CLAIMED, describe(resource) + " are claimed by " + first.getKind() + " "
            + first.getMetadata().getNamespace() + "/" + first.getMetadata().getName() + " (one custom resource per "
            + claim.scope().apply(resource) + "; the oldest claims): this one does nothing until that one is deleted"));
  }

  /** The reason of a custom resource whose account-wide settings an older one claims. */
  public static final String ALREADY_CLAIMED = "AlreadyClaimed";

  /** One deletion pass against AWS, without the frame around it (public: unit tests drive it). */
  @Override
  public final DeleteResult delete(R resource, T status, Context<R> context) {
    P place = placeForDelete(resource, status, context);
    Optional<L> live = observe(resource, place);
    if (live.isEmpty()) {
      return DeleteResult.finished();
    }
    if (!removable(resource, status, live.get(), context)) {
      op.events().normal(resource, "NotDeleted", describe(resource) + " is not owned by this resource: left in AWS");
      return DeleteResult.finished();
    }
    return remove(resource, live.get(), place);
  }
}
