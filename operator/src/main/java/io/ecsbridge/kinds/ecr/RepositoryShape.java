package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec;
import io.ecsbridge.aws.EcrGateway;
import io.ecsbridge.aws.SdkJson;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * EcrRepository's spec on ECR: CreateRepository's members, and the two policy documents ECR keeps as text. Compared:
 * imageTagMutability (default MUTABLE) and its exclusion filters (a set by filter, filterType WILDCARD by default; both
 * sent together by PutImageTagMutability), imageScanningConfiguration (scanOnPush default false), the lifecycle policy
 * (rules by priority, action expire by default, tag lists as sets: {@link PolicyJson}) and the repository policy (IAM's
 * rules: {@link PolicyJson}). encryptionConfiguration is fixed at creation: only its type is compared (AES256 by
 * default; ECR reports a KMS key as an ARN, the spec may name an alias), to refuse a repository encrypted otherwise.
 */
public final class RepositoryShape extends Shape {
  public static final RepositoryShape SHAPE = new RepositoryShape();

  private static final List<Member> MEMBERS = List.of(
      member("imageTagMutability", v -> orDefault(v, "MUTABLE")),
      member("imageTagMutabilityExclusionFilters", RepositoryShape::exclusionFilters),
      member("imageScanningConfiguration", v -> defaults(object(v), "scanOnPush", false)),
      document("lifecyclePolicy", RepositoryShape::lifecyclePolicy),
      document("repositoryPolicy", v -> v)
          .same((a, b) -> Objects.equals(PolicyJson.canonicalIamPolicy(a), PolicyJson.canonicalIamPolicy(b))));

  private RepositoryShape() {
    super(EcrRepositorySpec.class);
  }

  @Override
  public List<Member> members() {
    return MEMBERS;
  }

  @Override
  public Set<String> fixedAtCreation() {
    return Set.of("encryptionConfiguration");
  }

  @Override
  public Set<String> identity() {
    return Set.of("repositoryName");
  }

  @Override
  public Set<String> kubernetesOnly() {
    return Set.of("forceDelete"); // DeleteRepository's force, asked only when the resource is deleted
  }

  /** The repository as ECR describes it, in the spec's shape: the repository and its two policies parsed. */
  public static ObjectNode live(EcrGateway.Repository live) {
    ObjectNode json = SdkJson.toJson(live.repository());
    json.set("lifecyclePolicy", PolicyJson.parse(live.lifecyclePolicyText()));
    json.set("repositoryPolicy", PolicyJson.parse(live.repositoryPolicyText()));
    return json;
  }

  /** The encryption type of a spec's or a live repository's JSON: AES256 when it says none. */
  public static String encryptionType(JsonNode json) {
    String type = json.path("encryptionConfiguration").path("encryptionType").asText("");
    return type.isEmpty() ? "AES256" : type;
  }

  /** Tag-mutability exclusion filters: a set (sorted by filter), WILDCARD filled; none is absent. */
  private static JsonNode exclusionFilters(JsonNode filters) {
    if (filters == null || !filters.isArray() || filters.isEmpty()) {
      return null;
    }
    var out = list(filters);
    out.forEach(f -> defaults((ObjectNode) f, "filterType", "WILDCARD"));
    return sortBy(out, "filter");
  }

  /** A lifecycle policy document as ECR stores it; an empty one is none. */
  private static JsonNode lifecyclePolicy(JsonNode policy) {
    return policy == null || policy.isObject() && policy.isEmpty() ? null : PolicyJson.canonicalLifecyclePolicy(policy);
  }
}
