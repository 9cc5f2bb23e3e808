package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.RegionalContract;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.OwnedBy;
import io.ecsbridge.contract.Shape;

import static io.ecsbridge.kinds.ecr.RegistryShape.SHAPE;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.api.v1alpha1.EcrRegistrySpec;
import io.ecsbridge.api.v1alpha1.EcrRegistryStatus;
import io.ecsbridge.aws.RegistryGateway;
import io.ecsbridge.aws.RegistryGateway.Settings;
import io.ecsbridge.aws.SdkJson;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;

/**
 * EcrRegistry: the registry-wide settings of one account and region, on the claim strategy and the put/reset
 * lifecycle (one custom resource per region claims them; settings at ECR's defaults are free to take; deletion resets
 * what this resource wrote). Today: the scanning configuration.
 */
@ControllerConfiguration(name = "ecrregistry")
public class EcrRegistryReconciler
    extends RegionalContract<EcrRegistry, EcrRegistrySpec, EcrRegistryStatus, Settings> {

  private final RegistryGateway ecr;

  public EcrRegistryReconciler(OperatorContext op, RegistryGateway ecr, Function<String, String> regions) {
    super(op, regions);
    this.ecr = ecr;
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
    return "registry " + region((EcrRegistry) resource);
  }

  /** ECR's defaults in every setting this kind knows (BASIC scanning without rules). */
  static boolean atDefaults(Settings live) {
    return SHAPE.atDefaults(json(live));
  }

  /** The live settings in the spec's shape. */
  static ObjectNode json(Settings live) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    if (live.scanning() != null) {
      json.set("scanningConfiguration", SdkJson.toJson(live.scanning()));
    }
    return json;
  }

  @Override
  protected String describe(EcrRegistry resource) {
    return "The ECR registry settings of " + region(resource);
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

  /** Each setting that differs ({@link RegistryShape}), put whole. */
  @Override
  protected List<Change> diff(EcrRegistry resource, Settings live, String region, String owner) {
    ObjectNode spec = Shape.json(resource.getSpec());
    return SHAPE.differences(spec, json(live)).stream()
        .map(member -> new Change(member, "Put the " + member + " " + SHAPE.canonical(member, spec),
            () -> ecr.putScanning(region, SdkJson.build(PutRegistryScanningConfigurationRequest.builder(),
                SHAPE.wanted(member, spec)))))
        .toList();
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
      ecr.putScanning(region, SdkJson.build(PutRegistryScanningConfigurationRequest.builder(),
          RegistryShape.DEFAULTS.get("scanningConfiguration")));
      op.events().normal(resource, "Reset", "Reset the scanning configuration of registry " + live.registryId()
          + " in " + region + " to ECR's defaults (BASIC, no rules)");
    }
    return DeleteResult.finished();
  }
}
