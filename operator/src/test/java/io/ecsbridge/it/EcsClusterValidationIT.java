package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real API server rejects invalid EcsClusters at admission, with the CRD's own message. */
class EcsClusterValidationIT extends AdmissionIT {
  EcsClusterValidationIT() {
    super("EcsCluster");
  }


  @Test
  void acceptsAFullValidSpec() {
    GenericKubernetesResource r = apply("valid", """
        clusterName: valid-1
        settings: [{name: containerInsights, value: enhanced}]
        configuration:
          executeCommandConfiguration: {kmsKeyId: alias/exec, logging: OVERRIDE, logConfiguration: {s3BucketName: b}}
          managedStorageConfiguration: {fargateEphemeralStorageKmsKeyId: alias/eph}
        capacityProviders: [FARGATE, FARGATE_SPOT]
        defaultCapacityProviderStrategy: [{capacityProvider: FARGATE, base: 1, weight: 1}, {capacityProvider: FARGATE_SPOT, weight: 4}]
        serviceConnectDefaults: {namespace: internal}
        tags: {team: payments}
        """);
    assertThat(r.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void clusterNameIsImmutable() {
    apply("immutable", "clusterName: first");
    rejected("immutable", "clusterName: second", "clusterName is immutable");
    rejected("immutable", "{}", "clusterName is immutable: it cannot be added or removed");
  }

  @Test
  void regionIsImmutable() {
    apply("region", "region: eu-west-1");
    rejected("region", "region: eu-west-2", "region is immutable");
  }

  @Test
  void strategyProvidersMustBeCapacityProviders() {
    rejected("strategy", "defaultCapacityProviderStrategy: [{capacityProvider: FARGATE}]",
        "every capacityProvider of defaultCapacityProviderStrategy must be listed in capacityProviders");
    rejected("strategy", "capacityProviders: [FARGATE]\ndefaultCapacityProviderStrategy: "
        + "[{capacityProvider: FARGATE_SPOT}]", "must be listed in capacityProviders");
  }

  @Test
  void strategyProvidersAreUniqueWithOneBase() {
    rejected("dup", "capacityProviders: [FARGATE]\ndefaultCapacityProviderStrategy: "
        + "[{capacityProvider: FARGATE}, {capacityProvider: FARGATE}]", "may appear once");
    rejected("base", "capacityProviders: [FARGATE, FARGATE_SPOT]\ndefaultCapacityProviderStrategy: "
        + "[{capacityProvider: FARGATE, base: 1}, {capacityProvider: FARGATE_SPOT, base: 2}]",
        "only one capacity provider of a strategy may have a base");
  }

  @Test
  void strategyRefsMustBeCapacityProviderRefsAndEachItemNamesOneProvider() {
    apply("refs", "capacityProviders: [FARGATE]\ncapacityProviderRefs: [{name: workers}]\n"
        + "defaultCapacityProviderStrategy: [{capacityProvider: FARGATE}, {capacityProviderRef: {name: workers}, "
        + "weight: 2}]");
    rejected("refs2", "capacityProviderRefs: [{name: workers}]\ndefaultCapacityProviderStrategy: "
        + "[{capacityProviderRef: {name: other}}]", "every capacityProviderRef in capacityProviderRefs");
    rejected("refs3", "capacityProviderRefs: [{name: workers}]\ndefaultCapacityProviderStrategy: "
        + "[{capacityProviderRef: {name: workers}, capacityProvider: FARGATE}]",
        "exactly one of capacityProvider and capacityProviderRef is required");
    rejected("refs4", "capacityProviderRefs: [{name: workers}]\ndefaultCapacityProviderStrategy: "
        + "[{capacityProviderRef: {name: workers}}, {capacityProviderRef: {name: workers}}]", "may appear once");
    rejected("refs5", "capacityProviderRefs: [{name: workers}, {name: workers}]",
        "capacityProviderRefs must be unique");
  }

  @Test
  void capacityProvidersAreUnique() {
    rejected("cpdup", "capacityProviders: [FARGATE, FARGATE]", "capacityProviders must be unique");
  }

  @Test
  void settingsAreValid() {
    rejected("setting", "settings: [{name: containerInsights, value: maybe}]", "Unsupported value");
    rejected("setting", "settings: [{name: other, value: enabled}]", "Unsupported value");
  }

  @Test
  void execLogConfigurationOnlyWithOverride() {
    rejected("exec", "configuration: {executeCommandConfiguration: {logging: DEFAULT, logConfiguration: "
        + "{s3BucketName: b}}}", "logConfiguration is required with logging: OVERRIDE");
    rejected("exec", "configuration: {executeCommandConfiguration: {logging: OVERRIDE}}",
        "logConfiguration is required with logging: OVERRIDE");
  }

  @Test
  void reservedTagKeysAreRefused() {
    rejected("tags", "tags: {ecsbridge.io/owner: me}", "reserved");
    rejected("tags", "tags: {'aws:x': y}", "reserved");
  }

  @Test
  void theSampleIsAccepted() throws Exception {
    String yaml = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root()
        .resolve("samples/ecs-cluster.yaml"));
    GenericKubernetesResource sample = k8s.getKubernetesSerialization().unmarshal(yaml,
        GenericKubernetesResource.class);
    sample.getMetadata().setNamespace(namespace);
    assertThat(k8s.resource(sample).create().getMetadata().getUid()).isNotBlank();
  }

  static final String PROVIDER_MESSAGE = "must be FARGATE, FARGATE_SPOT or the name of a custom capacity provider";

  /** Names that can only be wrong: AWS reserves aws, ecs and fargate (any case) as prefixes of custom names. */
  @ParameterizedTest(name = "capacityProviders [{0}]")
  @ValueSource(strings = {"fargate", "FARGATE_SPOTT", "Fargate", "fargate_spot", "ecs-x", "ECSProvider", "aws-asg",
      "my provider", "asg.1"})
  void unknownCapacityProvidersAreRefused(String provider) {
    rejected("cp", "capacityProviders: ['%s']".formatted(provider), PROVIDER_MESSAGE);
  }

  @ParameterizedTest(name = "defaultCapacityProviderStrategy [{0}]")
  @ValueSource(strings = {"fargate", "FARGATE_SPOTT", "ecs-x"})
  void unknownStrategyProvidersAreRefused(String provider) {
    rejected("strategy-cp", "capacityProviders: [FARGATE]\ndefaultCapacityProviderStrategy: [{capacityProvider: '%s'}]"
        .formatted(provider), PROVIDER_MESSAGE);
  }

  @Test
  void customCapacityProvidersAreAccepted() {
    assertThat(apply("custom-cp", """
        capacityProviders: [FARGATE, FARGATE_SPOT, my-asg_1, '%s']
        defaultCapacityProviderStrategy: [{capacityProvider: my-asg_1, weight: 1}]
        """.formatted("p".repeat(255))).getMetadata().getUid()).isNotBlank();
  }

  @Test
  void tagsAtAwsLimitsAreAccepted() {
    assertThat(apply("tags-at-limits", tagsAtAwsLimits(true)).getMetadata().getUid()).isNotBlank();
  }

  static Stream<Arguments> tagsAwsRefuses() {
    return AdmissionIT.tagsAwsRefuses(true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tagsAwsRefuses")
  void rejectsTagsAwsRefuses(String name, String tags, String message) {
    rejected(name, tags, message);
  }
}
