package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsCapacityProvider;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.ecsbridge.api.v1alpha1.ObjectRef;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An EcsCluster's capacityProviderRefs: resolved from the EcsCapacityProvider informer's cache (no AWS call) to the
 * capacity providers' names in ECS, Reconciling ReferenceNotReady while one is missing or not Ready, Stalled
 * DependencyStalled while one is Stalled at its generation; the event source that reconciles the clusters naming a
 * capacity provider when what it resolves to changes; and the spec's JSON with the references replaced by the names
 * (capacityProviders gets the union, a default strategy item its provider's name), which {@link ClusterShape} then
 * compares and sends as if the spec had named them.
 */
public final class ClusterCapacityProviders {

  static final String INDEX = "capacityProviderRefs";

  /** Where referenced EcsCapacityProviders are read: the informer's cache in the operator, a map in unit tests. */
  public interface Lookup {
    Optional<EcsCapacityProvider> find(Context<EcsCluster> context, String namespace, String name);

    static Lookup informer() {
      return (context, namespace, name) -> cached(context, namespace, name);
    }
  }

  private final Lookup lookup;

  ClusterCapacityProviders(Lookup lookup) {
    this.lookup = lookup;
  }

  @SuppressWarnings("unchecked")
  private static Optional<EcsCapacityProvider> cached(Context<EcsCluster> context, String namespace, String name) {
    var source = (InformerEventSource<EcsCapacityProvider, EcsCluster>) context.eventSourceRetriever()
        .getEventSourceFor(EcsCapacityProvider.class);
    return source.get(new ResourceID(name, namespace));
  }

  /** Watches EcsCapacityProviders: one that becomes Ready, changes or stalls reconciles the clusters naming it. */
  static List<EventSource<?, EcsCluster>> eventSources(EventSourceContext<EcsCluster> context) {
    context.getPrimaryCache().addIndexers(Map.of(INDEX, c -> c.getSpec() == null
        || c.getSpec().capacityProviderRefs == null ? List.of()
        : c.getSpec().capacityProviderRefs.stream().map(r -> key(c.getMetadata().getNamespace(), r.name)).toList()));
    return List.of(new InformerEventSource<>(
        InformerEventSourceConfiguration.from(EcsCapacityProvider.class, EcsCluster.class)
            .withName("ecscluster-capacityproviders")
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(p -> referrers(context, p))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(name(newer), name(older))
                || !Objects.equals(ServiceReferences.stalledKey(newer), ServiceReferences.stalledKey(older)))
            .build(), context));
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static Set<ResourceID> referrers(EventSourceContext<EcsCluster> context, HasMetadata provider) {
    return context.getPrimaryCache().byIndex(INDEX, key(provider.getMetadata().getNamespace(),
        provider.getMetadata().getName())).stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The name in ECS a capacity provider reference resolves to: its name once Ready, else null. */
  static String name(EcsCapacityProvider provider) {
    return Conditions.isTrue(provider.getStatus(), Conditions.READY) ? provider.capacityProviderName() : null;
  }

  /** What the references resolve to (reference name to ECS name, in the spec's order), or why not. */
  record Resolved(Map<String, String> names, Health verdict) {}

  /** Resolves capacityProviderRefs from the cache, or says why the cluster cannot go on (reads no AWS). */
  Resolved resolve(EcsCluster cluster, Context<EcsCluster> context) {
    Map<String, String> names = new LinkedHashMap<>();
    List<ObjectRef> refs = cluster.getSpec().capacityProviderRefs;
    for (ObjectRef ref : refs == null ? List.<ObjectRef>of() : refs) {
      Optional<EcsCapacityProvider> found = lookup.find(context, cluster.getMetadata().getNamespace(), ref.name);
      if (found.isEmpty()) {
        return notReady("EcsCapacityProvider " + ref.name + " does not exist");
      }
      Optional<Health> stalled = ServiceReferences.stalledAtGeneration(found.get())
          .map(c -> Health.stalled(ServiceReferences.DEPENDENCY_STALLED, "EcsCapacityProvider " + ref.name
              + " is Stalled (" + c.getReason() + "): " + c.getMessage()));
      if (stalled.isPresent()) {
        return new Resolved(null, stalled.get());
      }
      String name = name(found.get());
      if (name == null) {
        return notReady("EcsCapacityProvider " + ref.name + " is not Ready");
      }
      names.put(ref.name, name);
    }
    return new Resolved(names, null);
  }

  private static Resolved notReady(String why) {
    return new Resolved(null, Health.progressing("ReferenceNotReady", why));
  }

  /**
   * The spec's JSON as ECS would take it: capacityProviders is the union of its names and the resolved references'
   * (when it has references: absent names and references leave ECS's list alone), each default strategy item that
   * names a reference names its capacity provider instead.
   */
  static ObjectNode desired(EcsClusterSpec spec, Map<String, String> names) {
    ObjectNode json = Shape.json(spec);
    json.remove("capacityProviderRefs");
    if (spec.capacityProviderRefs == null) {
      return json;
    }
    Set<String> union = new LinkedHashSet<>(spec.capacityProviders == null ? List.of() : spec.capacityProviders);
    union.addAll(names.values());
    ArrayNode providers = json.putArray("capacityProviders");
    union.forEach(providers::add);
    if (json.get("defaultCapacityProviderStrategy") instanceof ArrayNode items) {
      items.forEach(i -> {
        if (i.get("capacityProviderRef") != null && i instanceof ObjectNode item) {
          String name = names.get(item.get("capacityProviderRef").path("name").asText());
          item.remove("capacityProviderRef");
          item.put("capacityProvider", name);
        }
      });
    }
    return json;
  }
}
