package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.contract.ContractReconciler;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.testing.OperatorIT;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilter;

/**
 * EcrRegistry end to end: the claim strategy (one custom resource per account and region, the others Stalled
 * AlreadyClaimed) and the put/reset lifecycle (settings always exist; deletion resets what this resource wrote).
 */
class EcrRegistryIT extends OperatorIT {
  private static final String ENHANCED = """
      scanningConfiguration:
        scanType: ENHANCED
        rules:
        - scanFrequency: CONTINUOUS_SCAN
          repositoryFilters: [{filter: "payments/*"}]
      """;
  private String teamB;

  private RegistryScanningConfiguration scanning() {
    return aws.ecr().getRegistryScanningConfiguration(r -> {}).scanningConfiguration();
  }

  private void watchTwoNamespaces(String recheck) throws Exception {
    teamB = newNamespace();
    startOperator(s -> {
      s.put("ECSBRIDGE_WATCH_NAMESPACES", namespace + "," + teamB);
      s.put("ECSBRIDGE_STALLED_RECHECK", recheck);
    });
  }

  @Test
  void theFirstClaimsAndPutsTheOthersAreAlreadyClaimedAndTheClaimPassesOnAfterAReset() throws Exception {
    watchTwoNamespaces("1s");
    EcrRegistry first = create(resource(EcrRegistry.class, "registry", ENHANCED));
    EcrRegistry ready = awaitReady(EcrRegistry.class, "registry");
    assertThat(scanning().scanTypeAsString()).isEqualTo("ENHANCED");
    assertThat(scanning().rules()).singleElement().satisfies(rule -> {
      assertThat(rule.scanFrequencyAsString()).isEqualTo("CONTINUOUS_SCAN");
      assertThat(rule.repositoryFilters()).extracting(ScanningRepositoryFilter::filter).containsExactly("payments/*");
    });
    assertThat(ready.getStatus().registryId).isNotBlank();
    assertThat(ready.getStatus().scanType).isEqualTo("ENHANCED");
    assertThat(ready.getStatus().ownedIdentity).startsWith("registry ");

    double writes = awsWrites();
    EcrRegistry second = resource(EcrRegistry.class, "mine", "scanningConfiguration: {scanType: BASIC}");
    second.getMetadata().setNamespace(teamB);
    k8s.resource(second).create();
    eventually().until(() -> ContractReconciler.ALREADY_CLAIMED.equals(reason(get(EcrRegistry.class, teamB, "mine"),
        Conditions.STALLED)));
    EcrRegistry refused = get(EcrRegistry.class, teamB, "mine");
    assertThat(condition(refused, Conditions.STALLED).orElseThrow().getMessage()).contains(namespace + "/registry");
    assertThat(events(refused)).anyMatch(e -> ContractReconciler.ALREADY_CLAIMED.equals(e.getReason())
        && "Warning".equals(e.getType()));
    assertThat(awsWrites()).as("the second claimant writes nothing").isEqualTo(writes);
    assertThat(scanning().scanTypeAsString()).isEqualTo("ENHANCED");

    k8s.resource(first).inNamespace(namespace).delete();
    eventually().until(() -> get(EcrRegistry.class, "registry") == null);
    assertThat(events(first)).anyMatch(e -> "Reset".equals(e.getReason()));
    // reset to ECR's defaults, then the next claimant (looked at again on its Stalled backoff) puts its own
    eventually().until(() -> isReady(get(EcrRegistry.class, teamB, "mine")));
    assertThat(scanning().scanTypeAsString()).isEqualTo("BASIC");
    assertThat(scanning().rules()).isEmpty();
  }

  @Test
  void managedRefusesSettingsItDidNotWriteAndAdoptTakesThemOver() throws Exception {
    aws.ecr().putRegistryScanningConfiguration(r -> r.scanType("ENHANCED").rules(rule -> rule
        .scanFrequency("SCAN_ON_PUSH").repositoryFilters(f -> f.filter("*").filterType("WILDCARD"))));
    double writes = awsWrites();
    EcrRegistry managed = create(resource(EcrRegistry.class, "registry", "scanningConfiguration: {scanType: BASIC}"));
    eventually().until(() -> Ownership.ALREADY_EXISTS.equals(reason(get(EcrRegistry.class, "registry"),
        Conditions.STALLED)));
    assertThat(condition(get(EcrRegistry.class, "registry"), Conditions.STALLED).orElseThrow().getMessage())
        .contains("Adopt");
    assertThat(awsWrites()).isEqualTo(writes);
    k8s.resource(managed).inNamespace(namespace).delete();
    eventually().until(() -> get(EcrRegistry.class, "registry") == null);
    assertThat(scanning().scanTypeAsString()).as("never reset: not written by this resource").isEqualTo("ENHANCED");

    create(resource(EcrRegistry.class, "adopter", """
        managementPolicy: Adopt
        scanningConfiguration:
          scanType: ENHANCED
          rules: [{scanFrequency: SCAN_ON_PUSH, repositoryFilters: [{filter: "*"}]}]
        """));
    EcrRegistry adopted = awaitReady(EcrRegistry.class, "adopter");
    assertThat(adopted.getStatus().ownedIdentity).isNotNull();
    assertThat(events(adopted)).anyMatch(e -> "Adopted".equals(e.getReason()));
    assertThat(awsWrites()).as("adopting equal settings writes nothing").isEqualTo(writes);
  }
}
