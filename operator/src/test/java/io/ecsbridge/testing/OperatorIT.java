package io.ecsbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the integration tests: each test gets its own namespace, an empty moto, and an operator watching only that
 * namespace, running in this JVM against the real API server (so tests can read its metrics).
 */
public abstract class OperatorIT {
  protected static final String OWNER_INSTANCE = "it";

  protected final TestEnvironment env = TestEnvironment.get();
  protected final KubernetesClient k8s = env.kube().client();
  protected final AwsTestClients aws = new AwsTestClients(env.moto().endpoint());
  protected String namespace;
  protected EcsBridgeOperator operator;

  @BeforeEach
  void setUpNamespaceAndOperator() throws Exception {
    env.moto().reset();
    namespace = newNamespace();
    startOperator(settings -> {});
  }

  /** Another namespace of this test (a second tenant); the operator watches it once started with it. */
  protected String newNamespace() {
    String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      assertAwsCallsAllowedByIamPolicy();
      operator.close();
      operator = null;
    }
  }

  /** Every AWS operation the operator called must be allowed by docs/iam-policy.json (the role it runs with). */
  private void assertAwsCallsAllowedByIamPolicy() {
    java.util.Set<String> missing = IamPolicy.notAllowedCalls(operator.registry());
    if (!missing.isEmpty()) {
      operator.close();
      operator = null;
      throw new AssertionError("AWS operations called but not allowed by docs/iam-policy.json: " + missing);
    }
  }

  /**
   * The settings (env-style) every operator a test starts begins with: moto as AWS, the test's instance id, HTTP on
   * a free loopback port, a generous rate limit, watching {@code namespaces} (comma-separated).
   */
  protected Map<String, String> operatorSettings(String namespaces) {
    Map<String, String> settings = new HashMap<>();
    settings.put("AWS_REGION", TestEnvironment.REGION);
    settings.put("AWS_ENDPOINT_URL", env.moto().endpoint().toString());
    settings.put("ECSBRIDGE_WATCH_NAMESPACES", namespaces);
    settings.put("ECSBRIDGE_INSTANCE_ID", OWNER_INSTANCE);
    settings.put("ECSBRIDGE_HTTP_PORT", "0");
    settings.put("ECSBRIDGE_HTTP_ADDRESS", "127.0.0.1");
    settings.put("ECSBRIDGE_AWS_RATE_LIMIT", "500");
    settings.put("ECSBRIDGE_RESYNC_PERIOD", "10m");
    return settings;
  }

  /** (Re)starts the operator with the test defaults, adjusted by {@code tweak} (env-style settings). */
  protected void startOperator(Consumer<Map<String, String>> tweak) throws Exception {
    stopOperator();
    Map<String, String> settings = operatorSettings(namespace);
    tweak.accept(settings);
    operator = new EcsBridgeOperator(OperatorConfig.load(settings), k8s, TestEnvironment.CREDENTIALS).start();
  }

  protected ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100));
  }

  /** A custom resource of our group as a user writes it: {@code kind} from the class, the spec as YAML. */
  protected <T extends HasMetadata> T resource(Class<T> type, String name, String specYaml) {
    return k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: %s
        metadata:
          name: %s
        spec:
        %s
        """.formatted(type.getSimpleName(), name, specYaml.indent(2)), type);
  }

  /** Waits until the resource is Ready at its current generation, and returns it. */
  protected <T extends CustomResource<?, ? extends AwsResourceStatus>> T awaitReady(Class<T> type, String name) {
    return awaitReady(type, namespace, name);
  }

  protected <T extends CustomResource<?, ? extends AwsResourceStatus>> T awaitReady(Class<T> type, String ns,
      String name) {
    eventually().until(() -> isReady(get(type, ns, name)));
    return get(type, ns, name);
  }

  /** Creates the resource in its namespace, by default the test's. */
  protected <T extends HasMetadata> T create(T resource) {
    if (resource.getMetadata().getNamespace() == null) {
      resource.getMetadata().setNamespace(namespace);
    }
    return k8s.resource(resource).create();
  }

  @SuppressWarnings("unchecked")
  protected <T extends HasMetadata> T get(T resource) {
    return (T) k8s.resources(resource.getClass()).inNamespace(namespaceOf(resource))
        .withName(resource.getMetadata().getName()).get();
  }

  protected <T extends HasMetadata> T get(Class<T> type, String name) {
    return get(type, namespace, name);
  }

  protected <T extends HasMetadata> T get(Class<T> type, String ns, String name) {
    return k8s.resources(type).inNamespace(ns).withName(name).get();
  }

  protected static Optional<Condition> condition(CustomResource<?, ? extends AwsResourceStatus> resource,
      String type) {
    return resource == null || resource.getStatus() == null ? Optional.empty()
        : Conditions.find(resource.getStatus().getConditions(), type);
  }

  protected static boolean isTrue(CustomResource<?, ? extends AwsResourceStatus> resource, String type) {
    return condition(resource, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Ready=True at the current generation. */
  protected static boolean isReady(CustomResource<?, ? extends AwsResourceStatus> resource) {
    return resource != null && resource.getStatus() != null && isTrue(resource, Conditions.READY)
        && resource.getMetadata().getGeneration().equals(resource.getStatus().getObservedGeneration());
  }

  protected static String reason(CustomResource<?, ? extends AwsResourceStatus> resource, String type) {
    return condition(resource, type).map(Condition::getReason).orElse(null);
  }

  protected List<Event> events(HasMetadata resource) {
    return k8s.v1().events().inNamespace(namespaceOf(resource)).list().getItems().stream()
        .filter(e -> resource.getMetadata().getName().equals(e.getInvolvedObject().getName())
            && resource.getKind().equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  protected boolean hasEvent(HasMetadata resource, String reason) {
    return events(resource).stream().anyMatch(e -> reason.equals(e.getReason()));
  }

  /** AWS calls the operator made (service as the SDK names it, e.g. "ECR"; null = any). */
  protected double awsCalls(String service, String operation) {
    return AwsCallMeter.count(operator.registry(), service, operation, null);
  }

  /**
   * JOSDK's count of a kind's passes that ended well (operator_sdk_reconciliations_success_total, e.g. "EcsService"):
   * a pass that took a description read ahead or from a batch counts as one too, so tests count passes by it rather
   * than by describe calls.
   */
  protected double passes(String kind) {
    return operator.registry().getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.success"))
        .filter(m -> kind.equals(m.getId().getTag("kind")))
        .filter(m -> m instanceof io.micrometer.core.instrument.Counter)
        .mapToDouble(m -> ((io.micrometer.core.instrument.Counter) m).count()).sum();
  }

  /**
   * EcsCluster prod, the EcsTaskDefinition web of {@code taskDefinitionSpec} and an EcsService web on its
   * taskDefinitionRef, once the service is Ready: the revision it runs.
   */
  protected String serviceOnTaskDefinitionWeb(String taskDefinitionSpec) {
    create(resource(EcsCluster.class, "prod", "{}"));
    create(resource(EcsTaskDefinition.class, "web", taskDefinitionSpec));
    create(resource(EcsService.class, "web", """
        clusterRef: {name: prod}
        taskDefinitionRef: {name: web}
        desiredCount: 1
        launchType: EC2
        """));
    EcsService ready = awaitReady(EcsService.class, "web");
    String first = get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn;
    assertThat(ready.getStatus().taskDefinition).isEqualTo(first);
    return first;
  }

  /** What a rollout of a changed input did: the revisions before and after, and UpdateService calls before it. */
  protected record Rollout(String first, String second, double updatesBefore) {}

  /**
   * Makes {@code change} to an input of the task definition web that the service web runs ({@code first}), waits for
   * the UpdateService and prints the time it took ("{@code what} update -> UpdateService"), under 2 s; then checks
   * that exactly one new revision was registered and that the service is Ready on it.
   */
  protected Rollout rollsOut(String what, String first, Runnable change) {
    double updates = awsCalls("ecs", "UpdateService");
    double registers = awsCalls("ecs", "RegisterTaskDefinition");
    long t0 = System.nanoTime();
    change.run();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> awsCalls("ecs", "UpdateService") > updates);
    long latencyMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("%s update -> UpdateService: %d ms (polled every 10 ms)%n", what, latencyMs);
    assertThat(latencyMs).as(what + " change to UpdateService latency")
        .isLessThan(2000);
    String second = get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn;
    assertThat(second).isNotEqualTo(first);
    eventually().until(() -> {
      EcsService s = get(EcsService.class, "web");
      return isReady(s) && second.equals(s.getStatus().taskDefinition);
    });
    assertThat(awsCalls("ecs", "RegisterTaskDefinition")).as("one new revision")
        .isEqualTo(registers + 1);
    return new Rollout(first, second, updates);
  }

  /**
   * AWS write calls (anything but Describe/List/Get) the operator made, but a create AWS answered that the resource
   * exists (outcome {@code exists}: a new repository is created before it is read; that answer changed nothing).
   */
  protected double awsWrites() {
    return operator.registry().find(AwsCallMeter.CALLS).counters().stream()
        .filter(c -> {
          String op = c.getId().getTag("operation");
          return op != null && !op.startsWith("Describe") && !op.startsWith("List") && !op.startsWith("Get")
              && !"exists".equals(c.getId().getTag("outcome"));
        })
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  /**
   * Edits the latest version of a resource as a user would (kubectl edit): read, change, write, retried on a
   * conflict with the operator's concurrent status writes.
   */
  @SuppressWarnings("unchecked")
  protected <T extends HasMetadata> T edit(T resource, java.util.function.UnaryOperator<T> change) {
    String ns = namespaceOf(resource);
    var op = k8s.resources((Class<T>) resource.getClass()).inNamespace(ns)
        .withName(resource.getMetadata().getName());
    for (int attempt = 1; ; attempt++) {
      try {
        T latest = op.get();
        return k8s.resource(change.apply(latest)).inNamespace(ns).update();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  private String namespaceOf(HasMetadata resource) {
    String ns = resource.getMetadata().getNamespace();
    return ns == null ? namespace : ns;
  }

  protected void annotate(HasMetadata resource, String key, String value) {
    edit(resource, r -> {
      if (r.getMetadata().getAnnotations() == null) {
        r.getMetadata().setAnnotations(new java.util.HashMap<>());
      }
      r.getMetadata().getAnnotations().put(key, value);
      return r;
    });
  }
}
