package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.reconciler.AwsResourceReconciler;
import io.ecsbridge.reconciler.Ownership;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * A namespace is a tenant: one operator watches two namespaces, and no custom resource of one takes over, changes,
 * deletes or reaches through a raw name the AWS resources another namespace's custom resources own. The same contract
 * for every kind ({@link Kind}), both sides checked: the custom resources' status and Events, and AWS (moto).
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

  /**
   * One kind as the contract needs it: a spec naming the AWS resource {@code awsName}, and AWS's state of it read
   * back from moto (everything a takeover would change).
   */
  interface Kind {
    Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type();

    /** Makes in moto what every spec of this kind needs (nothing, or a cluster and task definition nobody owns). */
    default void prepare(OperatorIT test) {}

    /** A spec for the AWS resource {@code awsName}; {@code variant} 0 or 1 gives two different desired states. */
    String spec(String awsName, int variant);

    /** AWS's state of the resource (null when it does not exist), as a string to compare. */
    String state(String awsName);

    /** The owner tag it carries in AWS. */
    String ownerTag(String awsName);
  }

  static Stream<String> kinds() {
    return Stream.of("EcrRepository", "EcsCluster", "EcsTaskDefinition", "EcsService");
  }

  private Kind kind(String name) {
    return switch (name) {
      case "EcrRepository" -> new Kind() {
        public Class<EcrRepository> type() {
          return EcrRepository.class;
        }

        public String spec(String awsName, int variant) {
          return variant == 0 ? """
              repositoryName: %s
              imageTagMutability: IMMUTABLE
              lifecyclePolicy:
                rules:
                - rulePriority: 1
                  description: keep ten releases
                  selection: {tagStatus: tagged, tagPrefixList: [v], countType: imageCountMoreThan, countNumber: 10}
              tags: {team: demo}
              """.formatted(awsName) : """
              repositoryName: %s
              imageTagMutability: MUTABLE
              lifecyclePolicy:
                rules:
                - rulePriority: 1
                  selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 1}
              tags: {team: b}
              """.formatted(awsName);
        }

        public String state(String awsName) {
          try {
            var repo = aws.ecr().describeRepositories(r -> r.repositoryNames(awsName)).repositories().get(0);
            String lifecycle;
            try {
              lifecycle = aws.ecr().getLifecyclePolicy(r -> r.repositoryName(awsName)).lifecyclePolicyText();
            } catch (software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException e) {
              lifecycle = null;
            }
            return repo.imageTagMutabilityAsString() + " " + lifecycle + " " + ecrTags(repo.repositoryArn());
          } catch (RepositoryNotFoundException e) {
            return null;
          }
        }

        public String ownerTag(String awsName) {
          var repo = aws.ecr().describeRepositories(r -> r.repositoryNames(awsName)).repositories().get(0);
          return ecrTags(repo.repositoryArn()).get(Ownership.TAG);
        }
      };
      case "EcsCluster" -> new Kind() {
        public Class<EcsCluster> type() {
          return EcsCluster.class;
        }

        public String spec(String awsName, int variant) {
          return variant == 0 ? "clusterName: %s\ntags: {team: demo}\n".formatted(awsName)
              : "clusterName: %s\nsettings: [{name: containerInsights, value: enabled}]\ntags: {team: b}\n"
                  .formatted(awsName);
        }

        public String state(String awsName) {
          return aws.ecs().describeClusters(r -> r.clusters(awsName).include(ClusterField.TAGS, ClusterField.SETTINGS))
              .clusters().stream().filter(c -> "ACTIVE".equals(c.status()))
              .map(c -> c.settings() + " " + new TreeMap<>(c.tags().stream().collect(Collectors.toMap(
                  t -> t.key(), t -> t.value())))).findFirst().orElse(null);
        }

        public String ownerTag(String awsName) {
          return aws.ecs().describeClusters(r -> r.clusters(awsName).include(ClusterField.TAGS)).clusters().get(0)
              .tags().stream().filter(t -> t.key().equals(Ownership.TAG)).map(t -> t.value()).findFirst()
              .orElse(null);
        }
      };
      case "EcsTaskDefinition" -> new Kind() {
        public Class<EcsTaskDefinition> type() {
          return EcsTaskDefinition.class;
        }

        public String spec(String awsName, int variant) {
          return """
              family: %s
              containerDefinitions:
              - {name: app, image: "%s", memory: 128}
              tags: {team: %s}
              """.formatted(awsName, variant == 0 ? "nginx:1" : "evil:1", variant == 0 ? "demo" : "b");
        }

        public String state(String awsName) {
          List<String> active = aws.ecs().listTaskDefinitions(r -> r.familyPrefix(awsName)
              .status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns();
          return active.isEmpty() ? null : active.stream().map(arn -> arn.substring(arn.lastIndexOf('/') + 1)
              + "=" + ecsTags(arn)).toList().toString();
        }

        public String ownerTag(String awsName) {
          return aws.ecs().describeTaskDefinition(r -> r.taskDefinition(awsName).include(TaskDefinitionField.TAGS))
              .tags().stream().filter(t -> t.key().equals(Ownership.TAG)).map(t -> t.value()).findFirst()
              .orElse(null);
        }
      };
      case "EcsService" -> new Kind() {
        public Class<EcsService> type() {
          return EcsService.class;
        }

        @Override
        public void prepare(OperatorIT test) {
          aws.ecs().createCluster(r -> r.clusterName("shared"));
          aws.ecs().registerTaskDefinition(r -> r.family("shared-app")
              .containerDefinitions(c -> c.name("app").image("nginx:1").memory(128)));
        }

        public String spec(String awsName, int variant) {
          return """
              serviceName: %s
              cluster: shared
              taskDefinition: shared-app:1
              desiredCount: %d
              launchType: EC2
              tags: {team: %s}
              """.formatted(awsName, variant == 0 ? 1 : 3, variant == 0 ? "demo" : "b");
        }

        public String state(String awsName) {
          return aws.ecs().describeServices(r -> r.cluster("shared").services(awsName).include(ServiceField.TAGS))
              .services().stream().filter(s -> "ACTIVE".equals(s.status()))
              .map(s -> s.desiredCount() + " " + s.taskDefinition() + " " + new TreeMap<>(s.tags().stream()
                  .collect(Collectors.toMap(t -> t.key(), t -> t.value())))).findFirst().orElse(null);
        }

        public String ownerTag(String awsName) {
          Service s = aws.ecs().describeServices(r -> r.cluster("shared").services(awsName).include(ServiceField.TAGS))
              .services().get(0);
          return s.tags().stream().filter(t -> t.key().equals(Ownership.TAG)).map(t -> t.value()).findFirst()
              .orElse(null);
        }
      };
      default -> throw new IllegalArgumentException(name);
    };
  }

  private Map<String, String> ecrTags(String arn) {
    return new TreeMap<>(aws.ecr().listTagsForResource(r -> r.resourceArn(arn)).tags().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value())));
  }

  private Map<String, String> ecsTags(String arn) {
    return new TreeMap<>(aws.ecs().listTagsForResource(r -> r.resourceArn(arn)).tags().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value())));
  }

  private <T extends CustomResource<?, ? extends AwsResourceStatus>> T createIn(String ns, Class<T> type,
      String name, String spec) {
    T resource = resource(type, name, spec);
    resource.getMetadata().setNamespace(ns);
    return create(resource);
  }

  private String stalledReason(Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type, String ns,
      String name) {
    var r = get(type, ns, name);
    return isTrue(r, Conditions.STALLED) ? reason(r, Conditions.STALLED) : null;
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

  private void setPolicy(Class<? extends CustomResource<?, ? extends AwsResourceStatus>> type, String ns, String name,
      io.ecsbridge.api.v1alpha1.ManagementPolicy policy) {
    edit(get(type, ns, name), r -> {
      ((io.ecsbridge.api.v1alpha1.AwsResourceSpec) r.getSpec()).setManagementPolicy(policy);
      return r;
    });
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
   * Issue 7, defect 1 (for EcrRepository exactly its scenario): the demo namespace's resource (here: {@code namespace})
   * is Ready; team-b names the same AWS resource. Managed and then Adopt are refused (OwnedByAnother, naming the owner,
   * with a Warning Event), nothing is written to AWS, deleting team-b's resource leaves the AWS resource, and demo's
   * stays Ready.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void adoptNeverTakesWhatAnotherNamespacesLiveResourceOwns(String kindName) {
    Kind kind = kind(kindName);
    var type = kind.type();
    kind.prepare(this);
    String awsName = kindName.equals("EcrRepository") ? "shop/web" : "shop-web";
    createIn(namespace, type, "shop", kind.spec(awsName, 0));
    awaitReady(type, namespace, "shop");
    String demoState = kind.state(awsName);
    assertThat(demoState).isNotNull();
    double writes = awsWrites();

    createIn(teamB, type, "web", kind.spec(awsName, 1));
    awaitStalled(type, teamB, "web", "OwnedByAnother");
    assertThat(stalledMessage(type, teamB, "web")).contains(namespace + "/shop")
        .doesNotContain("managementPolicy: Adopt");
    assertThat(isTrue(get(type, teamB, "web"), Conditions.READY)).isFalse();
    eventually().until(() -> !warnings(type, teamB, "web", "OwnedByAnother").isEmpty());
    assertThat(warnings(type, teamB, "web", "OwnedByAnother").get(0).getMessage()).contains(namespace + "/shop");

    setPolicy(type, teamB, "web", io.ecsbridge.api.v1alpha1.ManagementPolicy.Adopt);
    awaitStalled(type, teamB, "web", "OwnedByAnother");
    assertThat(get(type, teamB, "web").getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(stalledMessage(type, teamB, "web")).contains(namespace + "/shop");
    assertThat(awsWrites()).as("AWS writes after team-b's resource appeared").isEqualTo(writes);
    assertThat(kind.state(awsName)).as("demo's resource in AWS").isEqualTo(demoState);

    deleteAndWait(type, teamB, "web");
    assertThat(kind.state(awsName)).as("demo's resource in AWS after team-b's was deleted").isEqualTo(demoState);
    assertThat(awsWrites()).as("AWS writes").isEqualTo(writes);
    assertThat(isReady(get(type, namespace, "shop"))).as("demo's resource Ready").isTrue();
  }

  /**
   * An orphan (its owner deleted with deletionPolicy Retain) is adoptable with Adopt in its own namespace; from
   * another namespace only when the operator allows it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anOrphanIsAdoptableInItsNamespaceAndAcrossOnlyWhenAllowed(String kindName) throws Exception {
    Kind kind = kind(kindName);
    var type = kind.type();
    kind.prepare(this);
    String awsName = kindName.equals("EcrRepository") ? "shop/web" : "shop-web";
    createIn(namespace, type, "shop", kind.spec(awsName, 0) + "deletionPolicy: Retain\n");
    awaitReady(type, namespace, "shop");
    deleteAndWait(type, namespace, "shop");
    assertThat(kind.ownerTag(awsName)).isEqualTo(OWNER_INSTANCE + "/" + namespace + "/shop");
    String orphan = kind.state(awsName);
    double writes = awsWrites();

    // another namespace: refused while the operator keeps namespaces apart
    createIn(teamB, type, "web", kind.spec(awsName, 1) + "managementPolicy: Adopt\n");
    awaitStalled(type, teamB, "web", "OwnedByAnotherNamespace");
    assertThat(stalledMessage(type, teamB, "web")).contains(namespace + "/shop", "no longer exists",
        "ECSBRIDGE_ALLOW_CROSS_NAMESPACE");
    eventually().until(() -> !warnings(type, teamB, "web", "OwnedByAnotherNamespace").isEmpty());
    assertThat(awsWrites()).as("AWS writes").isEqualTo(writes);
    assertThat(kind.state(awsName)).isEqualTo(orphan);

    // its own namespace: adopted
    createIn(namespace, type, "heir", kind.spec(awsName, 0) + "managementPolicy: Adopt\ndeletionPolicy: Retain\n");
    var heir = awaitReady(type, namespace, "heir");
    assertThat(kind.ownerTag(awsName)).isEqualTo(OWNER_INSTANCE + "/" + namespace + "/heir");
    assertThat(events(heir)).anyMatch(e -> "Adopted".equals(e.getReason())
        && e.getMessage().contains(namespace + "/shop, which no longer exists"));
    deleteAndWait(type, namespace, "heir");

    // the operator allows it: team-b's resource adopts it once looked at again
    startOperator(s -> s.put("ECSBRIDGE_ALLOW_CROSS_NAMESPACE", "true"));
    annotate(get(type, teamB, "web"), io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT, "now");
    awaitReady(type, teamB, "web");
    assertThat(kind.ownerTag(awsName)).isEqualTo(OWNER_INSTANCE + "/" + teamB + "/web");
    assertThat(kind.state(awsName)).contains("team=b");
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
    assertThat(kind("EcrRepository").ownerTag("orphan")).isEqualTo(OWNER_INSTANCE + "/" + namespace + "/shop");

    startAsChartServiceAccount("cw-" + teamB.substring(2), null);
    annotate(get(EcrRepository.class, teamB, "web"), io.ecsbridge.api.v1alpha1.Annotations.RECONCILE_REQUESTED_AT, "now");
    var adopted = awaitReady(EcrRepository.class, teamB, "web");
    assertThat(kind("EcrRepository").ownerTag("orphan")).isEqualTo(OWNER_INSTANCE + "/" + teamB + "/web");
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
    double writes = awsWrites();
    Map<String, Double> before = ecsReads();
    eventually().until(() -> awsCalls("ecs", "DescribeServices") >= before.get("DescribeServices") + 10);
    Map<String, Double> after = ecsReads();
    double passes = after.get("DescribeServices") - before.get("DescribeServices");
    Map<String, Double> perPass = new TreeMap<>();
    after.forEach((op, n) -> perPass.put(op, (n - before.get(op)) / passes));
    System.out.printf("AWS calls per in-sync pass of an EcsService with raw names, averaged over one with a bare "
        + "family and one with an ARN: %s over %.0f passes%n", perPass, passes);
    assertThat(awsWrites()).as("writes during in-sync resyncs").isEqualTo(writes);
    // each pass: one DescribeClusters (the raw cluster's tags); a DescribeTaskDefinition only for the bare family
    // (resolved on every pass anyway: it now brings the tags), none for the ARN (checked once, remembered)
    assertThat(perPass.get("DescribeClusters")).isBetween(0.8, 1.2);
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
