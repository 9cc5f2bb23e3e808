package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.api.v1alpha1.EcrRegistryStatus;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.kinds.ecr.PolicyJson;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.Images;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.TestEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.RegistryPolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.ReplicationRule;

/**
 * EcrRegistry's settings end to end against moto: replication, the registry policy and scanning created, each
 * updated, drift put back, in-sync resyncs that only read, Adopt / ObserveOnly / Retain, and a deletion that resets
 * exactly the settings this resource set.
 */
class EcrRegistrySettingsIT extends OperatorIT {
  static final String ACCOUNT = "123456789012";

  static String policy(String actions) {
    return """
        policy:
          Version: "2012-10-17"
          Statement:
          - Sid: replicate
            Effect: Allow
            Principal: {AWS: "arn:aws:iam::210987654321:root"}
            Action: %s
            Resource: "arn:aws:ecr:us-east-1:123456789012:repository/*"
        """.formatted(actions);
  }

  static String replication(String region, String filter) {
    return """
        replicationConfiguration:
          rules:
          - destinations: [{region: %s, registryId: "%s"}]
            repositoryFilters: [{filter: %s}]
        """.formatted(region, ACCOUNT, filter);
  }

  private List<ReplicationRule> rules() {
    return aws.ecr().describeRegistry(r -> {}).replicationConfiguration().rules();
  }

  private String livePolicy() {
    try {
      return aws.ecr().getRegistryPolicy(r -> {}).policyText();
    } catch (RegistryPolicyNotFoundException e) {
      return null;
    }
  }

  private static String destination(ReplicationRule rule) {
    return rule.destinations().get(0).region() + "/" + rule.destinations().get(0).registryId();
  }

  @Test
  void createsEverySettingUpdatesEachAndPutsDriftBack() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    EcrRegistry registry = create(resource(EcrRegistry.class, "registry", replication("us-west-2", "web")
        + policy("[ecr:ReplicateImage, ecr:CreateRepository]") + "scanningConfiguration: {scanType: ENHANCED}\n"));
    EcrRegistry ready = awaitReady(EcrRegistry.class, "registry");
    assertThat(rules()).singleElement().satisfies(rule -> {
      assertThat(destination(rule)).isEqualTo("us-west-2/" + ACCOUNT);
      assertThat(rule.repositoryFilters()).singleElement().satisfies(f -> {
        assertThat(f.filter()).isEqualTo("web");
        assertThat(f.filterTypeAsString()).isEqualTo("PREFIX_MATCH");
      });
    });
    assertThat(PolicyJson.parse(livePolicy()).path("Statement").get(0).path("Action")).hasSize(2);
    assertThat(aws.ecr().getRegistryScanningConfiguration(r -> {}).scanningConfiguration().scanTypeAsString())
        .isEqualTo("ENHANCED");
    EcrRegistryStatus status = ready.getStatus();
    assertThat(status.registryId).isEqualTo(ACCOUNT);
    assertThat(status.replicationRules).singleElement().satisfies(rule -> {
      assertThat(rule.destinations).containsExactly("us-west-2/" + ACCOUNT);
      assertThat(rule.repositoryFilters).containsExactly("web");
    });
    assertThat(status.policyPresent).isTrue();
    assertThat(status.scanType).isEqualTo("ENHANCED");

    // every updatable field changed in the spec
    edit(registry, r -> {
      EcrRegistry changed = resource(EcrRegistry.class, "registry", replication("eu-west-1", "api")
          + policy("ecr:ReplicateImage") + "scanningConfiguration: {scanType: BASIC}\n");
      r.setSpec(changed.getSpec());
      return r;
    });
    eventually().until(() -> rules().size() == 1 && destination(rules().get(0)).equals("eu-west-1/" + ACCOUNT)
        && rules().get(0).repositoryFilters().get(0).filter().equals("api")
        && "BASIC".equals(aws.ecr().getRegistryScanningConfiguration(r -> {}).scanningConfiguration()
            .scanTypeAsString())
        && PolicyJson.parse(livePolicy()).path("Statement").get(0).path("Action").asText()
            .equals("ecr:ReplicateImage"));
    EcrRegistry updated = eventually().until(() -> get(EcrRegistry.class, "registry"), r -> isReady(r)
        && r.getStatus().replicationRules.get(0).destinations.equals(List.of("eu-west-1/" + ACCOUNT)));
    assertThat(events(updated)).filteredOn(e -> "Updated".equals(e.getReason())).extracting(e -> e.getMessage())
        .anyMatch(m -> m.contains("replicationConfiguration")).anyMatch(m -> m.contains("registry policy"))
        .anyMatch(m -> m.contains("scanningConfiguration"));

    // drift: changed in ECR behind the operator's back, put back on the next resync
    aws.ecr().putReplicationConfiguration(r -> r.replicationConfiguration(c -> c.rules(List.of())));
    aws.ecr().deleteRegistryPolicy(r -> {});
    eventually().until(() -> rules().size() == 1 && livePolicy() != null);
    assertThat(destination(rules().get(0))).isEqualTo("eu-west-1/" + ACCOUNT);
    eventually().until(() -> events(updated).stream().filter(e -> "DriftCorrected".equals(e.getReason()))
        .map(e -> e.getMessage()).toList(), m -> m.stream().anyMatch(t -> t.contains("replicationConfiguration"))
        && m.stream().anyMatch(t -> t.contains("registry policy")));
  }

  @Test
  void anImagePushedToAMatchingRepositoryIsReplicatedToTheDestinationRegion() throws Exception {
    create(resource(EcrRegistry.class, "registry", replication("us-west-2", "web")));
    awaitReady(EcrRegistry.class, "registry");
    aws.ecr().createRepository(r -> r.repositoryName("web/app"));
    aws.ecr().createRepository(r -> r.repositoryName("api"));
    String digest = Images.push(aws.ecr(), "web/app", "v1");
    Images.push(aws.ecr(), "api", "v1");
    try (EcrClient west = EcrClient.builder().endpointOverride(env.moto().endpoint()).region(Region.US_WEST_2)
        .credentialsProvider(TestEnvironment.CREDENTIALS).build()) {
      assertThat(west.describeImages(r -> r.repositoryName("web/app")).imageDetails())
          .singleElement().satisfies(image -> {
            assertThat(image.imageDigest()).isEqualTo(digest);
            assertThat(image.imageTags()).containsExactly("v1");
          });
      assertThat(west.describeRepositories().repositories()).extracting(r -> r.repositoryName())
          .as("a repository the filter does not match is not replicated").containsExactly("web/app");
    }
    assertThat(aws.ecr().describeImageReplicationStatus(r -> r.repositoryName("web/app")
        .imageId(ImageIdentifier.builder().imageDigest(digest).build())).replicationStatuses())
        .singleElement().satisfies(s -> {
          assertThat(s.region()).isEqualTo("us-west-2");
          assertThat(s.statusAsString()).isEqualTo("COMPLETE");
        });
  }

  @Test
  void anInSyncResyncReadsEachSettingOnceAndWritesNothingAndAnEqualPolicyWrittenOtherwiseIsNotPutAgain()
      throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    create(resource(EcrRegistry.class, "registry", replication("us-west-2", "web")
        + policy("[ecr:ReplicateImage, ecr:CreateRepository]") + "scanningConfiguration: {scanType: ENHANCED}\n"));
    awaitReady(EcrRegistry.class, "registry");
    // the same policy, written another way (one principal as a list, actions in another order, Version last)
    aws.ecr().putRegistryPolicy(r -> r.policyText("{\"Statement\": [{\"Resource\": "
        + "\"arn:aws:ecr:us-east-1:123456789012:repository/*\", \"Action\": [\"ecr:CreateRepository\", "
        + "\"ecr:ReplicateImage\"], \"Effect\": \"Allow\", \"Sid\": \"replicate\", \"Principal\": {\"AWS\": "
        + "[\"arn:aws:iam::210987654321:root\"]}}], \"Version\": \"2012-10-17\"}"));
    double writes = awsWrites();
    double describes = awsCalls("ecr", "DescribeRegistry");
    double reads = awsCalls("ecr", null) - writes;
    eventually().until(() -> awsCalls("ecr", "DescribeRegistry") >= describes + 3);
    double resyncs = awsCalls("ecr", "DescribeRegistry") - describes;
    assertThat(awsWrites()).as("write calls during in-sync resyncs").isEqualTo(writes);
    double readsPerResync = (awsCalls("ecr", null) - awsWrites() - reads) / resyncs;
    System.out.printf("AWS calls per in-sync EcrRegistry resync: %.1f reads, 0 writes (%d resyncs)%n",
        readsPerResync, (long) resyncs);
    // GetRegistryScanningConfiguration, DescribeRegistry, GetRegistryPolicy: one per setting the spec sets
    assertThat(readsPerResync).isBetween(2.5, 3.5);
  }

  @Test
  void managedRefusesReplicationItDidNotWriteNamingItAndAdoptTakesItOverAndDeletionResetsIt() throws Exception {
    aws.ecr().putReplicationConfiguration(r -> r.replicationConfiguration(c -> c.rules(rule -> rule
        .destinations(d -> d.region("ap-south-1").registryId(ACCOUNT)))));
    double writes = awsWrites();
    EcrRegistry managed = create(resource(EcrRegistry.class, "registry", replication("us-west-2", "web")));
    eventually().until(() -> Ownership.ALREADY_EXISTS.equals(reason(get(EcrRegistry.class, "registry"),
        Conditions.STALLED)));
    assertThat(condition(get(EcrRegistry.class, "registry"), Conditions.STALLED).orElseThrow().getMessage())
        .contains("replicationConfiguration").contains("ap-south-1").contains("Adopt");
    assertThat(awsWrites()).isEqualTo(writes);
    k8s.resource(managed).inNamespace(namespace).delete();
    eventually().until(() -> get(EcrRegistry.class, "registry") == null);
    assertThat(destination(rules().get(0))).as("never reset: not written by this resource")
        .isEqualTo("ap-south-1/" + ACCOUNT);

    EcrRegistry adopter = create(resource(EcrRegistry.class, "adopter", "managementPolicy: Adopt\n"
        + replication("us-west-2", "web")));
    EcrRegistry adopted = awaitReady(EcrRegistry.class, "adopter");
    assertThat(events(adopted)).anyMatch(e -> "Adopted".equals(e.getReason()));
    assertThat(destination(rules().get(0))).isEqualTo("us-west-2/" + ACCOUNT);
    k8s.resource(adopter).inNamespace(namespace).delete();
    eventually().until(() -> get(EcrRegistry.class, "adopter") == null);
    assertThat(rules()).as("reset: adopted and written by this resource").isEmpty();
  }

  @Test
  void aForeignSettingAddedToTheSpecOfTheClaimHolderIsRefusedAndNeverReset() throws Exception {
    EcrRegistry registry = create(resource(EcrRegistry.class, "registry", replication("us-west-2", "web")));
    awaitReady(EcrRegistry.class, "registry");
    aws.ecr().putRegistryScanningConfiguration(r -> r.scanType("ENHANCED").rules(List.of()));
    double writes = awsWrites();
    edit(registry, r -> {
      r.setSpec(resource(EcrRegistry.class, "registry", replication("us-west-2", "web")
          + "scanningConfiguration: {scanType: BASIC}\n").getSpec());
      return r;
    });
    eventually().until(() -> Ownership.ALREADY_EXISTS.equals(reason(get(EcrRegistry.class, "registry"),
        Conditions.STALLED)));
    assertThat(condition(get(EcrRegistry.class, "registry"), Conditions.STALLED).orElseThrow().getMessage())
        .contains("scanningConfiguration").contains("ENHANCED");
    assertThat(awsWrites()).isEqualTo(writes);
    k8s.resource(registry).inNamespace(namespace).delete();
    eventually().until(() -> get(EcrRegistry.class, "registry") == null);
    assertThat(rules()).as("its own: reset").isEmpty();
    assertThat(aws.ecr().getRegistryScanningConfiguration(r -> {}).scanningConfiguration().scanTypeAsString())
        .as("never its own: left").isEqualTo("ENHANCED");
  }

  @Test
  void deletionResetsExactlyTheSettingsThisResourceSet() throws Exception {
    aws.ecr().putRegistryScanningConfiguration(r -> r.scanType("ENHANCED").rules(List.of()));
    EcrRegistry registry = create(resource(EcrRegistry.class, "registry", replication("us-west-2", "web")
        + policy("ecr:ReplicateImage")));
    awaitReady(EcrRegistry.class, "registry");
    assertThat(rules()).hasSize(1);
    assertThat(livePolicy()).isNotNull();
    k8s.resource(registry).inNamespace(namespace).delete();
    eventually().until(() -> get(EcrRegistry.class, "registry") == null);
    assertThat(rules()).isEmpty();
    assertThat(livePolicy()).isNull();
    assertThat(aws.ecr().getRegistryScanningConfiguration(r -> {}).scanningConfiguration().scanTypeAsString())
        .as("scanning is not this resource's: left as it was").isEqualTo("ENHANCED");
    assertThat(events(registry)).filteredOn(e -> "Reset".equals(e.getReason())).hasSize(2);
  }

  @Test
  void observeOnlyReportsTheSettingsAndWritesNothingAndRetainLeavesThem() throws Exception {
    aws.ecr().putReplicationConfiguration(r -> r.replicationConfiguration(c -> c.rules(rule -> rule
        .destinations(d -> d.region("ap-south-1").registryId(ACCOUNT)))));
    double writes = awsWrites();
    EcrRegistry observer = create(resource(EcrRegistry.class, "observer", "managementPolicy: ObserveOnly\n"));
    EcrRegistry observed = awaitReady(EcrRegistry.class, "observer");
    assertThat(observed.getStatus().replicationRules).singleElement()
        .satisfies(rule -> assertThat(rule.destinations).containsExactly("ap-south-1/" + ACCOUNT));
    assertThat(observed.getStatus().policyPresent).isFalse();
    assertThat(observed.getStatus().scanType).isEqualTo("BASIC");
    edit(observer, r -> {
      r.setSpec(resource(EcrRegistry.class, "observer", "managementPolicy: ObserveOnly\n"
          + replication("us-west-2", "web")).getSpec());
      return r;
    });
    eventually().until(() -> "OutOfSync".equals(reason(get(EcrRegistry.class, "observer"), Conditions.STALLED)));
    assertThat(condition(get(EcrRegistry.class, "observer"), Conditions.STALLED).orElseThrow().getMessage())
        .contains("replicationConfiguration");
    k8s.resource(observer).inNamespace(namespace).delete();
    eventually().until(() -> get(EcrRegistry.class, "observer") == null);
    assertThat(awsWrites()).as("ObserveOnly writes nothing, not even on deletion").isEqualTo(writes);
    assertThat(destination(rules().get(0))).isEqualTo("ap-south-1/" + ACCOUNT);

    aws.ecr().putReplicationConfiguration(r -> r.replicationConfiguration(c -> c.rules(List.of())));
    EcrRegistry retained = create(resource(EcrRegistry.class, "retained", "deletionPolicy: Retain\n"
        + replication("us-west-2", "web")));
    awaitReady(EcrRegistry.class, "retained");
    k8s.resource(retained).inNamespace(namespace).delete();
    eventually().until(() -> get(EcrRegistry.class, "retained") == null);
    assertThat(rules()).as("Retain leaves the settings").hasSize(1);
    assertThat(destination(rules().get(0))).isEqualTo("us-west-2/" + ACCOUNT);
  }
}
