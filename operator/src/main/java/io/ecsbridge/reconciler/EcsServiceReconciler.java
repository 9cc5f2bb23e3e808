package io.ecsbridge.reconciler;

import static io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT;
import static io.ecsbridge.api.v1alpha1.Annotations.REDEPLOY_REQUESTED_AT;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AutoScalingGateway;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.ServiceGateway;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.applicationautoscaling.model.PredefinedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * EcsService: resolve the references, read the service (and its autoscaling when managed), send one UpdateService
 * with only what differs from the normalized spec, and report the rollout as health ({@link Rollout}).
 */
@ControllerConfiguration(name = "ecsservice")
public class EcsServiceReconciler extends AwsResourceReconciler<EcsService, EcsServiceSpec, EcsServiceStatus> {

  static final String TASK_DEFINITION_INDEX = "taskDefinitionRef";
  static final String CLUSTER_INDEX = "clusterRef";
  private static final int RECENT_EVENTS = 5;
  private static final Set<String> ROLLOUT_FAILURES = Set.of("RolloutFailed", "RolledBack");
  static final String DEPENDENCY_STALLED = "DependencyStalled";
  private static final java.time.Duration DELETE_POLL = java.time.Duration.ofSeconds(2);
  private static final java.time.Duration NOT_ACTIVE_POLL = java.time.Duration.ofSeconds(15);

  private final ServiceGateway ecs;
  private final AutoScalingGateway scaling;
  private final Function<String, String> regions;
  private final References references;

  /** Where referenced custom resources are read: the informers' caches in the operator, plain maps in unit tests. */
  public interface References {
    Optional<EcsTaskDefinition> taskDefinition(Context<EcsService> context, String namespace, String name);

    Optional<EcsCluster> cluster(Context<EcsService> context, String namespace, String name);
  }

  public EcsServiceReconciler(OperatorContext op, ServiceGateway ecs, AutoScalingGateway scaling,
      Function<String, String> regions) {
    this(op, ecs, scaling, regions, new References() {
      @Override
      public Optional<EcsTaskDefinition> taskDefinition(Context<EcsService> c, String namespace, String name) {
        return cached(c, EcsTaskDefinition.class, namespace, name);
      }

      @Override
      public Optional<EcsCluster> cluster(Context<EcsService> c, String namespace, String name) {
        return cached(c, EcsCluster.class, namespace, name);
      }
    });
  }

  public EcsServiceReconciler(OperatorContext op, ServiceGateway ecs, AutoScalingGateway scaling,
      Function<String, String> regions, References references) {
    super(op);
    this.ecs = ecs;
    this.scaling = scaling;
    this.regions = regions;
    this.references = references;
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> Optional<R> cached(Context<EcsService> context, Class<R> type,
      String namespace, String name) {
    var source = (InformerEventSource<R, EcsService>) context.eventSourceRetriever().getEventSourceFor(type);
    return source.get(new ResourceID(name, namespace));
  }

  /**
   * Watches the referenced EcsTaskDefinitions and EcsClusters (in the controller's namespaces): a change that alters
   * what a reference resolves to reconciles the services naming it at once, found through an index on the refs.
   */
  @Override
  public List<EventSource<?, EcsService>> prepareEventSources(EventSourceContext<EcsService> context) {
    context.getPrimaryCache().addIndexers(Map.of(
        TASK_DEFINITION_INDEX, s -> s.getSpec() == null || s.getSpec().taskDefinitionRef == null ? List.of()
            : List.of(key(s.getMetadata().getNamespace(), s.getSpec().taskDefinitionRef.name)),
        CLUSTER_INDEX, s -> s.getSpec() == null || s.getSpec().clusterRef == null ? List.of()
            : List.of(key(s.getMetadata().getNamespace(), s.getSpec().clusterRef.name))));
    var taskDefinitions = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(EcsTaskDefinition.class, EcsService.class)
            .withName("ecsservice-taskdefinitions")
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(td -> referrers(context, TASK_DEFINITION_INDEX, td))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(revision(newer), revision(older))
                || !Objects.equals(stalledKey(newer), stalledKey(older)))
            .build(), context);
    var clusters = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(EcsCluster.class, EcsService.class)
            .withName("ecsservice-clusters")
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(c -> referrers(context, CLUSTER_INDEX, c))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(clusterName(newer), clusterName(older))
                || !Objects.equals(stalledKey(newer), stalledKey(older)))
            .build(), context);
    return List.of(taskDefinitions, clusters);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static Set<ResourceID> referrers(EventSourceContext<EcsService> context, String index, HasMetadata ref) {
    return context.getPrimaryCache().byIndex(index, key(ref.getMetadata().getNamespace(), ref.getMetadata().getName()))
        .stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The revision a task definition reference resolves to: Ready at its current generation, else null. */
  static String revision(EcsTaskDefinition td) {
    var status = td.getStatus();
    return status != null && Conditions.isTrue(status, Conditions.READY)
        && Objects.equals(status.getObservedGeneration(), td.getMetadata().getGeneration())
        ? status.taskDefinitionArn : null;
  }

  /** The cluster name a cluster reference resolves to: its name once Ready, else null. */
  static String clusterName(EcsCluster cluster) {
    return Conditions.isTrue(cluster.getStatus(), Conditions.READY) ? cluster.clusterName() : null;
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
        || DEPENDENCY_STALLED.equals(reason);
  }

  /** A redeploy request, or a reference that now resolves to another revision, is looked at at once. */
  @Override
  protected boolean inputsChanged(EcsService resource, Context<EcsService> context) {
    EcsServiceStatus status = resource.getStatus();
    String redeploy = annotation(resource, REDEPLOY_REQUESTED_AT);
    if (redeploy != null && !redeploy.equals(status.lastHandledRedeployAt)) {
      return true;
    }
    if (resource.getSpec().taskDefinitionRef == null) {
      return false;
    }
    Resolved refs = resolve(resource, context);
    return refs.verdict() != null || !Objects.equals(refs.taskDefinition(), status.targetTaskDefinition);
  }

  /** What the references resolve to, or (verdict) why the service cannot go on: not ready yet, or Stalled. */
  private record Resolved(String cluster, String taskDefinition, Health verdict) {}

  @Override
  protected Result sync(EcsService resource, EcsServiceStatus status, Context<EcsService> context) {
    EcsServiceSpec spec = resource.getSpec();
    String region = regions.apply(spec.getRegion());
    String name = resource.serviceName();

    Resolved refs = resolve(resource, context);
    if (refs.verdict() != null) {
      return Result.of(refs.verdict());
    }
    String cluster = refs.cluster();
    String previousTarget = status.targetTaskDefinition;
    String wantedTd = refs.taskDefinition() == null ? null : taskDefinitionArn(region, refs.taskDefinition(), status);

    String redeploy = annotation(resource, REDEPLOY_REQUESTED_AT);
    boolean redeployAsked = redeploy != null && !redeploy.equals(status.lastHandledRedeployAt);
    boolean poked = annotation(resource) != null && !annotation(resource).equals(status.getLastHandledReconcileAt());
    if (status.failedTaskDefinition != null
        && (redeployAsked || poked || !status.failedTaskDefinition.equals(wantedTd))) {
      status.failedTaskDefinition = null; // a new task definition, or a person asked: try again
    }
    String owner = Ownership.value(op.instanceId(), resource);
    ManagementPolicy policy = spec.getManagementPolicy();
    String resourceId = AutoScalingGateway.resourceId(clusterName(cluster), name);

    Optional<Service> found = ecs.describe(region, cluster, name);
    if (found.isEmpty()) {
      if (policy == ManagementPolicy.ObserveOnly) {
        status.targetTaskDefinition = wantedTd;
        return Result.of(notFound("ECS service " + name, "cluster " + cluster));
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
    fillStatus(status, live);
    if (!"ACTIVE".equals(live.status())) {
      // being deleted outside ecs-bridge: ECS refuses updates; once INACTIVE the service is created again
      return Result.of(Health.progressing("ServiceNotActive", "ECS service " + name + " is " + live.status()),
          NOT_ACTIVE_POLL);
    }
    Map<String, String> liveTags = Tags.fromEcs(live.tags());
    if (policy == ManagementPolicy.Managed && !Ownership.ownedBy(liveTags, owner)) {
      status.targetTaskDefinition = wantedTd;
      return Result.of(Health.stalled("AlreadyExists", Ownership.foreignMessage("ECS service " + name, liveTags)));
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
    others.addAll(autoScalingChanges(spec, status, region, resourceId, observeOnly));

    if (observeOnly) {
      status.targetTaskDefinition = wantedTd;
      Set<String> fields = new TreeSet<>(diffs);
      others.stream().filter(c -> c.description() != null).forEach(c -> fields.add(c.field()));
      return fields.isEmpty() ? verdict(resource, status, live, wantedTd)
          : Result.of(observedFields("ECS service " + name, fields));
    }
    if (policy == ManagementPolicy.Adopt && !Ownership.ownedBy(liveTags, owner)) {
      op.events().normal(resource, "Adopted", "Adopted existing ECS service " + name);
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
      fillStatus(status, current);
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
    fillStatus(status, created);
    applyChanges(resource, autoScalingChanges(spec, status, region, resourceId, false), false);
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

  /**
   * The full ARN of the desired task definition: an ARN as is, family:revision as resolved before (it never changes),
   * a bare family (its latest ACTIVE revision) asked of ECS on every pass.
   */
  private String taskDefinitionArn(String region, String taskDefinition, EcsServiceStatus status) {
    if (taskDefinition.startsWith("arn:")) {
      return taskDefinition;
    }
    String known = status.targetTaskDefinition;
    if (taskDefinition.contains(":") && known != null && known.endsWith(":task-definition/" + taskDefinition)) {
      return known;
    }
    return ecs.taskDefinitionArn(region, taskDefinition);
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

  /**
   * Resolves clusterRef and taskDefinitionRef from the caches (no AWS call). A reference that does not exist yet or
   * is not Ready is Reconciling ReferenceNotReady (it may be on its way, as in a GitOps sync in any order); one that
   * is Stalled at its generation makes this service Stalled DependencyStalled with its reason and message, until it
   * recovers.
   */
  private Resolved resolve(EcsService resource, Context<EcsService> context) {
    EcsServiceSpec spec = resource.getSpec();
    String namespace = resource.getMetadata().getNamespace();
    String cluster = spec.cluster;
    if (spec.clusterRef != null) {
      Optional<EcsCluster> ref = references.cluster(context, namespace, spec.clusterRef.name);
      if (ref.isEmpty()) {
        return notReady("EcsCluster " + spec.clusterRef.name + " does not exist");
      }
      Optional<Health> stalled = dependencyStalled("EcsCluster", ref.get());
      if (stalled.isPresent()) {
        return new Resolved(null, null, stalled.get());
      }
      cluster = clusterName(ref.get());
      if (cluster == null) {
        return notReady("EcsCluster " + spec.clusterRef.name + " is not Ready");
      }
    }
    String taskDefinition = spec.taskDefinition;
    if (spec.taskDefinitionRef != null) {
      Optional<EcsTaskDefinition> ref = references.taskDefinition(context, namespace, spec.taskDefinitionRef.name);
      if (ref.isEmpty()) {
        return notReady("EcsTaskDefinition " + spec.taskDefinitionRef.name + " does not exist");
      }
      Optional<Health> stalled = dependencyStalled("EcsTaskDefinition", ref.get());
      if (stalled.isPresent()) {
        return new Resolved(null, null, stalled.get());
      }
      taskDefinition = revision(ref.get());
      if (taskDefinition == null) {
        return notReady("EcsTaskDefinition " + spec.taskDefinitionRef.name
            + " is not Ready (no current revision at its generation yet)");
      }
    }
    return new Resolved(cluster, taskDefinition, null);
  }

  private static Resolved notReady(String why) {
    return new Resolved(null, null, Health.progressing("ReferenceNotReady", why));
  }

  /** The verdict of a service whose referenced resource is Stalled at its current generation, if it is. */
  private static Optional<Health> dependencyStalled(String kind, CustomResource<?, ? extends AwsResourceStatus> ref) {
    return stalledAtGeneration(ref).map(c -> Health.stalled(DEPENDENCY_STALLED, kind + " "
        + ref.getMetadata().getName() + " is Stalled (" + c.getReason() + "): " + c.getMessage()));
  }

  /** The Stalled condition of a resource when it is True for the resource's current generation. */
  static Optional<Condition> stalledAtGeneration(CustomResource<?, ? extends AwsResourceStatus> resource) {
    AwsResourceStatus status = resource.getStatus();
    return status == null ? Optional.empty() : Conditions.find(status.getConditions(), Conditions.STALLED)
        .filter(c -> "True".equals(c.getStatus())
            && Objects.equals(c.getObservedGeneration(), resource.getMetadata().getGeneration()));
  }

  /** What a referring service's verdict depends on besides the resolved value: the reference's Stalled reason. */
  static String stalledKey(CustomResource<?, ? extends AwsResourceStatus> resource) {
    return stalledAtGeneration(resource).map(c -> c.getReason() + ": " + c.getMessage()).orElse(null);
  }

  // ---- Application Auto Scaling -----------------------------------------------------------------------------------

  /**
   * The scalable target, its target tracking policies and scheduled actions, compared with what Application Auto
   * Scaling reports; read only while autoScaling is set or was set (status.autoScalingResourceId). ObserveOnly
   * manages nothing: it records neither the resource id nor the applied min/max.
   */
  private List<Change> autoScalingChanges(EcsServiceSpec spec, EcsServiceStatus status, String region,
      String resourceId, boolean observeOnly) {
    List<Change> changes = new ArrayList<>();
    EcsServiceSpec.AutoScaling want = spec.autoScaling;
    if (want == null) {
      String managed = status.autoScalingResourceId;
      if (managed == null || observeOnly) {
        status.autoScalingResourceId = null; // (an older operator version recorded it under ObserveOnly too)
        return changes;
      }
      scaling.policies(region, managed).forEach(p -> changes.add(new Change("autoScaling",
          "Deleted scaling policy " + p.policyName(), () -> scaling.deletePolicy(region, managed, p.policyName()))));
      scaling.scheduledActions(region, managed).forEach(a -> changes.add(new Change("autoScaling",
          "Deleted scheduled action " + a.scheduledActionName(),
          () -> scaling.deleteScheduledAction(region, managed, a.scheduledActionName()))));
      if (scaling.target(region, managed).isPresent()) {
        changes.add(new Change("autoScaling", "Deregistered the scalable target " + managed,
            () -> scaling.deregisterTarget(region, managed)));
      }
      changes.add(new Change("autoScaling", null, () -> {
        status.autoScalingResourceId = null;
        status.appliedMinCapacity = null;
        status.appliedMaxCapacity = null;
      }));
      return changes;
    }
    if (!observeOnly) {
      status.autoScalingResourceId = resourceId;
    }
    Optional<ScalableTarget> target = scaling.target(region, resourceId);
    boolean liveDiffers = target.isPresent() && (!Objects.equals(target.get().minCapacity(), want.minCapacity)
        || !Objects.equals(target.get().maxCapacity(), want.maxCapacity));
    boolean specChanged = !observeOnly && (!Objects.equals(status.appliedMinCapacity, want.minCapacity)
        || !Objects.equals(status.appliedMaxCapacity, want.maxCapacity));
    // a scheduled action works by changing the target's min and max: with actions, other live values are theirs
    boolean scheduled = want.scheduledActions != null && !want.scheduledActions.isEmpty();
    if (target.isEmpty() || liveDiffers && (!scheduled || specChanged)) {
      changes.add(new Change("autoScaling", "Registered the scalable target " + resourceId + " (min "
          + want.minCapacity + ", max " + want.maxCapacity + ")", () -> {
            scaling.registerTarget(region, resourceId, want.minCapacity, want.maxCapacity);
            status.appliedMinCapacity = want.minCapacity;
            status.appliedMaxCapacity = want.maxCapacity;
          }));
    } else if (!observeOnly) {
      status.appliedMinCapacity = want.minCapacity;
      status.appliedMaxCapacity = want.maxCapacity;
    }
    Map<String, ScalingPolicy> livePolicies = new TreeMap<>();
    (target.isEmpty() ? List.<ScalingPolicy>of() : scaling.policies(region, resourceId))
        .forEach(p -> livePolicies.put(p.policyName(), p));
    List<EcsServiceSpec.TargetTrackingPolicy> policies = want.targetTrackingPolicies == null ? List.of()
        : want.targetTrackingPolicies;
    for (EcsServiceSpec.TargetTrackingPolicy p : policies) {
      TargetTrackingScalingPolicyConfiguration config = targetTracking(p);
      ScalingPolicy existing = livePolicies.remove(p.name);
      if (existing == null || !config.equals(normalized(existing.targetTrackingScalingPolicyConfiguration()))) {
        changes.add(new Change("autoScaling", "Put target tracking policy " + p.name,
            () -> scaling.putTargetTrackingPolicy(region, resourceId, p.name, config)));
      }
    }
    livePolicies.keySet().forEach(n -> changes.add(new Change("autoScaling", "Deleted scaling policy " + n,
        () -> scaling.deletePolicy(region, resourceId, n))));
    Map<String, ScheduledAction> liveActions = new TreeMap<>();
    (target.isEmpty() ? List.<ScheduledAction>of() : scaling.scheduledActions(region, resourceId))
        .forEach(a -> liveActions.put(a.scheduledActionName(), a));
    List<EcsServiceSpec.ScheduledAction> actions = want.scheduledActions == null ? List.of() : want.scheduledActions;
    for (EcsServiceSpec.ScheduledAction a : actions) {
      ScheduledAction existing = liveActions.remove(a.name);
      if (existing == null || !a.schedule.equals(existing.schedule())
          || !timezone(a.timezone).equals(timezone(existing.timezone()))
          || existing.scalableTargetAction() == null
          || !Objects.equals(a.minCapacity, existing.scalableTargetAction().minCapacity())
          || !Objects.equals(a.maxCapacity, existing.scalableTargetAction().maxCapacity())) {
        changes.add(new Change("autoScaling", "Put scheduled action " + a.name,
            () -> scaling.putScheduledAction(region, resourceId, a.name, a.schedule, a.timezone, a.minCapacity,
                a.maxCapacity)));
      }
    }
    liveActions.keySet().forEach(n -> changes.add(new Change("autoScaling", "Deleted scheduled action " + n,
        () -> scaling.deleteScheduledAction(region, resourceId, n))));
    return changes;
  }

  private static String timezone(String timezone) {
    return timezone == null || timezone.isEmpty() ? "UTC" : timezone;
  }

  /** The spec's policy in the SDK's shape, normalized like the live one. */
  static TargetTrackingScalingPolicyConfiguration targetTracking(EcsServiceSpec.TargetTrackingPolicy p) {
    return normalized(TargetTrackingScalingPolicyConfiguration.builder()
        .targetValue(p.targetValue)
        .predefinedMetricSpecification(PredefinedMetricSpecification.builder()
            .predefinedMetricType(p.predefinedMetricType.name()).resourceLabel(p.resourceLabel).build())
        .scaleInCooldown(p.scaleInCooldown)
        .scaleOutCooldown(p.scaleOutCooldown)
        .disableScaleIn(p.disableScaleIn)
        .build());
  }

  /** A target tracking configuration reduced to the fields the spec manages, with the defaults filled. */
  static TargetTrackingScalingPolicyConfiguration normalized(TargetTrackingScalingPolicyConfiguration live) {
    if (live == null || live.predefinedMetricSpecification() == null) {
      return null;
    }
    return TargetTrackingScalingPolicyConfiguration.builder()
        .targetValue(live.targetValue())
        .predefinedMetricSpecification(PredefinedMetricSpecification.builder()
            .predefinedMetricType(live.predefinedMetricSpecification().predefinedMetricTypeAsString())
            .resourceLabel(live.predefinedMetricSpecification().resourceLabel()).build())
        .scaleInCooldown(live.scaleInCooldown() == null ? 300 : live.scaleInCooldown())
        .scaleOutCooldown(live.scaleOutCooldown() == null ? 300 : live.scaleOutCooldown())
        .disableScaleIn(Boolean.TRUE.equals(live.disableScaleIn()))
        .build();
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
    String cluster = clusterForDelete(resource, status, context);
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
      String resourceId = status.autoScalingResourceId != null ? status.autoScalingResourceId
          : spec.autoScaling != null ? AutoScalingGateway.resourceId(clusterName(cluster), name) : null;
      if (resourceId != null && scaling.target(region, resourceId).isPresent()) {
        scaling.deregisterTarget(region, resourceId);
        op.events().normal(resource, "Updated", "Deregistered the scalable target " + resourceId);
      }
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

  /** The cluster of the service ARN if known (the EcsCluster may already be gone), else the spec's. */
  private String clusterForDelete(EcsService resource, EcsServiceStatus status, Context<EcsService> context) {
    String arn = status.serviceArn;
    if (arn != null && arn.contains(":service/") && arn.substring(arn.indexOf(":service/") + 9).contains("/")) {
      String path = arn.substring(arn.indexOf(":service/") + 9);
      return path.substring(0, path.indexOf('/'));
    }
    EcsServiceSpec spec = resource.getSpec();
    if (spec.cluster != null) {
      return spec.cluster;
    }
    return references.cluster(context, resource.getMetadata().getNamespace(), spec.clusterRef.name)
        .map(EcsCluster::clusterName).orElse(spec.clusterRef.name);
  }

  private static String clusterName(String cluster) {
    return cluster.startsWith("arn:") ? cluster.substring(cluster.lastIndexOf('/') + 1) : cluster;
  }

  // ---- status -----------------------------------------------------------------------------------------------------

  private static String primaryId(Service service) {
    return service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).map(Deployment::id)
        .findFirst().orElse(null);
  }

  static void fillStatus(EcsServiceStatus status, Service service) {
    status.serviceArn = service.serviceArn();
    status.status = service.status();
    status.taskDefinition = service.taskDefinition();
    status.desiredCount = service.desiredCount();
    status.runningCount = service.runningCount();
    status.pendingCount = service.pendingCount();
    status.deployments = service.deployments().stream().map(d -> {
      EcsServiceStatus.Deployment s = new EcsServiceStatus.Deployment();
      s.id = d.id();
      s.status = d.status();
      s.rolloutState = d.rolloutStateAsString();
      s.rolloutStateReason = d.rolloutStateReason();
      s.taskDefinition = d.taskDefinition();
      s.desiredCount = d.desiredCount();
      s.runningCount = d.runningCount();
      s.pendingCount = d.pendingCount();
      s.failedTasks = d.failedTasks();
      s.createdAt = d.createdAt() == null ? null : d.createdAt().toString();
      s.updatedAt = d.updatedAt() == null ? null : d.updatedAt().toString();
      return s;
    }).toList();
    status.taskSets = service.taskSets().isEmpty() ? null : service.taskSets().stream().map(t -> {
      EcsServiceStatus.TaskSet s = new EcsServiceStatus.TaskSet();
      s.id = t.id();
      s.status = t.status();
      s.stabilityStatus = t.stabilityStatusAsString();
      s.taskDefinition = t.taskDefinition();
      s.runningCount = t.runningCount();
      s.computedDesiredCount = t.computedDesiredCount();
      return s;
    }).toList();
    status.recentEvents = service.events().isEmpty() ? null : service.events().stream().limit(RECENT_EVENTS)
        .map(e -> {
          EcsServiceStatus.ServiceEvent s = new EcsServiceStatus.ServiceEvent();
          s.createdAt = e.createdAt() == null ? null : e.createdAt().toString();
          s.message = e.message();
          return s;
        }).toList();
  }
}
