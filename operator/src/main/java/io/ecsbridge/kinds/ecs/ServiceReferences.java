package io.ecsbridge.kinds.ecs;

import io.ecsbridge.aws.ArnNames;
import io.ecsbridge.cache.LeanItemStore;
import io.ecsbridge.contract.Ownership;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.Lanes;
import io.ecsbridge.aws.ServiceGateway;
import io.ecsbridge.contract.StartupAdds;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where an EcsService runs and what it runs: its clusterRef and taskDefinitionRef resolved from the informers'
 * caches (no AWS call; Reconciling ReferenceNotReady while a reference is missing or not Ready, Stalled
 * DependencyStalled while it is Stalled at its generation), the event sources and index that reconcile the services
 * naming a reference when what it resolves to changes, and the raw names' checks ({@link Ownership#rawUse}): a raw
 * cluster or task definition name may not reach one another namespace owns. It decides nothing about the service.
 */
public final class ServiceReferences {

  static final String TASK_DEFINITION_INDEX = "taskDefinitionRef";
  static final String CLUSTER_INDEX = "clusterRef";
  static final String DEPENDENCY_STALLED = "DependencyStalled";

  private final Lookup lookup;
  private final ServiceGateway ecs;
  private final boolean allowCrossNamespace;

  /** Where referenced custom resources are read: the informers' caches in the operator, plain maps in unit tests. */
  public interface Lookup {
    Optional<EcsTaskDefinition> taskDefinition(Context<EcsService> context, String namespace, String name);

    Optional<EcsCluster> cluster(Context<EcsService> context, String namespace, String name);

    /** The caches of the informers {@link #eventSources} makes. */
    static Lookup informers() {
      return new Lookup() {
        @Override
        public Optional<EcsTaskDefinition> taskDefinition(Context<EcsService> c, String namespace, String name) {
          return cached(c, EcsTaskDefinition.class, namespace, name);
        }

        @Override
        public Optional<EcsCluster> cluster(Context<EcsService> c, String namespace, String name) {
          return cached(c, EcsCluster.class, namespace, name);
        }
      };
    }
  }

  ServiceReferences(Lookup lookup, ServiceGateway ecs, boolean allowCrossNamespace) {
    this.lookup = lookup;
    this.ecs = ecs;
    this.allowCrossNamespace = allowCrossNamespace;
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
  static List<EventSource<?, EcsService>> eventSources(EventSourceContext<EcsService> context) {
    context.getPrimaryCache().addIndexers(Map.of(
        TASK_DEFINITION_INDEX, s -> s.getSpec() == null || s.getSpec().taskDefinitionRef == null ? List.of()
            : List.of(key(s.getMetadata().getNamespace(), s.getSpec().taskDefinitionRef.name)),
        CLUSTER_INDEX, s -> s.getSpec() == null || s.getSpec().clusterRef == null ? List.of()
            : List.of(key(s.getMetadata().getNamespace(), s.getSpec().clusterRef.name))));
    var taskDefinitions = new InformerEventSource<>(
        StartupAdds.dropListed(InformerEventSourceConfiguration.from(EcsTaskDefinition.class, EcsService.class))
            .withName("ecsservice-taskdefinitions")
            .withNamespacesInheritedFromController()
            .withItemStore(LeanItemStore.create(context))
            .withSecondaryToPrimaryMapper(td -> referrers(context, TASK_DEFINITION_INDEX, td))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(revision(newer), revision(older))
                || !Objects.equals(stalledKey(newer), stalledKey(older)))
            .build(), context);
    var clusters = new InformerEventSource<>(
        StartupAdds.dropListed(InformerEventSourceConfiguration.from(EcsCluster.class, EcsService.class))
            .withName("ecsservice-clusters")
            .withNamespacesInheritedFromController()
            .withItemStore(LeanItemStore.create(context))
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

  /**
   * What the references resolve to (the cluster as named or resolved; the task definition's full ARN, null when the
   * spec names none), or (verdict) why the service cannot go on: not ready yet, Stalled, or refused.
   */
  record Resolved(String cluster, String taskDefinition, Health verdict) {}

  /**
   * The cluster and the full ARN of the task definition this pass works with: the references from the caches
   * ({@link #fromCaches}), then a raw cluster's tags (one DescribeClusters on every pass, since a cluster's
   * ownership can change), then the task definition's ARN ({@link #taskDefinitionArn}).
   */
  Resolved resolve(EcsService resource, String region, EcsServiceStatus status, Context<EcsService> context) {
    Resolved refs = fromCaches(resource, context);
    if (refs.verdict() != null) {
      return refs;
    }
    Optional<Ownership.Decision> foreignCluster = rawCluster(resource, region, refs.cluster());
    if (foreignCluster.isPresent()) {
      return refused(foreignCluster.get().health());
    }
    if (refs.taskDefinition() == null) {
      return refs;
    }
    RawTaskDefinition td = taskDefinitionArn(resource, region, refs.taskDefinition(), status);
    if (td.refused() != null) {
      return refused(td.refused().health());
    }
    return new Resolved(refs.cluster(), td.arn(), null);
  }

  /**
   * Whether a taskDefinitionRef now resolves to another revision than the one last applied, or cannot be resolved
   * (from the caches, no AWS call): an input of a Stalled service that is looked at at once.
   */
  boolean referenceChanged(EcsService resource, Context<EcsService> context) {
    if (resource.getSpec().taskDefinitionRef == null) {
      return false;
    }
    Resolved refs = fromCaches(resource, context);
    return refs.verdict() != null || !Objects.equals(refs.taskDefinition(), resource.getStatus().targetTaskDefinition);
  }

  /**
   * Resolves clusterRef and taskDefinitionRef from the caches (no AWS call). A reference that does not exist yet or
   * is not Ready is Reconciling ReferenceNotReady (it may be on its way, as in a GitOps sync in any order); one that
   * is Stalled at its generation makes this service Stalled DependencyStalled with its reason and message, until it
   * recovers.
   */
  Resolved fromCaches(EcsService resource, Context<EcsService> context) {
    EcsServiceSpec spec = resource.getSpec();
    String namespace = resource.getMetadata().getNamespace();
    String cluster = spec.cluster;
    if (spec.clusterRef != null) {
      Optional<EcsCluster> ref = lookup.cluster(context, namespace, spec.clusterRef.name);
      if (ref.isEmpty()) {
        return notReady("EcsCluster " + spec.clusterRef.name + " does not exist");
      }
      Optional<Health> stalled = dependencyStalled("EcsCluster", ref.get());
      if (stalled.isPresent()) {
        return refused(stalled.get());
      }
      cluster = clusterName(ref.get());
      if (cluster == null) {
        return notReady("EcsCluster " + spec.clusterRef.name + " is not Ready");
      }
    }
    String taskDefinition = spec.taskDefinition;
    if (spec.taskDefinitionRef != null) {
      Optional<EcsTaskDefinition> ref = lookup.taskDefinition(context, namespace, spec.taskDefinitionRef.name);
      if (ref.isEmpty()) {
        return notReady("EcsTaskDefinition " + spec.taskDefinitionRef.name + " does not exist");
      }
      Optional<Health> stalled = dependencyStalled("EcsTaskDefinition", ref.get());
      if (stalled.isPresent()) {
        return refused(stalled.get());
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
    return refused(Health.progressing("ReferenceNotReady", why));
  }

  private static Resolved refused(Health verdict) {
    return new Resolved(null, null, verdict);
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

  /** The full ARN of the desired task definition, or the refusal of a raw one another namespace owns. */
  private record RawTaskDefinition(String arn, Ownership.Decision refused) {}

  /**
   * The full ARN of the desired task definition: a reference's as is; a raw revision (ARN or family:revision) as
   * resolved and checked before (a revision never changes) while the spec is unchanged, else asked of ECS; a raw bare
   * family (its latest ACTIVE revision) asked of ECS on every pass. Each DescribeTaskDefinition brings the tags, and a
   * raw name may not reach a task definition another namespace owns ({@link Ownership#rawUse}).
   */
  private RawTaskDefinition taskDefinitionArn(EcsService resource, String region, String taskDefinition,
      EcsServiceStatus status) {
    if (resource.getSpec().taskDefinitionRef != null) {
      return new RawTaskDefinition(taskDefinition, null);
    }
    String known = status.targetTaskDefinition;
    Long generation = resource.getMetadata().getGeneration();
    boolean specChanged = !Objects.equals(status.getObservedGeneration(), generation == null ? 0L : generation);
    if (taskDefinition.contains(":") && known != null && !specChanged
        && (known.equals(taskDefinition) || known.endsWith(":task-definition/" + taskDefinition))) {
      return new RawTaskDefinition(known, null);
    }
    ServiceGateway.TaskDefinitionFound found = ecs.taskDefinition(region, taskDefinition);
    String revision = found.arn().substring(found.arn().lastIndexOf('/') + 1);
    return new RawTaskDefinition(found.arn(), Ownership.rawUse("Task definition " + revision, "EcsTaskDefinition",
        Ownership.tag(found.tags()), resource.getMetadata().getNamespace(), allowCrossNamespace).orElse(null));
  }

  /**
   * A raw cluster name may not reach a cluster another namespace owns ({@link Ownership#rawUse}): its tags are read on
   * every pass, since a cluster's ownership can change (one made outside can be adopted). A pass in the RESYNC lane
   * may take them from a DescribeClusters of the last 30 s ({@link io.ecsbridge.aws.BatchingClusterGateway#tags});
   * such a pass reads them again before it writes ({@link #confirmRawCluster}).
   */
  private Optional<Ownership.Decision> rawCluster(EcsService resource, String region, String cluster) {
    if (resource.getSpec().cluster == null) {
      return Optional.empty(); // a reference: an EcsCluster of this namespace
    }
    return rawClusterUse(resource, cluster, ecs.clusterTags(region, cluster));
  }

  /**
   * Before a pass in the RESYNC lane writes into a raw cluster (its check may rest on tags another pass read up to
   * 30 s ago): the cluster's tags read afresh must still allow it, else the pass is retried (and refused on them).
   * A USER pass checked on a fresh read already.
   */
  void confirmRawCluster(EcsService resource, String region, String cluster) {
    if (resource.getSpec().cluster == null || Lanes.current() != Lanes.Lane.RESYNC) {
      return;
    }
    if (rawClusterUse(resource, cluster, ecs.freshClusterTags(region, cluster)).isPresent()) {
      throw new AwsException(AwsException.Kind.RETRYABLE, "ClusterChangedMeanwhile", 0, "ECS cluster "
          + ArnNames.ecsName(cluster) + " changed owner while it was read: reading it again", null);
    }
  }

  private Optional<Ownership.Decision> rawClusterUse(EcsService resource, String cluster, Map<String, String> tags) {
    return Ownership.rawUse("ECS cluster " + ArnNames.ecsName(cluster), "EcsCluster", Ownership.tag(tags),
        resource.getMetadata().getNamespace(), allowCrossNamespace);
  }

  /** The cluster of the service ARN if known (the EcsCluster may already be gone), else the spec's. */
  String clusterForDelete(EcsService resource, EcsServiceStatus status, Context<EcsService> context) {
    String arn = status.serviceArn;
    if (arn != null && arn.contains(":service/") && arn.substring(arn.indexOf(":service/") + 9).contains("/")) {
      String path = arn.substring(arn.indexOf(":service/") + 9);
      return path.substring(0, path.indexOf('/'));
    }
    EcsServiceSpec spec = resource.getSpec();
    if (spec.cluster != null) {
      return spec.cluster;
    }
    return lookup.cluster(context, resource.getMetadata().getNamespace(), spec.clusterRef.name)
        .map(EcsCluster::clusterName).orElse(spec.clusterRef.name);
  }
}
