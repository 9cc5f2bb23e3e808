package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Change;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.FakeAutoScalingGateway;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PredefinedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/** An EcsService's Application Auto Scaling against an in-memory Application Auto Scaling. */
class ServiceAutoScalingTest {
  private static final String REGION = "eu-west-1";
  private static final String ID = "service/prod/web";

  private final FakeAutoScalingGateway scaling = new FakeAutoScalingGateway();
  private final ServiceAutoScaling autoScaling = new ServiceAutoScaling(scaling);
  private final EcsServiceStatus status = new EcsServiceStatus();

  private static EcsServiceSpec spec(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml, EcsServiceSpec.class);
  }

  private void apply(List<Change> changes) {
    changes.forEach(c -> c.apply().run());
  }

  @Test
  void theResourceIdNamesTheClusterByName() {
    assertThat(ServiceAutoScaling.resourceId("prod", "web")).isEqualTo(ID);
    assertThat(ServiceAutoScaling.resourceId("arn:aws:ecs:eu-west-1:123456789012:cluster/prod", "web")).isEqualTo(ID);
  }

  @Test
  void aPolicyOfTheSpecEqualsTheLiveOneAwsFilledTheDefaultsOf() {
    EcsServiceSpec.TargetTrackingPolicy p = spec("""
        autoScaling:
          minCapacity: 1
          maxCapacity: 3
          targetTrackingPolicies: [{name: cpu, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60}]
        """).autoScaling.targetTrackingPolicies.get(0);
    TargetTrackingScalingPolicyConfiguration live = TargetTrackingScalingPolicyConfiguration.builder()
        .targetValue(60.0)
        .predefinedMetricSpecification(PredefinedMetricSpecification.builder()
            .predefinedMetricType(MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION).build())
        .scaleInCooldown(300).scaleOutCooldown(300).disableScaleIn(false).build();
    assertThat(ServiceAutoScaling.targetTracking(p)).isEqualTo(ServiceAutoScaling.normalized(live));
    assertThat(ServiceAutoScaling.normalized(live.toBuilder().scaleInCooldown(null).disableScaleIn(null).build()))
        .as("AWS's defaults").isEqualTo(ServiceAutoScaling.normalized(live));
    assertThat(ServiceAutoScaling.normalized(live.toBuilder().scaleInCooldown(60).build()))
        .isNotEqualTo(ServiceAutoScaling.targetTracking(p));
    assertThat(ServiceAutoScaling.normalized(live.toBuilder().predefinedMetricSpecification(
        (PredefinedMetricSpecification) null).build())).as("a customized metric: not the spec's").isNull();
    assertThat(ServiceAutoScaling.normalized(null)).isNull();
  }

  @Test
  void aResourceIdInStatusThatIsNotThisServicesIsNeverActedOn() {
    // someone who may write status names another service's scalable target
    String theirs = "service/team-b-cluster/api";
    scaling.registerTarget(REGION, theirs, 1, 5);
    scaling.writes.clear();
    status.autoScalingResourceId = theirs;
    apply(autoScaling.changes(spec("desiredCount: 1"), status, REGION, ID, false));
    assertThat(autoScaling.deregisterBeforeDelete(spec("desiredCount: 1"), status, REGION, ID)).isEmpty();
    assertThat(scaling.writes).as("calls on another service's scaling").isEmpty();
    assertThat(scaling.targets).containsKey(theirs);
  }

  @Test
  void theTargetPoliciesAndActionsAreRegisteredThenInSyncThenRemoved() {
    EcsServiceSpec spec = spec("""
        autoScaling:
          minCapacity: 2
          maxCapacity: 10
          targetTrackingPolicies: [{name: cpu, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60}]
          scheduledActions: [{name: night, schedule: 'cron(0 22 * * ? *)', minCapacity: 1, maxCapacity: 2}]
        """);
    List<Change> first = autoScaling.changes(spec, status, REGION, ID, false);
    assertThat(first).extracting(Change::description).containsExactly(
        "Registered the scalable target service/prod/web (min 2, max 10)", "Put target tracking policy cpu",
        "Put scheduled action night");
    assertThat(scaling.writes).as("listed, not made").isEmpty();
    apply(first);
    assertThat(status.autoScalingResourceId).isEqualTo(ID);
    assertThat(status.appliedMaxCapacity).isEqualTo(10);
    assertThat(autoScaling.changes(spec, status, REGION, ID, false)).isEmpty();

    spec.autoScaling = null;
    List<Change> removal = autoScaling.changes(spec, status, REGION, ID, false);
    assertThat(removal).extracting(Change::description).containsExactly("Deleted scaling policy cpu",
        "Deleted scheduled action night", "Deregistered the scalable target service/prod/web", null);
    apply(removal);
    assertThat(scaling.targets).isEmpty();
    assertThat(status.autoScalingResourceId).isNull();
    assertThat(status.appliedMinCapacity).isNull();
    scaling.reads.clear();
    assertThat(autoScaling.changes(spec, status, REGION, ID, false)).isEmpty();
    assertThat(scaling.reads).as("no longer managed: not read").isEmpty();
  }

  @Test
  void listingWritesNoStatusTheChangesRecordWhatIsManagedOnceApplied() {
    EcsServiceSpec spec = spec("autoScaling: {minCapacity: 1, maxCapacity: 3}");
    scaling.registerTarget(REGION, ID, 1, 3); // registered, in sync, not recorded (yet)
    List<Change> changes = autoScaling.changes(spec, status, REGION, ID, false);
    assertThat(status.autoScalingResourceId).as("listing the changes records nothing").isNull();
    assertThat(status.appliedMaxCapacity).isNull();
    assertThat(changes).extracting(Change::description).as("bookkeeping only: no Event").containsExactly((String) null);
    apply(changes);
    assertThat(status.autoScalingResourceId).isEqualTo(ID);
    assertThat(status.appliedMaxCapacity).isEqualTo(3);
    assertThat(autoScaling.changes(spec, status, REGION, ID, false)).isEmpty();
    assertThat(scaling.writes).containsExactly("RegisterScalableTarget");
  }

  @Test
  void observeOnlyComparesButRecordsNothing() {
    EcsServiceSpec spec = spec("autoScaling: {minCapacity: 1, maxCapacity: 3}");
    assertThat(autoScaling.changes(spec, status, REGION, ID, true)).extracting(Change::field)
        .containsExactly("autoScaling");
    scaling.registerTarget(REGION, ID, 1, 3);
    assertThat(autoScaling.changes(spec, status, REGION, ID, true)).isEmpty();
    assertThat(status.autoScalingResourceId).isNull();
    assertThat(status.appliedMinCapacity).isNull();

    status.autoScalingResourceId = ID; // recorded by an older operator version
    spec.autoScaling = null;
    assertThat(autoScaling.changes(spec, status, REGION, ID, true)).isEmpty();
    assertThat(status.autoScalingResourceId).as("listing writes no status: the reconciler forgets it "
        + "(EcsServiceReconcilerTest.observeOnlyNeverRecordsAutoScalingSoRemovingItIsNotOutOfSync)").isEqualTo(ID);
    assertThat(scaling.targets).containsKey(ID);
  }

  @Test
  void theScalableTargetIsDeregisteredBeforeDeleteOnlyWhenThereIsOne() {
    EcsServiceSpec none = spec("desiredCount: 1");
    assertThat(autoScaling.deregisterBeforeDelete(none, status, REGION, ID)).isEmpty();
    assertThat(scaling.reads).as("no autoscaling: no call").isEmpty();

    EcsServiceSpec spec = spec("autoScaling: {minCapacity: 1, maxCapacity: 3}");
    assertThat(autoScaling.deregisterBeforeDelete(spec, status, REGION, ID)).as("not registered (yet)").isEmpty();
    scaling.registerTarget(REGION, ID, 1, 3);
    assertThat(autoScaling.deregisterBeforeDelete(spec, status, REGION, ID))
        .isEqualTo(Optional.of("Deregistered the scalable target service/prod/web"));
    assertThat(scaling.targets).isEmpty();

    scaling.registerTarget(REGION, ID, 1, 3);
    status.autoScalingResourceId = ID; // the one managed, although autoScaling was removed from the spec
    assertThat(autoScaling.deregisterBeforeDelete(none, status, REGION, ID))
        .isEqualTo(Optional.of("Deregistered the scalable target service/prod/web"));
    assertThat(scaling.writes).containsExactly("RegisterScalableTarget", "DeregisterScalableTarget",
        "RegisterScalableTarget", "DeregisterScalableTarget");
  }
}
