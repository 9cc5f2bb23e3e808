package io.ecsbridge.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec;
import io.ecsbridge.api.v1alpha1.EcrRepositoryStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.EcrGateway;
import io.ecsbridge.aws.EcrGateway.Repository;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * EcrRepository: read the repository (describe, tags, lifecycle policy, repository policy), write only what differs
 * from the spec, report what ECR says.
 */
@ControllerConfiguration(name = "ecrrepository")
public class EcrRepositoryReconciler
    extends ContractReconciler<EcrRepository, EcrRepositorySpec, EcrRepositoryStatus, String, Repository> {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** ECR's limit on a repository policy (SetRepositoryPolicy policyText), in characters. */
  static final int MAX_POLICY_CHARACTERS = 10_240;

  private final EcrGateway ecr;
  private final Function<String, String> regions;

  /**
   * @param regions resolves spec.region (null when absent) to the region to use
   */
  public EcrRepositoryReconciler(OperatorContext op, EcrGateway ecr, Function<String, String> regions) {
    super(op);
    this.ecr = ecr;
    this.regions = regions;
  }

  @Override
  protected EcrRepositoryStatus newStatus() {
    return new EcrRepositoryStatus();
  }

  @Override
  protected String what() {
    return "ECR repository";
  }

  @Override
  protected Placed<String> place(EcrRepository resource, EcrRepositoryStatus status, Context<EcrRepository> context) {
    return Placed.at(regions.apply(resource.getSpec().getRegion()));
  }

  @Override
  protected String describe(EcrRepository resource) {
    return "ECR repository " + resource.repositoryName();
  }

  /** A policy over ECR's limit: admission cannot measure the document (CEL serializes nothing), so it is refused here. */
  @Override
  protected Optional<Health> precheck(EcrRepository resource) {
    String policyText = repositoryPolicyText(resource.getSpec());
    if (resource.getSpec().getManagementPolicy() == ManagementPolicy.ObserveOnly || policyText == null
        || policyText.codePointCount(0, policyText.length()) <= MAX_POLICY_CHARACTERS) {
      return Optional.empty();
    }
    return Optional.of(Health.stalled("PolicyTooLarge", "repositoryPolicy is "
        + policyText.codePointCount(0, policyText.length()) + " characters of JSON as sent to ECR, which takes at most "
        + MAX_POLICY_CHARACTERS + " (SetRepositoryPolicy policyText): shorten it, for example by merging statements. "
        + "Nothing was written."));
  }

  @Override
  protected Optional<Repository> observe(EcrRepository resource, String region) {
    return ecr.describe(region, resource.repositoryName());
  }

  @Override
  protected Map<String, String> tags(Repository live) {
    return live.tags();
  }

  @Override
  protected Optional<Repository> create(EcrRepository resource, String region, String owner) {
    EcrRepositorySpec spec = resource.getSpec();
    try {
      return Optional.of(ecr.create(region, new EcrGateway.NewRepository(resource.repositoryName(), mutability(spec),
          scanOnPush(spec), encryptionType(spec),
          spec.encryptionConfiguration == null ? null : spec.encryptionConfiguration.kmsKey,
          Tags.desired(spec.tags, owner, false))));
    } catch (AwsException e) {
      if ("RepositoryAlreadyExistsException".equals(e.errorCode())) {
        return Optional.empty(); // made meanwhile, or by our own create whose reply was lost: observed again
      }
      throw e;
    }
  }

  @Override
  protected void report(EcrRepositoryStatus status, Repository live) {
    status.arn = live.arn();
    status.registryId = live.registryId();
    status.repositoryUri = live.uri();
    status.createdAt = live.createdAt() == null ? null : live.createdAt().toString();
  }

  /** Encryption is fixed at creation: an adopted or observed repository encrypted otherwise never matches the spec. */
  @Override
  protected Optional<Health> unfixable(EcrRepository resource, Repository live) {
    ManagementPolicy policy = resource.getSpec().getManagementPolicy();
    String encryption = encryptionType(resource.getSpec()) == null ? "AES256" : encryptionType(resource.getSpec());
    if (policy == ManagementPolicy.Managed || encryption.equals(live.encryptionType())) {
      return Optional.empty();
    }
    return Optional.of(Health.stalled(policy == ManagementPolicy.ObserveOnly ? "OutOfSync" : "EncryptionMismatch",
        "ECR repository " + live.name() + " is encrypted with " + live.encryptionType() + " but the spec asks for "
            + encryption + "; ECR fixes the encryption when a repository is created: change the spec"));
  }

  @Override
  protected List<Change> diff(EcrRepository resource, Repository live, String region, String owner) {
    return changes(resource.getSpec(), live, region, owner);
  }

  @Override
  protected Result health(EcrRepository resource, Repository live, boolean created) {
    return Result.of(Health.ready("Synced", "ECR repository " + live.name() + (created ? " created" : " is in sync")));
  }

  private List<Change> changes(EcrRepositorySpec spec, Repository live, String region, String owner) {
    String name = live.name();
    List<Change> changes = new ArrayList<>();
    String mutability = mutability(spec);
    if (!mutability.equals(live.imageTagMutability())) {
      changes.add(new Change("imageTagMutability", "Set imageTagMutability to " + mutability,
          () -> ecr.putImageTagMutability(region, name, mutability)));
    }
    boolean scan = scanOnPush(spec);
    if (scan != live.scanOnPush()) {
      changes.add(new Change("imageScanningConfiguration", "Set scanOnPush to " + scan,
          () -> ecr.putScanOnPush(region, name, scan)));
    }
    JsonNode wantLifecycle = lifecyclePolicy(spec);
    JsonNode haveLifecycle = PolicyJson.canonicalLifecyclePolicy(PolicyJson.parse(live.lifecyclePolicyText()));
    if (!Objects.equals(wantLifecycle, haveLifecycle)) {
      changes.add(wantLifecycle == null
          ? new Change("lifecyclePolicy", "Deleted the lifecycle policy", () -> ecr.deleteLifecyclePolicy(region, name))
          : new Change("lifecyclePolicy", "Put the lifecycle policy",
              () -> ecr.putLifecyclePolicy(region, name, PolicyJson.write(wantLifecycle))));
    }
    JsonNode wantPolicy = spec.repositoryPolicy == null || spec.repositoryPolicy.isNull() ? null
        : PolicyJson.canonicalIamPolicy(spec.repositoryPolicy);
    JsonNode havePolicy = PolicyJson.canonicalIamPolicy(PolicyJson.parse(live.repositoryPolicyText()));
    if (!Objects.equals(wantPolicy, havePolicy)) {
      changes.add(wantPolicy == null
          ? new Change("repositoryPolicy", "Deleted the repository policy",
              () -> ecr.deleteRepositoryPolicy(region, name))
          : new Change("repositoryPolicy", "Set the repository policy",
              () -> ecr.setRepositoryPolicy(region, name, repositoryPolicyText(spec))));
    }
    boolean observeOnly = spec.getManagementPolicy() == ManagementPolicy.ObserveOnly;
    Tags.diff(Tags.desired(spec.tags, owner, observeOnly), live.tags(), observeOnly, changes,
        add -> ecr.tag(region, live.arn(), add), remove -> ecr.untag(region, live.arn(), remove));
    return changes;
  }

  @Override
  protected DeleteResult remove(EcrRepository resource, Repository live, String region) {
    String name = live.name();
    boolean force = Boolean.TRUE.equals(resource.getSpec().forceDelete);
    try {
      ecr.delete(region, name, force);
    } catch (AwsException e) {
      if ("RepositoryNotEmptyException".equals(e.errorCode())) {
        return DeleteResult.waiting(Health.stalled("RepositoryNotEmpty", "ECR repository " + name
            + " still holds images and was not deleted: " + e.getMessage() + ". Set spec.forceDelete: true to delete "
            + "it with its images, or spec.deletionPolicy: Retain to keep it and release this resource."),
            op.resyncPeriod());
      }
      throw e;
    }
    op.events().normal(resource, "Deleted", "Deleted ECR repository " + name + (force ? " with its images" : ""));
    return DeleteResult.finished();
  }

  /** The repository policy exactly as it is sent to ECR (compact JSON), or null when the spec has none. */
  static String repositoryPolicyText(EcrRepositorySpec spec) {
    return spec.repositoryPolicy == null || spec.repositoryPolicy.isNull() ? null
        : PolicyJson.write(spec.repositoryPolicy);
  }



  private static String mutability(EcrRepositorySpec spec) {
    return spec.imageTagMutability == null ? "MUTABLE" : spec.imageTagMutability.name();
  }

  private static boolean scanOnPush(EcrRepositorySpec spec) {
    return spec.imageScanningConfiguration != null
        && Boolean.TRUE.equals(spec.imageScanningConfiguration.scanOnPush);
  }

  private static String encryptionType(EcrRepositorySpec spec) {
    return spec.encryptionConfiguration == null || spec.encryptionConfiguration.encryptionType == null ? null
        : spec.encryptionConfiguration.encryptionType.name();
  }

  /** The spec's lifecycle policy as the canonical JSON document ECR stores. */
  static JsonNode lifecyclePolicy(EcrRepositorySpec spec) {
    if (spec.lifecyclePolicy == null || spec.lifecyclePolicy.rules == null) {
      return null;
    }
    ObjectNode doc = MAPPER.createObjectNode();
    var rules = doc.putArray("rules");
    for (EcrRepositorySpec.LifecycleRule rule : spec.lifecyclePolicy.rules) {
      ObjectNode r = rules.addObject();
      r.put("rulePriority", rule.rulePriority);
      if (rule.description != null && !rule.description.isEmpty()) {
        r.put("description", rule.description);
      }
      ObjectNode sel = r.putObject("selection");
      var s = rule.selection;
      sel.put("tagStatus", s.tagStatus.name());
      if (s.tagPrefixList != null) {
        s.tagPrefixList.forEach(sel.putArray("tagPrefixList")::add);
      }
      if (s.tagPatternList != null) {
        s.tagPatternList.forEach(sel.putArray("tagPatternList")::add);
      }
      sel.put("countType", s.countType.name());
      if (s.countUnit != null) {
        sel.put("countUnit", s.countUnit.name());
      }
      sel.put("countNumber", s.countNumber);
      r.putObject("action").put("type", rule.action == null || rule.action.type == null ? "expire"
          : rule.action.type.name());
    }
    return PolicyJson.canonicalLifecyclePolicy(doc);
  }
}
