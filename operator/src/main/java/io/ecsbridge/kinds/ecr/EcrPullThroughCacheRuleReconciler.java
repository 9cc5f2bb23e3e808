package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.OwnedBy;
import io.ecsbridge.contract.RegionalContract;
import io.ecsbridge.contract.Shape;

import static io.ecsbridge.kinds.ecr.PullThroughCacheRuleShape.SHAPE;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrPullThroughCacheRule;
import io.ecsbridge.api.v1alpha1.EcrPullThroughCacheRuleSpec;
import io.ecsbridge.api.v1alpha1.EcrPullThroughCacheRuleStatus;
import io.ecsbridge.api.v1alpha1.ManagementPolicy;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.PullThroughCacheGateway;
import io.ecsbridge.aws.SdkJson;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecr.model.CreatePullThroughCacheRuleRequest;
import software.amazon.awssdk.services.ecr.model.PullThroughCacheRule;
import software.amazon.awssdk.services.ecr.model.UpdatePullThroughCacheRuleRequest;

/**
 * EcrPullThroughCacheRule: one DescribePullThroughCacheRules read per pass; UpdatePullThroughCacheRule when the
 * credentials secret or the role differ ({@link PullThroughCacheRuleShape}). A rule takes no tags: it is owned by the
 * identity recorded in status ({@link OwnedBy.Identity}, registry, region and prefix), so a rule of the same prefix
 * made outside, or recorded by another custom resource in any namespace, is never taken without Adopt, and never from
 * a live owner. Deletion: DeletePullThroughCacheRule, of the rule this resource recorded only.
 */
@ControllerConfiguration(name = "ecrpullthroughcacherule")
public class EcrPullThroughCacheRuleReconciler extends RegionalContract<EcrPullThroughCacheRule,
    EcrPullThroughCacheRuleSpec, EcrPullThroughCacheRuleStatus, EcrPullThroughCacheRuleReconciler.Rule> {

  /** A rule where it is: its identity is account-wide per region. */
  public record Rule(String region, PullThroughCacheRule rule) {
    String identity() {
      return rule.registryId() + ":" + region + ":" + rule.ecrRepositoryPrefix();
    }
  }

  private final PullThroughCacheGateway ecr;

  public EcrPullThroughCacheRuleReconciler(OperatorContext op, PullThroughCacheGateway ecr,
      Function<String, String> regions) {
    super(op, regions);
    this.ecr = ecr;
  }

  @Override
  protected EcrPullThroughCacheRuleStatus newStatus() {
    return new EcrPullThroughCacheRuleStatus();
  }

  @Override
  protected String what() {
    return "ECR pull through cache rule";
  }

  @Override
  protected String describe(EcrPullThroughCacheRule resource) {
    return "ECR pull through cache rule " + resource.getSpec().ecrRepositoryPrefix;
  }

  @Override
  protected OwnedBy<Rule> ownedBy() {
    return new OwnedBy.Identity<>(Rule::identity);
  }

  @Override
  protected Optional<Rule> observe(EcrPullThroughCacheRule resource, String region) {
    return ecr.describe(region, resource.getSpec().ecrRepositoryPrefix).map(r -> new Rule(region, r));
  }

  @Override
  protected Map<String, String> tags(Rule live) {
    return Map.of();
  }

  /** ECR refuses a prefix that has a rule: that one is then observed and judged by whoever recorded it. */
  @Override
  protected Optional<Rule> create(EcrPullThroughCacheRule resource, String region, String owner) {
    CreatePullThroughCacheRuleRequest.Builder request = CreatePullThroughCacheRuleRequest.builder();
    SdkJson.fill(request, SHAPE.request(Shape.json(resource.getSpec())));
    request.ecrRepositoryPrefix(resource.getSpec().ecrRepositoryPrefix);
    try {
      return Optional.of(new Rule(region, ecr.create(region, request.build())));
    } catch (AwsException e) {
      if ("PullThroughCacheRuleAlreadyExistsException".equals(e.errorCode())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  protected void report(EcrPullThroughCacheRuleStatus status, Rule live) {
    status.registryId = live.rule().registryId();
    status.createdAt = live.rule().createdAt() == null ? null : live.rule().createdAt().toString();
    status.updatedAt = live.rule().updatedAt() == null ? null : live.rule().updatedAt().toString();
  }

  /** The upstream is fixed at creation: an adopted or observed rule of another upstream never matches the spec. */
  @Override
  protected Optional<Health> unfixable(EcrPullThroughCacheRule resource, Rule live) {
    List<String> differ = PullThroughCacheRuleShape.upstreamDifferences(Shape.json(resource.getSpec()),
        SdkJson.toJson(live.rule()));
    if (differ.isEmpty()) {
      return Optional.empty();
    }
    boolean observeOnly = resource.getSpec().getManagementPolicy() == ManagementPolicy.ObserveOnly;
    return Optional.of(Health.stalled(observeOnly ? "OutOfSync" : "UpstreamMismatch", describe(resource)
        + " caches " + live.rule().upstreamRegistryAsString() + " " + live.rule().upstreamRegistryUrl()
        + (live.rule().upstreamRepositoryPrefix() == null ? "" : " (" + live.rule().upstreamRepositoryPrefix() + ")")
        + ", not what the spec says (" + String.join(", ", differ) + "); ECR fixes the upstream when a rule is "
        + "created: change the spec"));
  }

  /** One UpdatePullThroughCacheRule with both members the spec sets, when either differs. */
  @Override
  protected List<Change> diff(EcrPullThroughCacheRule resource, Rule live, String region, String owner) {
    ObjectNode want = Shape.json(resource.getSpec());
    List<String> differ = SHAPE.differences(want, SdkJson.toJson(live.rule()));
    if (differ.isEmpty()) {
      return List.of();
    }
    ObjectNode request = JsonNodeFactory.instance.objectNode().put("ecrRepositoryPrefix",
        resource.getSpec().ecrRepositoryPrefix);
    SHAPE.members().stream().filter(m -> m.managed().test(want))
        .forEach(m -> request.set(m.name(), SHAPE.wanted(m.name(), want)));
    return List.of(new Change(String.join(", ", differ), "Updated " + String.join(" and ", differ) + " of "
        + describe(resource), () -> ecr.update(region, SdkJson.build(UpdatePullThroughCacheRuleRequest.builder(),
            request))));
  }

  @Override
  protected Result health(EcrPullThroughCacheRule resource, Rule live, boolean created) {
    return Result.of(Health.ready("Synced", describe(resource) + (created ? " created" : " is in sync")));
  }

  @Override
  protected DeleteResult remove(EcrPullThroughCacheRule resource, Rule live, String region) {
    try {
      ecr.delete(region, live.rule().ecrRepositoryPrefix());
    } catch (AwsException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
    op.events().normal(resource, "Deleted", "Deleted " + describe(resource));
    return DeleteResult.finished();
  }
}
