package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbridge.api.v1alpha1.EcrPullThroughCacheRuleSpec;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * EcrPullThroughCacheRule's spec on ECR: CreatePullThroughCacheRule's members. UpdatePullThroughCacheRule changes
 * credentialArn and customRoleArn only: those are compared (when the spec sets them: the CRD lets neither be removed).
 * The upstream (upstreamRegistryUrl, upstreamRegistry, upstreamRepositoryPrefix) is fixed at creation: not compared
 * here but checked by the reconciler before any write ({@link #sameUpstream}).
 */
public final class PullThroughCacheRuleShape extends Shape {
  public static final PullThroughCacheRuleShape SHAPE = new PullThroughCacheRuleShape();

  static final List<String> UPSTREAM = List.of("upstreamRegistryUrl", "upstreamRegistry", "upstreamRepositoryPrefix");

  private static final List<Member> MEMBERS = List.of(
      ifSet("credentialArn", v -> v),
      ifSet("customRoleArn", v -> v));

  private PullThroughCacheRuleShape() {
    super(EcrPullThroughCacheRuleSpec.class);
  }

  @Override
  public List<Member> members() {
    return MEMBERS;
  }

  @Override
  public Set<String> fixedAtCreation() {
    return Set.copyOf(UPSTREAM);
  }

  @Override
  public Set<String> identity() {
    return Set.of("ecrRepositoryPrefix");
  }

  @Override
  public Set<String> kubernetesOnly() {
    return Set.of();
  }

  /**
   * The upstream members where the live rule differs from the spec (an upstream prefix ECR reports as ROOT, or not
   * at all, is the spec's absent one).
   */
  public static List<String> upstreamDifferences(JsonNode spec, JsonNode live) {
    return UPSTREAM.stream().filter(m -> !Objects.equals(upstream(m, spec), upstream(m, live))).toList();
  }

  private static String upstream(String member, JsonNode json) {
    String value = json.path(member).asText("");
    return member.equals("upstreamRepositoryPrefix") && value.equals("ROOT") ? "" : value;
  }

  /** Whether the live rule caches the upstream the spec names. */
  public static boolean sameUpstream(JsonNode spec, JsonNode live) {
    return upstreamDifferences(spec, live).isEmpty();
  }
}
