package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsAccountStatus;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an AwsAccount's update means to the resources it serves. A person's change of the account (its spec, or its
 * deletion) is a changed input of theirs: their passes run in the USER lane. The account controller's own status
 * writes matter only where a resource's pass reads them ({@link AccountResolver}: the Ready and Stalled conditions, the
 * account id): those passes run in the lane they would have had anyway (a resource that is not Ready is USER by
 * itself), and its observed generation (a spec change handled). Anything else reconciles nothing: labels,
 * annotations, a condition's time, and the namespaces served and their count (written after a Namespace's label change, whose own event has reconciled the
 * resources of that namespace; the resolver reads the Namespace's labels, not this list). An AwsAccount serving
 * thousands of resources would otherwise send each of them through a pass at each such write.
 */
enum AccountUpdate {
  /** Nothing the resources read changed. */
  NONE,
  /** The account controller's status changed what the resources read: reconcile them, in their own lane. */
  FOLLOW,
  /** A person changed the account: reconcile them as a changed input (USER lane). */
  CHANGE;

  /** A spec change moves the generation (the status subresource); the spec has no equals of its own. */
  static AccountUpdate of(AwsAccount older, AwsAccount newer) {
    if (older == null || newer == null) {
      return CHANGE;
    }
    if (!Objects.equals(older.getMetadata().getUid(), newer.getMetadata().getUid())
        || !Objects.equals(older.getMetadata().getGeneration(), newer.getMetadata().getGeneration())
        || !Objects.equals(older.getMetadata().getDeletionTimestamp(), newer.getMetadata().getDeletionTimestamp())) {
      return CHANGE; // a uid: deleted and created again under its name, seen as one update after a watch gap
    }
    AwsAccountStatus was = older.getStatus();
    AwsAccountStatus is = newer.getStatus();
    if (was == null || is == null) {
      return was == is ? NONE : FOLLOW;
    }
    // the observed generation: the account controller has handled a spec change (credentials confirmed again), which
    // the resources that waited meanwhile (AccountPending) may take now, whatever its conditions say
    boolean same = Objects.equals(was.accountId, is.accountId)
        && Objects.equals(was.getObservedGeneration(), is.getObservedGeneration())
        && sameCondition(was.getConditions(), is.getConditions(), Conditions.READY)
        && sameCondition(was.getConditions(), is.getConditions(), Conditions.STALLED);
    return same ? NONE : FOLLOW;
  }

  private static boolean sameCondition(List<Condition> was, List<Condition> is, String type) {
    Optional<Condition> a = Conditions.find(was, type);
    Optional<Condition> b = Conditions.find(is, type);
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() == b.isEmpty();
    }
    return Objects.equals(a.get().getStatus(), b.get().getStatus())
        && Objects.equals(a.get().getReason(), b.get().getReason())
        && Objects.equals(a.get().getMessage(), b.get().getMessage());
  }
}
