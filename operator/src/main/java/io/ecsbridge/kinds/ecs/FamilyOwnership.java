package io.ecsbridge.kinds.ecs;

import io.ecsbridge.aws.TaskDefinitionGateway;
import io.ecsbridge.aws.TaskDefinitionGateway.Revision;
import io.ecsbridge.contract.Ownership;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** Ownership of a task definition family, the unit of ownership of EcsTaskDefinition (moved out of its reconciler). */
final class FamilyOwnership {
  private FamilyOwnership() {}

  /**
   * The ownership decision for the family, the unit of ownership here: by the latest ACTIVE revision's tag and, when
   * that would let this resource adopt the family (or suggest Adopt), by the owner tags of all its ACTIVE revisions, so
   * that a family another custom resource still registers into is never taken over because someone registered an
   * untagged revision on top. The first refusal among them wins, the strongest first (OwnedByAnother, then
   * OwnedByAnotherNamespace, then AlreadyExists). That scan (ListTaskDefinitions, ListTagsForResource per revision)
   * happens only on the way to adopting, never on a resync of a family that is ours. {@code ownership} judges an
   * owner tag (the frame's decision for this resource).
   */
  static Ownership.Decision decide(TaskDefinitionGateway ecs, String region, Revision latest,
      BiFunction<String, Map<String, String>, Ownership.Decision> ownership) {
    String what = "Task definition family " + latest.family() + " (latest ACTIVE revision " + latest.revision() + ")";
    Ownership.Decision decision = ownership.apply(what, latest.tags());
    boolean mayAdopt = decision.action() == Ownership.Action.ADOPT
        || decision.refused() && Ownership.ALREADY_EXISTS.equals(decision.reason());
    if (!mayAdopt) {
      return decision;
    }
    String latestOwner = Ownership.tag(latest.tags());
    Set<String> others = new LinkedHashSet<>();
    for (String arn : ecs.activeRevisions(region, latest.family())) {
      String tag = arn.equals(latest.arn()) ? latestOwner : ecs.tags(region, arn).get(Ownership.TAG);
      if (tag != null && !tag.equals(latestOwner)) {
        others.add(tag);
      }
    }
    Ownership.Decision strongest = decision;
    for (String tag : others) {
      Ownership.Decision other = ownership.apply("Task definition family " + latest.family()
          + " (ACTIVE revisions tagged " + tag + ")", Map.of(Ownership.TAG, tag));
      if (other.refused() && rank(other) > rank(strongest)) {
        strongest = other;
      }
    }
    return strongest;
  }

  private static int rank(Ownership.Decision decision) {
    return !decision.refused() ? 0 : switch (decision.reason()) {
      case Ownership.OWNED_BY_ANOTHER -> 3;
      case Ownership.OWNED_BY_ANOTHER_NAMESPACE -> 2;
      default -> 1;
    };
  }

}
