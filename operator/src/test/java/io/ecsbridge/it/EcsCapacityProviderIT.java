package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsCapacityProvider;
import io.ecsbridge.api.v1alpha1.EcsCapacityProviderSpec;
import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import io.fabric8.kubernetes.api.model.Event;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.CapacityProviderField;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * EcsCapacityProvider end to end, with the EcsCluster that lists it (capacityProviderRefs) and an EcsService that runs
 * on it (capacityProviderRef): the real API server, the operator, moto with the extension (ecsbridge_capacity.py,
 * which refuses to delete a provider a cluster lists, as ECS does); both sides checked.
 */
class EcsCapacityProviderIT extends OperatorIT {

  private CapacityProvider describe(String name) {
    return aws.ecs().describeCapacityProviders(r -> r.capacityProviders(name).include(CapacityProviderField.TAGS))
        .capacityProviders().get(0);
  }

  private static Map<String, String> tags(CapacityProvider p) {
    return p.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }

  private List<String> clusterProviders(String cluster) {
    return aws.ecs().describeClusters(r -> r.clusters(cluster)).clusters().get(0).capacityProviders();
  }

  @Test
  void lifecycleWithAClusterThatUsesItUpdateDriftAndADeletionThatWaitsForTheCluster() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "2s")); // drift made in AWS is seen on the next resync
    String group = aws.autoScalingGroup("workers-asg");
    EcsCluster cluster = create(resource(EcsCluster.class, "prod", """
        capacityProviders: [FARGATE]
        capacityProviderRefs: [{name: workers}]
        defaultCapacityProviderStrategy: [{capacityProviderRef: {name: workers}, weight: 1, base: 1}]
        """));
    eventually().until(() -> "ReferenceNotReady".equals(reason(get(EcsCluster.class, "prod"),
        Conditions.RECONCILING)));
    assertThat(condition(get(EcsCluster.class, "prod"), Conditions.RECONCILING).orElseThrow().getMessage())
        .isEqualTo("EcsCapacityProvider workers does not exist");
    assertThat(aws.ecs().describeClusters(r -> r.clusters("prod")).clusters()).as("nothing made while waiting")
        .isEmpty();

    EcsCapacityProvider provider = create(resource(EcsCapacityProvider.class, "workers", """
        name: prod-workers
        autoScalingGroupProvider:
          autoScalingGroupArn: %s
          managedScaling: {status: ENABLED, targetCapacity: 90}
          managedDraining: ENABLED
        tags: {team: platform}
        """.formatted(group)));
    EcsCapacityProvider ready = awaitReady(EcsCapacityProvider.class, "workers");
    CapacityProvider live = describe("prod-workers");
    assertThat(ready.getStatus().capacityProviderArn).isEqualTo(live.capacityProviderArn())
        .endsWith(":capacity-provider/prod-workers");
    assertThat(ready.getStatus().status).isEqualTo("ACTIVE");
    assertThat(ready.getStatus().type).isEqualTo("EC2_AUTOSCALING");
    assertThat(live.autoScalingGroupProvider().managedScaling().targetCapacity()).isEqualTo(90);
    assertThat(live.autoScalingGroupProvider().autoScalingGroupArn()).isEqualTo(group);
    assertThat(tags(live)).containsEntry("team", "platform")
        .containsEntry(Ownership.TAG, OWNER_INSTANCE + "/" + namespace + "/workers");
    assertThat(hasEvent(ready, "Created")).isTrue();

    awaitReady(EcsCluster.class, "prod");
    assertThat(clusterProviders("prod")).as("the union of the raw names and the refs' names")
        .containsExactlyInAnyOrder("FARGATE", "prod-workers");
    assertThat(aws.ecs().describeClusters(r -> r.clusters("prod")).clusters().get(0).defaultCapacityProviderStrategy())
        .singleElement().satisfies(s -> assertThat(s.capacityProvider()).isEqualTo("prod-workers"));

    // update: managedScaling through UpdateCapacityProvider
    edit(provider, r -> {
      ((EcsCapacityProvider) r).getSpec().autoScalingGroupProvider.managedScaling.targetCapacity = 70;
      return r;
    });
    eventually().until(() -> describe("prod-workers").autoScalingGroupProvider().managedScaling().targetCapacity()
        == 70);
    EcsCapacityProvider updated = awaitReady(EcsCapacityProvider.class, "workers");
    assertThat(events(updated)).filteredOn(e -> "Updated".equals(e.getReason())).extracting(Event::getMessage)
        .anyMatch(m -> m.contains("autoScalingGroupProvider"));

    // drift made in AWS is put back
    aws.ecs().updateCapacityProvider(r -> r.name("prod-workers").autoScalingGroupProvider(a -> a.managedScaling(
        m -> m.targetCapacity(50))));
    eventually().until(() -> describe("prod-workers").autoScalingGroupProvider().managedScaling().targetCapacity()
        == 70);
    eventually().until(() -> hasEvent(get(EcsCapacityProvider.class, "workers"), "DriftCorrected"));

    // deletion waits while the cluster lists it, naming the cluster, with a Warning Event
    k8s.resource(get(EcsCapacityProvider.class, "workers")).delete();
    eventually().until(() -> "CapacityProviderInUse".equals(reason(get(EcsCapacityProvider.class, "workers"),
        Conditions.RECONCILING)));
    EcsCapacityProvider waiting = get(EcsCapacityProvider.class, "workers");
    assertThat(condition(waiting, Conditions.RECONCILING).orElseThrow().getMessage())
        .contains("associated with cluster: prod");
    assertThat(events(waiting)).filteredOn(e -> "CapacityProviderInUse".equals(e.getReason())).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).contains("cluster: prod");
        });
    assertThat(describe("prod-workers").statusAsString()).isEqualTo("ACTIVE");
    eventually().until(() -> "ReferenceNotReady".equals(reason(get(EcsCluster.class, "prod"),
        Conditions.RECONCILING)));

    // the cluster lets it go: the deletion completes
    edit(cluster, r -> {
      EcsCluster c = (EcsCluster) r;
      c.getSpec().capacityProviderRefs = null;
      c.getSpec().defaultCapacityProviderStrategy = null;
      return r;
    });
    eventually().until(() -> get(EcsCapacityProvider.class, "workers") == null);
    assertThat(describe("prod-workers").statusAsString()).isEqualTo("INACTIVE");
    assertThat(clusterProviders("prod")).containsExactly("FARGATE");
    awaitReady(EcsCluster.class, "prod");
  }

  @Test
  void aServiceWithACapacityProviderRefRunsWithThatProvidersNameAndAnInSyncResyncWritesNothing() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    String group = aws.autoScalingGroup("web-asg");
    create(resource(EcsCapacityProvider.class, "workers", """
        autoScalingGroupProvider: {autoScalingGroupArn: %s}
        """.formatted(group)));
    create(resource(EcsCluster.class, "prod", "capacityProviderRefs: [{name: workers}]"));
    create(resource(EcsTaskDefinition.class, "web", """
        requiresCompatibilities: [EC2]
        containerDefinitions:
        - {name: web, image: "nginx:1.27", memory: 128}
        """));
    create(resource(EcsService.class, "web", """
        clusterRef: {name: prod}
        taskDefinitionRef: {name: web}
        desiredCount: 1
        capacityProviderStrategy: [{capacityProviderRef: {name: workers}, weight: 1}]
        """));
    EcsService ready = awaitReady(EcsService.class, "web");
    var live = aws.ecs().describeServices(r -> r.cluster("prod").services("web")).services().get(0);
    assertThat(live.capacityProviderStrategy()).singleElement().satisfies(s -> {
      assertThat(s.capacityProvider()).isEqualTo("workers");
      assertThat(s.weight()).isEqualTo(1);
    });
    assertThat(ready.getStatus().serviceArn).isEqualTo(live.serviceArn());
    assertThat(clusterProviders("prod")).containsExactly("workers");

    double writes = awsWrites();
    double describes = awsCalls("ecs", "DescribeServices");
    eventually().until(() -> awsCalls("ecs", "DescribeServices") >= describes + 3);
    assertThat(awsWrites()).as("AWS writes during in-sync resyncs").isEqualTo(writes);
  }

  @Test
  void aManagedInstancesProviderWaitsForItsClusterThenUpdatesAndDeletesInIt() {
    EcsCapacityProvider provider = create(resource(EcsCapacityProvider.class, "managed", """
        cluster: shop
        managedInstancesProvider:
          infrastructureRoleArn: arn:aws:iam::123456789012:role/ecsInfrastructureRole
          propagateTags: CAPACITY_PROVIDER
          instanceLaunchTemplate:
            ec2InstanceProfileArn: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
            networkConfiguration: {subnets: [subnet-0b, subnet-0a]}
            storageConfiguration: {storageSizeGiB: 50}
            monitoring: BASIC
            instanceRequirements: {vCpuCount: {min: 2, max: 8}, memoryMiB: {min: 4096}, cpuManufacturers: [intel]}
        """));
    eventually().until(() -> "AwsRetrying".equals(reason(get(EcsCapacityProvider.class, "managed"),
        Conditions.RECONCILING)));
    assertThat(condition(get(EcsCapacityProvider.class, "managed"), Conditions.RECONCILING).orElseThrow()
        .getMessage()).contains("ECS cluster shop does not exist (yet)");

    create(resource(EcsCluster.class, "shop", "{}"));
    EcsCapacityProvider ready = awaitReady(EcsCapacityProvider.class, "managed");
    assertThat(ready.getStatus().type).isEqualTo("MANAGED_INSTANCES");
    CapacityProvider live = aws.ecs().describeCapacityProviders(r -> r.capacityProviders("managed").cluster("shop"))
        .capacityProviders().get(0);
    assertThat(live.cluster()).isEqualTo("shop");
    assertThat(live.managedInstancesProvider().instanceLaunchTemplate().instanceRequirements().vCpuCount().max())
        .isEqualTo(8);
    assertThat(live.managedInstancesProvider().instanceLaunchTemplate().networkConfiguration().subnets())
        .containsExactlyInAnyOrder("subnet-0a", "subnet-0b");

    edit(provider, r -> {
      ((EcsCapacityProvider) r).getSpec().managedInstancesProvider.instanceLaunchTemplate.monitoring =
          EcsCapacityProviderSpec.Monitoring.DETAILED;
      return r;
    });
    eventually().until(() -> "DETAILED".equals(aws.ecs().describeCapacityProviders(r -> r.capacityProviders("managed")
        .cluster("shop")).capacityProviders().get(0).managedInstancesProvider().instanceLaunchTemplate()
        .monitoringAsString()));
    awaitReady(EcsCapacityProvider.class, "managed");

    k8s.resource(get(EcsCapacityProvider.class, "managed")).delete();
    eventually().until(() -> get(EcsCapacityProvider.class, "managed") == null);
    assertThat(aws.ecs().describeCapacityProviders(r -> r.capacityProviders("managed")).capacityProviders().get(0)
        .statusAsString()).isEqualTo("INACTIVE");
  }
}
