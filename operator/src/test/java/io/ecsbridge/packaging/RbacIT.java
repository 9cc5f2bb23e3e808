package io.ecsbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.kinds.Kinds;
import io.ecsbridge.testing.Helm;
import io.ecsbridge.testing.IamPolicy;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.Samples;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's RBAC is enough and nothing more: its ServiceAccount, roles and bindings (rendered by helm) are installed
 * into the real kube-apiserver (RBAC authorization on), and the operator runs with a client impersonating exactly that
 * ServiceAccount. It reconciles every kind (the sample of each kind of the operator's list) to Ready, deletes through
 * its finalizer, records Events and holds the leader Lease; and without any one of the rendered rules, something
 * specific breaks.
 */
class RbacIT extends OperatorIT {
  /**
   * Every kind's sample (samples/), in the order of the list of kinds: a kind after those it refers to (the sample
   * service refers to the sample cluster and task definition). Its awsvpc placeholders are filled from moto, and the
   * Auto Scaling group the sample capacity provider names is made there.
   */
  private List<String> everyKind() {
    Map<String, String> network = Samples.network(aws.ec2());
    aws.autoScalingGroup("demo-workers"); // the sample capacity provider's group
    return Kinds.ALL.stream().map(kind -> Samples.read(kind, network)).toList();
  }

  /** The first kind's sample (an EcrRepository: nothing to fill). */
  private static String firstKind() {
    return Samples.read(Kinds.ALL.get(0), Map.of());
  }

  private static final Set<String> RBAC_KINDS =
      Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
  private static final String POD = "ecs-bridge-0";

  private final List<GenericKubernetesResource> installed = new ArrayList<>();
  private KubernetesClient asServiceAccount;
  /** The chart's operator.secretReferences and the operator's ECSBRIDGE_SECRET_REFERENCES (off by default). */
  private boolean secretReferences;

  @AfterEach
  void removeRbacAndStopTheServiceAccountsOperator() {
    if (operator != null) {
      assertThat(IamPolicy.notAllowedCalls(operator.registry())).as("AWS calls outside docs/iam-policy.json")
          .isEmpty();
      operator.close();
      operator = null;
    }
    if (asServiceAccount != null) {
      asServiceAccount.close();
    }
    installed.forEach(r -> k8s.resource(r).delete());
  }

  private String release() {
    return "rb-" + namespace.substring(2);
  }

  /** The chart's RBAC documents for a release in {@code releaseNamespace}, watching {@code watch} (null: all). */
  private List<GenericKubernetesResource> rbac(String release, String releaseNamespace, String watch) {
    return rbac(release, releaseNamespace, watch, secretReferences);
  }

  /** The same, with operator.secretReferences as given. */
  private static List<GenericKubernetesResource> rbac(String release, String releaseNamespace, String watch,
      boolean secretReferences) {
    String values = "operator: {secretReferences: " + secretReferences
        + (watch == null ? "" : ", watchNamespaces: [" + watch + "]") + "}";
    return Helm.parse(Helm.template(release, releaseNamespace, values)).stream()
        .filter(d -> RBAC_KINDS.contains(d.getKind())).toList();
  }

  private void install(List<GenericKubernetesResource> docs) {
    for (GenericKubernetesResource doc : docs) {
      installed.add(0, k8s.resource(doc).create());
    }
  }

  /** Starts the operator as the chart's Deployment does, but with a client impersonating its ServiceAccount. */
  private void startAsServiceAccount(String releaseNamespace, boolean leaderElection) throws Exception {
    if (operator != null) {
      operator.close(); // the base class's operator runs as cluster admin: not this test's
      operator = null;
    }
    Config config = Config.fromKubeconfig(env.kube().kubeconfig());
    String sa = release() + "-ecs-bridge";
    config.setImpersonateUsername("system:serviceaccount:" + releaseNamespace + ":" + sa);
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + releaseNamespace,
        "system:authenticated");
    asServiceAccount = new KubernetesClientBuilder().withConfig(config).build();
    Map<String, String> s = operatorSettings(namespace);
    s.put("ECSBRIDGE_LEADER_ELECTION", String.valueOf(leaderElection));
    s.put("ECSBRIDGE_LEASE_NAME", "ecs-bridge-leader");
    s.put("ECSBRIDGE_LEASE_NAMESPACE", releaseNamespace);
    s.put("POD_NAME", POD);
    s.put("ECSBRIDGE_SECRET_REFERENCES", String.valueOf(secretReferences));
    operator = new EcsBridgeOperator(OperatorConfig.load(s), asServiceAccount, TestEnvironment.CREDENTIALS);
    operator.start();
  }

  private GenericKubernetesResource createKind(String yaml) {
    GenericKubernetesResource r = k8s.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    r.getMetadata().setNamespace(namespace);
    return k8s.resource(r).create();
  }

  private GenericKubernetesResource latest(GenericKubernetesResource r) {
    return k8s.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(namespace)
        .withName(r.getMetadata().getName()).get();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> conditions(GenericKubernetesResource r) {
    Object status = r == null ? null : r.getAdditionalProperties().get("status");
    Object conditions = status instanceof Map<?, ?> m ? m.get("conditions") : null;
    return conditions instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private static boolean ready(GenericKubernetesResource r) {
    return r != null && conditions(r).stream().anyMatch(c -> "Ready".equals(c.get("type"))
        && "True".equals(c.get("status"))
        && r.getMetadata().getGeneration().equals(((Number) c.get("observedGeneration")).longValue()));
  }

  private void reconcilesEveryKindToReadyAndDeletesIt(String releaseNamespace) {
    List<GenericKubernetesResource> created = new java.util.ArrayList<>();
    for (String yaml : everyKind()) {
      created.add(createKind(yaml));
    }
    for (GenericKubernetesResource r : created) {
      eventually().until(() -> ready(latest(r)));
      assertThat(latest(r).getMetadata().getFinalizers()).as(r.getKind() + " finalizer").isNotEmpty();
      if (clusterScoped(r)) {
        // AwsAccount creates nothing in AWS: it assumes its role; its Events go to default (cluster-scoped)
        assertThat(eventInDefault(r, "RoleAssumed")).as(r.getKind() + " RoleAssumed event").isTrue();
        continue;
      }
      // settings that always exist (put/reset lifecycle) are put (Updated) and reset, never created and deleted
      assertThat(hasEvent(r, "Created") || hasEvent(r, "Updated")).as(r.getKind() + " Created event").isTrue();
    }
    for (int i = created.size() - 1; i >= 0; i--) {
      GenericKubernetesResource r = created.get(i);
      k8s.resource(latest(r)).delete();
      eventually().until(() -> latest(r) == null);
      assertThat(clusterScoped(r) || hasEvent(r, "Deleted") || hasEvent(r, "Reset")).as(r.getKind() + " Deleted event")
          .isTrue();
    }
    readsAConfigMap();
    readsASecretOnlyWhenEnabled();
    Lease lease = k8s.leases().inNamespace(releaseNamespace).withName("ecs-bridge-leader").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(POD);
  }

  private static boolean clusterScoped(GenericKubernetesResource r) {
    return Kinds.ALL.stream().anyMatch(k -> k.kind().equals(r.getKind()) && k.clusterScoped());
  }

  private boolean eventInDefault(GenericKubernetesResource r, String reason) {
    return k8s.v1().events().inNamespace("default").list().getItems().stream()
        .anyMatch(e -> r.getMetadata().getName().equals(e.getInvolvedObject().getName())
            && r.getKind().equals(e.getInvolvedObject().getKind()) && reason.equals(e.getReason()));
  }

  /** The ConfigMaps rule is enough: a task definition whose environment reads a ConfigMap gets its value. */
  private void readsAConfigMap() {
    k8s.configMaps().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("rbac-config").endMetadata().withData(Map.of("log-level", "debug")).build())
        .create();
    GenericKubernetesResource td = createKind("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: rbac-config}
        spec:
          containerDefinitions:
          - name: app
            image: nginx
            memory: 64
            environment: [{name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: rbac-config, key: log-level}}}]
        """);
    eventually().until(() -> ready(latest(td)));
    assertThat(aws.ecs().describeTaskDefinition(r -> r.taskDefinition("rbac-config")).taskDefinition()
        .containerDefinitions().get(0).environment()).singleElement()
        .satisfies(e -> assertThat(e.name() + "=" + e.value()).isEqualTo("LOG_LEVEL=debug"));
    k8s.resource(latest(td)).delete();
    eventually().until(() -> latest(td) == null);
  }

  /**
   * With operator.secretReferences the Secrets rule is enough: a secretKeyRef's value reaches Secrets Manager.
   * Without it (the default) the operator started without reading Secrets, and such a task definition is Stalled
   * SecretReferencesDisabled with no AWS call.
   */
  private void readsASecretOnlyWhenEnabled() {
    k8s.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("rbac-secret").endMetadata().withStringData(Map.of("password", "rbac-pw"))
        .build()).create();
    GenericKubernetesResource td = createKind("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: rbac-secret}
        spec:
          containerDefinitions:
          - name: app
            image: nginx
            memory: 64
            secrets: [{name: PASSWORD, secretKeyRef: {name: rbac-secret, key: password}}]
        """);
    if (secretReferences) {
      eventually().until(() -> ready(latest(td)));
      String valueFrom = aws.ecs().describeTaskDefinition(r -> r.taskDefinition("rbac-secret")).taskDefinition()
          .containerDefinitions().get(0).secrets().get(0).valueFrom();
      String arn = valueFrom.substring(0, valueFrom.indexOf(":rbac-secret/password::"));
      assertThat(aws.secretsManager().getSecretValue(r -> r.secretId(arn)).secretString())
          .isEqualTo("{\"rbac-secret/password\":\"rbac-pw\"}");
    } else {
      eventually().until(() -> conditions(latest(td)).stream().anyMatch(c -> "Stalled".equals(c.get("type"))
          && "True".equals(c.get("status")) && "SecretReferencesDisabled".equals(c.get("reason"))));
      assertThat(conditions(latest(td))).filteredOn(c -> "Stalled".equals(c.get("type"))).singleElement()
          .satisfies(c -> assertThat((String) c.get("message")).contains("operator.secretReferences: true"));
      assertThat(aws.ecs().listTaskDefinitions(r -> r.familyPrefix("rbac-secret")).taskDefinitionArns()).isEmpty();
    }
    k8s.resource(latest(td)).delete();
    eventually().until(() -> latest(td) == null);
  }

  @Test
  void clusterWideRbacIsEnoughForEveryKind() throws Exception {
    secretReferences = true;
    List<GenericKubernetesResource> docs = rbac(release(), namespace, null);
    assertThat(docs).extracting(GenericKubernetesResource::getKind).contains("ClusterRole", "ClusterRoleBinding");
    install(docs);
    startAsServiceAccount(namespace, true);
    reconcilesEveryKindToReadyAndDeletesIt(namespace);
  }

  @Test
  void namespacedRbacIsEnoughForEveryKind() throws Exception {
    String releaseNamespace = namespace + "-sys";
    installed.add(k8s.getKubernetesSerialization().convertValue(k8s.namespaces().resource(new NamespaceBuilder()
        .withNewMetadata().withName(releaseNamespace).endMetadata().build()).create(), GenericKubernetesResource.class));
    List<GenericKubernetesResource> docs = rbac(release(), releaseNamespace, namespace);
    // cluster-wide only the cluster-scoped kinds (AwsAccount) and the Namespaces they select
    assertThat(docs).filteredOn(d -> d.getKind().startsWith("Cluster")).extracting(d -> d.getMetadata().getName())
        .containsOnly(release() + "-ecs-bridge-cluster-scoped");
    install(docs);
    startAsServiceAccount(releaseNamespace, true);
    reconcilesEveryKindToReadyAndDeletesIt(releaseNamespace);
  }

  /**
   * The leader renews its Lease every retry period (2 s) with exactly the chart's rules, and still reconciles after
   * renewals past the renew deadline (10 s): a rule that lets it acquire the Lease but not renew it loses leadership
   * at the deadline.
   */
  @Test
  void theLeaderKeepsItsLeasePastSeveralRenewalsAndStillReconciles() throws Exception {
    install(rbac(release(), namespace, null));
    startAsServiceAccount(namespace, true);
    Set<java.time.ZonedDateTime> renewals = new java.util.HashSet<>();
    org.awaitility.Awaitility.await("the Lease acquired and renewed 7 times by " + POD)
        .atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(200))
        .failFast("the Lease is held by another replica or by nobody", () -> {
          Lease lease = k8s.leases().inNamespace(namespace).withName("ecs-bridge-leader").get();
          return lease != null && !POD.equals(lease.getSpec().getHolderIdentity());
        })
        .until(() -> {
          Lease lease = k8s.leases().inNamespace(namespace).withName("ecs-bridge-leader").get();
          if (lease != null && POD.equals(lease.getSpec().getHolderIdentity())) {
            renewals.add(lease.getSpec().getRenewTime());
          }
          // acquired, then renewed 7 times: 14 s and more, past the 10 s renew deadline
          return renewals.size() >= 8;
        });
    GenericKubernetesResource r = createKind(firstKind());
    eventually().until(() -> ready(latest(r)));
    assertThat(k8s.leases().inNamespace(namespace).withName("ecs-bridge-leader").get().getSpec()
        .getHolderIdentity()).isEqualTo(POD);
  }

  /** What breaks without a rule, recognised by what the rule grants. */
  enum Breakage {
    INFORMERS_FORBIDDEN, FINALIZER_FORBIDDEN, STATUS_FORBIDDEN, NO_EVENTS, NO_LEADERSHIP;

    @SuppressWarnings("unchecked")
    static Breakage of(Map<String, Object> rule) {
      List<String> resources = (List<String>) rule.get("resources");
      List<String> verbs = (List<String>) rule.get("verbs");
      if (resources.contains("leases")) {
        return NO_LEADERSHIP;
      }
      if (resources.contains("events")) {
        return NO_EVENTS;
      }
      if (resources.stream().allMatch(r -> r.endsWith("/status"))) {
        return STATUS_FORBIDDEN;
      }
      if (verbs.contains("watch")) {
        return INFORMERS_FORBIDDEN;
      }
      if (verbs.equals(List.of("patch"))) {
        return FINALIZER_FORBIDDEN;
      }
      throw new AssertionError("a rule this test does not know: prove it is needed, or drop it: " + rule);
    }
  }

  /** JOSDK's count of failed reconciliations (operator_sdk_reconciliations_failed_total). */
  private double failedReconciliations() {
    return operator.registry().getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.failed"))
        .filter(m -> m instanceof io.micrometer.core.instrument.Counter)
        .mapToDouble(m -> ((io.micrometer.core.instrument.Counter) m).count()).sum();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules(GenericKubernetesResource role) {
    return (List<Map<String, Object>>) role.getAdditionalProperties().get("rules");
  }

  /** Every rule of every rendered role (ClusterRole, leader-election Role). */
  static Stream<Arguments> everyRule() {
    return rbac("probe", "probe", null, false).stream().filter(d -> d.getKind().endsWith("Role")).flatMap(role ->
        IntStream.range(0, rules(role).size()).mapToObj(i -> Arguments.of(role.getKind(),
            role.getMetadata().getName().replace("probe-ecs-bridge", "<release>"), i,
            Breakage.of(rules(role).get(i)), rules(role).get(i).toString())));
  }

  @ParameterizedTest(name = "{0} {1} rule {2} ({4}) removed: {3}")
  @MethodSource("everyRule")
  void withoutAnyOneRuleSomethingBreaks(String kind, String role, int index, Breakage breakage, String rule)
      throws Exception {
    List<GenericKubernetesResource> docs = rbac(release(), namespace, null);
    GenericKubernetesResource target = docs.stream().filter(d -> d.getKind().equals(kind)
        && d.getMetadata().getName().equals(role.replace("<release>", release() + "-ecs-bridge"))).findFirst()
        .orElseThrow();
    List<Map<String, Object>> rules = new ArrayList<>(rules(target));
    rules.remove(index);
    target.getAdditionalProperties().put("rules", rules);
    install(docs);
    // The Lease rules are tested with leader election, the others without: a failing informer then fails start()
    if (breakage == Breakage.INFORMERS_FORBIDDEN) {
      assertThatThrownBy(() -> startAsServiceAccount(namespace, false)).hasStackTraceContaining("forbidden");
      return;
    }
    if (breakage == Breakage.NO_LEADERSHIP) {
      // JOSDK checks the Lease permissions (SelfSubjectAccessReview) before it campaigns
      assertThatThrownBy(() -> startAsServiceAccount(namespace, true))
          .hasStackTraceContaining("No permission to lease resource")
          .hasStackTraceContaining(rule.contains("create") ? "[create]" : "get");
      return;
    }
    startAsServiceAccount(namespace, false);
    GenericKubernetesResource r = createKind(firstKind());
    switch (breakage) {
      case FINALIZER_FORBIDDEN -> {
        // JOSDK adds the finalizer (a patch) before it calls the reconciler: that fails, and is retried
        eventually().until(() -> failedReconciliations() > 0);
        assertThat(latest(r).getMetadata().getFinalizers()).isNullOrEmpty();
        assertThat(latest(r).getAdditionalProperties().get("status")).isNull();
        assertThat(awsCalls(null, null)).as("nothing reaches AWS").isZero();
      }
      case STATUS_FORBIDDEN -> {
        eventually().until(() -> events(r).stream().anyMatch(e -> "ReconcileError".equals(e.getReason())
            && e.getMessage().contains("forbidden") && e.getMessage().contains("status")));
        assertThat(latest(r).getAdditionalProperties().get("status")).isNull();
      }
      case NO_EVENTS -> {
        eventually().until(() -> ready(latest(r)));
        assertThat(events(r)).as("Events recorded without the events rule").isEmpty();
      }
      default -> throw new AssertionError(breakage);
    }
  }
}
