package io.ecsbridge.kinds.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.ContainerDefinition;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.ConfigMapValueAs;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.EnvironmentFrom;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.EnvironmentVariable;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.cache.LeanItemStore;
import io.ecsbridge.contract.StartupAdds;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an EcsTaskDefinition's Kubernetes references resolve to: {@code environment[].valueFrom.configMapKeyRef} and
 * {@code environmentFrom[].configMapRef}, read from ConfigMaps of the resource's own namespace (never another's) in
 * the informer's cache (no AWS call, no LIST per reconcile), into each container's plain environment, as Kubernetes
 * does for a Pod: a later environmentFrom source wins over an earlier one on the same name, and an environment entry
 * wins over them all. A missing ConfigMap or key that is not optional is Reconciling ReferenceNotReady naming it; an
 * optional one leaves the variable out. The event source and its index reconcile the task definitions naming a
 * ConfigMap when it appears, changes or goes.
 */
public final class TaskDefinitionReferences {

  static final String CONFIG_MAP_INDEX = "configMapRef";
  static final String REFERENCE_NOT_READY = "ReferenceNotReady";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Where ConfigMaps are read: the informer's cache in the operator, a plain map in unit tests. */
  public interface Lookup {
    Optional<ConfigMap> configMap(Context<EcsTaskDefinition> context, String namespace, String name);

    /** The cache of the informer {@link #eventSources} makes. */
    @SuppressWarnings("unchecked")
    static Lookup informers() {
      return (context, namespace, name) -> ((InformerEventSource<ConfigMap, EcsTaskDefinition>) context
          .eventSourceRetriever().getEventSourceFor(ConfigMap.class)).get(new ResourceID(name, namespace));
    }
  }

  /**
   * The environment of each container that has references, resolved (by container name; a container without
   * references is sent as written), and the hash of it (null: no references), or (verdict) why not yet.
   */
  public record Resolved(Map<String, List<EnvironmentVariable>> environment, List<ParameterRef> parameters,
      String hash, Health verdict) {}

  /** A variable whose ConfigMap value goes to Parameter Store ({@code as: Parameter}): TaskDefinitionParameters. */
  public record ParameterRef(String container, String variable, String configMap, String key, String value) {
    /** The parameter's name under the path of a set of values: {@code <ConfigMap>/<key>}. */
    String member() {
      return configMap + "/" + key;
    }
  }

  private final Lookup lookup;

  public TaskDefinitionReferences(Lookup lookup) {
    this.lookup = lookup;
  }

  /** The references of the resource resolved from the cache, in its own namespace. */
  Resolved resolve(EcsTaskDefinition resource, Context<EcsTaskDefinition> context) {
    String namespace = resource.getMetadata().getNamespace();
    return resolve(resource.getSpec(), name -> lookup.configMap(context, namespace, name).map(ConfigMap::getData)
        .map(data -> data == null ? Map.<String, String>of() : data));
  }

  /**
   * Whether the values the references resolve to now differ from those of the last pass (status.referencesHash), or
   * no longer resolve: an input of a Stalled task definition that is looked at at once. Reads the cache only.
   */
  boolean changed(EcsTaskDefinition resource, Context<EcsTaskDefinition> context) {
    if (configMapNames(resource.getSpec()).isEmpty()) {
      return false;
    }
    Resolved now = resolve(resource, context);
    return now.verdict() != null || !Objects.equals(now.hash(), resource.getStatus().referencesHash);
  }

  /**
   * Resolves the spec's references with {@code configMaps} (a ConfigMap's data by name, empty when it does not exist).
   */
  public static Resolved resolve(EcsTaskDefinitionSpec spec,
      Function<String, Optional<Map<String, String>>> configMaps) {
    Map<String, List<EnvironmentVariable>> out = new TreeMap<>();
    List<ParameterRef> parameters = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (ContainerDefinition c : containers(spec)) {
      if (!hasReferences(c)) {
        continue;
      }
      Map<String, String> fromSources = new LinkedHashMap<>();
      Map<String, ParameterRef> asParameters = new LinkedHashMap<>(); // a later source wins over either
      for (EnvironmentFrom from : c.environmentFrom == null ? List.<EnvironmentFrom>of() : c.environmentFrom) {
        if (from.configMapRef == null) {
          continue; // a secretRef: TaskDefinitionSecrets
        }
        Optional<Map<String, String>> data = configMaps.apply(from.configMapRef.name);
        if (data.isEmpty()) {
          if (!Boolean.TRUE.equals(from.configMapRef.optional)) {
            missing.add("ConfigMap " + from.configMapRef.name + " does not exist (environmentFrom of container "
                + c.name + ")");
          }
          continue;
        }
        String prefix = from.prefix == null ? "" : from.prefix;
        boolean parameter = from.configMapRef.as == ConfigMapValueAs.Parameter;
        new TreeMap<>(data.get()).forEach((key, value) -> {
          fromSources.remove(prefix + key);
          asParameters.remove(prefix + key);
          if (parameter) {
            asParameters.put(prefix + key, new ParameterRef(c.name, prefix + key, from.configMapRef.name, key, value));
          } else {
            fromSources.put(prefix + key, value);
          }
        });
      }
      List<EnvironmentVariable> environment = new ArrayList<>();
      List<EnvironmentVariable> explicit = c.environment == null ? List.of() : c.environment;
      explicit.forEach(e -> { // environment wins over environmentFrom
        fromSources.remove(e.name);
        asParameters.remove(e.name);
      });
      parameters.addAll(asParameters.values());
      fromSources.forEach((name, value) -> environment.add(new EnvironmentVariable(name, value)));
      for (EnvironmentVariable e : explicit) {
        if (e.valueFrom == null) {
          environment.add(new EnvironmentVariable(e.name, e.value));
          continue;
        }
        var ref = e.valueFrom.configMapKeyRef;
        Optional<Map<String, String>> data = configMaps.apply(ref.name);
        String value = data.map(d -> d.get(ref.key)).orElse(null);
        if (value != null && ref.as == ConfigMapValueAs.Parameter) {
          parameters.add(new ParameterRef(c.name, e.name, ref.name, ref.key, value));
        } else if (value != null) {
          environment.add(new EnvironmentVariable(e.name, value));
        } else if (!Boolean.TRUE.equals(ref.optional)) {
          missing.add("ConfigMap " + ref.name + (data.isEmpty() ? " does not exist" : " has no key " + ref.key)
              + " (environment " + e.name + " of container " + c.name + ")");
        }
      }
      out.put(c.name, environment);
    }
    if (!missing.isEmpty()) {
      return new Resolved(null, List.of(), null, Health.progressing(REFERENCE_NOT_READY, String.join("; ", missing)));
    }
    // the parameters' values count too (ConfigMaps are not secret); without them the hash is the environment's
    String hash = out.isEmpty() ? null : TaskDefinitionContent.hash(parameters.isEmpty() ? MAPPER.valueToTree(out)
        : MAPPER.createObjectNode().<ObjectNode>set("environment", MAPPER.valueToTree(out))
            .set("parameters", MAPPER.valueToTree(parameters)));
    return new Resolved(out, List.copyOf(parameters), hash, null);
  }

  /** The spec's JSON with each resolved container's environment replaced by its resolved one (a new tree). */
  static ObjectNode resolved(EcsTaskDefinitionSpec spec, Map<String, List<EnvironmentVariable>> environment) {
    ObjectNode json = MAPPER.valueToTree(spec);
    if (environment != null && json.get("containerDefinitions") instanceof ArrayNode containers) {
      for (JsonNode c : containers) {
        List<EnvironmentVariable> env = environment.get(c.path("name").asText());
        if (env != null) {
          ((ObjectNode) c).set("environment", MAPPER.valueToTree(env));
        }
      }
    }
    return json;
  }

  private static List<ContainerDefinition> containers(EcsTaskDefinitionSpec spec) {
    return spec == null || spec.containerDefinitions == null ? List.of() : spec.containerDefinitions;
  }

  private static boolean hasReferences(ContainerDefinition c) {
    return c.environmentFrom != null && !c.environmentFrom.isEmpty()
        || c.environment != null && c.environment.stream().anyMatch(e -> e.valueFrom != null);
  }

  /** The names of the ConfigMaps the spec references (in the resource's namespace). */
  static TreeSet<String> configMapNames(EcsTaskDefinitionSpec spec) {
    TreeSet<String> names = new TreeSet<>();
    for (ContainerDefinition c : containers(spec)) {
      if (c.environmentFrom != null) {
        c.environmentFrom.stream().filter(f -> f.configMapRef != null).forEach(f -> names.add(f.configMapRef.name));
      }
      if (c.environment != null) {
        c.environment.stream().filter(e -> e.valueFrom != null)
            .forEach(e -> names.add(e.valueFrom.configMapKeyRef.name));
      }
    }
    return names;
  }

  /**
   * Watches ConfigMaps (in the controller's namespaces): one that appears, changes its data or goes reconciles the
   * task definitions of its namespace naming it at once, found through an index on the names they reference.
   */
  static List<EventSource<?, EcsTaskDefinition>> eventSources(EventSourceContext<EcsTaskDefinition> context) {
    context.getPrimaryCache().addIndexers(Map.of(CONFIG_MAP_INDEX, td -> configMapNames(td.getSpec()).stream()
        .map(name -> key(td.getMetadata().getNamespace(), name)).toList()));
    var configMaps = new InformerEventSource<>(
        StartupAdds.dropListed(InformerEventSourceConfiguration.from(ConfigMap.class, EcsTaskDefinition.class))
            .withName("ecstaskdefinition-configmaps")
            .withNamespacesInheritedFromController()
            .withItemStore(LeanItemStore.create(context))
            .withSecondaryToPrimaryMapper(cm -> context.getPrimaryCache()
                .byIndex(CONFIG_MAP_INDEX, key(cm.getMetadata().getNamespace(), cm.getMetadata().getName()))
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(newer.getData(), older.getData()))
            .build(), context);
    return List.of(configMaps);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
