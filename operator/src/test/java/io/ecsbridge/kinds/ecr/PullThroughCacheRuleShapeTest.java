package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;
import io.ecsbridge.contract.ShapeContract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrPullThroughCacheRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecr.model.CreatePullThroughCacheRuleRequest;
import software.amazon.awssdk.services.ecr.model.UpdatePullThroughCacheRuleRequest;

/** EcrPullThroughCacheRule's mapping onto ECR: coverage of the spec, the compared members, the fixed upstream. */
class PullThroughCacheRuleShapeTest extends ShapeContract {
  private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/a";

  @Override
  protected Shape shape() {
    return PullThroughCacheRuleShape.SHAPE;
  }

  @Override
  protected Class<? extends HasMetadata> kind() {
    return EcrPullThroughCacheRule.class;
  }

  /** Both a secret and a role: admission allows one per upstream, the mapping must carry either. */
  @Override
  protected String everyField() {
    return """
        region: eu-west-1
        managementPolicy: Adopt
        deletionPolicy: Retain
        accountRef: {name: team-a}
        ecrRepositoryPrefix: upstream
        upstreamRegistry: ecr
        upstreamRegistryUrl: 210987654321.dkr.ecr.eu-west-1.amazonaws.com
        upstreamRepositoryPrefix: team
        credentialArn: %s
        customRoleArn: arn:aws:iam::123456789012:role/ecr-upstream
        """.formatted(SECRET);
  }

  @Override
  protected Supplier<SdkPojo> createRequest() {
    return CreatePullThroughCacheRuleRequest::builder;
  }

  @Override
  protected List<Supplier<SdkPojo>> updateRequests() {
    return List.of(UpdatePullThroughCacheRuleRequest::builder);
  }

  @Override
  protected Map<String, String> leftOut() {
    return Map.of("registryId", "the registry of the operator's credentials (the account a namespace may use is the "
        + "platform team's choice, issue 12)");
  }

  @Override
  protected List<Case> cases() {
    return List.of(
        new Case("credentialArn", "credentialArn: " + SECRET, "{\"credentialArn\": \"" + SECRET + "\"}",
            "{\"credentialArn\": \"" + SECRET + "-2\"}"),
        new Case("customRoleArn", "customRoleArn: arn:aws:iam::1:role/a",
            "{\"customRoleArn\": \"arn:aws:iam::1:role/a\"}", "{\"customRoleArn\": \"arn:aws:iam::1:role/b\"}"));
  }

  @Test
  void theUpstreamIsComparedApartAndRootIsAnAbsentUpstreamPrefix() {
    var spec = spec("upstreamRegistry: ecr\nupstreamRegistryUrl: 1.dkr.ecr.x.amazonaws.com");
    assertThat(PullThroughCacheRuleShape.upstreamDifferences(spec, json("{\"upstreamRegistry\": \"ecr\", "
        + "\"upstreamRegistryUrl\": \"1.dkr.ecr.x.amazonaws.com\", \"upstreamRepositoryPrefix\": \"ROOT\"}")))
        .isEmpty();
    assertThat(PullThroughCacheRuleShape.upstreamDifferences(spec, json("{\"upstreamRegistry\": \"ecr\", "
        + "\"upstreamRegistryUrl\": \"2.dkr.ecr.x.amazonaws.com\", \"upstreamRepositoryPrefix\": \"team\"}")))
        .containsExactly("upstreamRegistryUrl", "upstreamRepositoryPrefix");
  }

  @Test
  void aMemberTheSpecLeavesOutIsNotCompared() {
    assertThat(shape().differences(spec("upstreamRegistry: quay"), json("{\"credentialArn\": \"" + SECRET + "\"}")))
        .isEmpty();
  }
}
