package io.ecsbridge.contract;

import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * The ownership tag, {@code ecsbridge.io/owner: <operator-instance-id>/<namespace>/<name>}, on every AWS resource we
 * create or adopt, and the one place that decides what a custom resource may do with an AWS resource that exists
 * ({@link #decide}) or that a raw name reaches ({@link #rawUse}). A namespace is a tenant:
 * <ul>
 *   <li>our exact tag: ours;</li>
 *   <li>no tag (made outside ecs-bridge): only {@code Adopt} takes it;</li>
 *   <li>the tag of another custom resource of this operator that still exists (or whose existence cannot be
 *       checked): never taken, whatever the policy ({@code OwnedByAnother});</li>
 *   <li>the tag of one that no longer exists, or of another operator instance (which cannot be checked): only
 *       {@code Adopt} takes it, and across namespaces only when the operator allows it
 *       ({@code ECSBRIDGE_ALLOW_CROSS_NAMESPACE}; else {@code OwnedByAnotherNamespace});</li>
 *   <li>{@code ObserveOnly} reads anything in its own namespace; across namespaces it would show another tenant's
 *       configuration in status, so only when the operator allows it.</li>
 * </ul>
 */
public final class Ownership {
  public static final String TAG = "ecsbridge.io/owner";
  public static final String SETTING = "ECSBRIDGE_ALLOW_CROSS_NAMESPACE";

  private Ownership() {}

  public static String value(String instanceId, HasMetadata resource) {
    return Owner.of(instanceId, resource).toString();
  }

  public static boolean ownedBy(Map<String, String> liveTags, String ownerValue) {
    return liveTags != null && ownerValue.equals(liveTags.get(TAG));
  }

  /** The owner tag's value among the tags, or null. */
  public static String tag(Map<String, String> liveTags) {
    return liveTags == null ? null : liveTags.get(TAG);
  }

  /** Who an owner tag names. */
  public record Owner(String instance, String namespace, String name) {
    public static Owner of(String instanceId, HasMetadata resource) {
      return new Owner(instanceId, resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }

    /** The owner a tag value names; empty when it is not of the form instance/namespace/name. */
    public static Optional<Owner> parse(String value) {
      String[] parts = value == null ? new String[0] : value.split("/", -1);
      if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Owner(parts[0], parts[1], parts[2]));
    }

    @Override
    public String toString() {
      return instance + "/" + namespace + "/" + name;
    }
  }

  /** Whether the custom resource an owner tag names exists: ALIVE, GONE, or UNKNOWN (the look-up failed). */
  public record OwnerState(State state, String detail) {
    public enum State { ALIVE, GONE, UNKNOWN }

    public static final OwnerState ALIVE = new OwnerState(State.ALIVE, null);
    public static final OwnerState GONE = new OwnerState(State.GONE, null);

    public static OwnerState unknown(String why) {
      return new OwnerState(State.UNKNOWN, why);
    }
  }

  /** Looks up the custom resource (of the claimant's kind) that an owner tag of this operator instance names. */
  @FunctionalInterface
  public interface Lookup {
    OwnerState state(Owner owner);
  }

  /**
   * The custom resource that wants an AWS resource.
   *
   * @param kind its kind, e.g. EcrRepository (an owner tag names a custom resource of the same kind)
   * @param what the AWS resource in messages, e.g. "ECR repository shop/web"
   */
  public record Claimant(String kind, String what, Owner identity, ManagementPolicy policy) {}

  /** What the claimant may do with the AWS resource. */
  public enum Action {
    /** It is the claimant's own (our exact tag): read, compare, write the difference. */
    MANAGE,
    /** Take it over: write the difference and our tag; the message is the Adopted Event. */
    ADOPT,
    /** Read and compare only (ObserveOnly). */
    OBSERVE,
    /** Leave it alone: Stalled with the reason and message. */
    REFUSE
  }

  public record Decision(Action action, String reason, String message) {
    static Decision refuse(String reason, String message) {
      return new Decision(Action.REFUSE, reason, message);
    }

    public boolean refused() {
      return action == Action.REFUSE;
    }

    /** The verdict of a refusal. */
    public Health health() {
      return Health.stalled(reason, message);
    }
  }

  public static final String ALREADY_EXISTS = "AlreadyExists";
  public static final String OWNED_BY_ANOTHER = "OwnedByAnother";
  public static final String OWNED_BY_ANOTHER_NAMESPACE = "OwnedByAnotherNamespace";

  /**
   * What {@code claimant} may do with an existing AWS resource whose owner tag is {@code liveTag} (null: none).
   * {@code lookup} is asked only for a tag of this operator instance naming another custom resource.
   */
  public static Decision decide(Claimant claimant, String liveTag, boolean allowCrossNamespace, Lookup lookup) {
    Owner self = claimant.identity();
    ManagementPolicy policy = claimant.policy();
    String what = claimant.what();
    Optional<Owner> parsed = Owner.parse(liveTag);
    if (parsed.isEmpty()) {
      // no tag, or one ecs-bridge never writes: made outside ecs-bridge
      return switch (policy) {
        case ObserveOnly -> new Decision(Action.OBSERVE, null, null);
        case Adopt -> new Decision(Action.ADOPT, "Adopted", "Adopted existing " + what);
        case Managed -> Decision.refuse(ALREADY_EXISTS, what + " already exists and is not owned by this resource ("
            + (liveTag == null ? "it has no " + TAG + " tag" : TAG + "=" + liveTag)
            + "); set spec.managementPolicy: Adopt to take it over, or choose another name");
      };
    }
    Owner owner = parsed.get();
    if (owner.equals(self)) {
      return new Decision(policy == ManagementPolicy.ObserveOnly ? Action.OBSERVE : Action.MANAGE, null, null);
    }
    boolean crossNamespace = !owner.namespace().equals(self.namespace());
    boolean sameInstance = owner.instance().equals(self.instance());
    String whose = claimant.kind() + " " + owner.namespace() + "/" + owner.name()
        + (sameInstance ? "" : " of operator instance " + owner.instance());
    String tag = " (" + TAG + "=" + liveTag + ")";
    String crossOff = "this operator does not let one namespace reach another namespace's AWS resources ("
        + SETTING + " is off)";
    if (policy == ManagementPolicy.ObserveOnly) {
      return crossNamespace && !allowCrossNamespace
          ? Decision.refuse(OWNED_BY_ANOTHER_NAMESPACE, what + " is owned by " + whose + tag
              + " in another namespace; observing it would show that namespace's configuration here, and "
              + crossOff)
          : new Decision(Action.OBSERVE, null, null);
    }
    String formerly;
    if (sameInstance) {
      OwnerState state = lookup.state(owner);
      switch (state.state()) {
        case ALIVE -> {
          return Decision.refuse(OWNED_BY_ANOTHER, what + " is owned by " + whose + tag + ", which exists: "
              + "ecs-bridge never takes over what another custom resource manages, whatever the managementPolicy; "
              + "choose another name");
        }
        case UNKNOWN -> {
          return Decision.refuse(OWNED_BY_ANOTHER, what + " is owned by " + whose + tag + "; whether that custom "
              + "resource still exists could not be checked (" + state.detail() + "), so it is treated as existing "
              + "and ecs-bridge does not take the resource over; choose another name");
        }
        default -> formerly = "it was owned by " + whose + ", which no longer exists";
      }
    } else {
      formerly = "it is owned by " + whose + ", which this operator cannot check";
    }
    if (crossNamespace && !allowCrossNamespace) {
      return Decision.refuse(OWNED_BY_ANOTHER_NAMESPACE, what + " belongs to another namespace: " + formerly + tag
          + "; " + crossOff + "; choose another name");
    }
    return policy == ManagementPolicy.Adopt
        ? new Decision(Action.ADOPT, "Adopted", "Adopted existing " + what + " (" + formerly + ")")
        : Decision.refuse(ALREADY_EXISTS, what + " already exists and is not owned by this resource (" + formerly
            + tag + "); set spec.managementPolicy: Adopt to take it over, or choose another name");
  }

  /**
   * Whether a raw name (a name or ARN in the spec, not a reference) of a custom resource in {@code namespace} may
   * use an AWS resource whose owner tag is {@code liveTag}: yes when it has no owner tag or one of this namespace;
   * across namespaces only when the operator allows it. Empty: allowed; else the refusal.
   *
   * @param kind the kind of custom resource that would own it, e.g. EcsCluster
   */
  public static Optional<Decision> rawUse(String what, String kind, String liveTag, String namespace,
      boolean allowCrossNamespace) {
    Optional<Owner> owner = Owner.parse(liveTag);
    if (owner.isEmpty() || owner.get().namespace().equals(namespace) || allowCrossNamespace) {
      return Optional.empty();
    }
    Owner o = owner.get();
    return Optional.of(Decision.refuse(OWNED_BY_ANOTHER_NAMESPACE, what + " is managed by " + kind + " "
        + o.namespace() + "/" + o.name() + " (" + TAG + "=" + liveTag + ") in another namespace: a raw name may only "
        + "reach an AWS resource that ecs-bridge does not manage or manages in this namespace (" + SETTING
        + " is off)"));
  }
}
