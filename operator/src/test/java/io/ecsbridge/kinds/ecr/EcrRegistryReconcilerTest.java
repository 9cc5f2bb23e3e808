package io.ecsbridge.kinds.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.api.v1alpha1.EcrRegistryStatus;
import io.ecsbridge.aws.RegistryGateway;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutReplicationConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.ReplicationConfiguration;

/** EcrRegistry's decisions per setting against an in-memory registry: what it reads, writes and resets. */
class EcrRegistryReconcilerTest {

  /** One registry's settings in memory; every call recorded. */
  static final class FakeRegistry implements RegistryGateway {
    RegistryScanningConfiguration scanning = RegistryScanningConfiguration.builder().scanType("BASIC")
        .rules(List.of()).build();
    ReplicationConfiguration replication = ReplicationConfiguration.builder().rules(List.of()).build();
    String policy = "";
    final List<String> calls = new ArrayList<>();

    @Override
    public Settings settings(String region, Reads reads) {
      calls.add("read " + reads);
      return new Settings("123456789012", reads.scanning() ? scanning : null,
          reads.replication() ? replication : null, reads.policy() ? policy : null);
    }

    @Override
    public void putScanning(String region, PutRegistryScanningConfigurationRequest request) {
      calls.add("PutRegistryScanningConfiguration");
      scanning = RegistryScanningConfiguration.builder().scanType(request.scanTypeAsString()).rules(request.rules())
          .build();
    }

    @Override
    public void putReplication(String region, PutReplicationConfigurationRequest request) {
      calls.add("PutReplicationConfiguration");
      replication = request.replicationConfiguration();
    }

    @Override
    public void putPolicy(String region, String policyText) {
      calls.add("PutRegistryPolicy");
      policy = policyText;
    }

    @Override
    public void deletePolicy(String region) {
      calls.add("DeleteRegistryPolicy");
      policy = "";
    }

    List<String> writes() {
      return calls.stream().filter(c -> !c.startsWith("read")).toList();
    }
  }

  private final FakeRegistry ecr = new FakeRegistry();
  @SuppressWarnings("unchecked")
  private final Context<EcrRegistry> context = mock(Context.class);
  private EcrRegistryReconciler reconciler;
  private EcrRegistry resource;
  private IndexerResourceCache<EcrRegistry> cache;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void setUp() {
    reconciler = new EcrRegistryReconciler(new OperatorContext(mock(EventRecorder.class), Clock.systemUTC(), "op",
        Duration.ofMinutes(10), OperatorContext.DEFAULT_STALLED_RECHECK,
        new io.ecsbridge.status.InMemoryStatusWriter()), ecr, region -> "eu-west-1");
    cache = mock(IndexerResourceCache.class);
    when(context.getPrimaryCache()).thenReturn(cache);
    when(cache.list()).thenAnswer(i -> Stream.of(resource));
  }

  private EcrRegistry registry(String spec) {
    resource = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRegistry
        metadata: {name: registry, namespace: ns, generation: 1, uid: u1, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec:
        %s
        """.formatted(spec.indent(2)), EcrRegistry.class);
    resource.setStatus(new EcrRegistryStatus());
    return resource;
  }

  private Health sync(EcrRegistry r) {
    return reconciler.sync(r, r.getStatus(), context).health();
  }

  private static final String REPLICATION = """
      replicationConfiguration:
        rules: [{destinations: [{region: us-west-2, registryId: "123456789012"}], repositoryFilters: [{filter: web}]}]
      """;

  @Test
  void readsAndWritesOnlyTheSettingsTheSpecSetsAndNothingOnceInSync() {
    ecr.scanning = ecr.scanning.toBuilder().scanType("ENHANCED").build(); // foreign, but not this resource's setting
    EcrRegistry r = registry(REPLICATION);
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.writes()).containsExactly("PutReplicationConfiguration");
    assertThat(r.getStatus().replicationRules).singleElement()
        .satisfies(rule -> assertThat(rule.repositoryFilters).containsExactly("web"));
    assertThat(r.getStatus().scanType).as("not read").isNull();
    ecr.calls.clear();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(ecr.calls).containsExactly("read " + new RegistryGateway.Reads(false, true, false));
  }

  @Test
  void managedRefusesAForeignSettingItSetsNamingIt() {
    ecr.policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"ecr:ReplicateImage\"}]}";
    EcrRegistry r = registry("policy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', "
        + "Action: ecr:CreateRepository}]}");
    Health verdict = sync(r);
    assertThat(verdict.reason()).isEqualTo(Ownership.ALREADY_EXISTS);
    assertThat(verdict.message()).contains("policy").contains("ecr:ReplicateImage").contains("Adopt");
    assertThat(ecr.writes()).isEmpty();
  }

  @Test
  void aForeignSettingAddedToTheSpecOfTheClaimHolderIsRefusedAndOneRemovedIsStillResetOnDeletion() {
    EcrRegistry r = registry(REPLICATION);
    sync(r);
    assertThat(r.getStatus().ownedSettings).containsExactly("replicationConfiguration");
    ecr.scanning = ecr.scanning.toBuilder().scanType("ENHANCED").build(); // someone else's
    r.setSpec(registry(REPLICATION + "scanningConfiguration: {scanType: BASIC}\n").getSpec());
    resource = r;
    ecr.calls.clear();
    Health verdict = sync(r);
    assertThat(verdict.reason()).isEqualTo(Ownership.ALREADY_EXISTS);
    assertThat(verdict.message()).contains("scanningConfiguration").contains("ENHANCED").doesNotContain("replication");
    assertThat(ecr.writes()).isEmpty();

    r.setSpec(registry("policy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', "
        + "Action: ecr:ReplicateImage}]}").getSpec()); // replication no longer in the spec
    resource = r;
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(r.getStatus().ownedSettings).containsExactly("policy", "replicationConfiguration");
    ecr.calls.clear();
    reconciler.delete(r, r.getStatus(), context);
    assertThat(ecr.writes()).containsExactlyInAnyOrder("PutReplicationConfiguration", "DeleteRegistryPolicy");
    assertThat(ecr.scanning.scanTypeAsString()).as("never its own").isEqualTo("ENHANCED");
  }

  @Test
  void deletionResetsEachSettingTheSpecSetsThatIsNotAtItsDefault() {
    EcrRegistry r = registry(REPLICATION + "policy: {Version: '2012-10-17', Statement: [{Effect: Allow, "
        + "Principal: '*', Action: ecr:ReplicateImage}]}\nscanningConfiguration: {scanType: BASIC}\n");
    sync(r);
    ecr.scanning = ecr.scanning.toBuilder().scanType("ENHANCED").build();
    ecr.calls.clear();
    reconciler.delete(r, r.getStatus(), context);
    assertThat(ecr.writes()).containsExactlyInAnyOrder("PutRegistryScanningConfiguration",
        "PutReplicationConfiguration", "DeleteRegistryPolicy");
    assertThat(ecr.replication.rules()).isEmpty();
    assertThat(ecr.scanning.scanTypeAsString()).isEqualTo("BASIC");
    assertThat(ecr.policy).isEmpty();
  }

  private static EcrRegistry inAccount(String namespace, String created, String accountId) {
    EcrRegistry r = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcrRegistry
        metadata: {name: registry, namespace: %s, generation: 1, uid: %s, creationTimestamp: "%s"}
        spec:
        %s
        """.formatted(namespace, namespace, created, REPLICATION.indent(2)), EcrRegistry.class);
    r.setStatus(new EcrRegistryStatus());
    r.getStatus().setAccountId(accountId);
    return r;
  }

  @Test
  void claimsArePerAccountAndRegion() {
    EcrRegistry holder = inAccount("a", "2026-01-01T00:00:00Z", "111111111111");
    EcrRegistry sameAccount = inAccount("b", "2026-01-02T00:00:00Z", "111111111111");
    EcrRegistry otherAccount = inAccount("c", "2026-01-03T00:00:00Z", "222222222222");
    when(cache.list()).thenAnswer(i -> Stream.of(holder, sameAccount, otherAccount));
    Health refused = reconciler.sync(sameAccount, sameAccount.getStatus(), context).health();
    assertThat(refused.reason()).isEqualTo(EcrRegistryReconciler.ALREADY_CLAIMED);
    assertThat(refused.message()).contains("EcrRegistry a/registry", "registry eu-west-1 of account 111111111111");
    assertThat(ecr.calls).as("refused before any AWS call").isEmpty();
    assertThat(reconciler.sync(otherAccount, otherAccount.getStatus(), context).health().state())
        .as("the same region of another account is another claim").isEqualTo(Health.State.READY);
    assertThat(otherAccount.getStatus().ownedIdentity).isEqualTo("registry eu-west-1 of account 222222222222");
  }

  @Test
  void aClaimRecordedBeforeAccountsIsKeptInTheAccountNowRecorded() {
    EcrRegistry r = registry(REPLICATION);
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(r.getStatus().ownedIdentity).isEqualTo("registry eu-west-1");
    r.getStatus().setAccountId("111111111111"); // the first pass after the upgrade resolved the account
    ecr.calls.clear();
    assertThat(sync(r).state()).isEqualTo(Health.State.READY);
    assertThat(r.getStatus().ownedIdentity).isEqualTo("registry eu-west-1 of account 111111111111");
    assertThat(ecr.writes()).isEmpty();
  }
}
