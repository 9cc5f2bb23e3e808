package io.ecsbridge.kinds.ecs;

import io.ecsbridge.cache.LeanItemStore;
import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcsCapacityProvider;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterSpec;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.ObjectRef;
import io.ecsbridge.contract.StartupAdds;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * References to EcsCapacityProviders (an EcsCluster's capacityProviderRefs, an EcsService's
 * capacityProviderStrategy[].capacityProviderRef), same namespace only: resolved from the EcsCapacityProvider
 * informer's cache (no AWS call) to the capacity providers' names in ECS, Reconciling ReferenceNotReady while one is
 * missing or not Ready, Stalled DependencyStalled while one is Stalled at its generation; the event source that
 * reconciles the resources naming a capacity provider when what it resolves to changes; and the spec as ECS takes it,
 * each reference replaced by the name, which the kind's shape then compares and sends as if the spec had named it.
 *
 * @param <P> the referring kind
 */
public final class CapacityProviderRefs<P extends HasMetadata> {

  static final String INDEX = "capacityProviderRefs";

  /** Where referenced EcsCapacityProviders are read: the informer's cache in the operator, a map in unit tests. */
  public interface Lookup<P extends HasMetadata> {
    Optional<EcsCapacityProvider> find(Context<P> context, String namespace, String name);

    static <P extends HasMetadata> Lookup<P> informer() {
      return CapacityProviderRefs::cached;
    }
  }

  private final Lookup<P> lookup;
  private final Function<P, List<String>> refs;

  CapacityProviderRefs(Lookup<P> lookup, Function<P, List<String>> refs) {
    this.lookup = lookup;
    this.refs = refs;
  }

  static CapacityProviderRefs<EcsCluster> ofCluster(Lookup<EcsCluster> lookup) {
    return new CapacityProviderRefs<>(lookup, CapacityProviderRefs::clusterRefs);
  }

  static CapacityProviderRefs<EcsService> ofService(Lookup<EcsService> lookup) {
    return new CapacityProviderRefs<>(lookup, CapacityProviderRefs::serviceRefs);
  }

  static List<String> clusterRefs(EcsCluster cluster) {
    List<ObjectRef> refs = cluster.getSpec() == null ? null : cluster.getSpec().capacityProviderRefs;
    return refs == null ? List.of() : refs.stream().map(r -> r.name).toList();
  }

  static List<String> serviceRefs(EcsService service) {
    List<EcsServiceSpec.CapacityProviderStrategyItem> items = service.getSpec() == null ? null
        : service.getSpec().capacityProviderStrategy;
    return items == null ? List.of() : items.stream().filter(i -> i.capacityProviderRef != null)
        .map(i -> i.capacityProviderRef.name).toList();
  }

  @SuppressWarnings("unchecked")
  private static <P extends HasMetadata> Optional<EcsCapacityProvider> cached(Context<P> context, String namespace,
      String name) {
    var source = (InformerEventSource<EcsCapacityProvider, P>) context.eventSourceRetriever()
        .getEventSourceFor(EcsCapacityProvider.class);
    return source.get(new ResourceID(name, namespace));
  }

  /**
   * Watches EcsCapacityProviders (in the controller's namespaces): one that becomes Ready, changes its name or stalls
   * reconciles the resources naming it at once, found through an index on their references.
   */
  static <P extends HasMetadata> List<EventSource<?, P>> eventSources(EventSourceContext<P> context, Class<P> kind,
      Function<P, List<String>> refs) {
    context.getPrimaryCache().addIndexers(Map.of(INDEX, p -> refs.apply(p).stream()
        .map(name -> key(p.getMetadata().getNamespace(), name)).toList()));
    List<EventSource<?, P>> sources = new ArrayList<>();
    sources.add(new InformerEventSource<>(
        StartupAdds.dropListed(InformerEventSourceConfiguration.from(EcsCapacityProvider.class, kind))
            .withName(HasMetadata.getKind(kind).toLowerCase(java.util.Locale.ROOT) + "-capacityproviders")
            .withNamespacesInheritedFromController()
            .withItemStore(LeanItemStore.create(context))
            .withSecondaryToPrimaryMapper(provider -> referrers(context, provider))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(name(newer), name(older))
                || !Objects.equals(ServiceReferences.stalledKey(newer), ServiceReferences.stalledKey(older)))
            .build(), context));
    return sources;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static <P extends HasMetadata> Set<ResourceID> referrers(EventSourceContext<P> context,
      HasMetadata provider) {
    return context.getPrimaryCache().byIndex(INDEX, key(provider.getMetadata().getNamespace(),
        provider.getMetadata().getName())).stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The name in ECS a capacity provider reference resolves to: its name once Ready, else null. */
  static String name(EcsCapacityProvider provider) {
    return Conditions.isTrue(provider.getStatus(), Conditions.READY) ? provider.capacityProviderName() : null;
  }

  /** What the references resolve to (reference name to ECS name, in the spec's order), or why not. */
  record Resolved(Map<String, String> names, Health verdict) {}

  /** Resolves the references from the cache, or says why the referring resource cannot go on (reads no AWS). */
  Resolved resolve(P resource, Context<P> context) {
    Map<String, String> names = new LinkedHashMap<>();
    for (String ref : refs.apply(resource)) {
      Optional<EcsCapacityProvider> found = lookup.find(context, resource.getMetadata().getNamespace(), ref);
      if (found.isEmpty()) {
        return notReady("EcsCapacityProvider " + ref + " does not exist");
      }
      Optional<Health> stalled = ServiceReferences.stalledAtGeneration(found.get())
          .map(c -> Health.stalled(ServiceReferences.DEPENDENCY_STALLED, "EcsCapacityProvider " + ref
              + " is Stalled (" + c.getReason() + "): " + c.getMessage()));
      if (stalled.isPresent()) {
        return new Resolved(null, stalled.get());
      }
      String name = name(found.get());
      if (name == null) {
        return notReady("EcsCapacityProvider " + ref + " is not Ready");
      }
      names.put(ref, name);
    }
    return new Resolved(names, null);
  }

  private static Resolved notReady(String why) {
    return new Resolved(null, Health.progressing("ReferenceNotReady", why));
  }

  /**
   * A cluster spec's JSON as ECS would take it: capacityProviders is the union of its names and the resolved
   * references' (when it has references: absent names and references leave ECS's list alone), each default strategy
   * item that names a reference names its capacity provider instead.
   */
  static ObjectNode clusterJson(EcsClusterSpec spec, Map<String, String> names) {
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
      resolveItems(items, names);
    }
    return json;
  }

  /**
   * A service spec with each capacityProviderStrategy item's reference replaced by its capacity provider's name (a
   * copy; the spec itself when it has none).
   */
  static EcsServiceSpec serviceSpec(EcsServiceSpec spec, Map<String, String> names) {
    if (spec.capacityProviderStrategy == null || spec.capacityProviderStrategy.stream()
        .noneMatch(i -> i.capacityProviderRef != null)) {
      return spec;
    }
    ObjectNode json = Shape.json(spec);
    resolveItems((ArrayNode) json.get("capacityProviderStrategy"), names);
    EcsServiceSpec copy = SPEC_READER.convertValue(json, EcsServiceSpec.class);
    copy.setRegion(spec.getRegion());
    copy.setManagementPolicy(spec.getManagementPolicy());
    copy.setDeletionPolicy(spec.getDeletionPolicy());
    return copy;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper SPEC_READER =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static void resolveItems(ArrayNode items, Map<String, String> names) {
    items.forEach(i -> {
      if (i.get("capacityProviderRef") != null && i instanceof ObjectNode item) {
        String name = names.get(item.get("capacityProviderRef").path("name").asText());
        item.remove("capacityProviderRef");
        item.put("capacityProvider", name);
      }
    });
  }
}
