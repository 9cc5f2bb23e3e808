package io.ecsbridge.bench;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark's resources in one namespace: N EcrRepositories, and N EcsServices each with its own
 * EcsTaskDefinition, spread over a few EcsClusters (Fargate, awsvpc, in moto's VPC). Created in parallel; informers
 * note when each is first seen Ready and which reconcile request it last handled. The same work for another
 * controller ({@link AckBench}) names its own custom resources ({@link Resources}).
 */
final class Workload implements AutoCloseable {
  static final String API = "ecsbridge.io/v1alpha1";
  static final String REPOSITORY = "EcrRepository";
  static final String CLUSTER = "EcsCluster";
  static final String TASK_DEFINITION = "EcsTaskDefinition";
  static final String SERVICE = "EcsService";
  /** Client threads creating and patching the resources (bench.applyThreads). */
  static final int THREADS = Integer.getInteger("bench.applyThreads", 8);

  /** The operator's own custom resources. */
  static final Resources ECS_BRIDGE = new Resources(API, Map.of(REPOSITORY, REPOSITORY, CLUSTER, CLUSTER,
      TASK_DEFINITION, TASK_DEFINITION, SERVICE, SERVICE));

  /**
   * Whose custom resources the items are: their apiVersion, and each item kind's resource kind (the kinds the
   * controller has; the items keep this benchmark's kind names, which its AWS call counts are sorted by).
   */
  record Resources(String apiVersion, Map<String, String> kinds) {}

  /** One resource: its kind, name and YAML. */
  record Item(String kind, String name, String yaml) {
    String key() {
      return kind + "/" + name;
    }
  }

  private final KubernetesClient k8s;
  private final String namespace;
  private final Resources resources;
  private final List<Item> items = new ArrayList<>();
  private final Map<String, Long> appliedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> readyAt = new ConcurrentHashMap<>();
  private final Map<String, String> handled = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  Workload(KubernetesClient k8s, String namespace) {
    this(k8s, namespace, ECS_BRIDGE);
  }

  Workload(KubernetesClient k8s, String namespace, Resources resources) {
    this.k8s = k8s;
    this.namespace = namespace;
    this.resources = resources;
    resources.kinds().forEach((kind, resourceKind) -> informers.add(k8s.genericKubernetesResources(
        resources.apiVersion(), resourceKind).inNamespace(namespace).inform(handler(kind))));
  }

  static String repository(int i) {
    return "bench-repo-" + i;
  }

  static String service(int i) {
    return "bench-svc-" + i;
  }

  /** The resources of N repositories and/or N services (with a task definition each) on {@code clusters} clusters. */
  static List<Item> items(int n, boolean repositories, boolean services, int clusters, Network net) {
    List<Item> items = new ArrayList<>();
    if (services) {
      for (int c = 0; c < clusters; c++) {
        items.add(new Item(CLUSTER, "bench-" + c, "spec: {tags: {bench: ecs-bridge}}"));
      }
      for (int i = 0; i < n; i++) {
        items.add(new Item(TASK_DEFINITION, service(i), "spec:\n" + TASK_DEFINITION_SPEC.indent(2)));
        items.add(new Item(SERVICE, service(i), """
            spec:
              clusterRef: {name: bench-%d}
              taskDefinitionRef: {name: %s}
              desiredCount: 1
              launchType: FARGATE
              networkConfiguration:
                awsvpcConfiguration: {subnets: [%s, %s], securityGroups: [%s]}
              deploymentConfiguration: {deploymentCircuitBreaker: {enable: true, rollback: true}}
            """.formatted(i % clusters, service(i), net.subnetA(), net.subnetB(), net.securityGroup())));
      }
    }
    if (repositories) {
      for (int i = 0; i < n; i++) {
        items.add(new Item(REPOSITORY, repository(i), """
            spec:
              imageTagMutability: MUTABLE
              imageScanningConfiguration: {scanOnPush: false}
              tags: {bench: ecs-bridge}
            """));
      }
    }
    return items;
  }

  /**
   * A task definition's spec, the same in ecs-bridge's spelling and ACK's ({@link AckBench#services}, which adds the
   * family): Fargate, awsvpc, 256 CPU units, 512 MiB, one nginx container on port 80.
   */
  static final String TASK_DEFINITION_SPEC = """
      requiresCompatibilities: [FARGATE]
      networkMode: awsvpc
      cpu: "256"
      memory: "512"
      containerDefinitions:
      - {name: app, image: "public.ecr.aws/nginx/nginx:1.27", portMappings: [{containerPort: 80}]}
      """;

  /** Moto's network for the services' awsvpc configuration. */
  record Network(String subnetA, String subnetB, String securityGroup) {}

  private ResourceEventHandler<GenericKubernetesResource> handler(String kind) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource r) {
        seen(kind, r);
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
        seen(kind, r);
      }

      @Override
      public void onDelete(GenericKubernetesResource r, boolean unknownFinalStateUnknown) {
        // the benchmark deletes nothing
      }
    };
  }

  @SuppressWarnings("unchecked")
  private void seen(String kind, GenericKubernetesResource r) {
    long now = System.nanoTime();
    String key = kind + "/" + r.getMetadata().getName();
    if (!(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return;
    }
    if (status.get("lastHandledReconcileAt") instanceof String at) {
      handled.put(key, at);
    }
    if (status.get("conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        Map<String, Object> m = (Map<String, Object>) c;
        if ("Ready".equals(m.get("type")) && "True".equals(m.get("status"))) {
          readyAt.putIfAbsent(key, now);
        }
      }
    }
  }

  /** Creates the items, {@link #THREADS} at a time; each one's apply time is noted just before its create. */
  void apply(List<Item> toApply) throws Exception {
    items.addAll(toApply);
    List<Future<?>> done = new ArrayList<>();
    for (Item item : toApply) {
      done.add(pool.submit(() -> {
        GenericKubernetesResource r = k8s.getKubernetesSerialization().unmarshal("""
            apiVersion: %s
            kind: %s
            metadata: {name: %s}
            %s""".formatted(resources.apiVersion(), kindOf(item.kind()), item.name(), item.yaml()),
            GenericKubernetesResource.class);
        appliedAt.put(item.key(), System.nanoTime());
        k8s.genericKubernetesResources(resources.apiVersion(), kindOf(item.kind())).inNamespace(namespace)
            .resource(r).create();
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
  }

  /** The controller's resource kind of an item kind. */
  private String kindOf(String kind) {
    String resourceKind = resources.kinds().get(kind);
    if (resourceKind == null) {
      throw new IllegalArgumentException(kind + " is not a kind of " + resources.apiVersion());
    }
    return resourceKind;
  }

  List<Item> items() {
    return List.copyOf(items);
  }

  int readyCount() {
    return (int) items.stream().filter(i -> readyAt.containsKey(i.key())).count();
  }

  /** Seconds from apply to first seen Ready, of the items of {@code kind} (null: all), those Ready. */
  List<Double> applyToReady(String kind) {
    List<Double> seconds = new ArrayList<>();
    for (Item i : items) {
      Long ready = readyAt.get(i.key());
      Long applied = appliedAt.get(i.key());
      if ((kind == null || kind.equals(i.kind())) && ready != null && applied != null) {
        seconds.add((ready - applied) / 1e9);
      }
    }
    return seconds;
  }

  Long readyAt(Item item) {
    return readyAt.get(item.key());
  }

  /** How many items have handled the reconcile request {@code value} (status.lastHandledReconcileAt). */
  int handledCount(String value) {
    return (int) items.stream().filter(i -> value.equals(handled.get(i.key()))).count();
  }

  /**
   * Sets the reconcile-requested-at annotation of every item to {@code value} (a merge patch each), the kinds taken
   * in turn (a repository, a task definition, a service, ...), so that every kind's resync is under way at once.
   */
  void requestReconcileOfAll(String value) throws Exception {
    String patch = "{\"metadata\":{\"annotations\":{\"" + Annotations.RECONCILE_REQUESTED_AT + "\":\"" + value
        + "\"}}}";
    Map<String, List<Item>> byKind = new java.util.LinkedHashMap<>();
    items.forEach(i -> byKind.computeIfAbsent(i.kind(), k -> new ArrayList<>()).add(i));
    List<Item> inTurn = new ArrayList<>();
    for (int at = 0; inTurn.size() < items.size(); at++) {
      for (List<Item> ofKind : byKind.values()) {
        if (at < ofKind.size()) {
          inTurn.add(ofKind.get(at));
        }
      }
    }
    List<Future<?>> done = new ArrayList<>();
    for (Item item : inTurn) {
      done.add(pool.submit(() -> patch(item.kind(), item.name(), patch)));
    }
    for (Future<?> f : done) {
      f.get();
    }
  }

  void patch(String kind, String name, String mergePatch) {
    k8s.genericKubernetesResources(resources.apiVersion(), kindOf(kind)).inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    pool.shutdownNow();
  }
}
