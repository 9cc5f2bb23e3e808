package io.ecsbridge.kinds.ecs;

import io.ecsbridge.aws.ArnNames;
import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.ContractReconciler;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Tags;

import static io.ecsbridge.api.v1alpha1.Annotations.REDEPLOY_REQUESTED_AT;
import static io.ecsbridge.api.v1alpha1.Annotations.ROLLBACK_REQUESTED_AT;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AutoScalingGateway;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.BatchingServiceGateway;
import io.ecsbridge.aws.ServiceDeploymentGateway;
import io.ecsbridge.aws.ServiceGateway;
import io.ecsbridge.status.Health;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import io.ecsbridge.status.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * EcsService on the kind contract. Its place is the region and what its references resolve to
 * ({@link ServiceReferences}: the cluster, the task definition's ARN); it reads the service, sends one UpdateService
 * with only what differs from the normalized spec ({@link ServiceRequest}) and manages tags and autoscaling
 * ({@link ServiceAutoScaling}) as changes; the rollout is its health ({@link Rollout}; for BLUE_GREEN, LINEAR and
 * CANARY the service deployment, {@link ServiceDeployments}, rolled back on request by {@link ServiceRollback}). The
 * rollout memory in status ({@link RolloutMemory}) is recorded by the CreateService / UpdateService once ECS answered,
 * and by the verdict.
 */
@ControllerConfiguration(name = "ecsservice")
public class EcsServiceReconciler extends ContractReconciler<EcsService, EcsServiceSpec, EcsServiceStatus,
    EcsServiceReconciler.Place, EcsServiceReconciler.LiveService> {

  private static final Set<String> ROLLOUT_FAILURES = Set.of("RolloutFailed", "RolledBack");
  private static final Duration DELETE_POLL = Duration.ofSeconds(2);
  private static final Duration NOT_ACTIVE_POLL = Duration.ofSeconds(15);

  private final ServiceGateway ecs;
  private final ServiceReadAhead readAhead;
  private final Function<String, String> regions;
  private final ServiceReferences references;
  private final ServiceAutoScaling autoScaling;
  private final RevisionMembers revisionMembers;
  private final CapacityProviderRefs<EcsService> capacityProviders =
      CapacityProviderRefs.ofService(CapacityProviderRefs.Lookup.informer());
  private final ServiceDeployments deployments;
  private final ServiceNotices notices = new ServiceNotices();

  /** Where a pass works: region, cluster, task definition ARN (null: none), capacity providers' names by ref. */
  record Place(String region, String cluster, String taskDefinition, Map<String, String> capacityProviders) {}

  /**
   * The service of a pass as ECS answered (DescribeServices or CreateService, then the pass's UpdateService), and the
   * failed rollout as judged before any write ({@link RolloutMemory#before}).
   */
  static final class LiveService {
    final Place place;
    Service read;
    final boolean created;
    RolloutMemory.Before before;
    /** A staged service's current service deployment, read before any write (null: not read). */
    ServiceDeployment deployment;
    Service current;

    LiveService(Place place, Service read, boolean created, RolloutMemory.Before before) {
      this(place, read, created, before, null);
    }

    LiveService(Place place, Service read, boolean created, RolloutMemory.Before before,
        ServiceDeployment deployment) {
      this.place = place;
      this.read = read;
      this.created = created;
      this.before = before;
      this.deployment = deployment;
      this.current = read;
    }

    /** The pass's CreateService or UpdateService was answered (its answer is {@link #current}). */
    boolean wrote() {
      return created || current != read;
    }

    /** The same pass on a fresh read. */
    void replace(LiveService fresh) {
      read = fresh.read;
      before = fresh.before;
      deployment = fresh.deployment;
      current = fresh.current;
    }
  }

  public EcsServiceReconciler(OperatorContext op, ServiceGateway ecs, ServiceDeploymentGateway deployments,
      AutoScalingGateway scaling, Function<String, String> regions) {
    this(op, ecs, deployments, scaling, regions, ServiceReferences.Lookup.informers());
  }

  public EcsServiceReconciler(OperatorContext op, ServiceGateway ecs, ServiceDeploymentGateway deployments,
      AutoScalingGateway scaling, Function<String, String> regions, ServiceReferences.Lookup references) {
    super(op);
    BatchingServiceGateway batched = BatchingServiceGateway.of(ecs);
    this.ecs = batched;
    this.readAhead = new ServiceReadAhead(batched, op.resyncPeriod());
    // a person's change (the frame's USER lane) reads its service afresh; a resync may use a read-ahead
    readAhead.freshReadRequired(() -> io.ecsbridge.aws.Lanes.current() == io.ecsbridge.aws.Lanes.Lane.USER);
    this.deployments = new ServiceDeployments(deployments);
    this.regions = regions;
    this.references = new ServiceReferences(references, this.ecs, op.allowCrossNamespace());
    this.autoScaling = new ServiceAutoScaling(scaling);
    this.revisionMembers = new RevisionMembers(this.ecs);
  }

  /**
   * The seam for the frame's lane (USER / RESYNC): {@code required} answers, on the pass's thread, whether this pass
   * must read its service afresh (a person's change). Wired to the frame's lane ({@link io.ecsbridge.aws.Lanes}:
   * USER reads afresh); besides, a pass reads afresh unless it is Ready at its generation with no request of its own
   * pending ({@link ServiceReadAhead}). Tests may replace it.
   */
  public void freshReadRequired(java.util.function.BooleanSupplier required) {
    readAhead.freshReadRequired(required);
  }

  /** Watches the referenced EcsTaskDefinitions, EcsClusters and EcsCapacityProviders. */
  @Override
  protected List<EventSource<?, EcsService>> eventSources(EventSourceContext<EcsService> context) {
    List<EventSource<?, EcsService>> sources = new ArrayList<>(ServiceReferences.eventSources(context));
    sources.addAll(CapacityProviderRefs.eventSources(context, EcsService.class, CapacityProviderRefs::serviceRefs));
    sources.add(readAhead.eventSource(context));
    return sources;
  }

  @Override
  protected EcsServiceStatus newStatus() {
    return new EcsServiceStatus();
  }

  @Override
  protected String what() {
    return "ECS service";
  }

  /**
   * Rollout failures are observations of the service (a person may fix it in ECS), and a dependency's Stalled is
   * re-evaluated from the caches: both are looked at on every event and resync, not on the slow backoff.
   */
  @Override
  protected boolean observedWhileStalled(String reason) {
    return super.observedWhileStalled(reason) || ROLLOUT_FAILURES.contains(reason)
        || ServiceReferences.DEPENDENCY_STALLED.equals(reason);
  }

  /** A redeploy request, or a reference that now resolves to another revision, is looked at at once. */
  @Override
  protected boolean inputsChanged(EcsService resource, Context<EcsService> context) {
    return RolloutMemory.redeployAsked(resource) || ServiceRollback.asked(resource)
        || references.referenceChanged(resource, context);
  }

  @Override
  protected Placed<Place> place(EcsService resource, EcsServiceStatus status, Context<EcsService> context) {
    String region = regions.apply(resource.getSpec().getRegion());
    ServiceReferences.Resolved refs = references.resolve(resource, region, status, context);
    CapacityProviderRefs.Resolved providers = refs.verdict() != null ? null
        : capacityProviders.resolve(resource, context);
    return refs.verdict() != null ? Placed.refused(refs.verdict())
        : providers.verdict() != null ? Placed.refused(providers.verdict())
        : Placed.at(new Place(region, refs.cluster(), refs.taskDefinition(), providers.names()));
  }

  /** The cluster of the service ARN if known (the EcsCluster may already be gone), else the spec's. */
  @Override
  protected Place placeForDelete(EcsService resource, EcsServiceStatus status, Context<EcsService> context) {
    return new Place(regions.apply(resource.getSpec().getRegion()),
        references.clusterForDelete(resource, status, context), null, Map.of());
  }

  @Override
  protected String location(Place place) {
    return "cluster " + place.cluster();
  }

  @Override
  protected String describe(EcsService resource) {
    return "ECS service " + resource.serviceName();
  }

  @Override
  protected String describeAt(EcsService resource, Place place) {
    return describe(resource) + " in cluster " + ArnNames.ecsName(place.cluster());
  }

  @Override
  protected String createdEvent(EcsService resource, LiveService live, Place place) {
    String td = live.read.taskDefinition();
    return "Created " + describe(resource) + " in " + location(place)
        + (td == null ? "" : " running " + ShortNames.taskDefinition(td));
  }

  @Override
  protected void deferred(EcsService resource) {
    readAhead.deferred(resource);
  }

  @Override
  protected void forgotten(EcsService resource) {
    readAhead.forget(resource);
  }

  @Override
  protected Optional<LiveService> observe(EcsService resource, Place place) {
    ServiceReadAhead.Read read = readAhead.describe(resource, place.region(), place.cluster());
    if (read.service().isEmpty()) {
      readAhead.forget(resource);
    }
    return read.service().map(service -> live(resource, place, service));
  }

  private LiveService live(EcsService resource, Place place, Service service) {
    ServiceDeployment d = deployments.readIfDue(resource, place.region(), place.cluster(), service);
    ServiceDeployment judged = d != null ? d : ServiceDeployments.kept(resource);
    return new LiveService(place, service, false, judged == null ? before(resource, place, service)
        : RolloutMemory.before(resource, service, place.taskDefinition(), true,
            s -> DeploymentHealth.assess(judged, s, place.taskDefinition())), d);
  }

  /**
   * A pass on a description read ahead that would write reads its service again first; if what the ownership was
   * decided on (the tags) or the service's existence changed meanwhile, the pass is retried (on a fresh read).
   */
  private void refresh(EcsService resource, LiveService live, Place place) {
    Optional<Service> fresh = readAhead.fresh(place.region(), place.cluster(), resource.serviceName());
    if (fresh.isEmpty() || !Tags.fromEcs(fresh.get().tags()).equals(tags(live))) {
      throw new AwsException(AwsException.Kind.RETRYABLE, "ServiceChangedMeanwhile", 0, describe(resource)
          + " changed while it was read: reading it again", null);
    }
    live.replace(live(resource, place, fresh.get()));
  }

  @Override
  protected Map<String, String> tags(LiveService live) {
    return Tags.fromEcs(live.read.tags());
  }

  /** CreateService; ECS's answer that the service exists ("not idempotent") means it is observed again. */
  @Override
  protected Optional<LiveService> create(EcsService resource, Place place, String owner) {
    EcsServiceSpec spec = resource.getSpec();
    EcsServiceStatus status = resource.getStatus();
    references.confirmRawCluster(resource, place.region(), place.cluster());
    RolloutMemory.Before before = before(resource, place, null);
    Service created;
    try {
      created = RolloutMemory.handled(status, place.taskDefinition(), annotation(resource, REDEPLOY_REQUESTED_AT),
          () -> ecs.create(place.region(), ServiceRequest.create(resource, place.cluster(), place.taskDefinition(),
              place.capacityProviders(), Tags.desired(spec.tags, owner, false))));
    } catch (AwsException e) {
      if (!String.valueOf(e.getMessage()).contains("not idempotent")) {
        throw e;
      }
      return Optional.empty(); // made meanwhile, or by our own create whose reply was lost
    }
    RolloutMemory.started(status, created);
    return Optional.of(new LiveService(place, created, true, before));
  }

  @Override
  protected void report(EcsServiceStatus status, LiveService live) {
    ServiceFacts.fill(status, live.current);
  }

  /** Being deleted outside ecs-bridge: ECS refuses updates; once INACTIVE the service is created again. */
  @Override
  protected Optional<Result> busy(EcsService resource, LiveService live) {
    return "ACTIVE".equals(live.read.status()) ? Optional.empty()
        : Optional.of(Result.of(Health.progressing("ServiceNotActive", describe(resource) + " is "
            + live.read.status()), NOT_ACTIVE_POLL));
  }

  /** A task definition the references resolve to anew is an update, not drift. */
  @Override
  protected boolean placeChanged(EcsService resource, Place place) {
    return !Objects.equals(resource.getStatus().targetTaskDefinition, place.taskDefinition());
  }

  /**
   * The UpdateService, the tags and the autoscaling. A service just created from the spec differs in nothing its
   * CreateService set (ECS's answer may not show all of it yet): only its autoscaling is still to set up.
   */
  @Override
  protected List<Change> diff(EcsService resource, LiveService live, Place place, String owner) {
    EcsServiceSpec spec = resource.getSpec();
    boolean observeOnly = spec.getManagementPolicy() == ManagementPolicy.ObserveOnly;
    List<Change> changes = new ArrayList<>();
    if (!live.created) {
      List<Change> service = serviceChanges(resource, live, place, owner, observeOnly);
      if (!service.isEmpty() && readAhead.readAgainBeforeWrite(resource)) {
        refresh(resource, live, place);
        service = serviceChanges(resource, live, place, owner, observeOnly);
      }
      changes.addAll(service);
    }
    changes.addAll(autoScaling.changes(spec, resource.getStatus(), place.region(),
        ServiceAutoScaling.resourceId(place.cluster(), resource.serviceName()), observeOnly));
    if (!changes.isEmpty()) {
      references.confirmRawCluster(resource, place.region(), place.cluster());
    }
    return changes;
  }

  /** The UpdateService, a rollback asked for, and the tags. */
  private List<Change> serviceChanges(EcsService resource, LiveService live, Place place, String owner,
      boolean observeOnly) {
    List<Change> changes = new ArrayList<>();
    update(resource, live).ifPresent(changes::add);
    notices.desiredCountIgnored(resource, live.read, op.events());
    ServiceRollback.change(resource, live.deployment, deployments, place.region(), place.cluster(), live.read,
        op.events())
        .ifPresent(changes::add);
    String arn = live.read.serviceArn();
    Tags.diff(Tags.desired(resource.getSpec().tags, owner, observeOnly), tags(live), observeOnly, changes,
        add -> ecs.tag(place.region(), arn, add), remove -> ecs.untag(place.region(), arn, remove));
    return changes;
  }

  /**
   * The one UpdateService with what differs from the spec (a failed task definition left out) and a redeploy request.
   * Once ECS answered it records what it applied: the target task definition and the redeploy request (a terminal
   * refusal counts as handled too), the task definition live before, the deployment started, the Service Connect
   * configuration sent, and the service as ECS answered.
   */
  private Optional<Change> update(EcsService resource, LiveService live) {
    EcsServiceSpec spec = resource.getSpec();
    EcsServiceStatus status = resource.getStatus();
    Place place = live.place;
    String wanted = place.taskDefinition();
    boolean redeploy = RolloutMemory.redeployAsked(resource);
    UpdateServiceRequest.Builder update = UpdateServiceRequest.builder().cluster(place.cluster())
        .service(resource.serviceName());
    String failed = live.before.failed();
    // a staged deployment of the task definition applied owns the service's until it ends (a rollback moves it back)
    boolean deploying = wanted != null && wanted.equals(status.targetTaskDefinition) && live.deployment != null
        && !DeploymentHealth.finished(live.deployment.statusAsString());
    List<String> diffs = ServiceRequest.diffs(CapacityProviderRefs.serviceSpec(spec, place.capacityProviders()),
        live.read, revisionMembers(resource, live),
        wanted != null && (wanted.equals(failed) || deploying) ? null : wanted, update);
    if (diffs.isEmpty() && !redeploy) {
      return Optional.empty();
    }
    UpdateServiceRequest request = update.forceNewDeployment(redeploy ? Boolean.TRUE : null).build();
    String fields = diffs.isEmpty() ? "forceNewDeployment" : String.join(", ", diffs);
    String requestedAt = annotation(resource, REDEPLOY_REQUESTED_AT);
    return Optional.of(new Change(fields, diffs.isEmpty() ? null : "Updated " + fields + " of " + describe(resource)
        + fromTo(diffs, live.read, request),
        () -> {
          Service answer = RolloutMemory.handled(status, wanted, requestedAt,
              () -> ecs.update(place.region(), request));
          RolloutMemory.started(status, answer);
          if (diffs.contains("taskDefinition")) {
            status.previousTaskDefinition = live.read.taskDefinition(); // where a rollback returns to
          }
          ServiceFacts.fill(status, answer);
          live.current = answer;
          if (redeploy) {
            op.events().normal(resource, "Redeployed", "Forced a new deployment of " + describe(resource) + " ("
                + REDEPLOY_REQUESTED_AT + "=" + requestedAt + ")");
          }
        }));
  }

  /** What the update changes that people follow, from → to: {@code : taskDefinition web:3 → web:4}. */
  private static String fromTo(List<String> diffs, Service before, UpdateServiceRequest request) {
    List<String> told = new ArrayList<>();
    if (diffs.contains("taskDefinition") && request.taskDefinition() != null) {
      told.add("taskDefinition " + ShortNames.fromTo(ShortNames.taskDefinition(before.taskDefinition()),
          ShortNames.taskDefinition(request.taskDefinition())));
    }
    if (diffs.contains("desiredCount") && request.desiredCount() != null) {
      told.add("desiredCount " + ShortNames.fromTo(String.valueOf(before.desiredCount()),
          String.valueOf(request.desiredCount())));
    }
    return told.isEmpty() ? "" : ": " + String.join(", ", told);
  }

  /** Service Connect, volumes and VPC Lattice as ECS reports them: compared under the ECS controller only. */
  private ObjectNode revisionMembers(EcsService resource, LiveService live) {
    return ecsController(resource) ? revisionMembers.live(live.place.region(), resource.getSpec(), live.read)
        : JsonNodeFactory.instance.objectNode();
  }

  /** ObserveOnly: the rollout's health when nothing differs (a redeploy request or bookkeeping is no difference). */
  @Override
  protected Result observed(EcsService resource, LiveService live, List<Change> differences) {
    List<Change> told = differences.stream().filter(c -> c.description() != null).toList();
    return told.isEmpty() ? health(resource, live, false) : super.observed(resource, live, told);
  }

  /** The rollout's verdict; a failed rollout found is told in one Warning Event ({@link RolloutMemory#verdict}). */
  @Override
  protected Result health(EcsService resource, LiveService live, boolean created) {
    RolloutMemory.Verdict verdict = ServiceDeployments.staged(resource.getSpec())
        ? deployments.verdict(resource, live, op.events())
        : ServiceDeployments.rollingVerdict(resource.getStatus(), live, ecsController(resource));
    verdict.warnings().forEach(w -> op.events().warning(resource, w.reason(), ShortNames.shorten(w.message())));
    ServiceNotices.rolloutCompleted(resource, ServiceNotices.condition(resource, Conditions.READY),
        ServiceNotices.condition(resource, Conditions.RECONCILING), verdict.result().health(), live.current,
        op.events());
    return verdict.result();
  }

  /**
   * The task definition this pass worked with (what inputsChanged compares), a removed redeploy annotation and an
   * earlier version's Service Connect hash forgotten; ObserveOnly manages no autoscaling (an older operator version recorded its resource id).
   */
  @Override
  protected void remember(EcsService resource, EcsServiceStatus status, Place place) {
    readAhead.ended(resource);
    status.targetTaskDefinition = place.taskDefinition();
    status.serviceConnectHash = null; // an earlier version's memory, no longer compared
    if (annotation(resource, REDEPLOY_REQUESTED_AT) == null) {
      status.lastHandledRedeployAt = null;
    }
    if (annotation(resource, ROLLBACK_REQUESTED_AT) == null) {
      status.lastHandledRollbackAt = null;
    }
    if (resource.getSpec().getManagementPolicy() == ManagementPolicy.ObserveOnly) {
      status.autoScalingResourceId = null;
    }
  }

  /**
   * Scales the service to 0, deletes it, and waits (Reconciling, Deleting) until ECS reports it INACTIVE or gone. Its
   * scalable target is deregistered first so that the autoscaler does not scale it up again.
   */
  @Override
  protected DeleteResult remove(EcsService resource, LiveService live, Place place) {
    EcsServiceSpec spec = resource.getSpec();
    String name = resource.serviceName();
    if ("ACTIVE".equals(live.read.status())) {
      autoScaling.deregisterBeforeDelete(spec, resource.getStatus(), place.region(),
          ServiceAutoScaling.resourceId(place.cluster(), name)).ifPresent(done -> op.events().normal(resource,
          "Updated", done));
      Integer count = live.read.desiredCount();
      if (!ServiceRequest.daemon(spec) && count != null && count > 0) {
        ecs.update(place.region(), UpdateServiceRequest.builder().cluster(place.cluster()).service(name)
            .desiredCount(0).build());
        op.events().normal(resource, "ScaledToZero", "Scaled " + describe(resource) + " to 0 tasks before deleting "
            + "it");
      }
      ecs.delete(place.region(), place.cluster(), name, ServiceRequest.daemon(spec));
      op.events().normal(resource, "Deleted", "Deleted " + describe(resource) + " from " + location(place));
      if (ecs.describe(place.region(), place.cluster(), name).isEmpty()) {
        readAhead.forget(resource);
        return DeleteResult.finished();
      }
    }
    return DeleteResult.waiting(Health.progressing("Deleting", "Waiting for " + describe(resource)
        + " to become INACTIVE"), DELETE_POLL);
  }

  private static RolloutMemory.Before before(EcsService resource, Place place, Service service) {
    return RolloutMemory.before(resource, service, place.taskDefinition(), ecsController(resource));
  }

  private static boolean ecsController(EcsService resource) {
    return ServiceRequest.controller(resource.getSpec()).equals("ECS");
  }
}
