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
import software.amazon.awssdk.services.ecr.model.GetRegistryScanningConfigurationResponse;
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
        scanningConfiguration:
          scanType: ENHANCED
          rules:
          - {scanFrequency: SCAN_ON_PUSH, repositoryFilters: [{filter: "*", filterType: WILDCARD}]}
          - {scanFrequency: CONTINUOUS_SCAN, repositoryFilters: [{filter: "payments/*"}]}
        """;
  }

  /** Registry settings are never created: they are reported as GetRegistryScanningConfiguration answers them. */
  @Override
  protected Supplier<SdkPojo> createRequest() {
    return GetRegistryScanningConfigurationResponse::builder;
  }

  @Override
  protected List<Supplier<SdkPojo>> updateRequests() {
    return List.of();
  }

  @Override
  protected Map<String, Supplier<SdkPojo>> puts() {
    return Map.of("scanningConfiguration", PutRegistryScanningConfigurationRequest::builder);
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
    assertThat(shape().differences(spec(""), json("{\"scanningConfiguration\": {\"scanType\": \"ENHANCED\"}}")))
        .isEmpty();
  }
}
