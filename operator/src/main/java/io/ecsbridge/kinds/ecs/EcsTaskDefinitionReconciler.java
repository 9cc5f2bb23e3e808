package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.RegionalContract;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.contract.Tags;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * EcsTaskDefinition: one custom resource is one task definition family, observed as its latest ACTIVE revision with
 * its tags (one call). A difference of normalized content ({@link TaskDefinitionContent}) is one change, a new
 * revision; tags are not content and are changed on the current revision. After a new revision (and on a spec
 * change) older revisions are pruned ({@link RevisionHistory}). The family is the unit of ownership
 * ({@link #decide}); deletion deregisters the revisions this resource registered and no other.
 */
@ControllerConfiguration(name = "ecstaskdefinition")
public class EcsTaskDefinitionReconciler
    extends RegionalContract<EcsTaskDefinition, EcsTaskDefinitionSpec, EcsTaskDefinitionStatus, Revision> {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final TaskDefinitionGateway ecs;
  private final RevisionHistory history;

  /**
   * @param regions resolves spec.region (null when absent) to the region to use
   * @param inUse the revisions services managed here run: never pruned
   */
  public EcsTaskDefinitionReconciler(OperatorContext op, TaskDefinitionGateway ecs, Function<String, String> regions,
      RevisionsInUse inUse) {
    super(op, regions);
    this.ecs = ecs;
    this.history = new RevisionHistory(ecs, inUse, op.events());
  }

  @Override
  protected EcsTaskDefinitionStatus newStatus() {
    return new EcsTaskDefinitionStatus();
  }

  @Override
  protected String what() {
    return "ECS task definition";
  }

  @Override
  protected String describe(EcsTaskDefinition resource) {
    return "Task definition family " + resource.family();
  }

  @Override
  protected Optional<Revision> observe(EcsTaskDefinition resource, String region) {
    return ecs.latest(region, resource.family());
  }

  @Override
  protected Map<String, String> tags(Revision live) {
    return live.tags();
  }

  /** What the spec asks for: the RegisterTaskDefinition content, its canonical form and hash, and the tags. */
  private record Desired(ObjectNode request, ObjectNode canonical, String hash, Map<String, String> tags) {
    static Desired of(EcsTaskDefinitionSpec spec, String owner) {
      ObjectNode request = TaskDefinitionContent.request(MAPPER.valueToTree(spec));
      ObjectNode canonical = TaskDefinitionContent.canonical(request);
      String hash = TaskDefinitionContent.hash(canonical);
      Map<String, String> tags = Tags.desired(spec.tags, owner, false);
      tags.put(TaskDefinitionContent.HASH_TAG, hash);
      return new Desired(request, canonical, hash, tags);
    }
  }

  @Override
  protected Optional<Revision> create(EcsTaskDefinition resource, String region, String owner) {
    Desired want = Desired.of(resource.getSpec(), owner);
    return Optional.of(ecs.register(region, resource.family(), want.request(), want.tags()));
  }

  @Override
  protected String createdEvent(EcsTaskDefinition resource, Revision live, String region) {
    return "Registered task definition " + name(live);
  }

  /** The revision's content hash is the one tagged on it (ours), else that of its normalized content. */
  @Override
  protected void report(EcsTaskDefinitionStatus status, Revision live) {
    status.taskDefinitionArn = live.arn();
    status.revision = live.revision();
    String tagged = live.tags().get(TaskDefinitionContent.HASH_TAG);
    status.contentHash = tagged != null ? tagged
        : TaskDefinitionContent.hash(TaskDefinitionContent.canonical(live.content()));
  }

  /**
   * The content-hash tag of a revision is believed only for the revision this resource last registered or adopted
   * (its ARN in status, from the previous pass: diff runs before report), or, before the first status (a restart
   * right after registering), for one carrying our ownership tag. A revision registered outside with copied tags
   * (console "create new revision", describe + edit + register) is compared by its content instead, so that changed
   * content is never taken as in sync.
   */
  private static boolean hashTrusted(EcsTaskDefinitionStatus status, Revision live, boolean owned) {
    return status.taskDefinitionArn == null ? owned : status.taskDefinitionArn.equals(live.arn());
  }

  /**
   * Content that differs is one change, a new revision (named by the fields that differ, as ObserveOnly reports
   * them), which carries the desired tags; equal content leaves the tag changes of the current revision. Under
   * ObserveOnly both are listed, and our own tags (owner, content hash) do not count.
   */
  @Override
  protected List<Change> diff(EcsTaskDefinition resource, Revision live, String region, String owner) {
    EcsTaskDefinitionSpec spec = resource.getSpec();
    boolean observeOnly = spec.getManagementPolicy() == ManagementPolicy.ObserveOnly;
    Desired want = Desired.of(spec, owner);
    ObjectNode liveContent = TaskDefinitionContent.canonical(live.content());
    boolean owned = !observeOnly && Ownership.ownedBy(live.tags(), owner);
    boolean sameContent = liveContent.equals(want.canonical()) || hashTrusted(resource.getStatus(), live, owned)
        && want.hash().equals(live.tags().get(TaskDefinitionContent.HASH_TAG));
    List<Change> changes = new ArrayList<>();
    if (!sameContent) {
      List<String> fields = TaskDefinitionContent.differences(want.canonical(), liveContent);
      changes.add(new Change(String.join(", ", fields), null, new Registration(resource, region, want, fields)));
      if (!observeOnly) {
        return changes;
      }
    }
    Map<String, String> wantTags = observeOnly ? observedTags(spec.tags, live.tags()) : want.tags();
    Tags.diff(wantTags, live.tags(), observeOnly, changes, add -> ecs.tag(region, live.arn(), add),
        remove -> ecs.untag(region, live.arn(), remove));
    return changes;
  }

  /** The tags ObserveOnly compares: the spec's, with ours on the revision taken as they are. */
  private static Map<String, String> observedTags(Map<String, String> specTags, Map<String, String> live) {
    Map<String, String> want = Tags.desired(specTags, null, true);
    live.forEach((key, value) -> {
      if (key.startsWith("ecsbridge.io/")) {
        want.put(key, value);
      }
    });
    return want;
  }

  /**
   * The change that content calls for: RegisterTaskDefinition. It records the revision it registered (what
   * {@link #afterApply} returns) and tells its own Event, which names that revision: Updated, or DriftCorrected.
   */
  private final class Registration implements Runnable {
    private final EcsTaskDefinition resource;
    private final String region;
    private final Desired want;
    private final List<String> fields;
    private Revision registered;

    Registration(EcsTaskDefinition resource, String region, Desired want, List<String> fields) {
      this.resource = resource;
      this.region = region;
      this.want = want;
      this.fields = fields;
    }

    @Override
    public void run() {
      registered = ecs.register(region, resource.family(), want.request(), want.tags());
      changeEvent(resource, "Registered task definition " + name(registered) + " (changed: "
          + String.join(", ", fields) + ")", isDrift(resource));
    }
  }

  /**
   * The current revision once the changes are made: the one registered, or the observed one with the tags it was
   * given. After a new revision, and on a spec change (a lowered revisionHistoryLimit), older revisions are pruned.
   */
  @Override
  protected Revision afterApply(EcsTaskDefinition resource, Revision live, List<Change> applied, String region) {
    String owner = Ownership.value(op.instanceId(), resource);
    Optional<Revision> registered = applied.stream()
        .map(change -> change.apply() instanceof Registration r ? r.registered : null)
        .filter(Objects::nonNull).findFirst();
    Revision current = registered.orElse(live);
    if (registered.isEmpty() && !applied.isEmpty()) {
      Map<String, String> tags = new TreeMap<>(Desired.of(resource.getSpec(), owner).tags());
      live.tags().forEach((key, value) -> {
        if (key.startsWith("aws:")) {
          tags.put(key, value);
        }
      });
      current = new Revision(live.arn(), live.family(), live.revision(), live.status(), live.content(), tags);
    }
    boolean specChanged = !Objects.equals(resource.getStatus().getObservedGeneration(), generation(resource));
    if (registered.isPresent() || specChanged) {
      history.prune(resource, region, current, owner);
    }
    return current;
  }

  @Override
  protected Result health(EcsTaskDefinition resource, Revision live, boolean created) {
    return Result.of(Health.ready("Synced", "Task definition " + name(live)
        + (created ? " registered" : " is in sync")));
  }

  /**
   * The ownership decision for the family, the unit of ownership here: by the latest ACTIVE revision's tag and, when
   * that would let this resource adopt the family (or suggest Adopt), by the owner tags of all its ACTIVE revisions, so
   * that a family another custom resource still registers into is never taken over because someone registered an
   * untagged revision on top. The first refusal among them wins, the strongest first (OwnedByAnother, then
   * OwnedByAnotherNamespace, then AlreadyExists). That scan (ListTaskDefinitions, ListTagsForResource per revision)
   * happens only on the way to adopting, never on a resync of a family that is ours.
   */
  @Override
  protected Ownership.Decision decide(EcsTaskDefinition resource, EcsTaskDefinitionStatus status, Revision latest,
      String region, Context<EcsTaskDefinition> context) {
    String what = "Task definition family " + latest.family() + " (latest ACTIVE revision " + latest.revision() + ")";
    Ownership.Decision decision = ownership(resource, what, latest.tags());
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

  /** A family is deleted revision by revision, each judged by its own owner tag ({@link #remove}). */
  @Override
  protected boolean removable(EcsTaskDefinition resource, EcsTaskDefinitionStatus status, Revision live,
      Context<EcsTaskDefinition> context) {
    return true;
  }

  /** Deregisters every ACTIVE revision of the family tagged with this resource's identity; leaves the others. */
  @Override
  protected DeleteResult remove(EcsTaskDefinition resource, Revision live, String region) {
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

  private static String name(Revision revision) {
    return revision.family() + ":" + revision.revision();
  }
}
