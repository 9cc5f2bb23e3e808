package io.ecsbridge.aws;

import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.CreatePullThroughCacheRuleRequest;
import software.amazon.awssdk.services.ecr.model.PullThroughCacheRule;
import software.amazon.awssdk.services.ecr.model.UpdatePullThroughCacheRuleRequest;

/** What the operator does with ECR pull through cache rules (SDK shapes, no Kubernetes types). */
public interface PullThroughCacheGateway {

  /** The rule of the prefix (DescribePullThroughCacheRules), or empty when the registry has none. */
  Optional<PullThroughCacheRule> describe(String region, String ecrRepositoryPrefix);

  /** CreatePullThroughCacheRule: the rule as ECR answered (PullThroughCacheRuleAlreadyExistsException if it exists). */
  PullThroughCacheRule create(String region, CreatePullThroughCacheRuleRequest request);

  void update(String region, UpdatePullThroughCacheRuleRequest request);

  void delete(String region, String ecrRepositoryPrefix);
}
