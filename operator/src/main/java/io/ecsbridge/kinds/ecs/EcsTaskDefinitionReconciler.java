package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.ContractReconciler;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.contract.Tags;

import io.ecsbridge.api.v1alpha1.ContainerDefinition.EnvironmentVariable;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.EcrGateway;
import io.ecsbridge.aws.ParametersGateway;
import io.ecsbridge.aws.SecretsGateway;
import io.ecsbridge.aws.TaskDefinitionGateway;
import io.ecsbridge.aws.TaskDefinitionGateway.Revision;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
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
 * ({@link #decide}); deletion deregisters the revisions this resource registered and no other. Its place is the
 * region and the environment its ConfigMap references resolve to ({@link TaskDefinitionReferences}), which the
 * content (and its hash) is made of.
 */
@ControllerConfiguration(name = "ecstaskdefinition")
public class EcsTaskDefinitionReconciler
    extends ContractReconciler<EcsTaskDefinition, EcsTaskDefinitionSpec, EcsTaskDefinitionStatus,
    EcsTaskDefinitionReconciler.Place, Revision> {

  private final TaskDefinitionGateway ecs;
  private final RevisionHistory history;
  private final Function<String, String> regions;
  private final TaskDefinitionReferences references;
  private final ImageReferences images;
  private final TaskDefinitionSecrets secrets;
  private final TaskDefinitionParameters parameters;

  /**
   * Where a pass works: the region, the resolved environment of the containers with references (and its hash), the
   * values of the Secret references (null without) and the pinned images of the containers with imageFrom.
   */
  record Place(String region, Map<String, List<EnvironmentVariable>> environment, String referencesHash,
      TaskDefinitionSecrets.Values values, Map<String, ImageReferences.Pinned> images,
      TaskDefinitionParameters.Values parameters) {}

  /**
   * @param regions resolves spec.region (null when absent) to the region to use
   * @param inUse the revisions services managed here run: never pruned
   */
  public EcsTaskDefinitionReconciler(OperatorContext op, TaskDefinitionGateway ecs, Function<String, String> regions,
      RevisionsInUse inUse) {
    this(op, ecs, regions, inUse, TaskDefinitionReferences.Lookup.informers(), null, null);
  }

  /** @param secretsManager null: Secret references are off (no Secret informer; a reference is Stalled) */
  public EcsTaskDefinitionReconciler(OperatorContext op, TaskDefinitionGateway ecs, Function<String, String> regions,
      RevisionsInUse inUse, TaskDefinitionReferences.Lookup configMaps, SecretsGateway secretsManager,
      TaskDefinitionSecrets.Lookup secretLookup) {
    this(op, ecs, regions, inUse, configMaps, secretsManager, secretLookup,
        new ImageReferences(ImageReferences.Repositories.informers(), null, regions));
  }

  /**
   * @param secretsManager null: Secret references are off (no Secret informer; a reference is Stalled)
   * @param images resolves imageFrom (reads the digest of a tag through its EcrGateway)
   */
  public EcsTaskDefinitionReconciler(OperatorContext op, TaskDefinitionGateway ecs, Function<String, String> regions,
      RevisionsInUse inUse, TaskDefinitionReferences.Lookup configMaps, SecretsGateway secretsManager,
      TaskDefinitionSecrets.Lookup secretLookup, ImageReferences images) {
    this(op, ecs, regions, inUse, configMaps, secretsManager, secretLookup, images, null);
  }

  /** @param parameterStore where ConfigMap values with as: Parameter go (null: such a reference is Stalled) */
  public EcsTaskDefinitionReconciler(OperatorContext op, TaskDefinitionGateway ecs, Function<String, String> regions,
      RevisionsInUse inUse, TaskDefinitionReferences.Lookup configMaps, SecretsGateway secretsManager,
      TaskDefinitionSecrets.Lookup secretLookup, ImageReferences images, ParametersGateway parameterStore) {
    super(op);
    this.ecs = ecs;
    this.regions = regions;
    this.secrets = new TaskDefinitionSecrets(secretsManager, secretLookup, op.instanceId(), op.events());
    this.parameters = new TaskDefinitionParameters(parameterStore, op.instanceId(), op.events());
    this.history = new RevisionHistory(ecs, inUse, op.events(), secrets, parameters);
    this.references = new TaskDefinitionReferences(configMaps);
    this.images = images;
  }

  /** Watches the referenced ConfigMaps, EcrRepository custom resources and, when on, Secrets (through indexes). */
  @Override
  protected List<EventSource<?, EcsTaskDefinition>> eventSources(EventSourceContext<EcsTaskDefinition> context) {
    List<EventSource<?, EcsTaskDefinition>> sources = new ArrayList<>(TaskDefinitionReferences.eventSources(context));
    sources.addAll(ImageReferences.eventSources(context));
    if (secrets.enabled()) {
      sources.addAll(TaskDefinitionSecrets.eventSources(context));
    }
    return sources;
  }

  /** The region and the resolved references, or Reconciling ReferenceNotReady naming what is missing (no AWS call). */
  @Override
  protected Placed<Place> place(EcsTaskDefinition resource, EcsTaskDefinitionStatus status,
      Context<EcsTaskDefinition> context) {
    TaskDefinitionReferences.Resolved refs = references.resolve(resource, context);
    if (refs.verdict() != null) {
      return Placed.refused(refs.verdict());
    }
    ImageReferences.Resolved pinned = images.resolve(resource, context);
    status.imageSourcesHash = pinned.sourcesHash();
    if (pinned.verdict() != null) {
      return Placed.refused(pinned.verdict(), pinned.requeue());
    }
    try {
      String region = region(resource);
      return Placed.at(new Place(region, refs.environment(), refs.hash(), secrets.place(resource, status, region,
          context, op.allowCrossNamespace()).orElse(null), pinned.images(),
          parameters.place(resource, status, region, refs.parameters()).orElse(null)));
    } catch (TaskDefinitionSecrets.Refused refused) {
      return Placed.refused(refused.verdict);
    }
  }

  /** Deletion needs the region only (a referenced ConfigMap may be gone). */
  @Override
  protected Place placeForDelete(EcsTaskDefinition resource, EcsTaskDefinitionStatus status,
      Context<EcsTaskDefinition> context) {
    return new Place(region(resource), null, null, null, null, null);
  }

  private String region(EcsTaskDefinition resource) {
    return regions.apply(resource.getSpec().getRegion());
  }

  @Override
  protected String location(Place place) {
    return place.region();
  }

  /** A referenced ConfigMap value that changed (or no longer resolves) is looked at at once, even when Stalled. */
  @Override
  protected boolean inputsChanged(EcsTaskDefinition resource, Context<EcsTaskDefinition> context) {
    return references.changed(resource, context) || images.changed(resource, context)
        || secrets.changed(resource, context);
  }

  @Override
  protected void remember(EcsTaskDefinition resource, EcsTaskDefinitionStatus status, Place place) {
    status.referencesHash = place.referencesHash();
    status.images = ImageReferences.statusOf(place.images(), status.images, op.clock().instant());
    TaskDefinitionSecrets.remember(status, place.values());
    TaskDefinitionParameters.remember(status, place.parameters());
  }

  /** New referenced values: the new revision they bring is Updated, not DriftCorrected. */
  @Override
  protected boolean placeChanged(EcsTaskDefinition resource, Place place) {
    return !Objects.equals(place.referencesHash(), resource.getStatus().referencesHash)
        || ImageReferences.moved(place.images(), resource.getStatus().images)
        || place.values() != null && !Objects.equals(place.values().resolved.versions(),
            resource.getStatus().secretVersions);
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
  protected Optional<Revision> observe(EcsTaskDefinition resource, Place place) {
    return ecs.latest(place.region(), resource.family());
  }

  @Override
  protected Map<String, String> tags(Revision live) {
    return live.tags();
  }

  @Override
  protected Optional<Revision> create(EcsTaskDefinition resource, Place place, String owner) {
    TaskDefinitionDesired.ensureStored(place);
    TaskDefinitionDesired want = TaskDefinitionDesired.of(resource.getSpec(), place, owner);
    return Optional.of(ecs.register(place.region(), resource.family(), want.request(), want.tags()));
  }

  @Override
  protected String createdEvent(EcsTaskDefinition resource, Revision live, Place place) {
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
   * Content that differs is one change, a new revision (named by the fields that differ, as ObserveOnly reports
   * them), which carries the desired tags; equal content leaves the tag changes of the current revision. Under
   * ObserveOnly both are listed, and our own tags (owner, content hash) do not count.
   */
  @Override
  protected List<Change> diff(EcsTaskDefinition resource, Revision live, Place place, String owner) {
    EcsTaskDefinitionSpec spec = resource.getSpec();
    boolean observeOnly = spec.getManagementPolicy() == ManagementPolicy.ObserveOnly;
    TaskDefinitionDesired want = TaskDefinitionDesired.of(spec, place, owner);
    String region = place.region();
    boolean owned = !observeOnly && Ownership.ownedBy(live.tags(), owner);
    List<Change> changes = new ArrayList<>();
    if (!want.sameContent(resource.getStatus(), live, owned)) {
      List<String> fields = TaskDefinitionContent.differences(want.canonical(),
          TaskDefinitionContent.canonical(live.content()));
      boolean drift = isDrift(resource) && !placeChanged(resource, place);
      changes.add(new Change(String.join(", ", fields), null, new Registration(resource, place, owner, want, fields,
          drift)));
      if (!observeOnly) {
        return changes;
      }
    }
    Map<String, String> wantTags = observeOnly ? Tags.observed(spec.tags, live.tags()) : want.tags();
    Tags.diff(wantTags, live.tags(), observeOnly, changes, add -> ecs.tag(region, live.arn(), add),
        remove -> ecs.untag(region, live.arn(), remove));
    return changes;
  }

  /**
   * The change that content calls for: RegisterTaskDefinition. It records the revision it registered (what
   * {@link #afterApply} returns) and tells its own Event, which names that revision: Updated, or DriftCorrected.
   */
  private final class Registration implements Runnable {
    private final EcsTaskDefinition resource;
    private final Place place;
    private final String owner;
    private final TaskDefinitionDesired want;
    private final List<String> fields;
    private final boolean drift;
    private Revision registered;

    Registration(EcsTaskDefinition resource, Place place, String owner, TaskDefinitionDesired want,
        List<String> fields, boolean drift) {
      this.resource = resource;
      this.place = place;
      this.owner = owner;
      this.want = want;
      this.fields = fields;
      this.drift = drift;
    }

    @Override
    public void run() {
      TaskDefinitionDesired content = TaskDefinitionDesired.ensureStored(place)
          ? TaskDefinitionDesired.of(resource.getSpec(), place, owner) : want;
      registered = ecs.register(place.region(), resource.family(), content.request(), content.tags());
      changeEvent(resource, "Registered task definition " + name(registered) + " (changed: "
          + String.join(", ", fields) + ")", drift);
    }
  }

  /**
   * The current revision once the changes are made: the one registered, or the observed one with the tags it was
   * given. After a new revision, and on a spec change (a lowered revisionHistoryLimit), older revisions are pruned.
   */
  @Override
  protected Revision afterApply(EcsTaskDefinition resource, Revision live, List<Change> applied, Place place) {
    String owner = Ownership.value(op.instanceId(), resource);
    Optional<Revision> registered = applied.stream()
        .map(change -> change.apply() instanceof Registration r ? r.registered : null)
        .filter(Objects::nonNull).findFirst();
    Revision current = registered.orElse(live);
    if (registered.isEmpty() && !applied.isEmpty()) {
      Map<String, String> tags = new TreeMap<>(TaskDefinitionDesired.of(resource.getSpec(), place, owner).tags());
      live.tags().forEach((key, value) -> {
        if (key.startsWith("aws:")) {
          tags.put(key, value);
        }
      });
      current = new Revision(live.arn(), live.family(), live.revision(), live.status(), live.content(), tags);
    }
    boolean specChanged = !Objects.equals(resource.getStatus().getObservedGeneration(), generation(resource));
    if (registered.isPresent() || specChanged) {
      history.prune(resource, place.region(), current, owner);
    }
    return current;
  }

  @Override
  protected Result health(EcsTaskDefinition resource, Revision live, boolean created) {
    // imageFrom: its tags are looked at again on the tag poll (ECR sends no event on a push)
    return new Result(Health.ready("Synced", "Task definition " + name(live)
        + (created ? " registered" : " is in sync")), images.nextLook(resource.getSpec()));
  }

  /** The family is the unit of ownership: {@link FamilyOwnership}. */
  @Override
  protected Ownership.Decision decide(EcsTaskDefinition resource, EcsTaskDefinitionStatus status, Revision latest,
      Place place, Context<EcsTaskDefinition> context) {
    return FamilyOwnership.decide(ecs, place.region(), latest, (what, tags) -> ownership(resource, what, tags));
  }

  /** A family is deleted revision by revision, each judged by its own owner tag ({@link #remove}). */
  @Override
  protected boolean removable(EcsTaskDefinition resource, EcsTaskDefinitionStatus status, Revision live,
      Context<EcsTaskDefinition> context) {
    return true;
  }

  /** Deregisters every ACTIVE revision of the family tagged with this resource's identity; leaves the others. */
  @Override
  protected DeleteResult remove(EcsTaskDefinition resource, Revision live, Place place) {
    history.deregisterOwn(resource, place.region(), Ownership.value(op.instanceId(), resource));
    return DeleteResult.finished();
  }

  private static String name(Revision revision) {
    return revision.family() + ":" + revision.revision();
  }
}
