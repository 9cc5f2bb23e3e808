package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsService;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/** EcsService autoScaling end to end against moto's Application Auto Scaling: managed, never fought, removed. */
class EcsServiceAutoScalingIT extends EcsServiceFixtures {
  private static final String RESOURCE_ID = "service/prod/web";

  private List<ScalableTarget> targets() {
    return aws.autoScaling().describeScalableTargets(r -> r.serviceNamespace(ServiceNamespace.ECS)
        .resourceIds(RESOURCE_ID).scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)).scalableTargets();
  }

  private List<ScalingPolicy> policies() {
    return aws.autoScaling().describeScalingPolicies(r -> r.serviceNamespace(ServiceNamespace.ECS)
        .resourceId(RESOURCE_ID)).scalingPolicies();
  }

  private List<ScheduledAction> actions() {
    return aws.autoScaling().describeScheduledActions(r -> r.serviceNamespace(ServiceNamespace.ECS)
        .resourceId(RESOURCE_ID)).scheduledActions();
  }

  private double autoScalingWrites() {
    return awsCalls("application-autoscaling", null) - awsCalls("application-autoscaling", "DescribeScalableTargets")
        - awsCalls("application-autoscaling", "DescribeScalingPolicies")
        - awsCalls("application-autoscaling", "DescribeScheduledActions");
  }

  private EcsService createScaledService() {
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    registerTaskDefinition("web", "nginx:1.27");
    EcsService created = create(service("web", """
        cluster: prod
        taskDefinition: web:1
        desiredCount: 2
        launchType: EC2
        autoScaling:
          minCapacity: 2
          maxCapacity: 10
          targetTrackingPolicies:
          - {name: cpu, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60, scaleInCooldown: 120}
          - {name: memory, predefinedMetricType: ECSServiceAverageMemoryUtilization, targetValue: 75}
          scheduledActions:
          - {name: night, schedule: 'cron(0 22 * * ? *)', timezone: Europe/Paris, minCapacity: 1, maxCapacity: 2}
        """));
    awaitReady("web");
    return created;
  }

  @Test
  void createsTheTargetPoliciesAndActionsAndNeverFightsTheAutoscaler() {
    EcsService created = createScaledService();
    assertThat(targets()).singleElement().satisfies(t -> {
      assertThat(t.minCapacity()).isEqualTo(2);
      assertThat(t.maxCapacity()).isEqualTo(10);
    });
    assertThat(policies()).extracting(ScalingPolicy::policyName).containsExactlyInAnyOrder("cpu", "memory");
    assertThat(policies()).filteredOn(p -> p.policyName().equals("cpu")).singleElement().satisfies(p -> {
      assertThat(p.targetTrackingScalingPolicyConfiguration().targetValue()).isEqualTo(60.0);
      assertThat(p.targetTrackingScalingPolicyConfiguration().scaleInCooldown()).isEqualTo(120);
      assertThat(p.targetTrackingScalingPolicyConfiguration().predefinedMetricSpecification()
          .predefinedMetricTypeAsString()).isEqualTo("ECSServiceAverageCPUUtilization");
    });
    assertThat(actions()).singleElement().satisfies(a -> {
      assertThat(a.schedule()).isEqualTo("cron(0 22 * * ? *)");
      assertThat(a.timezone()).isEqualTo("Europe/Paris");
      assertThat(a.scalableTargetAction().maxCapacity()).isEqualTo(2);
    });
    assertThat(get(EcsService.class, "web").getStatus().autoScalingResourceId).isEqualTo(RESOURCE_ID);

    // the autoscaler scales out; a resync (asked by annotation) leaves its choice alone and writes nothing
    double writes = awsWrites();
    aws.ecs().updateService(r -> r.cluster("prod").service("web").desiredCount(6));
    annotate(created, Annotations.RECONCILE_REQUESTED_AT, "after-scale-out");
    eventually().until(() -> "after-scale-out".equals(get(EcsService.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(awsWrites()).as("writes after the autoscaler changed desiredCount").isEqualTo(writes);
    assertThat(describe("prod", "web").desiredCount()).isEqualTo(6);
    eventually().until(() -> Integer.valueOf(6).equals(get(EcsService.class, "web").getStatus().desiredCount));
    // desiredCount 2 is not applied: told in one Warning, not again on the next resync of the same generation
    eventually().until(() -> hasEvent(created, "DesiredCountIgnored"));
    Long generation = get(EcsService.class, "web").getMetadata().getGeneration();
    // annotated untyped: a typed update round-trips the spec, which may count as a new generation
    k8s.genericKubernetesResources("ecsbridge.io/v1alpha1", "EcsService").inNamespace(namespace).withName("web")
        .edit(r -> {
          r.getMetadata().getAnnotations().put(Annotations.RECONCILE_REQUESTED_AT, "after-scale-out-2");
          return r;
        });
    eventually().until(() -> "after-scale-out-2".equals(get(EcsService.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(get(EcsService.class, "web").getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(events(created)).filteredOn(e -> "DesiredCountIgnored".equals(e.getReason())).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getCount()).isEqualTo(1);
          assertThat(e.getMessage()).startsWith("desiredCount 2 is not applied: autoScaling owns the count");
        });

    // the night action fires: it sets the target's min and max; a resync leaves them alone (no RegisterScalableTarget)
    double registers = awsCalls("application-autoscaling", "RegisterScalableTarget");
    aws.autoScaling().registerScalableTarget(r -> r.serviceNamespace(ServiceNamespace.ECS).resourceId(RESOURCE_ID)
        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).minCapacity(1).maxCapacity(2));
    annotate(created, Annotations.RECONCILE_REQUESTED_AT, "after-night-action");
    eventually().until(() -> "after-night-action".equals(get(EcsService.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(awsCalls("application-autoscaling", "RegisterScalableTarget")).isEqualTo(registers);
    assertThat(targets()).singleElement().satisfies(t -> assertThat(t.maxCapacity()).isEqualTo(2));
  }

  @Test
  void changesAreWrittenOneByOneAndRemovingTheBlockDeregistersEverything() {
    EcsService created = createScaledService();
    double writes = autoScalingWrites();
    edit(created, r -> {
      var scaling = ((EcsService) r).getSpec().autoScaling;
      scaling.targetTrackingPolicies.get(0).targetValue = 50.0;
      scaling.targetTrackingPolicies.remove(1);
      scaling.scheduledActions = null;
      return r;
    });
    eventually().until(() -> policies().size() == 1 && actions().isEmpty()
        && policies().get(0).targetTrackingScalingPolicyConfiguration().targetValue() == 50.0);
    awaitReady("web");
    assertThat(autoScalingWrites() - writes).as("PutScalingPolicy cpu, DeleteScalingPolicy memory, "
        + "DeleteScheduledAction night").isEqualTo(3.0);
    assertThat(awsCalls("application-autoscaling", "RegisterScalableTarget")).isEqualTo(1.0);

    edit(created, r -> {
      ((EcsService) r).getSpec().autoScaling = null;
      return r;
    });
    eventually().until(() -> targets().isEmpty() && policies().isEmpty());
    eventually().until(() -> get(EcsService.class, "web").getStatus().autoScalingResourceId == null);
    awaitReady("web");
    double reads = awsCalls("application-autoscaling", null);
    annotate(created, Annotations.RECONCILE_REQUESTED_AT, "no-more-autoscaling");
    eventually().until(() -> "no-more-autoscaling".equals(get(EcsService.class, "web").getStatus()
        .getLastHandledReconcileAt()));
    assertThat(awsCalls("application-autoscaling", null)).as("no autoscaling reads once removed").isEqualTo(reads);
  }

  @Test
  void deletingTheServiceDeregistersItsScalableTarget() {
    EcsService created = createScaledService();
    k8s.resource(created).inNamespace(namespace).delete();
    eventually().until(() -> get(EcsService.class, "web") == null);
    assertThat(targets()).isEmpty();
    assertThat(describe("prod", "web").status()).isEqualTo("INACTIVE");
  }
}
