package io.ecsbridge.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.aws.RegistryGateway.Settings;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.RegistryScanningRule;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilter;

/** How EcrRegistry compares scanning configurations: as ECR treats them. */
class EcrRegistryShapeTest {
  private static RegistryScanningRule rule(String frequency, String... filters) {
    return RegistryScanningRule.builder().scanFrequency(frequency).repositoryFilters(List.of(filters).stream()
        .map(f -> ScanningRepositoryFilter.builder().filter(f).filterType("WILDCARD").build()).toList()).build();
  }

  private static RegistryScanningConfiguration scanning(String type, RegistryScanningRule... rules) {
    return RegistryScanningConfiguration.builder().scanType(type).rules(rules).build();
  }

  @Test
  void rulesAndFiltersAreSets() {
    assertThat(EcrRegistryReconciler.canonical(scanning("ENHANCED", rule("SCAN_ON_PUSH", "b", "a"),
        rule("CONTINUOUS_SCAN", "c")))).isEqualTo(EcrRegistryReconciler.canonical(scanning("ENHANCED",
            rule("CONTINUOUS_SCAN", "c"), rule("SCAN_ON_PUSH", "a", "b"))));
  }

  @Test
  void aMissingFilterTypeIsWildcard() {
    RegistryScanningConfiguration untyped = RegistryScanningConfiguration.builder().scanType("BASIC")
        .rules(RegistryScanningRule.builder().scanFrequency("SCAN_ON_PUSH")
            .repositoryFilters(ScanningRepositoryFilter.builder().filter("*").build()).build()).build();
    assertThat(EcrRegistryReconciler.canonical(untyped))
        .isEqualTo(EcrRegistryReconciler.canonical(scanning("BASIC", rule("SCAN_ON_PUSH", "*"))));
  }

  @Test
  void defaultsAreBasicWithoutRulesAndAnAbsentConfigurationIsTheDefaults() {
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", scanning("BASIC")))).isTrue();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", null))).isTrue();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", scanning("ENHANCED")))).isFalse();
    assertThat(EcrRegistryReconciler.atDefaults(new Settings("1", scanning("BASIC", rule("SCAN_ON_PUSH", "*")))))
        .isFalse();
  }
}
