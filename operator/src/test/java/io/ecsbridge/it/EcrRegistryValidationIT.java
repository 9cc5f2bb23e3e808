package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import org.junit.jupiter.api.Test;

/** The real API server rejects invalid EcrRegistries at admission, with the CRD's own message. */
class EcrRegistryValidationIT extends AdmissionIT {
  EcrRegistryValidationIT() {
    super("EcrRegistry");
  }

  @Test
  void acceptsAFullValidSpec() {
    assertThat(apply("valid", """
        scanningConfiguration:
          scanType: ENHANCED
          rules:
          - {scanFrequency: SCAN_ON_PUSH, repositoryFilters: [{filter: "*", filterType: WILDCARD}]}
          - {scanFrequency: CONTINUOUS_SCAN, repositoryFilters: [{filter: "team-a/web.api_1"}, {filter: "x*"}]}
        """).getMetadata().getUid()).isNotBlank();
    assertThat(apply("basic", "scanningConfiguration: {scanType: BASIC}").getMetadata().getUid()).isNotBlank();
  }

  @Test
  void continuousScanningNeedsEnhanced() {
    rejected("basic", "scanningConfiguration: {scanType: BASIC, rules: [{scanFrequency: CONTINUOUS_SCAN, "
        + "repositoryFilters: [{filter: '*'}]}]}", "CONTINUOUS_SCAN needs scanType ENHANCED");
  }

  @Test
  void valuesAreEcrs() {
    rejected("type", "scanningConfiguration: {scanType: FULL}", "Unsupported value");
    rejected("none", "scanningConfiguration: {}", "scanType: Required value");
    rejected("freq", "scanningConfiguration: {scanType: ENHANCED, rules: [{scanFrequency: MANUAL, "
        + "repositoryFilters: [{filter: '*'}]}]}", "Unsupported value");
    rejected("filter", "scanningConfiguration: {scanType: ENHANCED, rules: [{scanFrequency: SCAN_ON_PUSH, "
        + "repositoryFilters: [{filter: 'Upper/Case'}]}]}", "should match");
    rejected("nofilter", "scanningConfiguration: {scanType: ENHANCED, rules: [{scanFrequency: SCAN_ON_PUSH, "
        + "repositoryFilters: []}]}", "should have at least 1 items");
    rejected("three", "scanningConfiguration: {scanType: ENHANCED, rules: ["
        + "{scanFrequency: SCAN_ON_PUSH, repositoryFilters: [{filter: a}]},"
        + "{scanFrequency: SCAN_ON_PUSH, repositoryFilters: [{filter: b}]},"
        + "{scanFrequency: SCAN_ON_PUSH, repositoryFilters: [{filter: c}]}]}", "must have at most 2 items");
  }

  @Test
  void regionIsImmutable() {
    apply("region", "region: eu-west-1");
    rejected("region", "region: eu-west-2", "region is immutable");
  }
}
