package io.ecsbridge.trace;

import io.ecsbridge.kinds.Kinds;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the tree of a resource and what it references, read from the API server as the user's kubeconfig allows:
 * each one's Ready/Reconciling/Stalled condition and its last Events. References are found by their field names
 * anywhere in the spec (clusterRef, taskDefinitionRef, capacityProviderRef(s), ecrRepositoryRef, sourceAccountRef,
 * configMapKeyRef, configMapRef, secretKeyRef, secretRef), so that a field added to a kind is traced without a
 * change here; the AwsAccount whose namespaceSelector selects the resource's namespace is a child of the root.
 */
public final class Tracer {
  /** A reference field of a spec and the kind it names. */
  static final Map<String, String> REFERENCES = Map.ofEntries(
      Map.entry("clusterRef", "EcsCluster"),
      Map.entry("taskDefinitionRef", "EcsTaskDefinition"),
      Map.entry("capacityProviderRef", "EcsCapacityProvider"),
      Map.entry("capacityProviderRefs", "EcsCapacityProvider"),
      Map.entry("ecrRepositoryRef", "EcrRepository"),
      Map.entry("repositoryRef", "EcrRepository"),
      Map.entry("sourceAccountRef", "AwsAccount"),
      Map.entry("configMapKeyRef", "ConfigMap"),
      Map.entry("configMapRef", "ConfigMap"),
      Map.entry("secretKeyRef", "Secret"),
      Map.entry("secretRef", "Secret"));

  private record Ref(String kind, String name) {}

  private final KubernetesClient client;
  private final int eventCount;
  private final Clock clock;

  /** @param eventCount how many of each resource's latest Events to show */
  public Tracer(KubernetesClient client, int eventCount, Clock clock) {
    this.client = client;
    this.eventCount = eventCount;
    this.clock = clock;
  }

  public TraceNode trace(Kinds.Kind<?> kind, String namespace, String name) {
    String ns = kind.clusterScoped() ? null : namespace;
    TraceNode root = node(kind.kind(), ns, name, new HashSet<>());
    if (ns != null && root.reason() != null && !"NotFound".equals(root.reason())) {
      for (String account : accountsSelecting(ns)) {
        root.children().add(node("AwsAccount", null, account, new HashSet<>(Set.of(kind.kind() + "/" + name))));
      }
    }
    return root;
  }

  private TraceNode node(String kind, String namespace, String name, Set<String> path) {
    if (kind.equals("Secret") || kind.equals("ConfigMap")) {
      return coreNode(kind, namespace, name);
    }
    Kinds.Kind<?> k = KindNames.byKind(kind).orElseThrow();
    String ns = k.clusterScoped() ? null : namespace;
    GenericKubernetesResource resource;
    try {
      resource = (ns == null ? client.genericKubernetesResources(HasMetadata.getApiVersion(k.type()), kind)
          .withName(name) : client.genericKubernetesResources(HasMetadata.getApiVersion(k.type()), kind)
          .inNamespace(ns).withName(name)).get();
    } catch (KubernetesClientException e) {
      return new TraceNode(kind, name, false, "Unreadable", e.getStatus() != null ? e.getStatus().getMessage()
          : e.getMessage(), List.of(), List.of());
    }
    if (resource == null) {
      return new TraceNode(kind, name, false, "NotFound", kind + " " + name + " does not exist"
          + (ns == null ? "" : " in namespace " + ns), List.of(), List.of());
    }
    Verdict verdict = Verdict.of(resource);
    Set<String> here = new HashSet<>(path);
    here.add(kind + "/" + name);
    List<TraceNode> children = new ArrayList<>();
    for (Ref ref : references(resource.getAdditionalProperties().get("spec"))) {
      if (!here.contains(ref.kind() + "/" + ref.name())) {
        children.add(node(ref.kind(), ns, ref.name(), here));
      }
    }
    return new TraceNode(kind, name, verdict.ready(), verdict.reason(), verdict.message(), events(resource),
        children);
  }

  private TraceNode coreNode(String kind, String namespace, String name) {
    try {
      HasMetadata found = kind.equals("Secret") ? client.secrets().inNamespace(namespace).withName(name).get()
          : client.configMaps().inNamespace(namespace).withName(name).get();
      return found != null ? new TraceNode(kind, name, true, "Found", "", List.of(), List.of())
          : new TraceNode(kind, name, false, "NotFound", kind + " " + name + " does not exist in namespace "
              + namespace, List.of(), List.of());
    } catch (KubernetesClientException e) {
      return new TraceNode(kind, name, false, "Unreadable", "cannot read it with this kubeconfig: "
          + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage()), List.of(), List.of());
    }
  }

  /** The references anywhere in a spec, in the order they appear, each once. */
  private static List<Ref> references(Object spec) {
    Set<Ref> refs = new LinkedHashSet<>();
    collect(spec, refs);
    return List.copyOf(refs);
  }

  private static void collect(Object value, Set<Ref> refs) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, v) -> {
        String kind = REFERENCES.get(String.valueOf(key));
        if (kind != null) {
          for (Object one : v instanceof List<?> list ? list : List.of(v)) {
            if (one instanceof Map<?, ?> ref && ref.get("name") instanceof String name && !name.isBlank()) {
              refs.add(new Ref(kind, name));
            }
          }
        } else {
          collect(v, refs);
        }
      });
    } else if (value instanceof List<?> list) {
      list.forEach(v -> collect(v, refs));
    }
  }

  /** The AwsAccounts whose namespaceSelector selects the namespace (the API server evaluates the selector). */
  private List<String> accountsSelecting(String namespace) {
    Kinds.Kind<?> account = KindNames.byKind("AwsAccount").orElseThrow();
    List<String> names = new ArrayList<>();
    try {
      for (GenericKubernetesResource a : client.genericKubernetesResources(HasMetadata.getApiVersion(account.type()),
          account.kind()).list().getItems()) {
        Object spec = a.getAdditionalProperties().get("spec");
        Object selector = spec instanceof Map<?, ?> m ? m.get("namespaceSelector") : null;
        if (selector == null) {
          continue;
        }
        LabelSelector labels = client.getKubernetesSerialization().convertValue(selector, LabelSelector.class);
        boolean selects = client.namespaces().withLabelSelector(labels).list().getItems().stream()
            .anyMatch(n -> namespace.equals(n.getMetadata().getName()));
        if (selects) {
          names.add(a.getMetadata().getName());
        }
      }
    } catch (KubernetesClientException e) {
      // no right to list AwsAccounts or namespaces: the trace goes without
    }
    return names;
  }

  private List<TraceNode.EventLine> events(HasMetadata resource) {
    if (eventCount <= 0) {
      return List.of();
    }
    // a cluster-scoped resource's Events are in the default namespace (EventRecorder)
    String ns = resource.getMetadata().getNamespace() != null ? resource.getMetadata().getNamespace() : "default";
    try {
      List<Event> events = new ArrayList<>(client.v1().events().inNamespace(ns)
          .withField("involvedObject.uid", resource.getMetadata().getUid()).list().getItems());
      events.sort(Comparator.comparing(Tracer::when));
      return events.subList(Math.max(0, events.size() - eventCount), events.size()).stream()
          .map(e -> new TraceNode.EventLine(e.getType(), e.getReason(), age(when(e)),
              Objects.toString(e.getMessage(), "").replaceAll("\\s*\\R\\s*", " "),
              e.getCount() == null ? 1 : e.getCount()))
          .toList();
    } catch (KubernetesClientException e) {
      return List.of();
    }
  }

  private static Instant when(Event e) {
    for (String t : new String[] {e.getLastTimestamp(), e.getEventTime() == null ? null : e.getEventTime().getTime(),
        e.getFirstTimestamp(), e.getMetadata().getCreationTimestamp()}) {
      if (t != null && !t.isBlank()) {
        try {
          return Instant.parse(t);
        } catch (RuntimeException ignored) {
          // a MicroTime with an offset: try the next one
        }
      }
    }
    return Instant.EPOCH;
  }

  private String age(Instant when) {
    if (when.equals(Instant.EPOCH)) {
      return "?";
    }
    Duration d = Duration.between(when, clock.instant());
    if (d.isNegative() || d.toSeconds() < 120) {
      return Math.max(0, d.toSeconds()) + "s";
    } else if (d.toMinutes() < 120) {
      return d.toMinutes() + "m";
    } else if (d.toHours() < 48) {
      return d.toHours() + "h";
    }
    return d.toDays() + "d";
  }

  /** What a resource's conditions say, as the trace shows it. */
  record Verdict(boolean ready, String reason, String message) {
    @SuppressWarnings("unchecked")
    static Verdict of(GenericKubernetesResource resource) {
      Object status = resource.getAdditionalProperties().get("status");
      List<Map<String, Object>> conditions = status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> l
          ? (List<Map<String, Object>>) l : List.of();
      Map<String, Object> ready = find(conditions, "Ready");
      Map<String, Object> stalled = find(conditions, "Stalled");
      Map<String, Object> reconciling = find(conditions, "Reconciling");
      if (ready == null) {
        return new Verdict(false, "NoStatus", "not reconciled yet (is the operator running?)");
      }
      Map<String, Object> shown = isTrue(stalled) ? stalled : isTrue(reconciling) ? reconciling : ready;
      Long generation = resource.getMetadata().getGeneration();
      Object observed = ((Map<String, Object>) status).get("observedGeneration");
      if (isTrue(ready) && generation != null && observed instanceof Number o && o.longValue() < generation) {
        return new Verdict(false, "NotObserved", "generation " + generation + " not reconciled yet (status is of "
            + o.longValue() + ")");
      }
      return new Verdict(isTrue(ready), String.valueOf(shown.get("reason")),
          Objects.toString(shown.get("message"), "").replaceAll("\\s*\\R\\s*", " "));
    }

    private static Map<String, Object> find(List<Map<String, Object>> conditions, String type) {
      return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
    }

    private static boolean isTrue(Map<String, Object> condition) {
      return condition != null && "True".equals(condition.get("status"));
    }
  }
}
