package io.ecsbridge.kinds.ecs;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.ShapeContract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;

/** EcsCluster's mapping onto ECS: coverage of the spec, and each member's normalization against what ECS reports. */
class ClusterShapeTest extends ShapeContract {

  @Override
  protected Shape shape() {
    return ClusterShape.SHAPE;
  }

  @Override
  protected Class<? extends HasMetadata> kind() {
    return EcsCluster.class;
  }

  @Override
  protected String everyField() {
    return """
        region: eu-west-1
        managementPolicy: Adopt
        deletionPolicy: Retain
        accountRef: {name: team-a}
        clusterName: prod
        settings: [{name: containerInsights, value: enhanced}]
        configuration:
          executeCommandConfiguration:
            kmsKeyId: alias/exec
            logging: OVERRIDE
            logConfiguration: {cloudWatchLogGroupName: /exec, cloudWatchEncryptionEnabled: true, s3BucketName: b,
                               s3EncryptionEnabled: true, s3KeyPrefix: exec/}
          managedStorageConfiguration: {kmsKeyId: alias/ebs, fargateEphemeralStorageKmsKeyId: alias/eph}
        capacityProviders: [FARGATE_SPOT, FARGATE]
        capacityProviderRefs: [{name: workers}]
        defaultCapacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1, base: 2}, {capacityProvider: FARGATE_SPOT},
                                          {capacityProviderRef: {name: workers}, weight: 1}]
        serviceConnectDefaults: {namespace: internal}
        tags: {team: a}
        """;
  }

  @Override
  protected Supplier<SdkPojo> createRequest() {
    return CreateClusterRequest::builder;
  }

  @Override
  protected List<Supplier<SdkPojo>> updateRequests() {
    return List.of(UpdateClusterRequest::builder, PutClusterCapacityProvidersRequest::builder);
  }

  @Override
  protected List<Case> cases() {
    return List.of(
        new Case("settings", "settings: [{name: containerInsights, value: enabled}]",
            "{\"settings\": [{\"name\": \"containerInsights\", \"value\": \"enabled\"}, {\"name\": \"other\", "
                + "\"value\": \"x\"}]}",
            "{\"settings\": [{\"name\": \"containerInsights\", \"value\": \"disabled\"}]}"),
        new Case("configuration", "configuration: {executeCommandConfiguration: {logging: OVERRIDE, "
                + "logConfiguration: {cloudWatchLogGroupName: /exec}}}",
            "{\"configuration\": {\"executeCommandConfiguration\": {\"logging\": \"OVERRIDE\", \"logConfiguration\": "
                + "{\"cloudWatchLogGroupName\": \"/exec\", \"cloudWatchEncryptionEnabled\": false, "
                + "\"s3EncryptionEnabled\": false}}}}",
            "{\"configuration\": {\"executeCommandConfiguration\": {\"logging\": \"OVERRIDE\", \"logConfiguration\": "
                + "{\"cloudWatchLogGroupName\": \"/exec\", \"s3EncryptionEnabled\": true}}}}"),
        new Case("configuration", "configuration: {executeCommandConfiguration: {}}",
            "{\"configuration\": {\"executeCommandConfiguration\": {\"logging\": \"DEFAULT\"}}}",
            "{\"configuration\": {\"executeCommandConfiguration\": {\"logging\": \"NONE\"}}}"),
        new Case("serviceConnectDefaults", "serviceConnectDefaults: {namespace: internal}",
            "{\"serviceConnectDefaults\": {\"namespace\": \"arn:aws:servicediscovery:eu-west-1:1:namespace/ns-1\"}}",
            "{}"),
        new Case("serviceConnectDefaults", "serviceConnectDefaults: {namespace: "
                + "'arn:aws:servicediscovery:eu-west-1:1:namespace/ns-1'}",
            "{\"serviceConnectDefaults\": {\"namespace\": \"arn:aws:servicediscovery:eu-west-1:1:namespace/ns-1\"}}",
            "{\"serviceConnectDefaults\": {\"namespace\": \"arn:aws:servicediscovery:eu-west-1:1:namespace/ns-2\"}}"),
        new Case("capacityProviders", "capacityProviders: [FARGATE, FARGATE_SPOT]",
            "{\"capacityProviders\": [\"FARGATE_SPOT\", \"FARGATE\"]}", "{\"capacityProviders\": [\"FARGATE\"]}"),
        new Case("defaultCapacityProviderStrategy", "capacityProviders: [FARGATE, FARGATE_SPOT]\n"
                + "defaultCapacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1}, "
                + "{capacityProvider: FARGATE_SPOT, weight: 3, base: 1}]",
            "{\"capacityProviders\": [\"FARGATE\", \"FARGATE_SPOT\"], \"defaultCapacityProviderStrategy\": ["
                + "{\"capacityProvider\": \"FARGATE_SPOT\", \"weight\": 3, \"base\": 1}, "
                + "{\"capacityProvider\": \"FARGATE\", \"weight\": 1, \"base\": 0}]}",
            "{\"capacityProviders\": [\"FARGATE\", \"FARGATE_SPOT\"], \"defaultCapacityProviderStrategy\": ["
                + "{\"capacityProvider\": \"FARGATE\", \"weight\": 1, \"base\": 0}]}"));
  }

  @Test
  void settingsTheSpecDoesNotListAreNotManaged() {
    var live = json("{\"settings\": [{\"name\": \"containerInsights\", \"value\": \"enabled\"}]}");
    assertThat(shape().differences(spec(""), live)).isEmpty();
    assertThat(shape().differences(spec("settings: []"), live)).isEmpty();
  }

  @Test
  void capacityProvidersLeftOutAreNotManagedButAnEmptyListRemovesThem() {
    var live = json("{\"capacityProviders\": [\"FARGATE\"], \"defaultCapacityProviderStrategy\": "
        + "[{\"capacityProvider\": \"FARGATE\", \"weight\": 1, \"base\": 0}]}");
    assertThat(shape().differences(spec(""), live)).isEmpty();
    var none = spec("capacityProviders: []");
    assertThat(shape().differences(none, live)).containsExactly("capacityProviders", "defaultCapacityProviderStrategy");
    assertThat(shape().wanted("capacityProviders", none)).isEqualTo(json("[]"));
    assertThat(shape().wanted("defaultCapacityProviderStrategy", none)).isEqualTo(json("[]"));
  }

  @Test
  void theSettingsSentAreOnlyThoseThatDiffer() {
    var spec = spec("settings: [{name: containerInsights, value: enhanced}]");
    assertThat(ClusterShape.differingSettings(spec, json("{\"settings\": [{\"name\": \"containerInsights\", "
        + "\"value\": \"enabled\"}]}"))).isEqualTo(json("[{\"name\": \"containerInsights\", \"value\": \"enhanced\"}]"));
    assertThat(ClusterShape.strategyKeys(shape().wanted("defaultCapacityProviderStrategy", spec(
        "capacityProviders: [B, A]\ndefaultCapacityProviderStrategy: [{capacityProvider: B, weight: 2}, "
            + "{capacityProvider: A, base: 1}]")))).containsExactly("A:0:1", "B:2:0");
  }
}
