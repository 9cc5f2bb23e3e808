package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.ShapeContract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.aws.RegistryGateway.Settings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecr.model.DescribeRegistryRequest;
import software.amazon.awssdk.services.ecr.model.PutRegistryPolicyRequest;
import software.amazon.awssdk.services.ecr.model.ReplicationConfiguration;
import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;

/** EcrRegistry's mapping onto ECR: coverage of the spec, and each setting's normalization against what ECR reports. */
class RegistryShapeTest extends ShapeContract {

  @Override
  protected Shape shape() {
    return RegistryShape.SHAPE;
  }

  @Override
  protected Class<? extends HasMetadata> kind() {
    return EcrRegistry.class;
  }

  @Override
  protected String everyField() {
    return """
        region: eu-west-1
        managementPolicy: Managed
        deletionPolicy: Delete
        accountRef: {name: team-a}
        scanningConfiguration:
          scanType: ENHANCED
          rules:
          - {scanFrequency: SCAN_ON_PUSH, repositoryFilters: [{filter: "*", filterType: WILDCARD}]}
          - {scanFrequency: CONTINUOUS_SCAN, repositoryFilters: [{filter: "payments/*"}]}
        replicationConfiguration:
          rules:
          - destinations: [{region: eu-west-2, registryId: "123456789012"}]
            repositoryFilters: [{filter: web, filterType: PREFIX_MATCH}]
        policy:
          Version: "2012-10-17"
          Id: replicate
          Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::210987654321:root"}, Action: ecr:ReplicateImage,
                       Resource: "*"}]
        """;
  }

  /** Registry settings are never created: every setting is put whole. */
  @Override
  protected Supplier<SdkPojo> createRequest() {
    return DescribeRegistryRequest::builder;
  }

  @Override
  protected List<Supplier<SdkPojo>> updateRequests() {
    return List.of(PutRegistryPolicyRequest::builder);
  }

  @Override
  protected Map<String, String> documents() {
    return Map.of("policy", "PutRegistryPolicyRequest.policyText");
  }

  /** PutReplicationConfiguration takes the configuration whole: its members are ReplicationConfiguration's. */
  @Override
  protected Map<String, Supplier<SdkPojo>> puts() {
    return Map.of("scanningConfiguration", PutRegistryScanningConfigurationRequest::builder,
        "replicationConfiguration", ReplicationConfiguration::builder);
  }

  @Override
  protected List<Case> cases() {
    return List.of(
        new Case("scanningConfiguration", """
            scanningConfiguration:
              scanType: ENHANCED
              rules:
              - {scanFrequency: SCAN_ON_PUSH, repositoryFilters: [{filter: b}, {filter: a}]}
              - {scanFrequency: CONTINUOUS_SCAN, repositoryFilters: [{filter: c}]}
            """, """
            {"scanningConfiguration": {"scanType": "ENHANCED", "rules": [
              {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "c", "filterType": "WILDCARD"}]},
              {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "a", "filterType": "WILDCARD"},
                {"filter": "b", "filterType": "WILDCARD"}]}]}}
            """, """
            {"scanningConfiguration": {"scanType": "ENHANCED", "rules": [
              {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "a", "filterType": "WILDCARD"}]}]}}
            """),
        new Case("replicationConfiguration", """
            replicationConfiguration:
              rules:
              - destinations: [{region: us-west-2, registryId: "123456789012"}, {region: eu-west-1, registryId: "123456789012"}]
                repositoryFilters: [{filter: web}, {filter: api, filterType: PREFIX_MATCH}]
              - destinations: [{region: ap-south-1, registryId: "210987654321"}]
            """, """
            {"replicationConfiguration": {"rules": [
              {"destinations": [{"region": "ap-south-1", "registryId": "210987654321"}]},
              {"repositoryFilters": [{"filterType": "PREFIX_MATCH", "filter": "api"}, {"filter": "web", "filterType": "PREFIX_MATCH"}],
               "destinations": [{"region": "eu-west-1", "registryId": "123456789012"}, {"registryId": "123456789012", "region": "us-west-2"}]}]}}
            """, """
            {"replicationConfiguration": {"rules": [
              {"destinations": [{"region": "ap-south-1", "registryId": "210987654321"}]}]}}
            """),
        new Case("replicationConfiguration", "replicationConfiguration: {rules: []}",
            "{\"replicationConfiguration\": {\"rules\": []}}",
            "{\"replicationConfiguration\": {\"rules\": [{\"destinations\": [{\"region\": \"eu-west-1\", "
                + "\"registryId\": \"123456789012\"}]}]}}"),
        new Case("policy", """
            policy: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: [b, a]}, Action: ecr:ReplicateImage}}
            """, """
            {"policy": {"Statement": [{"Action": ["ecr:ReplicateImage"], "Principal": {"AWS": ["a", "b"]},
              "Effect": "Allow"}], "Version": "2012-10-17"}}
            """, """
            {"policy": {"Statement": [{"Action": ["ecr:ReplicateImage", "ecr:CreateRepository"],
              "Principal": {"AWS": ["a", "b"]}, "Effect": "Allow"}], "Version": "2012-10-17"}}
            """),
        new Case("scanningConfiguration", "scanningConfiguration: {scanType: BASIC}",
            "{\"scanningConfiguration\": {\"scanType\": \"BASIC\", \"rules\": []}}",
            "{\"scanningConfiguration\": {\"scanType\": \"ENHANCED\", \"rules\": []}}"));
  }

  @Test
  void ecrsDefaultsAreBasicWithoutRulesAndNothingReportedIsTheDefaults() {
    RegistryScanningConfiguration basic = RegistryScanningConfiguration.builder().scanType("BASIC").rules(List.of())
        .build();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", basic))).isTrue();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", null))).isTrue();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", basic.toBuilder().scanType("ENHANCED").build())))
        .isFalse();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", basic.toBuilder().rules(r -> r
        .scanFrequency("SCAN_ON_PUSH").repositoryFilters(f -> f.filter("*").filterType("WILDCARD"))).build())))
        .isFalse();
  }

  @Test
  void anAbsentSettingIsNotManaged() {
    assertThat(shape().differences(spec(""), json("""
        {"scanningConfiguration": {"scanType": "ENHANCED"}, "policy": {"Statement": []},
         "replicationConfiguration": {"rules": [{"destinations": [{"region": "eu-west-1", "registryId": "1"}]}]}}
        """))).isEmpty();
  }

  @Test
  void replicationRulesAPolicyOrEnhancedScanningAreNotTheDefaultsAndOnlyWhatWasReadCounts() {
    var replication = software.amazon.awssdk.services.ecr.model.ReplicationConfiguration.builder()
        .rules(r -> r.destinations(d -> d.region("eu-west-1").registryId("123456789012"))).build();
    var none = software.amazon.awssdk.services.ecr.model.ReplicationConfiguration.builder().rules(List.of()).build();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", null, none, ""))).isTrue();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", null, replication, null))).isFalse();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", null, null, "{\"Statement\": []}"))).isFalse();
    assertThat(RegistrySettings.foreign(new Settings("1", null, replication, ""), RegistrySettings.MEMBERS)).startsWith("replicationConfiguration")
        .contains("eu-west-1");
  }

  @Test
  void theSettingsReadAreThoseTheSpecSetsAndAllUnderObserveOnly() {
    var spec = new io.ecsbridge.api.v1alpha1.EcrRegistrySpec();
    assertThat(RegistrySettings.reads(spec, null)).isEqualTo(new io.ecsbridge.aws.RegistryGateway.Reads(false, false, false));
    spec.replicationConfiguration = new io.ecsbridge.api.v1alpha1.EcrRegistrySpec.ReplicationConfiguration();
    assertThat(RegistrySettings.reads(spec, null)).isEqualTo(new io.ecsbridge.aws.RegistryGateway.Reads(false, true, false));
    spec.setManagementPolicy(io.ecsbridge.api.v1alpha1.ManagementPolicy.ObserveOnly);
    var status = new io.ecsbridge.api.v1alpha1.EcrRegistryStatus();
    status.ownedSettings = List.of("policy");
    spec.setManagementPolicy(io.ecsbridge.api.v1alpha1.ManagementPolicy.Managed);
    assertThat(RegistrySettings.reads(spec, status)).as("and those it owns")
        .isEqualTo(new io.ecsbridge.aws.RegistryGateway.Reads(false, true, true));
    spec.setManagementPolicy(io.ecsbridge.api.v1alpha1.ManagementPolicy.ObserveOnly);
    assertThat(RegistrySettings.reads(spec, null)).isEqualTo(io.ecsbridge.aws.RegistryGateway.Reads.ALL);
  }
}
