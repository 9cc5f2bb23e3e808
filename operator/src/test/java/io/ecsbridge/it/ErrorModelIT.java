package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Compatibility;

/**
 * The error model against the real API server and moto with injected AWS faults (src/test/moto/ecsbridge_faults.py):
 * transient codes retried and never Stalled; every Stalled told in an Event; a Stalled resource looked at again on a
 * slow backoff so that a fix made outside heals it; AlreadyExists after our own create carries on; configuration
 * errors of the operator Stalled naming the setting; status memory read back by the very next reconcile; a Stalled
 * dependency makes its dependents Stalled DependencyStalled until it recovers.
 */
class ErrorModelIT extends EcsServiceFixtures {

  private EcrRepository repository(String name) {
    return resource(EcrRepository.class, name, "imageTagMutability: IMMUTABLE\ntags: {team: a}");
  }

  private List<Event> warnings(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type, String name,
      String reason) {
    return events(get(type, name)).stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
  }

  @Test
  void aStalledAlreadyExistsIsToldInAWarningEvent() {
    aws.ecr().createRepository(r -> r.repositoryName("taken"));
    create(repository("taken"));
    eventually().until(() -> "AlreadyExists".equals(reason(get(EcrRepository.class, "taken"), Conditions.STALLED)));
    eventually().until(() -> !warnings(EcrRepository.class, "taken", "AlreadyExists").isEmpty());
    Event event = warnings(EcrRepository.class, "taken", "AlreadyExists").get(0);
    assertThat(event.getMessage()).contains("taken").contains(Ownership.TAG);
    // a new repository is created before it is read: ECR refused that create (the name exists) and nothing else was
    // asked of it; the repository is as it was
    assertThat(io.ecsbridge.aws.AwsCallMeter.count(operator.registry(), "ecr", "CreateRepository", "exists"))
        .isEqualTo(1);
    assertThat(io.ecsbridge.aws.AwsCallMeter.count(operator.registry(), "ecr", null, "client_error"))
        .as("an expected answer, not an error").isZero();
    assertThat(awsWrites()).as("nothing written to a repository we do not own").isZero();
    String arn = aws.ecr().describeRepositories(r -> r.repositoryNames("taken")).repositories().get(0).repositoryArn();
    assertThat(aws.ecr().listTagsForResource(r -> r.resourceArn(arn)).tags()).isEmpty();
  }

  @Test
  void aClusterThatStillHasServicesWaitsNamingThemInAnEvent() {
    clusterCr("busy", "busy");
    registerTaskDefinition("api", "nginx:1.27");
    aws.ecs().createService(r -> r.cluster("busy").serviceName("api").taskDefinition("api:1").desiredCount(0));
    k8s.resource(get(EcsCluster.class, "busy")).delete();
    eventually().until(() -> "ClusterNotEmpty".equals(reason(get(EcsCluster.class, "busy"), Conditions.RECONCILING)));
    assertThat(condition(get(EcsCluster.class, "busy"), Conditions.RECONCILING).orElseThrow().getMessage())
        .contains("api");
    eventually().until(() -> events(get(EcsCluster.class, "busy")).stream()
        .anyMatch(e -> "ClusterNotEmpty".equals(e.getReason()) && e.getMessage().contains("api")));

    aws.ecs().deleteService(r -> r.cluster("busy").service("api").force(true));
    eventually().atMost(Duration.ofSeconds(60)).until(() -> get(EcsCluster.class, "busy") == null);
  }

  @Test
  void aTransientCodeIsRetriedAsReconcilingAtTheCurrentGenerationNeverStalled() {
    EcsCluster cluster = clusterCr("prod", "prod");
    env.moto().fault("PutClusterCapacityProviders", "UpdateInProgressException",
        "The specified cluster is in the process of being updated.", 400, 2);
    AtomicBoolean stalled = new AtomicBoolean();
    AtomicBoolean retryingAtGeneration = new AtomicBoolean();
    edit(cluster, c -> {
      ((EcsCluster) c).getSpec().capacityProviders = List.of("FARGATE");
      return c;
    });
    eventually().atMost(Duration.ofSeconds(60)).until(() -> {
      EcsCluster now = get(EcsCluster.class, "prod");
      stalled.compareAndSet(false, isTrue(now, Conditions.STALLED));
      if ("AwsRetrying".equals(reason(now, Conditions.RECONCILING))) {
        retryingAtGeneration.compareAndSet(false,
            now.getMetadata().getGeneration().equals(now.getStatus().getObservedGeneration()));
      }
      return isReady(now);
    });
    assertThat(stalled).as("Stalled at any point").isFalse();
    assertThat(retryingAtGeneration).as("Reconciling AwsRetrying with observedGeneration = generation").isTrue();
    assertThat(aws.ecs().describeClusters(r -> r.clusters("prod")).clusters().get(0).capacityProviders())
        .containsExactly("FARGATE");
  }

  @Test
  void aCreateWhoseReplyWasLostCarriesOnWithTheRepositoryItMade() {
    // ECR creates the repository but the reply is lost; the SDK's retry then hears RepositoryAlreadyExists
    env.moto().fault("CreateRepository", "InternalFailure", "reply lost", 500, 1, true);
    create(repository("lost"));
    EcrRepository ready = awaitReady(EcrRepository.class, "lost");
    var live = aws.ecr().describeRepositories(r -> r.repositoryNames("lost")).repositories();
    assertThat(live).singleElement().satisfies(r -> assertThat(r.imageTagMutabilityAsString()).isEqualTo("IMMUTABLE"));
    assertThat(ready.getStatus().arn).isEqualTo(live.get(0).repositoryArn());
    assertThat(aws.ecr().listTagsForResource(r -> r.resourceArn(live.get(0).repositoryArn())).tags())
        .anySatisfy(t -> assertThat(t.key() + "=" + t.value())
            .isEqualTo(Ownership.TAG + "=" + OWNER_INSTANCE + "/" + namespace + "/lost"));
  }

  @Test
  void accessDeniedIsStalledLookedAtOnADoublingBackoffAndHealsByItselfWhenFixed() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_STALLED_RECHECK", "1s"));
    String denied = "User: arn:aws:sts::123456789012:assumed-role/ecs-bridge is not authorized to perform: "
        + "ecr:CreateRepository";
    env.moto().fault("CreateRepository", "AccessDeniedException", denied, 400, null);
    create(repository("denied"));
    eventually().until(() -> "AccessDenied".equals(reason(get(EcrRepository.class, "denied"), Conditions.STALLED)));
    EcrRepository stalled = get(EcrRepository.class, "denied");
    assertThat(condition(stalled, Conditions.STALLED).orElseThrow().getMessage()).isEqualTo(denied);
    assertThat(isTrue(stalled, Conditions.RECONCILING)).isFalse();
    eventually().until(() -> warnings(EcrRepository.class, "denied", "AccessDenied").size() == 1);

    // each look is one read and the write it then needs; the waits between looks double (1 s, 2 s, 4 s, + jitter)
    List<Long> looks = new ArrayList<>();
    double[] seen = {awsCalls("ECR", "CreateRepository")};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
      double now = awsCalls("ECR", "CreateRepository");
      if (now > seen[0]) {
        seen[0] = now;
        looks.add(System.nanoTime());
      }
      return looks.size() >= 3;
    });
    double gap1 = (looks.get(1) - looks.get(0)) / 1e9;
    double gap2 = (looks.get(2) - looks.get(1)) / 1e9;
    System.out.printf("Stalled re-looks with a 1 s first wait: gaps %.2f s, %.2f s%n", gap1, gap2);
    assertThat(gap1).as("second wait").isGreaterThan(1.6);
    assertThat(gap2).as("third wait").isGreaterThan(gap1 * 1.6);
    double reads = awsCalls("ECR", "DescribeRepositories");
    double writes = awsCalls("ECR", "CreateRepository");
    double perLook = (reads + writes) / writes;
    // with the defaults (first look after 1 min, doubling up to the 10 min resync): looks at 1, 3, 7, 15, 25, 35,
    // 45, 55 min in the first hour, then 6 an hour
    System.out.printf("AWS calls per look of a Stalled EcrRepository: %.1f (DescribeRepositories + the refused "
        + "CreateRepository); with the defaults: %.0f calls in its first hour, %.0f per hour after%n", perLook,
        perLook * 9, perLook * 6);
    assertThat(awsWrites()).as("only the refused CreateRepository, once per look").isEqualTo(writes);
    assertThat(warnings(EcrRepository.class, "denied", "AccessDenied")).as("one Event for the episode").hasSize(1);

    // the IAM fix: nobody touches the resource
    env.moto().clearFaults();
    await().atMost(Duration.ofSeconds(30)).until(() -> isReady(get(EcrRepository.class, "denied")));
    assertThat(aws.ecr().describeRepositories(r -> r.repositoryNames("denied")).repositories()).hasSize(1);
  }

  @Test
  void noRegionIsStalledNamingTheSettingNotRetriedForever() throws Exception {
    Assumptions.assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
        "the machine sets a default region");
    String imds = System.getProperty("aws.disableEc2Metadata");
    System.setProperty("aws.disableEc2Metadata", "true"); // never ask an instance metadata service from a test
    try {
      startOperator(s -> s.remove("AWS_REGION"));
      create(repository("nowhere"));
      eventually().until(() -> "NoRegion".equals(reason(get(EcrRepository.class, "nowhere"), Conditions.STALLED)));
      assertThat(condition(get(EcrRepository.class, "nowhere"), Conditions.STALLED).orElseThrow().getMessage())
          .contains("AWS_REGION").contains("spec.region");
      assertThat(isTrue(get(EcrRepository.class, "nowhere"), Conditions.RECONCILING)).isFalse();
    } finally {
      if (imds == null) {
        System.clearProperty("aws.disableEc2Metadata");
      } else {
        System.setProperty("aws.disableEc2Metadata", imds);
      }
    }
  }

  @Test
  void aRedeployIsSentOnceEvenWhenReconcilesFollowEachOtherAtOnce() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    registerTaskDefinition("web", "nginx:1.27");
    create(service("web", "cluster: prod\ntaskDefinition: web:1\ndesiredCount: 1\nlaunchType: EC2"));
    awaitReady("web");
    double updates = awsCalls("ecs", "UpdateService");

    // redeploy requests, each followed by reconcile requests from 4 threads arriving while it is handled: every one
    // of those reconciles must see the redeploy as handled (status memory read back from JOSDK's cache, not from a
    // stale informer copy), so each request makes exactly one UpdateService
    int rounds = 5;
    for (int round = 1; round <= rounds; round++) {
      String redeploy = "r" + round;
      patchAnnotation("web", Annotations.REDEPLOY_REQUESTED_AT, redeploy);
      String last = pokeConcurrently("web", round);
      eventually().until(() -> {
        EcsService s = get(EcsService.class, "web");
        return redeploy.equals(s.getStatus().lastHandledRedeployAt)
            && last.equals(s.getStatus().getLastHandledReconcileAt()) && isReady(s);
      });
    }
    assertThat(awsCalls("ecs", "UpdateService") - updates).as("UpdateService calls for " + rounds
        + " redeploy requests").isEqualTo(rounds);
  }

  /** 4 threads x 25 reconcile requests, then one last one that is returned. */
  private String pokeConcurrently(String service, int round) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            patchAnnotation(service, Annotations.RECONCILE_REQUESTED_AT, round + "-" + thread + "-" + i);
          }
        }));
      }
      for (var f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
    String last = "last-" + round;
    patchAnnotation(service, Annotations.RECONCILE_REQUESTED_AT, last);
    return last;
  }

  /** A merge patch of one annotation: no resourceVersion, so it never conflicts with the operator's status writes. */
  private void patchAnnotation(String service, String key, String value) {
    k8s.resources(EcsService.class).inNamespace(namespace).withName(service)
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  @Test
  void aStalledTaskDefinitionMakesItsServiceStalledDependencyStalledUntilItRecovers() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    // the family exists and is not ours: the EcsTaskDefinition is Stalled AlreadyExists
    aws.ecs().registerTaskDefinition(r -> r.family("web").requiresCompatibilities(Compatibility.EC2)
        .containerDefinitions(c -> c.name("web").image("nginx:1.26").memory(128)));
    create(k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: web}
        spec:
          requiresCompatibilities: [EC2]
          containerDefinitions:
          - {name: web, image: "nginx:1.27", memory: 128}
        """, EcsTaskDefinition.class));
    eventually().until(() -> "AlreadyExists".equals(reason(get(EcsTaskDefinition.class, "web"),
        Conditions.STALLED)));
    create(service("web", "cluster: prod\ntaskDefinitionRef: {name: web}\ndesiredCount: 1\nlaunchType: EC2"));
    eventually().until(() -> "DependencyStalled".equals(reason(get(EcsService.class, "web"), Conditions.STALLED)));
    EcsService waiting = get(EcsService.class, "web");
    assertThat(condition(waiting, Conditions.STALLED).orElseThrow().getMessage())
        .startsWith("EcsTaskDefinition web is Stalled (AlreadyExists): ");
    assertThat(isTrue(waiting, Conditions.RECONCILING)).isFalse();
    eventually().until(() -> !warnings(EcsService.class, "web", "DependencyStalled").isEmpty());
    assertThat(serviceCalls()).as("no AWS call for a service whose dependency is Stalled").isZero();

    // the dependency recovers (a person lets it adopt the family): the service follows by itself
    edit(get(EcsTaskDefinition.class, "web"), td -> {
      ((EcsTaskDefinition) td).getSpec().setManagementPolicy(io.ecsbridge.api.v1alpha1.ManagementPolicy.Adopt);
      return td;
    });
    EcsService ready = awaitReady("web");
    assertThat(ready.getStatus().taskDefinition)
        .isEqualTo(get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn);
    assertThat(describe("prod", "web").taskDefinition()).isEqualTo(ready.getStatus().taskDefinition);
  }
}
