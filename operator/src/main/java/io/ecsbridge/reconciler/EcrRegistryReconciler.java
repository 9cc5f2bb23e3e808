package io.ecsbridge.reconciler;

import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.api.v1alpha1.EcrRegistrySpec;
import io.ecsbridge.api.v1alpha1.EcrRegistryStatus;
import io.ecsbridge.aws.RegistryGateway;
import io.ecsbridge.aws.RegistryGateway.Settings;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.RegistryScanningRule;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilter;

/**
 * EcrRegistry: the registry-wide settings of one account and region, on the claim strategy and the put/reset
 * lifecycle (one custom resource per region claims them; settings at ECR's defaults are free to take; deletion resets
 * what this resource wrote). Today: the scanning configuration.
 */
@ControllerConfiguration(name = "ecrregistry")
public class EcrRegistryReconciler
    extends ContractReconciler<EcrRegistry, EcrRegistrySpec, EcrRegistryStatus, String, Settings> {

  private final RegistryGateway ecr;
  private final Function<String, String> regions;

  public EcrRegistryReconciler(OperatorContext op, RegistryGateway ecr, Function<String, String> regions) {
    super(op);
    this.ecr = ecr;
    this.regions = regions;
  }

  @Override
  protected EcrRegistryStatus newStatus() {
    return new EcrRegistryStatus();
  }

  @Override
  protected String what() {
    return "ECR registry settings";
  }

  @Override
  protected OwnedBy<Settings> ownedBy() {
    return new OwnedBy.Claim<>(this::scope, EcrRegistryReconciler::atDefaults);
  }

  /** One claimant per region (per account and region once accounts exist). */
  private String scope(HasMetadata resource) {
    return "registry " + regions.apply(((EcrRegistry) resource).getSpec().getRegion());
  }

  /** ECR's defaults: BASIC scanning without rules. */
  static boolean atDefaults(Settings live) {
    return canonical(live.scanning()).equals(canonical(defaults()));
  }

  @Override
  protected Placed<String> place(EcrRegistry resource, EcrRegistryStatus status, Context<EcrRegistry> context) {
    return Placed.at(regions.apply(resource.getSpec().getRegion()));
  }

  @Override
  protected String describe(EcrRegistry resource) {
    return "The ECR registry settings of " + regions.apply(resource.getSpec().getRegion());
  }

  @Override
  protected Optional<Settings> observe(EcrRegistry resource, String region) {
    return Optional.of(ecr.settings(region));
  }

  @Override
  protected Map<String, String> tags(Settings live) {
    return Map.of(); // settings take no tags: claimed
  }

  @Override
  protected Optional<Settings> create(EcrRegistry resource, String region, String owner) {
    throw new IllegalStateException("registry settings always exist: never created");
  }

  @Override
  protected void report(EcrRegistryStatus status, Settings live) {
    status.registryId = live.registryId();
    status.scanType = live.scanning() == null ? null : live.scanning().scanTypeAsString();
  }

  @Override
  protected List<Change> diff(EcrRegistry resource, Settings live, String region, String owner) {
    EcrRegistrySpec.ScanningConfiguration want = resource.getSpec().scanningConfiguration;
    List<Change> changes = new ArrayList<>();
    if (want != null && !canonical(request(want)).equals(canonical(live.scanning()))) {
      changes.add(new Change("scanningConfiguration", "Put the scanning configuration (" + want.scanType + ", "
          + (want.rules == null ? 0 : want.rules.size()) + " rule(s))", () -> ecr.putScanning(region, put(want))));
    }
    return changes;
  }

  /** status.scanType is what a put changes: read again after one. */
  @Override
  protected Settings afterApply(EcrRegistry resource, Settings live, List<Change> applied, String region) {
    return applied.isEmpty() ? live : ecr.settings(region);
  }

  @Override
  protected Result health(EcrRegistry resource, Settings live, boolean created) {
    return Result.of(Health.ready("Synced", "The registry settings of " + live.registryId() + " are in sync"));
  }

  /** Resets what this resource manages to ECR's defaults. */
  @Override
  protected DeleteResult remove(EcrRegistry resource, Settings live, String region) {
    if (resource.getSpec().scanningConfiguration != null && !atDefaults(live)) {
      ecr.putScanning(region, PutRegistryScanningConfigurationRequest.builder().scanType("BASIC").rules(List.of())
          .build());
      op.events().normal(resource, "Reset", "Reset the scanning configuration of registry " + live.registryId()
          + " in " + region + " to BASIC without rules");
    }
    return DeleteResult.finished();
  }

  private static RegistryScanningConfiguration defaults() {
    return RegistryScanningConfiguration.builder().scanType("BASIC").rules(List.of()).build();
  }

  private static RegistryScanningConfiguration request(EcrRegistrySpec.ScanningConfiguration spec) {
    PutRegistryScanningConfigurationRequest put = put(spec);
    return RegistryScanningConfiguration.builder().scanType(put.scanTypeAsString()).rules(put.rules()).build();
  }

  private static PutRegistryScanningConfigurationRequest put(EcrRegistrySpec.ScanningConfiguration spec) {
    List<RegistryScanningRule> rules = spec.rules == null ? List.of() : spec.rules.stream()
        .map(rule -> RegistryScanningRule.builder().scanFrequency(rule.scanFrequency.name())
            .repositoryFilters(rule.repositoryFilters.stream().map(f -> ScanningRepositoryFilter.builder()
                .filter(f.filter).filterType(f.filterType == null ? "WILDCARD" : f.filterType.name()).build())
                .toList())
            .build())
        .toList();
    return PutRegistryScanningConfigurationRequest.builder().scanType(spec.scanType.name()).rules(rules).build();
  }

  /** The scanning configuration as ECR treats it: rules and filters are sets, filterType defaults to WILDCARD. */
  static List<String> canonical(RegistryScanningConfiguration scanning) {
    if (scanning == null) {
      return canonical(defaults());
    }
    List<String> out = new ArrayList<>();
    out.add(scanning.scanTypeAsString() == null ? "BASIC" : scanning.scanTypeAsString());
    scanning.rules().stream()
        .map(rule -> rule.scanFrequencyAsString() + rule.repositoryFilters().stream()
            .map(f -> f.filter() + "/" + (f.filterTypeAsString() == null ? "WILDCARD" : f.filterTypeAsString()))
            .sorted().toList())
        .sorted(Comparator.naturalOrder())
        .forEach(out::add);
    return out;
  }
}
