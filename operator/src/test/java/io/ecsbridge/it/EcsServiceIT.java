package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * EcsService end to end: the real API server, the operator, moto with the ecs-bridge ECS extension (rollouts take
 * {@code TestEnvironment.ROLLOUT_SECONDS}; an image containing "ecsbridge-fail" fails and, with the circuit
 * breaker's rollback on, rolls back).
 *
 * <p>References are to real EcsCluster and EcsTaskDefinition custom resources, made Ready by their own reconcilers in
 * the same operator; raw references ({@code cluster}, {@code taskDefinition}) name what the test makes in moto.
 */
class EcsServiceIT extends EcsServiceFixtures {

  @Test
  void createsFromReferencesReportsTheRolloutAndAnInSyncResyncWritesNothing() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    Network net = network();
    clusterCr("prod", "prod-cluster");
    String v1 = taskDefinitionCr("web", "nginx:1.27");
    double before = serviceCalls();
    create(service("web", """
        clusterRef: {name: prod}
        taskDefinitionRef: {name: web}
        desiredCount: 2
        launchType: FARGATE
        networkConfiguration:
          awsvpcConfiguration: {subnets: [%s, %s], securityGroups: [%s]}
        deploymentConfiguration:
          maximumPercent: 150
          minimumHealthyPercent: 50
          deploymentCircuitBreaker: {enable: true, rollback: true}
        healthCheckGracePeriodSeconds: 15
        propagateTags: SERVICE
        enableExecuteCommand: true
        tags: {team: payments}
        """.formatted(net.subnetB(), net.subnetA(), net.securityGroup())));

    EcsService ready = awaitReady("web");
    Map<String, Double> createCalls = callsByOperation();
    System.out.printf("AWS calls to create an EcsService and see it Ready: %.0f %s%n", serviceCalls() - before,
        createCalls);
    Service live = describe("prod-cluster", "web");
    var status = ready.getStatus();
    assertThat(status.serviceArn).isEqualTo(live.serviceArn());
    assertThat(status.status).isEqualTo("ACTIVE");
    assertThat(status.taskDefinition).isEqualTo(v1).isEqualTo(live.taskDefinition());
    assertThat(status.targetTaskDefinition).isEqualTo(v1);
    assertThat(status.desiredCount).isEqualTo(2);
    assertThat(status.runningCount).isEqualTo(2);
    assertThat(status.pendingCount).isZero();
    assertThat(status.deployments).singleElement().satisfies(d -> {
      assertThat(d.status).isEqualTo("PRIMARY");
      assertThat(d.rolloutState).isEqualTo("COMPLETED");
      assertThat(d.taskDefinition).isEqualTo(v1);
      assertThat(d.id).isNotBlank();
      assertThat(d.createdAt).isNotBlank();
    });
    assertThat(status.recentEvents).isNotEmpty().hasSizeLessThanOrEqualTo(5);
    assertThat(condition(ready, Conditions.READY).orElseThrow().getReason()).isEqualTo("RolloutComplete");
    assertThat(hasEvent(ready, "Created")).isTrue();
    assertThat(live.networkConfiguration().awsvpcConfiguration().subnets())
        .containsExactlyInAnyOrder(net.subnetA(), net.subnetB());
    assertThat(live.deploymentConfiguration().maximumPercent()).isEqualTo(150);
    assertThat(live.deploymentConfiguration().deploymentCircuitBreaker().rollback()).isTrue();
    assertThat(live.healthCheckGracePeriodSeconds()).isEqualTo(15);
    assertThat(live.enableExecuteCommand()).isTrue();
    assertThat(live.tags()).contains(Tag.builder().key("team").value("payments").build(),
        Tag.builder().key(Ownership.TAG).value(OWNER_INSTANCE + "/" + namespace + "/web").build());

    // in sync: resyncs every second read the service once and never write (no spurious redeploy)
    double writes = awsWrites();
    double describes = awsCalls("ecs", "DescribeServices");
    double all = serviceCalls();
    eventually().until(() -> awsCalls("ecs", "DescribeServices") >= describes + 3);
    double resyncs = awsCalls("ecs", "DescribeServices") - describes;
    assertThat(awsWrites()).as("write calls during in-sync resyncs").isEqualTo(writes);
    System.out.printf("AWS calls per in-sync EcsService resync: %.1f reads, 0 writes (%d resyncs)%n",
        (serviceCalls() - all) / resyncs, (long) resyncs);
    assertThat(describe("prod-cluster", "web").deployments()).hasSize(1);
  }

  @Test
  void aNewRevisionReachesUpdateServiceAtOnceAndRollsOut() {
    clusterCr("prod", "prod");
    String v1 = taskDefinitionCr("web", "nginx:1.27");
    create(service("web", "clusterRef: {name: prod}\ntaskDefinitionRef: {name: web}\ndesiredCount: 1\n"
        + "launchType: EC2"));
    awaitReady("web");
    double updates = awsCalls("ecs", "UpdateService");

    Revision revision = newRevision("web", "nginx:1.28");
    String v2 = revision.arn();
    long t0 = revision.seenAtNanos();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> awsCalls("ecs", "UpdateService") > updates);
    long latencyMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("EcsTaskDefinition status change -> UpdateService: %d ms (polled every 10 ms)%n", latencyMs);
    assertThat(latencyMs).as("revision to UpdateService latency").isLessThan(2000);

    eventually().pollInterval(Duration.ofMillis(50))
        .until(() -> "RolloutInProgress".equals(reason(get(EcsService.class, "web"), Conditions.RECONCILING)));
    eventually().until(() -> {
      EcsService s = get(EcsService.class, "web");
      return isReady(s) && v2.equals(s.getStatus().taskDefinition);
    });
    assertThat(describe("prod", "web").taskDefinition()).isEqualTo(v2);
    assertThat(awsCalls("ecs", "UpdateService")).isEqualTo(updates + 1);
  }

  @Test
  void aFailingRevisionIsRolledBackStalledAndNeverReapplied() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    clusterCr("prod", "prod");
    String v1 = taskDefinitionCr("web", "nginx:1.27");
    create(service("web", """
        clusterRef: {name: prod}
        taskDefinitionRef: {name: web}
        desiredCount: 2
        launchType: EC2
        deploymentConfiguration: {deploymentCircuitBreaker: {enable: true, rollback: true}}
        """));
    awaitReady("web");

    String broken = newRevision("web", "registry.example/web:ecsbridge-fail").arn();
    eventually().until(() -> "RolledBack".equals(reason(get(EcsService.class, "web"), Conditions.STALLED)));
    // ECS finishes rolling back: one COMPLETED deployment of v1, running == desired; still not Ready
    eventually().until(() -> {
      Service live = describe("prod", "web");
      return live.deployments().size() == 1 && "COMPLETED".equals(live.deployments().get(0).rolloutStateAsString());
    });
    double updates = awsCalls("ecs", "UpdateService");
    double describes = awsCalls("ecs", "DescribeServices");
    eventually().until(() -> awsCalls("ecs", "DescribeServices") >= describes + 3);
    EcsService stalled = get(EcsService.class, "web");
    assertThat(isTrue(stalled, Conditions.READY)).isFalse();
    assertThat(isTrue(stalled, Conditions.STALLED)).isTrue();
    assertThat(condition(stalled, Conditions.STALLED).orElseThrow().getMessage()).contains(broken, v1);
    assertThat(stalled.getStatus().failedTaskDefinition).isEqualTo(broken);
    assertThat(stalled.getStatus().taskDefinition).isEqualTo(v1);
    assertThat(awsCalls("ecs", "UpdateService")).as("the broken revision is not applied again").isEqualTo(updates);
    assertThat(events(stalled)).anyMatch(e -> "Warning".equals(e.getType()) && "RolledBack".equals(e.getReason()));
    assertThat(describe("prod", "web").taskDefinition()).isEqualTo(v1);

    // the fix: a new revision rolls out and the service is Ready again
    String v3 = newRevision("web", "nginx:1.29").arn();
    eventually().until(() -> {
      EcsService s = get(EcsService.class, "web");
      return isReady(s) && v3.equals(s.getStatus().taskDefinition);
    });
    assertThat(get(EcsService.class, "web").getStatus().failedTaskDefinition).isNull();
  }

  @Test
  void aFailedRolloutWithoutRollbackIsStalledRolloutFailed() {
    aws.ecs().createCluster(r -> r.clusterName("raw"));
    registerTaskDefinition("api", "nginx:1.27");
    EcsService created = create(service("api", "cluster: raw\ntaskDefinition: api:1\ndesiredCount: 1\n"
        + "launchType: EC2"));
    awaitReady("api");
    registerTaskDefinition("api", "registry.example/api:ecsbridge-fail");
    edit(created, r -> {
      ((EcsService) r).getSpec().taskDefinition = "api:2";
      return r;
    });
    eventually().until(() -> "RolloutFailed".equals(reason(get(EcsService.class, "api"), Conditions.STALLED)));
    Condition stalled = condition(get(EcsService.class, "api"), Conditions.STALLED).orElseThrow();
    assertThat(stalled.getMessage()).isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
    assertThat(awsCalls("ecs", "UpdateService")).isEqualTo(1.0);
  }

  @Test
  void rawClusterAndTaskDefinitionNamesAreResolvedToArns() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    String clusterArn = aws.ecs().createCluster(r -> r.clusterName("legacy")).cluster().clusterArn();
    String v1 = registerTaskDefinition("worker", "busybox:1");
    create(service("worker", "cluster: %s\ntaskDefinition: worker\ndesiredCount: 1\nlaunchType: EC2\n"
        .formatted(clusterArn)));
    EcsService ready = awaitReady("worker");
    assertThat(ready.getStatus().taskDefinition).isEqualTo(v1);
    assertThat(ready.getStatus().targetTaskDefinition).isEqualTo(v1);
    double writes = awsWrites();
    double describes = awsCalls("ecs", "DescribeServices");
    eventually().until(() -> awsCalls("ecs", "DescribeServices") >= describes + 2);
    assertThat(awsWrites()).isEqualTo(writes);
  }

  @Test
  void anUnresolvedReferenceWaitsWithoutAwsCallsAndTheWatchBringsItBack() {
    create(service("web", "clusterRef: {name: prod}\ntaskDefinitionRef: {name: web}\ndesiredCount: 1\n"
        + "launchType: EC2"));
    eventually().until(() -> "ReferenceNotReady".equals(reason(get(EcsService.class, "web"), Conditions.RECONCILING)));
    EcsService waiting = get(EcsService.class, "web");
    assertThat(isTrue(waiting, Conditions.READY)).isFalse();
    assertThat(condition(waiting, Conditions.READY).orElseThrow().getReason()).isEqualTo("ReferenceNotReady");
    // the operator's own account id (STS GetCallerIdentity, asked once) is no call of the service's
    assertThat(awsCalls(null, null) - awsCalls("STS", "GetCallerIdentity"))
        .as("no AWS call while a reference is unresolved").isZero();

    clusterCr("prod", "prod");
    eventually().until(() -> condition(get(EcsService.class, "web"), Conditions.READY).orElseThrow().getMessage()
        .contains("EcsTaskDefinition web does not exist"));
    assertThat(serviceCalls()).as("no AWS call for the service while a reference is unresolved").isZero();
    taskDefinitionCr("web", "nginx:1.27");
    awaitReady("web");
  }

  @Test
  void theRedeployAnnotationForcesOneNewDeployment() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    registerTaskDefinition("web", "nginx:1.27");
    create(service("web", "cluster: prod\ntaskDefinition: web:1\ndesiredCount: 1\nlaunchType: EC2"));
    EcsService ready = awaitReady("web");
    String first = ready.getStatus().deployments.get(0).id;

    annotate(ready, Annotations.REDEPLOY_REQUESTED_AT, "2026-12-04T12:00:00Z");
    eventually().until(() -> {
      EcsService s = get(EcsService.class, "web");
      return isReady(s) && "2026-12-04T12:00:00Z".equals(s.getStatus().lastHandledRedeployAt)
          && !first.equals(s.getStatus().deployments.get(0).id);
    });
    assertThat(awsCalls("ecs", "UpdateService")).isEqualTo(1.0);
    assertThat(hasEvent(ready, "Redeployed")).isTrue();

    // the same value again (any other edit) does not redeploy
    annotate(ready, Annotations.RECONCILE_REQUESTED_AT, "poke");
    eventually().until(() -> "poke".equals(get(EcsService.class, "web").getStatus().getLastHandledReconcileAt()));
    assertThat(awsCalls("ecs", "UpdateService")).isEqualTo(1.0);
  }

  @Test
  void driftIsCorrectedWithOneUpdateService() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    registerTaskDefinition("web", "nginx:1.27");
    create(service("web", "cluster: prod\ntaskDefinition: web:1\ndesiredCount: 2\nlaunchType: EC2\n"
        + "healthCheckGracePeriodSeconds: 20"));
    EcsService ready = awaitReady("web");
    aws.ecs().updateService(r -> r.cluster("prod").service("web").desiredCount(5).healthCheckGracePeriodSeconds(0));
    annotate(ready, Annotations.RECONCILE_REQUESTED_AT, "drift");
    eventually().until(() -> {
      Service live = describe("prod", "web");
      return live.desiredCount() == 2 && live.healthCheckGracePeriodSeconds() == 20;
    });
    assertThat(awsCalls("ecs", "UpdateService")).isEqualTo(1.0);
    eventually().until(() -> hasEvent(get(EcsService.class, "web"), "DriftCorrected"));
    awaitReady("web");
  }

  @Test
  void aTerminalAwsErrorStallsWithAwsMessageAndBoundedCalls() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    registerTaskDefinition("web", "nginx:1.27");
    create(service("web", """
        cluster: prod
        taskDefinition: web:1
        desiredCount: 1
        launchType: FARGATE
        networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-doesnotexist]}}
        """));
    eventually().until(() -> isTrue(get(EcsService.class, "web"), Conditions.STALLED));
    EcsService stalled = get(EcsService.class, "web");
    Condition condition = condition(stalled, Conditions.STALLED).orElseThrow();
    assertThat(condition.getReason()).isEqualTo("InvalidParameter");
    assertThat(condition.getMessage()).contains("subnet-doesnotexist");
    assertThat(events(stalled)).anyMatch(e -> "Warning".equals(e.getType()) && "InvalidParameter".equals(e.getReason()));
    double calls = awsCalls(null, null);
    // resyncs every second: not one more AWS call before the stalled backoff (1 min first) or a change
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> awsCalls(null, null) == calls);
    assertThat(awsCalls("ecs", "CreateService")).isEqualTo(1.0);
  }

  @Test
  void deleteScalesToZeroDeletesAndWaitsForInactive() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    registerTaskDefinition("web", "nginx:1.27");
    EcsService gone = create(service("gone", "cluster: prod\ntaskDefinition: web:1\ndesiredCount: 2\n"
        + "launchType: EC2"));
    awaitReady("gone");
    k8s.resource(gone).inNamespace(namespace).delete();
    eventually().until(() -> "Deleting".equals(reason(get(EcsService.class, "gone"), Conditions.RECONCILING)));
    eventually().until(() -> get(EcsService.class, "gone") == null);
    assertThat(describe("prod", "gone").status()).isEqualTo("INACTIVE");
    assertThat(events(gone)).extracting(e -> e.getReason()).contains("ScaledToZero", "Deleted");
  }

  @Test
  void aServiceWhoseRawClusterIsGoneIsDeletedWithoutSticking() {
    // DescribeServices on a cluster that does not exist answers ClusterNotFoundException (as real ECS does once a
    // cluster was deleted outside; moto's DeleteCluster only marks it INACTIVE, so a never-created cluster stands in)
    registerTaskDefinition("web", "nginx:1.27");
    EcsService orphan = create(service("orphan", "cluster: gone-cluster\ntaskDefinition: web:1\ndesiredCount: 1\n"
        + "launchType: EC2"));
    eventually().until(() -> "ClusterNotFound".equals(reason(get(EcsService.class, "orphan"), Conditions.STALLED)));
    k8s.resource(orphan).inNamespace(namespace).delete();
    eventually().until(() -> get(EcsService.class, "orphan") == null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"EXTERNAL", "CODE_DEPLOY"})
  void anExternalControllerIsNotFought(String controller) {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    registerTaskDefinition("web", "nginx:1.27");
    registerTaskDefinition("web", "nginx:1.28");
    EcsService created = create(service("ext", "cluster: prod\ntaskDefinition: web:1\ndesiredCount: 1\n"
        + "deploymentController: {type: " + controller + "}"));
    EcsService ready = awaitReady("ext");
    assertThat(condition(ready, Conditions.READY).orElseThrow().getMessage()).contains(controller);
    edit(created, r -> {
      ((EcsService) r).getSpec().taskDefinition = "web:2";
      ((EcsService) r).getSpec().desiredCount = 2;
      return r;
    });
    eventually().until(() -> describe("prod", "ext").desiredCount() == 2);
    awaitReady("ext");
    assertThat(describe("prod", "ext").taskDefinition()).as("the external controller owns the task definition")
        .isNotEqualTo(taskDefinitionArn("web", 2));
  }
}

/** Set-up shared by the EcsService integration tests: moto resources made with the SDK, and simulated peers. */
abstract class EcsServiceFixtures extends OperatorIT {

  record Network(String subnetA, String subnetB, String securityGroup) {}

  /** A VPC with two subnets and a security group in moto's EC2 (awsvpc networking). */
  Network network() {
    String vpc = aws.ec2().createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String a = aws.ec2().createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24")).subnet().subnetId();
    String b = aws.ec2().createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24")).subnet().subnetId();
    String sg = aws.ec2().createSecurityGroup(r -> r.vpcId(vpc).groupName("web").description("web")).groupId();
    return new Network(a, b, sg);
  }

  String registerTaskDefinition(String family, String image) {
    return aws.ecs().registerTaskDefinition(r -> r.family(family).networkMode(NetworkMode.AWSVPC)
        .requiresCompatibilities(Compatibility.FARGATE, Compatibility.EC2).cpu("256").memory("512")
        .containerDefinitions(c -> c.name("web").image(image).essential(true).portMappings(p -> p.containerPort(8080))))
        .taskDefinition().taskDefinitionArn();
  }

  String taskDefinitionArn(String family, int revision) {
    return aws.ecs().describeTaskDefinition(r -> r.taskDefinition(family + ":" + revision)).taskDefinition()
        .taskDefinitionArn();
  }

  /** An EcsCluster custom resource, made Ready by the EcsCluster reconciler. */
  EcsCluster clusterCr(String name, String clusterName) {
    EcsCluster cluster = new EcsCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).build());
    cluster.setSpec(new io.ecsbridge.api.v1alpha1.EcsClusterSpec());
    cluster.getSpec().clusterName = clusterName;
    create(cluster);
    eventually().until(() -> isReady(get(EcsCluster.class, name)));
    return get(EcsCluster.class, name);
  }

  /**
   * An EcsTaskDefinition custom resource (family {@code name}, Fargate or EC2, awsvpc) running {@code image}; returns
   * the ARN of the revision its reconciler registered.
   */
  String taskDefinitionCr(String name, String image) {
    create(k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: %s}
        spec:
          requiresCompatibilities: [FARGATE, EC2]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - {name: web, image: "%s", portMappings: [{containerPort: 8080}]}
        """.formatted(name, image), EcsTaskDefinition.class));
    eventually().until(() -> isReady(get(EcsTaskDefinition.class, name)));
    return get(EcsTaskDefinition.class, name).getStatus().taskDefinitionArn;
  }

  /** A revision, and when the test saw it in the EcsTaskDefinition's status. */
  record Revision(String arn, long seenAtNanos) {}

  /** Changes the family's image as a user would, and waits for the reconciler to report the new revision. */
  Revision newRevision(String name, String image) {
    EcsTaskDefinition td = get(EcsTaskDefinition.class, name);
    String before = td.getStatus().taskDefinitionArn;
    edit(td, r -> {
      ((EcsTaskDefinition) r).getSpec().containerDefinitions.get(0).image = image;
      return r;
    });
    long[] seen = new long[1];
    String[] arn = new String[1];
    eventually().pollInterval(Duration.ofMillis(10)).until(() -> {
      EcsTaskDefinition now = get(EcsTaskDefinition.class, name);
      if (isReady(now) && !before.equals(now.getStatus().taskDefinitionArn)) {
        seen[0] = System.nanoTime();
        arn[0] = now.getStatus().taskDefinitionArn;
        return true;
      }
      return false;
    });
    return new Revision(arn[0], seen[0]);
  }

  /** The operator's AWS calls so far, less those the EcsCluster and EcsTaskDefinition reconcilers make. */
  /** The calls of services: not those of clusters and task definitions, nor the operator's own account id (STS). */
  double serviceCalls() {
    return awsCalls(null, null) - awsCalls("STS", "GetCallerIdentity") - java.util.stream.Stream.of("DescribeClusters", "CreateCluster",
        "DescribeTaskDefinition", "RegisterTaskDefinition", "ListTaskDefinitions", "ListTagsForResource",
        "DeregisterTaskDefinition").mapToDouble(op -> awsCalls("ecs", op)).sum();
  }

  EcsService service(String name, String specYaml) {
    return resource(EcsService.class, name, specYaml);
  }

  EcsService awaitReady(String name) {
    return awaitReady(EcsService.class, name);
  }

  Service describe(String cluster, String name) {
    return aws.ecs().describeServices(r -> r.cluster(cluster).services(name).include(ServiceField.TAGS)).services()
        .get(0);
  }

  /** The operator's AWS calls so far, by operation. */
  Map<String, Double> callsByOperation() {
    return operator.registry().find(AwsCallMeter.CALLS).counters().stream().collect(Collectors.toMap(
        c -> c.getId().getTag("operation"), io.micrometer.core.instrument.Counter::count, Double::sum, TreeMap::new));
  }
}
