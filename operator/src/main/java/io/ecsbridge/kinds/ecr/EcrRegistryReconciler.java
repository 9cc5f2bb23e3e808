package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.RegionalContract;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.OwnedBy;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.contract.Shape;

import static io.ecsbridge.kinds.ecr.RegistryShape.SHAPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.api.v1alpha1.EcrRegistrySpec;
import io.ecsbridge.api.v1alpha1.EcrRegistryStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.RegistryGateway;
import io.ecsbridge.aws.RegistryGateway.Settings;
import io.ecsbridge.aws.SdkJson;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutReplicationConfigurationRequest;

/**
 * EcrRegistry: the registry-wide settings of one account and region, on the claim strategy and the put/reset
 * lifecycle (one custom resource per region claims them; settings at ECR's defaults are free to take; deletion resets
 * what this resource wrote): the scanning configuration, the replication configuration and the registry policy. Only
 * the settings the spec sets are read, compared and reset ({@link RegistrySettings}); ObserveOnly reads all three.
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

  /**
   * One claimant per account and region: the account is the one status.accountId records (set before any AWS call);
   * without one (a resource not resolved yet, or no account resolution) the region alone.
   */
  private String scope(HasMetadata resource) {
    EcrRegistry registry = (EcrRegistry) resource;
    String account = registry.getStatus() == null ? null : registry.getStatus().getAccountId();
    return "registry " + region(registry) + (account == null ? "" : " of account " + account);
  }

  /** A claim recorded before accounts (region alone) is this resource's claim in the account it now records. */
  private void migrateClaim(EcrRegistry resource, EcrRegistryStatus status) {
    if (status.getAccountId() != null && ("registry " + region(resource)).equals(status.ownedIdentity)) {
      status.ownedIdentity = scope(resource);
    }
  }

  /** ECR's defaults in every setting read (BASIC scanning without rules, no replication rules, no policy). */
  static boolean atDefaults(Settings live) {
    return SHAPE.atDefaults(RegistrySettings.json(live));
  }

  @Override
  protected String describe(EcrRegistry resource) {
    return "The ECR registry settings of " + region(resource);
  }

  /** A policy over ECR's limit: admission cannot measure the document, so it is refused before anything is read. */
  @Override
  protected Optional<Health> precheck(EcrRegistry resource) {
    String text = RegistrySettings.policyText(resource.getSpec());
    if (resource.getSpec().getManagementPolicy() == ManagementPolicy.ObserveOnly || text == null
        || text.codePointCount(0, text.length()) <= EcrRepositoryReconciler.MAX_POLICY_CHARACTERS) {
      return Optional.empty();
    }
    return Optional.of(Health.stalled("PolicyTooLarge", "policy is " + text.codePointCount(0, text.length())
        + " characters of JSON as sent to ECR, which takes at most " + EcrRepositoryReconciler.MAX_POLICY_CHARACTERS
        + " (PutRegistryPolicy policyText): shorten it. Nothing was written."));
  }

  @Override
  protected Optional<Settings> observe(EcrRegistry resource, String region) {
    return Optional.of(ecr.settings(region, RegistrySettings.reads(resource.getSpec(), resource.getStatus())));
  }

  @Override
  protected Map<String, String> tags(Settings live) {
    return Map.of(); // settings take no tags: claimed
  }

  @Override
  protected Optional<Settings> create(EcrRegistry resource, String region, String owner) {
    throw new IllegalStateException("registry settings always exist: never created");
  }

  /**
   * The claim's decision, then per setting the spec sets: one this resource owns, one at ECR's default (free to take)
   * or one adopted becomes (or stays) its own (status.ownedSettings); one that differs from the default and that it
   * does not own is refused under Managed, even once it holds the claim (a setting added to the spec later). A
   * refusal names the settings and their values.
   */
  @Override
  protected Ownership.Decision decide(EcrRegistry resource, EcrRegistryStatus status, Settings live, String region,
      Context<EcrRegistry> context) {
    migrateClaim(resource, status);
    Ownership.Decision decision = super.decide(resource, status, live, region, context);
    if (decision.refused() && Ownership.ALREADY_EXISTS.equals(decision.reason())) {
      return alreadyExists(resource, live, RegistrySettings.foreign(live, RegistrySettings.MEMBERS));
    }
    if (decision.refused() || decision.action() == Ownership.Action.OBSERVE) {
      return decision;
    }
    // a status written before ownedSettings existed: the claim covered whatever its spec set
    boolean legacy = status.ownedSettings == null && scope(resource).equals(status.ownedIdentity);
    java.util.Set<String> owned = new java.util.TreeSet<>(status.ownedSettings == null ? List.of()
        : status.ownedSettings);
    ObjectNode json = RegistrySettings.json(live);
    List<String> foreign = new java.util.ArrayList<>();
    for (String member : RegistrySettings.set(resource.getSpec())) {
      if (owned.contains(member) || legacy || SHAPE.atDefault(member, json)
          || decision.action() == Ownership.Action.ADOPT) {
        owned.add(member);
      } else {
        foreign.add(member);
      }
    }
    if (!foreign.isEmpty()) {
      return alreadyExists(resource, live, RegistrySettings.foreign(live, foreign));
    }
    status.ownedSettings = List.copyOf(owned);
    return decision;
  }

  private Ownership.Decision alreadyExists(EcrRegistry resource, Settings live, String settings) {
    return new Ownership.Decision(Ownership.Action.REFUSE, Ownership.ALREADY_EXISTS, describe(resource)
        + " (registry " + live.registryId() + ") were not written by this resource and differ from ECR's defaults: "
        + settings + "; set spec.managementPolicy: Adopt to take them over, or remove those settings from the spec");
  }

  @Override
  protected void report(EcrRegistryStatus status, Settings live) {
    RegistrySettings.report(status, live);
  }

  /** Each setting that differs ({@link RegistryShape}), put whole. */
  @Override
  protected List<Change> diff(EcrRegistry resource, Settings live, String region, String owner) {
    ObjectNode spec = Shape.json(resource.getSpec());
    return SHAPE.differences(spec, RegistrySettings.json(live)).stream()
        .map(member -> change(member, spec, resource.getSpec(), region))
        .toList();
  }

  private Change change(String member, ObjectNode spec, EcrRegistrySpec model, String region) {
    JsonNode wanted = SHAPE.wanted(member, spec);
    return switch (member) {
      case "scanningConfiguration" -> new Change(member, "Put the scanningConfiguration " + SHAPE.canonical(member,
          spec), () -> ecr.putScanning(region, SdkJson.build(PutRegistryScanningConfigurationRequest.builder(),
          wanted)));
      case "replicationConfiguration" -> new Change(member, "Put the replicationConfiguration "
          + RegistrySettings.describeReplication(wanted), () -> ecr.putReplication(region, SdkJson.build(
          PutReplicationConfigurationRequest.builder(),
          JsonNodeFactory.instance.objectNode().set("replicationConfiguration", wanted))));
      case "policy" -> new Change(member, "Put the registry policy",
          () -> ecr.putPolicy(region, RegistrySettings.policyText(model)));
      default -> throw new IllegalStateException("no ECR call sets " + member);
    };
  }

  /** status shows what a put changes: read again after one. */
  @Override
  protected Settings afterApply(EcrRegistry resource, Settings live, List<Change> applied, String region) {
    return applied.isEmpty() ? live
        : ecr.settings(region, RegistrySettings.reads(resource.getSpec(), resource.getStatus()));
  }

  @Override
  protected Result health(EcrRegistry resource, Settings live, boolean created) {
    return Result.of(Health.ready("Synced", "The registry settings of " + live.registryId() + " are in sync"));
  }

  /** Resets each setting this resource owns to ECR's default, when it is not at it already; one Event each. */
  @Override
  protected boolean removable(EcrRegistry resource, EcrRegistryStatus status, Settings live,
      Context<EcrRegistry> context) {
    migrateClaim(resource, status);
    return super.removable(resource, status, live, context);
  }

  @Override
  protected DeleteResult remove(EcrRegistry resource, Settings live, String region) {
    EcrRegistryStatus status = resource.getStatus();
    List<String> owned = status.ownedSettings != null ? status.ownedSettings
        : RegistrySettings.set(resource.getSpec()); // a status written before ownedSettings existed
    ObjectNode json = RegistrySettings.json(live);
    for (String member : RegistrySettings.MEMBERS) {
      if (!owned.contains(member) || SHAPE.atDefault(member, json)) {
        continue;
      }
      JsonNode dflt = RegistryShape.DEFAULTS.get(member);
      switch (member) {
        case "scanningConfiguration" -> ecr.putScanning(region,
            SdkJson.build(PutRegistryScanningConfigurationRequest.builder(), dflt));
        case "replicationConfiguration" -> ecr.putReplication(region, SdkJson.build(
            PutReplicationConfigurationRequest.builder(),
            JsonNodeFactory.instance.objectNode().set("replicationConfiguration", dflt)));
        default -> ecr.deletePolicy(region);
      }
      op.events().normal(resource, "Reset", "Reset the " + member + " of registry " + live.registryId() + " in "
          + region + " to ECR's default (" + RegistrySettings.DEFAULT_TEXT.get(member) + ")");
    }
    return DeleteResult.finished();
  }
}
