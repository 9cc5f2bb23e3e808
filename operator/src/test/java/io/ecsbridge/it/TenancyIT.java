package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCapacityProvider;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.contract.AwsResourceReconciler;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.Helm;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * A namespace is a tenant: one operator watches two namespaces, and no custom resource of one takes over, changes,
 * deletes or reaches through a raw name the AWS resources another namespace's custom resources own. What every kind
 * does with another namespace's AWS resources under each policy is in {@link KindContractIT}; here: the
 * ECSBRIDGE_ALLOW_CROSS_NAMESPACE setting, the owner look-up under the chart's RBAC, and raw names. Both sides
 * checked: the custom resources' status and Events, and AWS (moto).
 */
class TenancyIT extends OperatorIT {

  /** The second tenant. The test's own {@code namespace} is the first. */
  private String teamB;

  @BeforeEach
  void twoTenants() throws Exception {
    teamB = newNamespace();
    startOperator(s -> {});
  }

  @Override
  protected void startOperator(java.util.function.Consumer<Map<String, String>> tweak) throws Exception {
    super.startOperator(s -> {
      s.put("ECSBRIDGE_WATCH_NAMESPACES", namespace + (teamB == null ? "" : "," + teamB));
      tweak.accept(s);
    });
  }

  static Stream<String> kinds() {
    return KindFixture.KINDS.stream();
  }

  private static Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type(String kind) {
    return switch (kind) {
      case "EcrRepository" -> EcrRepository.class;
      case "EcsCluster" -> EcsCluster.class;
      case "EcsTaskDefinition" -> EcsTaskDefinition.class;
      case "EcsService" -> EcsService.class;
      case "EcsCapacityProvider" -> EcsCapacityProvider.class;
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private <T extends CustomResource<?, ? extends AwsResourceStatus>> T createIn(String ns, Class<T> type,
      String name, String spec) {
    T resource = resource(type, name, spec);
    resource.getMetadata().setNamespace(ns);
    return create(resource);
  }

  private String stalledMessage(Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type, String ns,
      String name) {
    return condition(get(type, ns, name), Conditions.STALLED).orElseThrow().getMessage();
  }

  /** Waits until the resource is Stalled for {@code reason} at its current generation; says what it is if not. */
  private void awaitStalled(Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type, String ns,
      String name, String reason) {
    eventually().untilAsserted(() -> {
      var r = get(type, ns, name);
      assertThat(health(r)).as(type.getSimpleName() + " " + ns + "/" + name)
          .isEqualTo("Stalled " + reason + " at generation " + r.getMetadata().getGeneration());
    });
  }

  /** The resource's verdict in one line: "Stalled <reason> at generation <n>", or its Ready condition. */
  private static String health(CustomResource<?, ? extends AwsResourceStatus> r) {
    if (r == null || r.getStatus() == null) {
      return "no status";
    }
    if (isTrue(r, Conditions.STALLED)) {
      return "Stalled " + reason(r, Conditions.STALLED) + " at generation " + r.getStatus().getObservedGeneration();
    }
    var ready = condition(r, Conditions.READY);
    return "Ready=" + ready.map(c -> c.getStatus() + " " + c.getReason() + " (" + c.getMessage() + ")").orElse("?")
        + " at generation " + r.getStatus().getObservedGeneration();
  }

  private void deleteAndWait(Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type, String ns,
      String name) {
    k8s.resources(type).inNamespace(ns).withName(name).delete();
    eventually().until(() -> get(type, ns, name) == null);
  }

  private List<Event> warnings(Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type, String ns,
      String name, String reason) {
    return k8s.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())
            && reason.equals(e.getReason()))
        .toList();
  }

  /**
   * Another namespace's orphan (tagged by a custom resource of the first namespace that no longer exists) is refused
   * with Adopt, and adopted once the operator allows it (ECSBRIDGE_ALLOW_CROSS_NAMESPACE). Without the setting, every
   * cell of the policy matrix is in KindContractIT.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anotherNamespacesOrphanIsAdoptedOnlyWhenTheOperatorAllows(String kindName) throws Exception {
    KindFixture kind = KindFixture.of(kindName, aws);
    var type = type(kindName);
    kind.prepare();
    String awsName = "shop-web";
    kind.createInAws(awsName, OWNER_INSTANCE + "/" + namespace + "/shop");
    String orphan = kind.state(awsName);
    double writes = awsWrites();

    createIn(teamB, type, "web", kind.spec(awsName) + "managementPolicy: Adopt\n");
    awaitStalled(type, teamB, "web", "OwnedByAnotherNamespace");
    assertThat(stalledMessage(type, teamB, "web")).contains(namespace + "/shop", "no longer exists",
        "ECSBRIDGE_ALLOW_CROSS_NAMESPACE");
    eventually().until(() -> !warnings(type, teamB, "web", "OwnedByAnotherNamespace").isEmpty());
    assertThat(awsWrites()).as("AWS writes").isEqualTo(writes);
    assertThat(kind.state(awsName)).isEqualTo(orphan);

    // the operator allows it: team-b's resource adopts it once looked at again
    startOperator(s -> s.put("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "true"));
    annotate(get(type, teamB, "web"), io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT, "now");
    var adopted = awaitReady(type, teamB, "web");
    assertThat(kind.ownerTag(awsName)).isEqualTo(OWNER_INSTANCE + "/" + teamB + "/web");
    assertThat(kind.state(awsName)).as("the orphan, now as team-b's spec says").isNotEqualTo(orphan);
    assertThat(events(adopted)).anyMatch(e -> "Adopted".equals(e.getReason())
        && e.getMessage().contains(namespace + "/shop, which no longer exists"));
  }

  // ---- the owner look-up under the chart's RBAC --------------------------------------------------------------------

  private final List<GenericKubernetesResource> installed = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();

  @AfterEach
  void removeRbac() {
    if (operator != null && !clients.isEmpty()) {
      operator.close();
      operator = null;
    }
    clients.forEach(KubernetesClient::close);
    installed.forEach(r -> k8s.resource(r).delete());
  }

  /**
   * Starts the operator watching team-b with cross-namespace adoption allowed, as the chart's ServiceAccount with
   * exactly the RBAC the chart renders for {@code watchNamespaces} (null: all namespaces, a ClusterRole).
   */
  private void startAsChartServiceAccount(String release, String watchNamespaces) throws Exception {
    String values = watchNamespaces == null ? "operator: {leaderElection: {enabled: false}}"
        : "operator: {leaderElection: {enabled: false}, watchNamespaces: [" + watchNamespaces + "]}";
    for (GenericKubernetesResource doc : Helm.parse(Helm.template(release, teamB, values))) {
      if (Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
          .contains(doc.getKind())) {
        installed.add(0, k8s.resource(doc).create());
      }
    }
    Config config = Config.fromKubeconfig(env.kube().kubeconfig());
    config.setImpersonateUsername("system:serviceaccount:" + teamB + ":" + release + "-ecs-bridge");
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + teamB, "system:authenticated");
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    clients.add(client);
    if (operator != null) {
      operator.close();
    }
    Map<String, String> s = operatorSettings(teamB);
    s.put("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "true");
    operator = new EcsBridgeOperator(OperatorConfig.load(s), client, TestEnvironment.CREDENTIALS).start();
  }

  /**
   * The look-up of an owner in another namespace works with the chart's cluster-wide RBAC (the default); with
   * namespaced RBAC (operator.watchNamespaces) it is forbidden, and the owner then counts as existing.
   */
  @Test
  void theOwnerLookUpWorksWithTheChartsRbacAndAForbiddenOneCountsAsExisting() throws Exception {
    // an orphan: tagged by a custom resource of the test's namespace that does not exist
    aws.ecr().createRepository(r -> r.repositoryName("orphan").tags(software.amazon.awssdk.services.ecr.model.Tag
        .builder().key(Ownership.TAG).value(OWNER_INSTANCE + "/" + namespace + "/shop").build()));

    startAsChartServiceAccount("ns-" + teamB.substring(2), teamB);
    createIn(teamB, EcrRepository.class, "web", "repositoryName: orphan\nmanagementPolicy: Adopt\n");
    awaitStalled(EcrRepository.class, teamB, "web", "OwnedByAnother");
    assertThat(stalledMessage(EcrRepository.class, teamB, "web")).contains(
        "could not be checked (the operator may not read EcrRepository " + namespace + "/shop)",
        "treated as existing");
    assertThat(KindFixture.of("EcrRepository", aws).ownerTag("orphan")).isEqualTo(OWNER_INSTANCE + "/" + namespace + "/shop");

    startAsChartServiceAccount("cw-" + teamB.substring(2), null);
    annotate(get(EcrRepository.class, teamB, "web"), io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT, "now");
    var adopted = awaitReady(EcrRepository.class, teamB, "web");
    assertThat(KindFixture.of("EcrRepository", aws).ownerTag("orphan")).isEqualTo(OWNER_INSTANCE + "/" + teamB + "/web");
    assertThat(events(adopted)).anyMatch(e -> "Adopted".equals(e.getReason())
        && e.getMessage().contains(namespace + "/shop, which no longer exists"));
  }

  // ---- raw names (issue 7, defect 2) -----------------------------------------------------------------------------

  private void clusterAndFamilyOwnedByTeamB() {
    createIn(teamB, EcsCluster.class, "x", "clusterName: x\n");
    createIn(teamB, EcsTaskDefinition.class, "x", "family: x\ncontainerDefinitions:\n"
        + "- {name: app, image: \"nginx:1\", memory: 128}\n");
    awaitReady(EcsCluster.class, teamB, "x");
    awaitReady(EcsTaskDefinition.class, teamB, "x");
  }

  private List<Service> servicesIn(String cluster) {
    List<String> arns = aws.ecs().listServices(r -> r.cluster(cluster)).serviceArns();
    return arns.isEmpty() ? List.of() : aws.ecs().describeServices(r -> r.cluster(cluster).services(arns)).services()
        .stream().filter(s -> "ACTIVE".equals(s.status())).toList();
  }

  @Test
  void rawNamesNeverReachAnotherNamespacesClusterOrTaskDefinition() throws Exception {
    clusterAndFamilyOwnedByTeamB();
    // team-b also runs a service "web" in its cluster
    createIn(teamB, EcsService.class, "web", "clusterRef: {name: x}\ntaskDefinitionRef: {name: x}\n"
        + "desiredCount: 2\nlaunchType: EC2\n");
    awaitReady(EcsService.class, teamB, "web");

    // namespace A names them raw: refused, nothing created, team-b's service untouched
    createIn(namespace, EcsService.class, "web", "cluster: x\ntaskDefinition: x\ndesiredCount: 1\nlaunchType: EC2\n");
    awaitStalled(EcsService.class, namespace, "web", "OwnedByAnotherNamespace");
    assertThat(stalledMessage(EcsService.class, namespace, "web")).contains("ECS cluster x",
        "EcsCluster " + teamB + "/x");
    eventually().until(() -> !warnings(EcsService.class, namespace, "web", "OwnedByAnotherNamespace").isEmpty());
    createIn(namespace, EcsService.class, "api", "cluster: x\ntaskDefinition: x\ndesiredCount: 1\nlaunchType: EC2\n");
    awaitStalled(EcsService.class, namespace, "api", "OwnedByAnotherNamespace");
    assertThat(awsCalls("ecs", "CreateService")).as("CreateService calls").isEqualTo(1.0); // team-b's own
    assertThat(awsCalls("ecs", "UpdateService")).as("UpdateService calls").isZero();
    assertThat(servicesIn("x")).extracting(Service::serviceName).containsExactly("web");

    // a raw cluster nobody here owns, with team-b's task definition: still refused
    aws.ecs().createCluster(r -> r.clusterName("plain"));
    createIn(namespace, EcsService.class, "td-only", "cluster: plain\ntaskDefinition: x:1\ndesiredCount: 1\n"
        + "launchType: EC2\n");
    awaitStalled(EcsService.class, namespace, "td-only", "OwnedByAnotherNamespace");
    assertThat(stalledMessage(EcsService.class, namespace, "td-only")).contains("Task definition x:1",
        "EcsTaskDefinition " + teamB + "/x");
    assertThat(servicesIn("plain")).isEmpty();

    // deleting A's refused service leaves team-b's service of the same name alone
    deleteAndWait(EcsService.class, namespace, "web");
    assertThat(servicesIn("x")).singleElement().satisfies(s -> {
      assertThat(s.serviceName()).isEqualTo("web");
      assertThat(s.desiredCount()).isEqualTo(2);
    });
    assertThat(awsCalls("ecs", "DeleteService")).isZero();

    // the operator allows it: A's service runs in team-b's cluster once looked at again
    startOperator(s -> s.put("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "true"));
    annotate(get(EcsService.class, namespace, "api"), io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT, "now");
    EcsService api = awaitReady(EcsService.class, namespace, "api");
    assertThat(api.getStatus().taskDefinition).endsWith("task-definition/x:1");
    assertThat(servicesIn("x")).extracting(Service::serviceName).containsExactlyInAnyOrder("web", "api");
  }

  @Test
  void rawNamesOfUnmanagedOrSameNamespaceResourcesRunAndCountTheirReads() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    aws.ecs().createCluster(r -> r.clusterName("plain"));
    String plainApp = aws.ecs().registerTaskDefinition(r -> r.family("plain-app")
        .containerDefinitions(c -> c.name("app").image("nginx:1").memory(128))).taskDefinition().taskDefinitionArn();
    createIn(namespace, EcsService.class, "family", "cluster: plain\ntaskDefinition: plain-app\ndesiredCount: 1\n"
        + "launchType: EC2\n");
    createIn(namespace, EcsService.class, "arn", "cluster: plain\ntaskDefinition: %s\ndesiredCount: 1\n"
        .formatted(plainApp) + "launchType: EC2\n");
    assertThat(awaitReady(EcsService.class, namespace, "family").getStatus().taskDefinition).isEqualTo(plainApp);
    awaitReady(EcsService.class, namespace, "arn");

    // AWS calls per in-sync resync (both services resync every second; nothing else runs)
    // passes counted by JOSDK (a pass may take its service's description from a batched read: BatchedReads)
    double writes = awsWrites();
    Map<String, Double> before = ecsReads();
    double passesBefore = passes("EcsService");
    eventually().until(() -> passes("EcsService") >= passesBefore + 10);
    Map<String, Double> after = ecsReads();
    double passes = passes("EcsService") - passesBefore;
    Map<String, Double> perPass = new TreeMap<>();
    after.forEach((op, n) -> perPass.put(op, (n - before.get(op)) / passes));
    System.out.printf("AWS calls per in-sync pass of an EcsService with raw names, averaged over one with a bare "
        + "family and one with an ARN: %s over %.0f passes%n", perPass, passes);
    assertThat(awsWrites()).as("writes during in-sync resyncs").isEqualTo(writes);
    // the raw cluster's tags: read once for the passes of 30 s (a resync pass takes the tags any pass read within
    // BatchingClusterGateway.TAGS_WINDOW: DESIGN.md "Batched reads"), not once a pass (before: 1.7 per DescribeServices);
    // a DescribeTaskDefinition only for the bare family (resolved on every pass anyway: it now brings the tags), none
    // for the ARN (checked once, remembered)
    assertThat(perPass.get("DescribeClusters")).isLessThanOrEqualTo(0.3);
    assertThat(perPass.get("DescribeTaskDefinition")).isBetween(0.3, 0.7);

    // owned in this namespace: raw names are fine
    createIn(namespace, EcsCluster.class, "mine", "clusterName: mine\n");
    createIn(namespace, EcsTaskDefinition.class, "mine", "family: mine\ncontainerDefinitions:\n"
        + "- {name: app, image: \"nginx:1\", memory: 128}\n");
    awaitReady(EcsCluster.class, namespace, "mine");
    awaitReady(EcsTaskDefinition.class, namespace, "mine");
    createIn(namespace, EcsService.class, "own", "cluster: mine\ntaskDefinition: mine:1\ndesiredCount: 1\n"
        + "launchType: EC2\n");
    awaitReady(EcsService.class, namespace, "own");
  }


  private Map<String, Double> ecsReads() {
    Map<String, Double> reads = new TreeMap<>();
    for (String op : List.of("DescribeServices", "DescribeClusters", "DescribeTaskDefinition")) {
      reads.put(op, awsCalls("ecs", op));
    }
    return reads;
  }
}
