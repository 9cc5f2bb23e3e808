package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.CreatePullThroughCacheRuleRequest;
import software.amazon.awssdk.services.ecr.model.CreatePullThroughCacheRuleResponse;
import software.amazon.awssdk.services.ecr.model.PullThroughCacheRule;
import software.amazon.awssdk.services.ecr.model.UpdatePullThroughCacheRuleRequest;

/** {@link PullThroughCacheGateway} on the AWS SDK: one DescribePullThroughCacheRules call reads a rule. */
public class SdkPullThroughCacheGateway implements PullThroughCacheGateway {
  private final AwsClients clients;

  public SdkPullThroughCacheGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Optional<PullThroughCacheRule> describe(String region, String ecrRepositoryPrefix) {
    try {
      return call(() -> clients.ecr(region).describePullThroughCacheRules(r -> r
          .ecrRepositoryPrefixes(ecrRepositoryPrefix)).pullThroughCacheRules()).stream().findFirst();
    } catch (AwsException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public PullThroughCacheRule create(String region, CreatePullThroughCacheRuleRequest request) {
    CreatePullThroughCacheRuleResponse r = call(() -> clients.ecr(region).createPullThroughCacheRule(request));
    return PullThroughCacheRule.builder().ecrRepositoryPrefix(r.ecrRepositoryPrefix())
        .upstreamRegistryUrl(r.upstreamRegistryUrl()).createdAt(r.createdAt()).registryId(r.registryId())
        .upstreamRegistry(r.upstreamRegistryAsString()).credentialArn(r.credentialArn())
        .customRoleArn(r.customRoleArn()).upstreamRepositoryPrefix(r.upstreamRepositoryPrefix()).build();
  }

  @Override
  public void update(String region, UpdatePullThroughCacheRuleRequest request) {
    call(() -> clients.ecr(region).updatePullThroughCacheRule(request));
  }

  @Override
  public void delete(String region, String ecrRepositoryPrefix) {
    call(() -> clients.ecr(region).deletePullThroughCacheRule(r -> r.ecrRepositoryPrefix(ecrRepositoryPrefix)));
  }
}
