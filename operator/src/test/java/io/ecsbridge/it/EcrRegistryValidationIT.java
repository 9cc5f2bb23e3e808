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

  private static String destinations(int n) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ", ").append("{region: us-west-2, registryId: '").append(100000000000L + i).append("'}");
    }
    return out.append("]").toString();
  }

  @Test
  void acceptsReplicationAndAPolicy() {
    var r = apply("replicating", """
        replicationConfiguration:
          rules:
          - destinations: [{region: eu-west-1, registryId: "123456789012"}, {region: us-gov-west-1, registryId: "210987654321"}]
            repositoryFilters: [{filter: web}, {filter: team-a/api, filterType: PREFIX_MATCH}]
          - destinations: [{region: ap-southeast-2, registryId: "123456789012"}]
        policy:
          Version: "2012-10-17"
          Statement: [{Sid: r, Effect: Allow, Principal: {AWS: "arn:aws:iam::210987654321:root"},
                       Action: [ecr:ReplicateImage], Resource: "*"}]
        """);
    assertThat(r.getAdditionalProperties().get("spec").toString()).contains("{filter=web, filterType=PREFIX_MATCH}")
        .contains("Sid=r");
    assertThat(apply("norules", "replicationConfiguration: {rules: []}").getMetadata().getUid()).isNotBlank();
  }

  @Test
  void replicationIsEcrs() {
    String rule = "replicationConfiguration: {rules: [{destinations: %s%s}]}";
    rejected("elevenrules", "replicationConfiguration: {rules: ["
        + "{destinations: [{region: us-west-2, registryId: '123456789012'}]},".repeat(10)
        + "{destinations: [{region: us-west-2, registryId: '123456789012'}]}]}", "must have at most 10 items");
    rejected("twentysix", "replicationConfiguration: {rules: [{destinations: " + destinations(13) + "}, "
        + "{destinations: " + destinations(13).replace("10000000", "20000000") + "}]}",
        "at most 25 distinct destinations across all rules");
    assertThat(apply("samedestinations", "replicationConfiguration: {rules: ["
        + ("{destinations: " + destinations(13) + "},").repeat(9) + "{destinations: " + destinations(13) + "}]}")
        .getMetadata().getUid()).as("a destination in several rules counts once").isNotBlank();
    rejected("onerule26", rule.formatted(destinations(26), ""), "must have at most 25 items");
    rejected("nodest", rule.formatted("[]", ""), "should have at least 1 items");
    rejected("norules", "replicationConfiguration: {}", "rules: Required value");
    rejected("region", rule.formatted("[{region: Mars, registryId: '123456789012'}]", ""), "should match");
    rejected("account", rule.formatted("[{region: us-west-2, registryId: '12345678901a'}]", ""), "should match");
    rejected("shortaccount", rule.formatted("[{region: us-west-2, registryId: '1234'}]", ""),
        "should be at least 12 chars long");
    rejected("noaccount", rule.formatted("[{region: us-west-2}]", ""), "registryId: Required value");
    String dest = "[{region: us-west-2, registryId: '123456789012'}]";
    rejected("filtertype", rule.formatted(dest, ", repositoryFilters: [{filter: web, filterType: WILDCARD}]"),
        "Unsupported value");
    rejected("filter", rule.formatted(dest, ", repositoryFilters: [{filter: 'Web*'}]"), "should match");
    rejected("short", rule.formatted(dest, ", repositoryFilters: [{filter: w}]"), "should be at least 2 chars long");
    rejected("nofilters", rule.formatted(dest, ", repositoryFilters: []"), "should have at least 1 items");
    StringBuilder filters = new StringBuilder(", repositoryFilters: [");
    for (int i = 0; i < 101; i++) {
      filters.append(i == 0 ? "" : ", ").append("{filter: f").append(i).append("}");
    }
    rejected("manyfilters", rule.formatted(dest, filters + "]"), "must have at most 100 items");
  }

  @Test
  void thePolicyIsAnIamPolicyObject() {
    rejected("text", "policy: '{\"Statement\": []}'", "must be of type object");
    rejected("nostatement", "policy: {Version: '2012-10-17'}", "Statement: Required value");
    rejected("version", "policy: {Version: '2020-01-01', Statement: []}", "policy Version is 2012-10-17 or 2008-10-17");
  }

  @Test
  void regionIsImmutable() {
    apply("region", "region: eu-west-1");
    rejected("region", "region: eu-west-2", "region is immutable");
  }
}
