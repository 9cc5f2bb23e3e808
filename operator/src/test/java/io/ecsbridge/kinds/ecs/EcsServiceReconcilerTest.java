package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.AwsResourceReconciler;
import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.OwnerLookup;
import io.ecsbridge.contract.Ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsClusterStatus;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.FakeAutoScalingGateway;
import io.ecsbridge.aws.FakeServiceDeploymentGateway;
import io.ecsbridge.aws.FakeServiceGateway;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/** The reconciler's decisions against in-memory ECS and Application Auto Scaling that answer like AWS. */
class EcsServiceReconcilerTest {
  private static final String REGION = "eu-west-1";
  private static final String V1 = FakeServiceGateway.arn(REGION, "web:1");
  private static final String V2 = FakeServiceGateway.arn(REGION, "web:2");
  private static final String V3 = FakeServiceGateway.arn(REGION, "web:3");

  private final FakeServiceGateway ecs = new FakeServiceGateway();
  private final FakeAutoScalingGateway scaling = new FakeAutoScalingGateway();
  private final EventRecorder events = mock(EventRecorder.class);
  @SuppressWarnings("unchecked")
  private final Context<EcsService> context = mock(Context.class);
  /** Status writes of reconcile(), kept in memory instead of the API server. */
  private final io.ecsbridge.status.InMemoryStatusWriter statusWriter = new io.ecsbridge.status.InMemoryStatusWriter();
  private final List<io.fabric8.kubernetes.api.model.HasMetadata> statusWrites = statusWriter.written;

  private final Map<String, EcsTaskDefinition> taskDefinitions = new HashMap<>();
  private final Map<String, EcsCluster> clusters = new HashMap<>();
  private EcsServiceReconciler reconciler;

  @BeforeEach
  void setUp() {
    tenancy(false);
  }

  /** The reconciler, with namespaces kept apart or not; no owner look-up (every other owner counts as existing). */
  private void tenancy(boolean allowCrossNamespace) {
    reconciler = new EcsServiceReconciler(new OperatorContext(events, Clock.systemUTC(), "op", Duration.ofMinutes(10),
        OperatorContext.DEFAULT_STALLED_RECHECK, statusWriter, allowCrossNamespace, OwnerLookup.UNCHECKED),
        ecs, new FakeServiceDeploymentGateway(), scaling, region -> region == null ? REGION : region,
        new ServiceReferences.Lookup() {
          @Override
          public Optional<EcsTaskDefinition> taskDefinition(Context<EcsService> c, String namespace, String name) {
            return Optional.ofNullable(taskDefinitions.get(name));
          }

          @Override
          public Optional<EcsCluster> cluster(Context<EcsService> c, String namespace, String name) {
            return Optional.ofNullable(clusters.get(name));
          }
        });
  }

  private static EcsService service(String spec) {
    EcsService s = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsService
        metadata: {name: web, namespace: ns, generation: 1, uid: 0b7e4a4c-1111-2222-3333-444455556666}
        spec:
        %s
        """.formatted(spec.indent(2)), EcsService.class);
    s.setStatus(new EcsServiceStatus());
    return s;
  }

  private AwsResourceReconciler.Result sync(EcsService s) {
    AwsResourceReconciler.Result result = reconciler.sync(s, s.getStatus(), context);
    Conditions.apply(s.getStatus(), result.health(), s.getMetadata().getGeneration(), Clock.systemUTC());
    s.getStatus().setLastHandledReconcileAt(AwsResourceReconciler.annotation(s));
    return result;
  }

  private void taskDefinitionCr(String name, String arn, boolean ready) {
    EcsTaskDefinition td = new EcsTaskDefinition();
    td.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(2L).build());
    EcsTaskDefinitionStatus status = new EcsTaskDefinitionStatus();
    status.taskDefinitionArn = arn;
    Conditions.apply(status, ready ? Health.ready("Synced", "") : Health.progressing("Reconciling", ""), 2,
        Clock.systemUTC());
    td.setStatus(status);
    taskDefinitions.put(name, td);
  }

  private void clusterCr(String name, boolean ready) {
    EcsCluster c = new EcsCluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(1L).build());
    c.setStatus(new EcsClusterStatus());
    Conditions.apply(c.getStatus(), ready ? Health.ready("Synced", "") : Health.progressing("Reconciling", ""), 1,
        Clock.systemUTC());
    clusters.put(name, c);
  }

  private static final String FULL = """
      cluster: prod
      taskDefinition: web:1
      desiredCount: 2
      launchType: FARGATE
      platformVersion: 1.4.0
      networkConfiguration:
        awsvpcConfiguration: {subnets: [subnet-a, subnet-b, subnet-c], securityGroups: [sg-1, sg-2]}
      loadBalancers:
      - {targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/a/1', containerName: web, containerPort: 8080}
      - {targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/b/2', containerName: web, containerPort: 8080}
      deploymentConfiguration:
        deploymentCircuitBreaker: {enable: true, rollback: true}
      healthCheckGracePeriodSeconds: 30
      enableExecuteCommand: true
      propagateTags: SERVICE
      placementStrategy:
      - {type: spread, field: host}
      - {type: binpack, field: memory}
      placementConstraints:
      - {type: memberOf, expression: 'attribute:ecs.instance-type =~ t3.*'}
      - {type: distinctInstance}
      tags: {team: payments}
      """;

  /** A service Ready on web:1 whose spec then asks for web:2: UpdateService sent, the new deployment in progress. */
  private EcsService readyOnWeb1ThenAskedForWeb2() {
    EcsService s = service("cluster: prod\ntaskDefinition: web:1\ndesiredCount: 2");
    sync(s);
    ecs.complete("web");
    sync(s);
    s.getSpec().taskDefinition = "web:2";
    s.getMetadata().setGeneration(2L);
    sync(s);
    return s;
  }

  @Test
  void createsWithTheFullShapeAndOwnershipThenAnInSyncPassWritesNothing() {
    EcsService s = service(FULL);
    AwsResourceReconciler.Result created = sync(s);
    assertThat(ecs.writes).containsExactly("CreateService");
    assertThat(created.health().reason()).isEqualTo("RolloutInProgress");
    assertThat(created.requeue()).as("the rollout just started is looked at soon").contains(Rollout.FIRST_LOOK);
    var live = ecs.services.get("web");
    assertThat(live.tags()).contains(Tag.builder().key(Ownership.TAG).value("op/ns/web").build());
    assertThat(live.taskDefinition()).isEqualTo(V1);
    assertThat(s.getStatus().serviceArn).isEqualTo(live.serviceArn());
    assertThat(s.getStatus().lastDeploymentId).isEqualTo("ecs-svc/1");
    assertThat(s.getStatus().targetTaskDefinition).isEqualTo(V1);
    assertThat(sync(s).requeue()).as("a pass that only reads the rollout looks again after the poll")
        .contains(Rollout.POLL);

    ecs.complete("web");
    AwsResourceReconciler.Result ready = sync(s);
    // ECS reordered subnets, groups and load balancers, upper-cased MEMORY, said instanceId and filled defaults
    assertThat(ecs.writes).as("an in-sync pass writes nothing").containsExactly("CreateService");
    assertThat(ready.health().state()).isEqualTo(Health.State.READY);
    assertThat(ready.requeue()).isEmpty();
    assertThat(s.getStatus().runningCount).isEqualTo(2);
    assertThat(s.getStatus().deployments).singleElement()
        .satisfies(d -> assertThat(d.rolloutState).isEqualTo("COMPLETED"));
    assertThat(scaling.reads).as("no autoscaling reads without autoScaling").isEmpty();
  }

  @Test
  void aFamilyRevisionIsLookedUpOnceAndABareFamilyOnEveryPass() {
    EcsService pinned = service(FULL);
    sync(pinned);
    sync(pinned);
    sync(pinned);
    assertThat(ecs.taskDefinitionLookups).isEqualTo(1);

    EcsService latest = service("cluster: prod\ntaskDefinition: web\ndesiredCount: 1\nserviceName: latest");
    sync(latest);
    sync(latest);
    assertThat(ecs.taskDefinitionLookups).isEqualTo(3);
    assertThat(latest.getStatus().targetTaskDefinition).endsWith("task-definition/web:7");
  }

  @Test
  void sendsOneUpdateServiceWithOnlyWhatDiffers() {
    EcsService s = service(FULL);
    sync(s);
    ecs.complete("web");
    sync(s);
    s.getSpec().desiredCount = 4;
    s.getSpec().deploymentConfiguration.maximumPercent = 150;
    s.getSpec().placementStrategy.remove(1);
    s.getMetadata().setGeneration(2L);
    sync(s);
    assertThat(ecs.updates).singleElement().satisfies(u -> {
      assertThat(u.desiredCount()).isEqualTo(4);
      assertThat(u.deploymentConfiguration().maximumPercent()).isEqualTo(150);
      assertThat(u.placementStrategy()).hasSize(1);
      assertThat(u.taskDefinition()).isNull();
      assertThat(u.networkConfiguration()).isNull();
      assertThat(u.hasLoadBalancers()).isFalse();
      assertThat(u.forceNewDeployment()).isNull();
    });
    verify(events).normal(eq(s), eq("Updated"), eq("Updated desiredCount, deploymentConfiguration, placementStrategy"
        + " of ECS service web: desiredCount 2 → 4"));
  }

  @Test
  void driftIsPutBackWithADriftEvent() {
    EcsService s = service(FULL);
    sync(s);
    ecs.complete("web");
    sync(s);
    ecs.edit("web", b -> b.healthCheckGracePeriodSeconds(0).enableExecuteCommand(false)
        .tags(Tag.builder().key(Ownership.TAG).value("op/ns/web").build(), Tag.builder().key("team").value("payments")
            .build(), Tag.builder().key("x").value("y").build()));
    sync(s);
    assertThat(ecs.writes).containsExactly("CreateService", "UpdateService", "UntagResource");
    assertThat(ecs.updates.get(0).healthCheckGracePeriodSeconds()).isEqualTo(30);
    verify(events, times(2)).normal(eq(s), eq("DriftCorrected"), any());
  }

  @Test
  void listingTheChangesWritesNeitherStatusNorAwsTheUpdateRecordsItsMemoryOnceEcsAnswered() {
    EcsService s = service("cluster: prod\ntaskDefinition: web:1\ndesiredCount: 1\n"
        + "autoScaling: {minCapacity: 1, maxCapacity: 3}");
    sync(s);
    ecs.complete("web");
    sync(s);
    s.getSpec().taskDefinition = "web:2";
    s.getSpec().tags = Map.of("team", "a");
    s.getSpec().autoScaling.maxCapacity = 5;
    s.getMetadata().setAnnotations(new HashMap<>(Map.of(Annotations.REDEPLOY_REQUESTED_AT, "now")));
    s.getMetadata().setGeneration(2L);
    KubernetesSerialization json = new KubernetesSerialization();
    String before = json.asJson(s.getStatus());
    List<String> writes = List.copyOf(ecs.writes);
    var place = reconciler.place(s, s.getStatus(), context).target();
    var live = reconciler.observe(s, place).orElseThrow();
    List<Change> changes = reconciler.diff(s, live, place, "op/ns/web");
    assertThat(changes).extracting(Change::field).containsExactly("taskDefinition", "tags", "autoScaling");
    assertThat(json.asJson(s.getStatus())).as("status after listing the changes").isEqualTo(before);
    assertThat(ecs.writes).isEqualTo(writes);
    assertThat(scaling.writes).containsExactly("RegisterScalableTarget");

    changes.get(0).apply().run();
    assertThat(ecs.updates).singleElement().satisfies(u -> {
      assertThat(u.taskDefinition()).isEqualTo(V2);
      assertThat(u.forceNewDeployment()).isTrue();
    });
    assertThat(s.getStatus().targetTaskDefinition).isEqualTo(V2);
    assertThat(s.getStatus().previousTaskDefinition).isEqualTo(V1);
    assertThat(s.getStatus().lastHandledRedeployAt).isEqualTo("now");
    assertThat(s.getStatus().lastDeploymentId).isEqualTo("ecs-svc/2");
    verify(events).normal(eq(s), eq("Redeployed"), any());
  }

  @Test
  void unresolvedReferencesWaitWithoutAwsCallsOrRequeue() {
    EcsService s = service("clusterRef: {name: prod}\ntaskDefinitionRef: {name: web}\ndesiredCount: 1");
    AwsResourceReconciler.Result r = sync(s);
    assertThat(r.health().reason()).isEqualTo("ReferenceNotReady");
    assertThat(r.health().state()).isEqualTo(Health.State.PROGRESSING);
    assertThat(r.requeue()).isEmpty();
    clusterCr("prod", true);
    taskDefinitionCr("web", V1, false);
    assertThat(sync(s).health().message()).contains("EcsTaskDefinition web is not Ready");
    assertThat(ecs.describes).isZero();
    assertThat(ecs.writes).isEmpty();

    taskDefinitionCr("web", V1, true);
    sync(s);
    assertThat(ecs.services.get("web").taskDefinition()).isEqualTo(V1);
  }

  @Test
  void aNewRevisionOfTheReferencedFamilyRollsOut() {
    clusterCr("prod", true);
    taskDefinitionCr("web", V1, true);
    EcsService s = service("clusterRef: {name: prod}\ntaskDefinitionRef: {name: web}\ndesiredCount: 2");
    sync(s);
    ecs.complete("web");
    assertThat(sync(s).health().state()).isEqualTo(Health.State.READY);

    taskDefinitionCr("web", V2, true);
    AwsResourceReconciler.Result rolling = sync(s);
    assertThat(ecs.updates).singleElement().satisfies(u -> assertThat(u.taskDefinition()).isEqualTo(V2));
    assertThat(rolling.health().reason()).isEqualTo("RolloutInProgress");
    assertThat(rolling.requeue()).as("the pass whose UpdateService started the rollout looks soon")
        .contains(Duration.ofSeconds(1));
    verify(events).normal(eq(s), eq("Updated"), eq("Updated taskDefinition of ECS service web: taskDefinition "
        + "web:1 → web:2"));
    assertThat(sync(s).requeue()).as("then every 2 s").contains(Duration.ofSeconds(2));
    assertThat(ecs.updates).hasSize(1);

    ecs.complete("web");
    AwsResourceReconciler.Result done = sync(s);
    assertThat(done.health().state()).isEqualTo(Health.State.READY);
    verify(events).normal(eq(s), eq("RolloutComplete"), eq("Rolled out web:2 to ECS service web: 2/2 tasks running"));
    sync(s);
    verify(events, times(1)).normal(eq(s), eq("RolloutComplete"),
        eq("Rolled out web:2 to ECS service web: 2/2 tasks running"));
    assertThat(done.requeue()).isEmpty();
    assertThat(ecs.updates).hasSize(1);
  }

  @Test
  void aRolledBackRevisionIsStalledAndNeverReappliedUntilANewOne() {
    clusterCr("prod", true);
    taskDefinitionCr("web", V1, true);
    EcsService s = service("""
        clusterRef: {name: prod}
        taskDefinitionRef: {name: web}
        desiredCount: 2
        deploymentConfiguration: {deploymentCircuitBreaker: {enable: true, rollback: true}}
        """);
    sync(s);
    ecs.complete("web");
    sync(s);
    taskDefinitionCr("web", V2, true);
    sync(s);
    ecs.rollBack("web"); // looks stable: one COMPLETED deployment of V1, running == desired

    AwsResourceReconciler.Result stalled = sync(s);
    assertThat(stalled.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(stalled.health().reason()).isEqualTo("RolledBack");
    assertThat(stalled.health().message()).contains(V2, "not applied again");
    assertThat(s.getStatus().failedTaskDefinition).isEqualTo(V2);
    verify(events).warning(eq(s), eq("RolledBack"), any());

    for (int i = 0; i < 3; i++) {
      assertThat(sync(s).health().reason()).isEqualTo("RolledBack");
    }
    assertThat(ecs.updates).as("no redeploy loop").hasSize(1);
    verify(events, times(1)).warning(eq(s), eq("RolledBack"), any());

    taskDefinitionCr("web", V3, true);
    assertThat(sync(s).health().reason()).isEqualTo("RolloutInProgress");
    assertThat(ecs.updates).hasSize(2);
    assertThat(ecs.updates.get(1).taskDefinition()).isEqualTo(V3);
    assertThat(s.getStatus().failedTaskDefinition).isNull();
    ecs.complete("web");
    assertThat(sync(s).health().state()).isEqualTo(Health.State.READY);
  }

  @Test
  void aRollbackThePrimarySaysIsStalledRolledBack() {
    EcsService s = readyOnWeb1ThenAskedForWeb2();
    s.getStatus().previousTaskDefinition = null; // as written by an older operator: the reason alone is evidence
    ecs.rollBack("web", "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.");
    AwsResourceReconciler.Result stalled = sync(s);
    assertThat(stalled.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(stalled.health().reason()).isEqualTo("RolledBack");
    assertThat(s.getStatus().failedTaskDefinition).isEqualTo(V2);
    sync(s);
    assertThat(ecs.updates).hasSize(1);
  }

  @Test
  void aTaskDefinitionChangedOutsideIsPutBackNotReportedAsARollback() {
    EcsService s = readyOnWeb1ThenAskedForWeb2();
    ecs.complete("web");
    assertThat(sync(s).health().state()).isEqualTo(Health.State.READY);

    // aws ecs update-service --task-definition web:3, and its deployment completed: our deployment is gone
    ecs.update(REGION, UpdateServiceRequest.builder().service("web").taskDefinition("web:3").build());
    ecs.complete("web");
    AwsResourceReconciler.Result corrected = sync(s);
    assertThat(corrected.health().state()).isNotEqualTo(Health.State.STALLED);
    assertThat(s.getStatus().failedTaskDefinition).isNull();
    assertThat(ecs.updates).hasSize(3);
    assertThat(ecs.updates.get(2).taskDefinition()).isEqualTo(V2);
    assertThat(ecs.services.get("web").taskDefinition()).isEqualTo(V2);
    verify(events).normal(eq(s), eq("DriftCorrected"), eq("Updated taskDefinition of ECS service web: taskDefinition "
        + "web:3 → web:2 (changed in AWS outside ecs-bridge)"));
    verify(events, times(0)).warning(eq(s), eq("RolledBack"), any());
    ecs.complete("web");
    assertThat(sync(s).health().state()).isEqualTo(Health.State.READY);
  }

  @Test
  void theReconcileAnnotationRetriesAFailedRevisionOnce() {
    EcsService s = readyOnWeb1ThenAskedForWeb2();
    ecs.rollBack("web");
    assertThat(sync(s).health().reason()).isEqualTo("RolledBack");
    assertThat(sync(s).health().reason()).isEqualTo("RolledBack");
    assertThat(ecs.updates).hasSize(1);

    s.getMetadata().setAnnotations(Map.of(Annotations.RECONCILE_REQUESTED_AT, "now"));
    assertThat(sync(s).health().reason()).isEqualTo("RolloutInProgress");
    assertThat(ecs.updates).hasSize(2);
    assertThat(ecs.updates.get(1).taskDefinition()).isEqualTo(V2);
  }

  @Test
  void aFailedRolloutWithoutRollbackIsStalledRolloutFailed() {
    EcsService s = readyOnWeb1ThenAskedForWeb2();
    ecs.fail("web");
    AwsResourceReconciler.Result failed = sync(s);
    assertThat(failed.health().state()).isEqualTo(Health.State.STALLED);
    assertThat(failed.health().reason()).isEqualTo("RolloutFailed");
    assertThat(failed.health().message()).isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
    assertThat(s.getStatus().failedTaskDefinition).isEqualTo(V2);
    sync(s);
    assertThat(ecs.updates).hasSize(1);
  }

  @Test
  void theRedeployAnnotationForcesOneNewDeploymentPerValue() {
    EcsService s = service("cluster: prod\ntaskDefinition: web:1\ndesiredCount: 1");
    s.getMetadata().setAnnotations(new HashMap<>(Map.of(Annotations.REDEPLOY_REQUESTED_AT, "a")));
    sync(s);
    ecs.complete("web");
    sync(s);
    assertThat(ecs.updates).as("the value present at creation is handled by the creation").isEmpty();

    s.getMetadata().getAnnotations().put(Annotations.REDEPLOY_REQUESTED_AT, "b");
    assertThat(sync(s).health().reason()).isEqualTo("RolloutInProgress");
    assertThat(ecs.updates).singleElement().satisfies(u -> {
      assertThat(u.forceNewDeployment()).isTrue();
      assertThat(u.taskDefinition()).isNull();
    });
    assertThat(s.getStatus().lastHandledRedeployAt).isEqualTo("b");
    verify(events).normal(eq(s), eq("Redeployed"), any());
    ecs.complete("web");
    sync(s);
    sync(s);
    assertThat(ecs.updates).hasSize(1);
  }

  @Test
  void aRedeployOrRevisionIsNotHandledUntilAwsAnswered() {
    EcsService s = service("cluster: prod\ntaskDefinition: web:1\ndesiredCount: 1");
    s.getMetadata().setAnnotations(new HashMap<>(Map.of(Annotations.REDEPLOY_REQUESTED_AT, "a")));
    ecs.failCreateWith = new AwsException(AwsException.Kind.RETRYABLE, "ThrottlingException", 400, "Rate exceeded",
        null);
    assertThatThrownBy(() -> sync(s)).isInstanceOf(AwsException.class);
    assertThat(s.getStatus().lastHandledRedeployAt).isNull();
    assertThat(s.getStatus().targetTaskDefinition).isNull();
    ecs.failCreateWith = null;
    sync(s);
    ecs.complete("web");
    sync(s);

    s.getMetadata().getAnnotations().put(Annotations.REDEPLOY_REQUESTED_AT, "b");
    s.getSpec().taskDefinition = "web:2";
    s.getMetadata().setGeneration(2L);
    ecs.failUpdateWith = new AwsException(AwsException.Kind.RETRYABLE, "ThrottlingException", 400, "Rate exceeded",
        null);
    assertThatThrownBy(() -> sync(s)).isInstanceOf(AwsException.class);
    assertThat(s.getStatus().lastHandledRedeployAt).as("the status the error handler persists").isEqualTo("a");
    assertThat(s.getStatus().targetTaskDefinition).isEqualTo(V1);

    ecs.failUpdateWith = null;
    assertThat(sync(s).health().reason()).isEqualTo("RolloutInProgress");
    assertThat(ecs.updates).singleElement().satisfies(u -> {
      assertThat(u.forceNewDeployment()).isTrue();
      assertThat(u.taskDefinition()).isEqualTo(V2);
    });
    assertThat(s.getStatus().lastHandledRedeployAt).isEqualTo("b");
    assertThat(s.getStatus().targetTaskDefinition).isEqualTo(V2);
    verify(events).normal(eq(s), eq("Redeployed"), any());
  }

  @Test
  void autoScalingIsManagedAndTheAutoscalerIsNeverFought() {
    EcsService s = service("""
        cluster: prod
        taskDefinition: web:1
        desiredCount: 2
        autoScaling:
          minCapacity: 2
          maxCapacity: 10
          targetTrackingPolicies:
          - {name: cpu, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60}
          - {name: mem, predefinedMetricType: ECSServiceAverageMemoryUtilization, targetValue: 70, scaleInCooldown: 60}
          scheduledActions:
          - {name: night, schedule: 'cron(0 22 * * ? *)', timezone: Europe/Paris, minCapacity: 1, maxCapacity: 2}
        """);
    sync(s);
    assertThat(scaling.writes).containsExactly("RegisterScalableTarget", "PutScalingPolicy:cpu",
        "PutScalingPolicy:mem", "PutScheduledAction:night");
    assertThat(s.getStatus().autoScalingResourceId).isEqualTo("service/prod/web");
    ecs.complete("web");
    sync(s);
    assertThat(scaling.writes).hasSize(4);

    // the autoscaler scales out: the operator leaves desiredCount alone
    ecs.edit("web", b -> b.desiredCount(7).runningCount(7));
    sync(s);
    assertThat(ecs.writes).containsExactly("CreateService");
    assertThat(scaling.writes).hasSize(4);
    sync(s);
    verify(events, times(1)).warning(eq(s), eq("DesiredCountIgnored"), eq("desiredCount 2 is not applied: autoScaling "
        + "owns the count (ECS service web has 7 desired, between 2 and 10); desiredCount is only the initial count"));

    s.getSpec().autoScaling.maxCapacity = 12;
    s.getSpec().autoScaling.targetTrackingPolicies.get(0).targetValue = 50.0;
    s.getSpec().autoScaling.targetTrackingPolicies.remove(1);
    s.getSpec().autoScaling.scheduledActions = null;
    s.getSpec().desiredCount = 3;
    sync(s);
    assertThat(scaling.writes.subList(4, scaling.writes.size())).containsExactly("RegisterScalableTarget",
        "PutScalingPolicy:cpu", "DeleteScalingPolicy:mem", "DeleteScheduledAction:night");
    assertThat(ecs.writes).as("desiredCount is not sent with autoScaling").containsExactly("CreateService");

    s.getSpec().autoScaling = null;
    sync(s);
    assertThat(scaling.targets).isEmpty();
    assertThat(scaling.policies).isEmpty();
    assertThat(s.getStatus().autoScalingResourceId).isNull();
    assertThat(ecs.updates).singleElement().satisfies(u -> assertThat(u.desiredCount()).isEqualTo(3));
    scaling.reads.clear();
    sync(s);
    assertThat(scaling.reads).as("no autoscaling reads once it is no longer managed").isEmpty();
  }

  @Test
  void aScheduledActionFiringIsNotUndoneButSpecChangesAndDriftWithoutActionsAre() {
    EcsService s = service("""
        cluster: prod
        taskDefinition: web:1
        desiredCount: 2
        autoScaling:
          minCapacity: 2
          maxCapacity: 10
          scheduledActions:
          - {name: night, schedule: 'cron(0 22 * * ? *)', minCapacity: 1, maxCapacity: 2}
        """);
    sync(s);
    ecs.complete("web");
    sync(s);
    assertThat(scaling.writes).containsExactly("RegisterScalableTarget", "PutScheduledAction:night");
    assertThat(s.getStatus().appliedMaxCapacity).isEqualTo(10);

    fire(1, 2); // the night action sets the target's min and max
    sync(s);
    sync(s);
    assertThat(scaling.writes).as("the action's min/max are left alone").hasSize(2);
    assertThat(scaling.targets.get("service/prod/web").maxCapacity()).isEqualTo(2);

    s.getSpec().autoScaling.maxCapacity = 12;
    s.getMetadata().setGeneration(2L);
    sync(s);
    assertThat(scaling.writes.subList(2, scaling.writes.size())).containsExactly("RegisterScalableTarget");
    assertThat(scaling.targets.get("service/prod/web").maxCapacity()).isEqualTo(12);

    s.getSpec().autoScaling.scheduledActions = null;
    s.getMetadata().setGeneration(3L);
    sync(s);
    fire(1, 2); // without scheduled actions a changed min/max is drift, put back
    sync(s);
    assertThat(scaling.writes.subList(3, scaling.writes.size())).containsExactly("DeleteScheduledAction:night",
        "RegisterScalableTarget");
    assertThat(scaling.targets.get("service/prod/web").minCapacity()).isEqualTo(2);
  }

  private void fire(int min, int max) {
    scaling.targets.computeIfPresent("service/prod/web", (id, t) -> t.toBuilder().minCapacity(min).maxCapacity(max)
        .build());
  }

  @Test
  void externalControllersAreNotFought() {
    EcsService s = service("""
        cluster: prod
        taskDefinition: web:1
        desiredCount: 2
        deploymentController: {type: EXTERNAL}
        loadBalancers:
        - {targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/a/1', containerName: web, containerPort: 80}
        """);
    sync(s);
    ecs.edit("web", b -> b.taskDefinition(V3).loadBalancers(List.of()).platformVersion("1.3.0"));
    assertThat(sync(s).health().state()).isEqualTo(Health.State.READY);
    assertThat(ecs.updates).isEmpty();

    s.getSpec().taskDefinition = "web:2";
    s.getSpec().desiredCount = 3;
    sync(s);
    assertThat(ecs.updates).singleElement().satisfies(u -> {
      assertThat(u.desiredCount()).isEqualTo(3);
      assertThat(u.taskDefinition()).isNull();
      assertThat(u.hasLoadBalancers()).isFalse();
      assertThat(u.platformVersion()).isNull();
      assertThat(u.deploymentConfiguration()).isNull();
    });
  }

  @Test
  void codeDeployKeepsItsFieldsButTheDeploymentConfigurationIsOurs() {
    EcsService s = service("cluster: prod\ntaskDefinition: web:1\ndesiredCount: 2\n"
        + "deploymentController: {type: CODE_DEPLOY}");
    sync(s);
    assertThat(ecs.services.get("web").taskDefinition()).as("CodeDeploy needs the first one").isEqualTo(V1);
    s.getSpec().taskDefinition = "web:2";
    s.getSpec().deploymentConfiguration = new io.ecsbridge.api.v1alpha1.EcsServiceSpec.DeploymentConfiguration();
    s.getSpec().deploymentConfiguration.minimumHealthyPercent = 50;
    s.getMetadata().setGeneration(2L);
    sync(s);
    assertThat(ecs.updates).singleElement().satisfies(u -> {
      assertThat(u.taskDefinition()).isNull();
      assertThat(u.deploymentConfiguration().minimumHealthyPercent()).isEqualTo(50);
    });
  }

  private static final String SERVICE_CONNECT = """
      cluster: prod
      taskDefinition: web:1
      desiredCount: 1
      serviceConnectConfiguration:
        enabled: true
        namespace: internal
        services:
        - portName: http
          clientAliases: [{port: 80, dnsName: web.internal}]
          timeout: {idleTimeoutSeconds: 60}
          tls: {issuerCertificateAuthority: {awsPcaAuthorityArn: 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/1-2'}}
        logConfiguration: {logDriver: awslogs, options: {awslogs-group: sc}}
        accessLogConfiguration: {format: JSON}
      """;

  @Test
  void serviceConnectIsComparedWithWhatThePrimaryDeploymentReports() {
    EcsService s = service(SERVICE_CONNECT);
    sync(s);
    ecs.complete("web");
    sync(s);
    assertThat(ecs.updates).as("the PRIMARY deployment reports it as sent: no resend").isEmpty();
    assertThat(ecs.revisionReads).as("the deployment says: no revision read").isZero();

    s.getSpec().serviceConnectConfiguration.services.get(0).clientAliases.get(0).port = 8080;
    sync(s);
    assertThat(ecs.updates).singleElement().satisfies(u -> assertThat(u.serviceConnectConfiguration().services()
        .get(0).clientAliases().get(0).port()).isEqualTo(8080));
    ecs.complete("web");
    sync(s);
    assertThat(ecs.updates).hasSize(1);

    // changed behind the operator's back: the next deployment ECS made has another timeout
    ecs.edit("web", b -> b.deployments(FakeServiceGateway.primary(ecs.services.get("web")).toBuilder()
        .serviceConnectConfiguration(c -> c.enabled(true).namespace("internal").services(v -> v.portName("http")
            .clientAliases(a -> a.port(8080).dnsName("web.internal")).timeout(t -> t.idleTimeoutSeconds(5)))).build()));
    sync(s);
    assertThat(ecs.updates).hasSize(2);
    assertThat(ecs.updates.get(1).serviceConnectConfiguration().services().get(0).timeout().idleTimeoutSeconds())
        .isEqualTo(60);
    ecs.complete("web");

    s.getSpec().serviceConnectConfiguration = null;
    sync(s);
    assertThat(ecs.updates).hasSize(3);
    assertThat(ecs.updates.get(2).serviceConnectConfiguration().enabled()).isFalse();
    ecs.complete("web");
    sync(s);
    assertThat(ecs.updates).hasSize(3);
  }

  @Test
  void whatEcsFillsInWhereTheSpecSaysNothingIsNoDifference() {
    EcsService s = service("""
        cluster: prod
        taskDefinition: web:1
        desiredCount: 1
        serviceConnectConfiguration:
          enabled: true
          services: [{portName: http, clientAliases: [{port: 80}]}]
        """);
    sync(s);
    ecs.complete("web");
    ecs.edit("web", b -> b.deployments(FakeServiceGateway.primary(ecs.services.get("web")).toBuilder()
        .serviceConnectConfiguration(c -> c.enabled(true)
            .namespace("arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-1")
            .services(v -> v.portName("http").discoveryName("http").clientAliases(a -> a.port(80).dnsName("http.ns"))
                .timeout(t -> t.idleTimeoutSeconds(300).perRequestTimeoutSeconds(15)))).build()));
    sync(s);
    assertThat(ecs.updates).as("namespace, discoveryName, dnsName and timeouts are ECS's defaults").isEmpty();
  }

  /**
   * Services made by an earlier version have status.serviceConnectHash (a hash of the SDK's toString of what was
   * sent): it is ignored, and a live configuration equal to the spec is not sent again (that starts a deployment).
   */
  @Test
  void anOldStatusWithTheServiceConnectHashMakesNoUpdateWhenEcsMatchesTheSpec() {
    EcsService s = service(SERVICE_CONNECT);
    sync(s);
    ecs.complete("web");
    ecs.writes.clear();
    var serialization = new KubernetesSerialization();
    String json = serialization.asJson(s).replace("\"status\":{", "\"status\":{\"serviceConnectHash\":\"10f5a49effb328b268a0553d\",");
    EcsService upgraded = serialization.unmarshal(json, EcsService.class);
    tenancy(false); // a new operator process: nothing cached
    sync(upgraded);
    assertThat(ecs.writes).as("the old hash is not compared: ECS reports the same configuration").isEmpty();
    assertThat(upgraded.getStatus().serviceConnectHash).as("forgotten").isNull();
  }

  @Test
  void aMemberTheDeploymentDoesNotReportIsReadFromTheCurrentRevisionOnce() {
    EcsService s = service(SERVICE_CONNECT);
    sync(s);
    ecs.complete("web");
    String revision = "arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/web/1";
    var sent = ecs.services.get("web").deployments().get(0).serviceConnectConfiguration();
    ecs.revisions.put(revision, software.amazon.awssdk.services.ecs.model.ServiceRevision.builder()
        .serviceRevisionArn(revision).serviceConnectConfiguration(sent).build());
    ecs.edit("web", b -> b.currentServiceRevisions(r -> r.arn(revision)).deployments(
        FakeServiceGateway.primary(ecs.services.get("web")).toBuilder().serviceConnectConfiguration(
            (software.amazon.awssdk.services.ecs.model.ServiceConnectConfiguration) null).build()));
    sync(s);
    sync(s);
    sync(s);
    assertThat(ecs.writes).containsExactly("CreateService");
    assertThat(ecs.revisionReads).as("a revision never changes: read once").isEqualTo(1);

    EcsService plain = service("cluster: prod\ntaskDefinition: web:1\ndesiredCount: 1\nserviceName: plain");
    sync(plain);
    ecs.complete("plain");
    ecs.edit("plain", b -> b.currentServiceRevisions(r -> r.arn(revision + "-plain")));
    sync(plain);
    assertThat(ecs.revisionReads).as("no revision member in the spec: nothing read").isEqualTo(1);
  }

  @Test
  void volumesLatticeAndZoneRebalancingReachEcsAndDriftIsPutBack() {
    EcsService s = service("""
        cluster: prod
        taskDefinition: web:1
        desiredCount: 1
        availabilityZoneRebalancing: DISABLED
        volumeConfigurations:
        - name: data
          managedEBSVolume: {roleArn: 'arn:aws:iam::123456789012:role/ebs', sizeInGiB: 20, encrypted: true}
        vpcLatticeConfigurations:
        - {roleArn: 'arn:aws:iam::123456789012:role/lattice', portName: http,
           targetGroupArn: 'arn:aws:vpc-lattice:eu-west-1:123456789012:targetgroup/tg-1'}
        """);
    sync(s);
    ecs.complete("web");
    var live = ecs.services.get("web");
    assertThat(live.availabilityZoneRebalancingAsString()).isEqualTo("DISABLED");
    assertThat(live.deployments().get(0).volumeConfigurations()).singleElement()
        .satisfies(v -> assertThat(v.managedEBSVolume().sizeInGiB()).isEqualTo(20));
    // ECS reports what it filled in: the volume's type and file system
    ecs.edit("web", b -> b.deployments(FakeServiceGateway.primary(ecs.services.get("web")).toBuilder()
        .volumeConfigurations(v -> v.name("data").managedEBSVolume(e -> e.roleArn("arn:aws:iam::123456789012:role/ebs")
            .sizeInGiB(20).encrypted(true).volumeType("gp3").filesystemType("xfs"))).build()));
    sync(s);
    assertThat(ecs.updates).as("in sync").isEmpty();

    ecs.edit("web", b -> b.availabilityZoneRebalancing("ENABLED").deployments(
        FakeServiceGateway.primary(ecs.services.get("web")).toBuilder().volumeConfigurations(v -> v.name("data")
            .managedEBSVolume(e -> e.roleArn("arn:aws:iam::123456789012:role/ebs").sizeInGiB(50))).vpcLatticeConfigurations(
            List.of()).build()));
    sync(s);
    assertThat(ecs.updates).singleElement().satisfies(u -> {
      assertThat(u.availabilityZoneRebalancingAsString()).isEqualTo("DISABLED");
      assertThat(u.volumeConfigurations().get(0).managedEBSVolume().sizeInGiB()).isEqualTo(20);
      assertThat(u.vpcLatticeConfigurations()).singleElement()
          .satisfies(l -> assertThat(l.portName()).isEqualTo("http"));
    });
    ecs.complete("web");
    sync(s);
    assertThat(ecs.updates).hasSize(1);
  }

  @Test
  void normalizationMatchesEcsDefaultsAndRewrites() {
    EcsService s = service("""
        cluster: prod
        taskDefinition: web:1
        schedulingStrategy: DAEMON
        capacityProviderStrategy: [{capacityProvider: FARGATE_SPOT, weight: 1}, {capacityProvider: FARGATE, base: 1}]
        """);
    sync(s);
    ecs.complete("web");
    sync(s);
    assertThat(ecs.writes).containsExactly("CreateService");
    var live = ecs.services.get("web");
    assertThat(live.deploymentConfiguration().maximumPercent()).isEqualTo(100);
    assertThat(live.launchType()).isNull();
    UpdateServiceRequest.Builder update = UpdateServiceRequest.builder();
    var none = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    assertThat(ServiceRequest.diffs(s.getSpec(), live, none, V1, update)).isEmpty();
    assertThat(ServiceRequest.diffs(s.getSpec(), live, none, V2, update))
        .containsExactly("taskDefinition");
  }
}
