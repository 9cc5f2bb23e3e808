package io.ecsbridge.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.TaskDefinitionGateway;
import io.ecsbridge.aws.TaskDefinitionGateway.Revision;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EcsTaskDefinition: one custom resource is one task definition family. Each pass reads the family's latest ACTIVE
 * revision with its tags (one call) and registers a new revision only when the normalized content differs
 * ({@link TaskDefinitionContent}): first by the content-hash tag on the revision, then, for revisions registered
 * elsewhere, by comparing normalized content. Tags are not content: they are changed on the current revision. After
 * registering, owned revisions beyond revisionHistoryLimit are deregistered unless a service here still runs them.
 */
@ControllerConfiguration(name = "ecstaskdefinition")
public class EcsTaskDefinitionReconciler
    extends AwsResourceReconciler<EcsTaskDefinition, EcsTaskDefinitionSpec, EcsTaskDefinitionStatus> {

  private static final Logger log = LoggerFactory.getLogger(EcsTaskDefinitionReconciler.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final TaskDefinitionGateway ecs;
  private final Function<String, String> regions;
  private final RevisionsInUse inUse;

  /**
   * @param regions resolves spec.region (null when absent) to the region to use
   * @param inUse the revisions services managed here run: never pruned
   */
  public EcsTaskDefinitionReconciler(OperatorContext op, TaskDefinitionGateway ecs, Function<String, String> regions,
      RevisionsInUse inUse) {
    super(op);
    this.ecs = ecs;
    this.regions = regions;
    this.inUse = inUse;
  }

  @Override
  protected EcsTaskDefinitionStatus newStatus() {
    return new EcsTaskDefinitionStatus();
  }

  @Override
  protected String what() {
    return "ECS task definition";
  }

  /**
   * The content-hash tag of a revision is believed only for the revision this resource last registered or adopted
   * (its ARN in status), or, before the first status (a restart right after registering), for one carrying our
   * ownership tag. A revision registered outside with copied tags (console "create new revision", describe + edit +
   * register) is compared by its content instead, so that changed content is never taken as in sync.
   */
  private static boolean hashTrusted(EcsTaskDefinitionStatus status, Revision live, boolean owned) {
    return status.taskDefinitionArn == null ? owned : status.taskDefinitionArn.equals(live.arn());
  }

  @Override
  protected Result sync(EcsTaskDefinition resource, EcsTaskDefinitionStatus status,
      Context<EcsTaskDefinition> context) {
    EcsTaskDefinitionSpec spec = resource.getSpec();
    String region = regions.apply(spec.getRegion());
    String family = resource.family();
    String owner = Ownership.value(op.instanceId(), resource);
    ManagementPolicy policy = spec.getManagementPolicy();
    ObjectNode request = TaskDefinitionContent.request(MAPPER.valueToTree(spec));
    ObjectNode desired = TaskDefinitionContent.canonical(request);
    String hash = TaskDefinitionContent.hash(desired);
    boolean specChanged = !Objects.equals(status.getObservedGeneration(), generation(resource));

    Optional<Revision> found = ecs.latest(region, family);
    if (found.isEmpty()) {
      if (policy == ManagementPolicy.ObserveOnly) {
        return Result.of(Health.stalled("NotFound", "Task definition family " + family + " has no ACTIVE revision in "
            + region + " (managementPolicy: ObserveOnly never registers one)"));
      }
      Revision created = ecs.register(region, family, request, desiredTags(spec, owner, hash));
      op.events().normal(resource, "Created", "Registered task definition " + name(created));
      fillStatus(status, created, hash);
      prune(resource, region, created, owner);
      return Result.of(Health.ready("Synced", "Task definition " + name(created) + " registered"));
    }

    Revision live = found.get();
    Ownership.Decision ownership = familyOwnership(resource, region, live);
    if (ownership.refused()) {
      return Result.of(ownership.health()); // a revision that is not ours is not advertised in status
    }
    boolean owned = ownership.action() == Ownership.Action.MANAGE;
    ObjectNode liveContent = TaskDefinitionContent.canonical(live.content());
    boolean sameContent = liveContent.equals(desired)
        || hashTrusted(status, live, owned) && hash.equals(live.tags().get(TaskDefinitionContent.HASH_TAG));

    if (policy == ManagementPolicy.ObserveOnly) {
      fillStatus(status, live, sameContent ? hash : TaskDefinitionContent.hash(liveContent));
      List<String> differences = new ArrayList<>(sameContent ? List.of()
          : TaskDefinitionContent.differences(desired, liveContent));
      if (!userTags(live.tags()).equals(spec.tags == null ? Map.of() : new TreeMap<>(spec.tags))) {
        differences.add("tags");
      }
      return Result.of(Verdicts.observedFields("Task definition " + name(live), differences));
    }

    if (!sameContent) {
      List<String> differences = TaskDefinitionContent.differences(desired, liveContent);
      Revision registered = ecs.register(region, family, request, desiredTags(spec, owner, hash));
      String what = "Registered task definition " + name(registered) + " (changed: " + String.join(", ", differences)
          + ")";
      if (ownership.action() == Ownership.Action.ADOPT) {
        op.events().normal(resource, "Adopted", ownership.message() + ": " + what);
      } else if (isDrift(resource)) {
        op.events().normal(resource, "DriftCorrected", what + "; revision " + live.revision()
            + " was registered outside ecs-bridge");
      } else {
        op.events().normal(resource, "Updated", what);
      }
      fillStatus(status, registered, hash);
      prune(resource, region, registered, owner);
      return Result.of(Health.ready("Synced", "Task definition " + name(registered) + " registered"));
    }

    if (ownership.action() == Ownership.Action.ADOPT) {
      op.events().normal(resource, "Adopted", ownership.message() + ": revision " + live.revision()
          + " has the same content");
    }
    retag(resource, region, live, desiredTags(spec, owner, hash));
    fillStatus(status, live, hash);
    if (specChanged) {
      prune(resource, region, live, owner);
    }
    return Result.of(Health.ready("Synced", "Task definition " + name(live) + " is in sync"));
  }

  /**
   * The ownership decision for the family, the unit of ownership here: by the latest ACTIVE revision's tag and, when
   * that would let this resource adopt the family (or suggest Adopt), by the owner tags of all its ACTIVE revisions, so
   * that a family another custom resource still registers into is never taken over because someone registered an
   * untagged revision on top. The first refusal among them wins, the strongest first (OwnedByAnother, then
   * OwnedByAnotherNamespace, then AlreadyExists). That scan (ListTaskDefinitions, ListTagsForResource per revision)
   * happens only on the way to adopting, never on a resync of a family that is ours.
   */
  private Ownership.Decision familyOwnership(EcsTaskDefinition resource, String region, Revision latest) {
    String what = "Task definition family " + latest.family() + " (latest ACTIVE revision " + latest.revision() + ")";
    Ownership.Decision decision = ownership(resource, what, latest.tags());
    boolean mayAdopt = decision.action() == Ownership.Action.ADOPT
        || decision.refused() && Ownership.ALREADY_EXISTS.equals(decision.reason());
    if (!mayAdopt) {
      return decision;
    }
    String latestOwner = Ownership.tag(latest.tags());
    Set<String> others = new java.util.LinkedHashSet<>();
    for (String arn : ecs.activeRevisions(region, latest.family())) {
      String tag = arn.equals(latest.arn()) ? latestOwner : ecs.tags(region, arn).get(Ownership.TAG);
      if (tag != null && !tag.equals(latestOwner)) {
        others.add(tag);
      }
    }
    Ownership.Decision strongest = decision;
    for (String tag : others) {
      Ownership.Decision other = ownership(resource, "Task definition family " + latest.family()
          + " (ACTIVE revisions tagged " + tag + ")", Map.of(Ownership.TAG, tag));
      if (other.refused() && rank(other) > rank(strongest)) {
        strongest = other;
      }
    }
    return strongest;
  }

  private static int rank(Ownership.Decision decision) {
    if (!decision.refused()) {
      return 0;
    }
    return switch (decision.reason()) {
      case Ownership.OWNED_BY_ANOTHER -> 3;
      case Ownership.OWNED_BY_ANOTHER_NAMESPACE -> 2;
      default -> 1;
    };
  }

  /** Makes the revision's tags the desired set (aws: tags are AWS's own and stay). */
  private void retag(EcsTaskDefinition resource, String region, Revision live, Map<String, String> want) {
    Tags.Delta delta = Tags.delta(want, live.tags(), false);
    if (!delta.add().isEmpty()) {
      ecs.tag(region, live.arn(), delta.add());
      op.events().normal(resource, "Updated", "Tagged task definition " + name(live) + " with "
          + delta.add().keySet());
    }
    if (!delta.remove().isEmpty()) {
      ecs.untag(region, live.arn(), delta.remove());
      op.events().normal(resource, "Updated", "Removed tags " + delta.remove() + " from task definition "
          + name(live));
    }
  }

  /**
   * Deregisters this resource's revisions older than the current one beyond revisionHistoryLimit, oldest first, but
   * never one a service managed here still runs. Revisions registered by others do not count and are left alone.
   */
  private void prune(EcsTaskDefinition resource, String region, Revision current, String owner) {
    if (current.revision() <= 1) {
      return; // nothing older
    }
    int limit = resource.getSpec().revisionHistoryLimit();
    List<String> older = new ArrayList<>(ecs.activeRevisions(region, current.family()).stream()
        .filter(arn -> TaskDefinitionGateway.revisionOf(arn) < current.revision())
        .toList());
    Collections.reverse(older); // newest first
    Set<String> used;
    try {
      used = inUse.arns(resource.getMetadata().getNamespace()).stream()
          .map(EcsTaskDefinitionReconciler::shortName).collect(Collectors.toSet());
    } catch (RuntimeException e) {
      // not knowing what services run means not pruning now; the next registration or spec change tries again
      op.events().warning(resource, "PruneDeferred", "Older revisions were not pruned: could not read which "
          + "revisions EcsServices run (" + e.getMessage() + ")");
      return;
    }
    List<String> prune = new ArrayList<>();
    int kept = 0;
    for (String arn : older) {
      if (!owner.equals(ecs.tags(region, arn).get(Ownership.TAG))) {
        continue;
      }
      if (kept < limit) {
        kept++;
      } else if (used.contains(shortName(arn))) {
        log.info("keeping {}: beyond revisionHistoryLimit {} but still run by a service", shortName(arn), limit);
      } else {
        prune.add(arn);
      }
    }
    Collections.reverse(prune); // oldest first
    for (String arn : prune) {
      ecs.deregister(region, arn);
      op.events().normal(resource, "Deregistered", "Deregistered task definition " + shortName(arn)
          + " (beyond revisionHistoryLimit " + limit + ")");
    }
  }

  @Override
  protected DeleteResult delete(EcsTaskDefinition resource, EcsTaskDefinitionStatus status,
      Context<EcsTaskDefinition> context) {
    String region = regions.apply(resource.getSpec().getRegion());
    String family = resource.family();
    String owner = Ownership.value(op.instanceId(), resource);
    int deregistered = 0;
    int foreign = 0;
    for (String arn : ecs.activeRevisions(region, family)) {
      if (owner.equals(ecs.tags(region, arn).get(Ownership.TAG))) {
        ecs.deregister(region, arn);
        deregistered++;
      } else {
        foreign++;
      }
    }
    if (deregistered > 0) {
      op.events().normal(resource, "Deleted", "Deregistered " + deregistered + " revision(s) of task definition "
          + "family " + family + (foreign > 0 ? "; " + foreign + " revision(s) not registered by this resource left "
          + "ACTIVE" : ""));
    } else if (foreign > 0) {
      op.events().normal(resource, "NotDeleted", "Task definition family " + family + " has no revision registered "
          + "by this resource: " + foreign + " revision(s) left ACTIVE");
    }
    return DeleteResult.finished();
  }

  private static void fillStatus(EcsTaskDefinitionStatus status, Revision revision, String hash) {
    status.taskDefinitionArn = revision.arn();
    status.revision = revision.revision();
    status.contentHash = hash;
  }

  private static Map<String, String> desiredTags(EcsTaskDefinitionSpec spec, String owner, String hash) {
    Map<String, String> tags = Tags.desired(spec.tags, owner, false);
    tags.put(TaskDefinitionContent.HASH_TAG, hash);
    return tags;
  }

  private static Map<String, String> userTags(Map<String, String> tags) {
    Map<String, String> out = new TreeMap<>(tags);
    out.keySet().removeIf(k -> k.startsWith("aws:") || k.startsWith("ecsbridge.io/"));
    return out;
  }

  private static String name(Revision revision) {
    return revision.family() + ":" + revision.revision();
  }

  /** family:revision of an ARN or of family:revision itself. */
  private static String shortName(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }
}
