package io.ecsbridge.reconciler;

import static io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT;
import static io.ecsbridge.api.v1alpha1.Annotations.REDEPLOY_REQUESTED_AT;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AutoScalingGateway;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.ServiceGateway;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * EcsService: resolve the references ({@link ServiceReferences}), read the service (and its autoscaling when managed,
 * {@link ServiceAutoScaling}), send one UpdateService with only what differs from the normalized spec
 * ({@link ServiceRequest}), and report the rollout as health ({@link Rollout}), remembering in status what it applied.
 */
@ControllerConfiguration(name = "ecsservice")
public class EcsServiceReconciler extends AwsResourceReconciler<EcsService, EcsServiceSpec, EcsServiceStatus> {

  private static final Set<String> ROLLOUT_FAILURES = Set.of("RolloutFailed", "RolledBack");
  private static final java.time.Duration DELETE_POLL = java.time.Duration.ofSeconds(2);
  private static final java.time.Duration NOT_ACTIVE_POLL = java.time.Duration.ofSeconds(15);

  private final ServiceGateway ecs;
  private final Function<String, String> regions;
  private final ServiceReferences references;
  private final ServiceAutoScaling autoScaling;

  public EcsServiceReconciler(OperatorContext op, ServiceGateway ecs, AutoScalingGateway scaling,
      Function<String, String> regions) {
    this(op, ecs, scaling, regions, ServiceReferences.Lookup.informers());
  }

  public EcsServiceReconciler(OperatorContext op, ServiceGateway ecs, AutoScalingGateway scaling,
      Function<String, String> regions, ServiceReferences.Lookup references) {
    super(op);
    this.ecs = ecs;
    this.regions = regions;
    this.references = new ServiceReferences(references, ecs, op.allowCrossNamespace());
    this.autoScaling = new ServiceAutoScaling(scaling);
  }

  /** Watches the referenced EcsTaskDefinitions and EcsClusters ({@link ServiceReferences#eventSources}). */
  @Override
  public List<EventSource<?, EcsService>> prepareEventSources(EventSourceContext<EcsService> context) {
    return ServiceReferences.eventSources(context);
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
    EcsServiceStatus status = resource.getStatus();
    String redeploy = annotation(resource, REDEPLOY_REQUESTED_AT);
    if (redeploy != null && !redeploy.equals(status.lastHandledRedeployAt)) {
      return true;
    }
    return references.referenceChanged(resource, context);
  }

  @Override
  protected Result sync(EcsService resource, EcsServiceStatus status, Context<EcsService> context) {
    EcsServiceSpec spec = resource.getSpec();
    String region = regions.apply(spec.getRegion());
    String name = resource.serviceName();

    ServiceReferences.Resolved refs = references.resolve(resource, region, status, context);
    if (refs.verdict() != null) {
      return Result.of(refs.verdict());
    }
    String cluster = refs.cluster();
    String previousTarget = status.targetTaskDefinition;
    String wantedTd = refs.taskDefinition();

    String redeploy = annotation(resource, REDEPLOY_REQUESTED_AT);
    boolean redeployAsked = redeploy != null && !redeploy.equals(status.lastHandledRedeployAt);
    boolean poked = annotation(resource) != null && !annotation(resource).equals(status.getLastHandledReconcileAt());
    if (status.failedTaskDefinition != null
        && (redeployAsked || poked || !status.failedTaskDefinition.equals(wantedTd))) {
      status.failedTaskDefinition = null; // a new task definition, or a person asked: try again
    }
    String owner = Ownership.value(op.instanceId(), resource);
    ManagementPolicy policy = spec.getManagementPolicy();
    String resourceId = ServiceAutoScaling.resourceId(cluster, name);

    Optional<Service> found = ecs.describe(region, cluster, name);
    if (found.isEmpty()) {
      if (policy == ManagementPolicy.ObserveOnly) {
        status.targetTaskDefinition = wantedTd;
        return Result.of(Verdicts.notFound("ECS service " + name, "cluster " + cluster));
      }
      try {
        return create(resource, status, region, cluster, wantedTd, redeploy, resourceId);
      } catch (AwsException e) {
        if (!String.valueOf(e.getMessage()).contains("not idempotent")) {
          throw e;
        }
        // ECS says the service exists although the read before said no: made meanwhile, or by our own create whose
        // reply was lost. Read it again and judge it like any existing service (ours: carry on)
        found = ecs.describe(region, cluster, name);
        if (found.isEmpty()) {
          throw new AwsException(AwsException.Kind.RETRYABLE, e.errorCode(), e.statusCode(), "ECS says service "
              + name + " exists but does not show it yet: " + e.getMessage(), e);
        }
      }
    }

    Service live = found.get();
    Map<String, String> liveTags = Tags.fromEcs(live.tags());
    Ownership.Decision ownership = ownership(resource, "ECS service " + name + " in cluster "
        + ServiceReferences.clusterName(cluster), liveTags);
    if (ownership.refused()) {
      status.targetTaskDefinition = wantedTd;
      return Result.of(ownership.health()); // nothing of a service that is not ours goes to status
    }
    ServiceFacts.fill(status, live);
    if (!"ACTIVE".equals(live.status())) {
      // being deleted outside ecs-bridge: ECS refuses updates; once INACTIVE the service is created again
      return Result.of(Health.progressing("ServiceNotActive", "ECS service " + name + " is " + live.status()),
          NOT_ACTIVE_POLL);
    }
    boolean ecsController = ServiceRequest.controller(spec).equals("ECS");
    if (ecsController && wantedTd != null && status.failedTaskDefinition == null && !redeployAsked && !poked
        && wantedTd.equals(previousTarget)) {
      // judge what ECS did with the task definition we applied before re-applying it: a rollback looks stable
      Rollout.Verdict seen = Rollout.assess(live, wantedTd, status.lastDeploymentId, status.previousTaskDefinition);
      if (wantedTd.equals(seen.failedTaskDefinition())) {
        status.failedTaskDefinition = wantedTd;
        op.events().warning(resource, seen.health().reason(), seen.health().message() + ". " + notAgain(status));
      }
    }
    boolean suppressTd = wantedTd != null && wantedTd.equals(status.failedTaskDefinition);
    UpdateServiceRequest.Builder update = UpdateServiceRequest.builder().cluster(cluster).service(name);
    List<String> diffs = ServiceRequest.diffs(spec, live, suppressTd ? null : wantedTd, status.serviceConnectHash,
        update);
    boolean observeOnly = policy == ManagementPolicy.ObserveOnly;
    List<Change> others = new ArrayList<>();
    Tags.diff(Tags.desired(spec.tags, owner, observeOnly), liveTags, observeOnly, others,
        add -> ecs.tag(region, live.serviceArn(), add), remove -> ecs.untag(region, live.serviceArn(), remove));
    others.addAll(autoScaling.changes(spec, status, region, resourceId, observeOnly));

    if (observeOnly) {
      status.targetTaskDefinition = wantedTd;
      Set<String> fields = new TreeSet<>(diffs);
      others.stream().filter(c -> c.description() != null).forEach(c -> fields.add(c.field()));
      return fields.isEmpty() ? verdict(resource, status, live, wantedTd)
          : Result.of(Verdicts.observedFields("ECS service " + name, fields));
    }
    if (ownership.action() == Ownership.Action.ADOPT) {
      op.events().normal(resource, ownership.reason(), ownership.message());
    }
    boolean drift = isDrift(resource) && Objects.equals(previousTarget, wantedTd);
    if (redeployAsked) {
      update.forceNewDeployment(true);
    }
    Service current = live;
    if (!diffs.isEmpty() || redeployAsked) {
      current = handled(status, wantedTd, redeploy, () -> ecs.update(region, update.build()));
      if (diffs.contains("taskDefinition")) {
        status.previousTaskDefinition = live.taskDefinition();
      }
      status.lastDeploymentId = Optional.ofNullable(primaryId(current)).orElse(status.lastDeploymentId);
      status.serviceConnectHash = ServiceRequest.serviceConnectHash(spec);
      ServiceFacts.fill(status, current);
      if (!diffs.isEmpty()) {
        changeEvent(resource, "Updated " + String.join(", ", diffs) + " of ECS service " + name, drift);
      }
      if (redeployAsked) {
        op.events().normal(resource, "Redeployed", "Forced a new deployment of ECS service " + name
            + " (" + REDEPLOY_REQUESTED_AT + "=" + redeploy + ")");
      }
    }
    handled(status, wantedTd, redeploy, () -> null);
    applyChanges(resource, others, drift);
    return verdict(resource, status, current, wantedTd);
  }

  /** CreateService, then the service's autoscaling; the verdict is the first rollout's. */
  private Result create(EcsService resource, EcsServiceStatus status, String region, String cluster,
      String wantedTd, String redeploy, String resourceId) {
    EcsServiceSpec spec = resource.getSpec();
    String owner = Ownership.value(op.instanceId(), resource);
    Service created = handled(status, wantedTd, redeploy, () -> ecs.create(region,
        ServiceRequest.create(resource, cluster, wantedTd, Tags.desired(spec.tags, owner, false))));
    op.events().normal(resource, "Created", "Created ECS service " + resource.serviceName() + " in cluster " + cluster
        + (created.taskDefinition() == null ? "" : " running " + created.taskDefinition()));
    status.serviceConnectHash = ServiceRequest.serviceConnectHash(spec);
    status.lastDeploymentId = primaryId(created);
    ServiceFacts.fill(status, created);
    applyChanges(resource, autoScaling.changes(spec, status, region, resourceId, false), false);
    return verdict(resource, status, created, wantedTd);
  }

  /**
   * Makes the CreateService or UpdateService call, then records the task definition and the redeploy request as
   * handled: only once AWS answered (a retryable error leaves them unhandled, and the next pass sends the same again;
   * a terminal refusal counts as handled, so that the Stalled resource waits for a change).
   */
  private static Service handled(EcsServiceStatus status, String wantedTd, String redeploy, Supplier<Service> write) {
    Service answer;
    try {
      answer = write.get();
    } catch (AwsException e) {
      if (!e.retryable()) {
        status.targetTaskDefinition = wantedTd;
        status.lastHandledRedeployAt = redeploy;
      }
      throw e;
    }
    status.targetTaskDefinition = wantedTd;
    status.lastHandledRedeployAt = redeploy;
    return answer;
  }

  /** Health from the rollout; remembers (with a Warning Event) a task definition whose rollout failed. */
  private Result verdict(EcsService resource, EcsServiceStatus status, Service service, String wantedTd) {
    boolean ecsController = ServiceRequest.controller(resource.getSpec()).equals("ECS");
    Rollout.Verdict verdict = Rollout.assess(service, ecsController ? wantedTd : null, status.lastDeploymentId,
        status.previousTaskDefinition);
    Health health = verdict.health();
    if (health.state() == Health.State.READY) {
      status.previousTaskDefinition = null; // that rollout is over: no rollback can return to it any more
    }
    if (verdict.failedTaskDefinition() != null
        && !verdict.failedTaskDefinition().equals(status.failedTaskDefinition)) {
      status.failedTaskDefinition = verdict.failedTaskDefinition();
      op.events().warning(resource, health.reason(), health.message() + ". " + notAgain(status));
    }
    if (ecsController && wantedTd != null && wantedTd.equals(status.failedTaskDefinition)
        && health.state() != Health.State.STALLED) {
      health = Health.stalled("RolledBack", "The rollout of " + wantedTd + " failed earlier");
    }
    // RolloutFailed says exactly what ECS says; a rollback is our finding and says what happens next
    if (health.state() == Health.State.STALLED && status.failedTaskDefinition != null
        && !"RolloutFailed".equals(health.reason())) {
      health = Health.stalled(health.reason(), health.message() + ". " + notAgain(status));
    }
    return new Result(health, verdict.requeue());
  }

  private static String notAgain(EcsServiceStatus status) {
    return status.failedTaskDefinition + " is not applied again until the task definition changes or a person sets "
        + "the " + RECONCILE_REQUESTED_AT + " or " + REDEPLOY_REQUESTED_AT + " annotation";
  }

  // ---- delete -----------------------------------------------------------------------------------------------------

  /**
   * Scales the service to 0, deletes it, and waits (Reconciling, Deleting) until ECS reports it INACTIVE or gone.
   * Only a service this resource owns is touched; its scalable target is deregistered first so that the autoscaler
   * does not scale it up again.
   */
  @Override
  protected DeleteResult delete(EcsService resource, EcsServiceStatus status, Context<EcsService> context) {
    EcsServiceSpec spec = resource.getSpec();
    String region = regions.apply(spec.getRegion());
    String name = resource.serviceName();
    String cluster = references.clusterForDelete(resource, status, context);
    Optional<Service> found = ecs.describe(region, cluster, name);
    if (found.isEmpty()) {
      return DeleteResult.finished();
    }
    Service live = found.get();
    if (!Ownership.ownedBy(Tags.fromEcs(live.tags()), Ownership.value(op.instanceId(), resource))) {
      op.events().normal(resource, "NotDeleted", "ECS service " + name + " is not owned by this resource: left in "
          + "AWS");
      return DeleteResult.finished();
    }
    if ("ACTIVE".equals(live.status())) {
      autoScaling.deregisterBeforeDelete(spec, status, region, ServiceAutoScaling.resourceId(cluster, name))
          .ifPresent(done -> op.events().normal(resource, "Updated", done));
      if (!ServiceRequest.daemon(spec) && live.desiredCount() != null && live.desiredCount() > 0) {
        ecs.update(region, UpdateServiceRequest.builder().cluster(cluster).service(name).desiredCount(0).build());
        op.events().normal(resource, "ScaledToZero", "Scaled ECS service " + name + " to 0 tasks before deleting it");
      }
      ecs.delete(region, cluster, name, ServiceRequest.daemon(spec));
      op.events().normal(resource, "Deleted", "Deleted ECS service " + name + " from cluster " + cluster);
      if (ecs.describe(region, cluster, name).isEmpty()) {
        return DeleteResult.finished();
      }
    }
    return DeleteResult.waiting(Health.progressing("Deleting", "Waiting for ECS service " + name
        + " to become INACTIVE"), DELETE_POLL);
  }

  // ---- status -----------------------------------------------------------------------------------------------------

  private static String primaryId(Service service) {
    return service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).map(Deployment::id)
        .findFirst().orElse(null);
  }
}
