package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplateSpec;
import io.ecsbridge.aws.SdkJson;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.ecr.model.RepositoryCreationTemplate;

/**
 * EcrRepositoryCreationTemplate's spec on ECR: CreateRepositoryCreationTemplate's members, every one of which
 * UpdateRepositoryCreationTemplate changes, so all are compared: description (none: empty), appliedFor (a set),
 * imageTagMutability (MUTABLE by default) with its exclusion filters (a set, compared with the *_WITH_EXCLUSION
 * settings only), encryptionConfiguration (AES256 by default; a KMS key compared when the spec names one), the
 * lifecycle and repository policies (EcrRepository's semantic compare: {@link PolicyJson}), resourceTags (a map in the
 * spec, ECR's list of Key/Value: both become the list sorted by key) and customRoleArn.
 */
public final class CreationTemplateShape extends Shape {
  public static final CreationTemplateShape SHAPE = new CreationTemplateShape();

  private static final List<Member> MEMBERS = List.of(
      member("description", v -> orDefault(v, "")),
      member("appliedFor", v -> sortStrings(list(v))),
      member("imageTagMutability", v -> orDefault(v, "MUTABLE")),
      member("imageTagMutabilityExclusionFilters", v -> sortBy(list(v), "filterType", "filter"))
          .when(spec -> spec.path("imageTagMutability").asText("").endsWith("_WITH_EXCLUSION")),
      member("encryptionConfiguration", v -> defaults(object(v), "encryptionType", "AES256"))
          .same((want, have) -> want.path("encryptionType").equals(have.path("encryptionType"))
              && (!want.has("kmsKey") || want.get("kmsKey").equals(have.get("kmsKey")))),
      document("lifecyclePolicy", v -> v == null || v.isObject() && v.isEmpty() ? null
          : PolicyJson.canonicalLifecyclePolicy(v)),
      document("repositoryPolicy", v -> v)
          .same((a, b) -> Objects.equals(PolicyJson.canonicalIamPolicy(a), PolicyJson.canonicalIamPolicy(b))),
      member("resourceTags", CreationTemplateShape::tagList),
      member("customRoleArn", v -> orDefault(v, "")));

  private CreationTemplateShape() {
    super(EcrRepositoryCreationTemplateSpec.class);
  }

  @Override
  public List<Member> members() {
    return MEMBERS;
  }

  @Override
  public Set<String> fixedAtCreation() {
    return Set.of();
  }

  @Override
  public Set<String> identity() {
    return Set.of("prefix");
  }

  @Override
  public Set<String> kubernetesOnly() {
    return Set.of();
  }

  /** The spec's members as written, resourceTags as ECR's list of Key/Value. */
  @Override
  public ObjectNode request(JsonNode spec) {
    ObjectNode out = super.request(spec);
    if (out.has("resourceTags")) {
      out.set("resourceTags", tagList(out.get("resourceTags")));
    }
    return out;
  }

  /** The template as ECR describes it, in the spec's shape: its two policies parsed. */
  public static ObjectNode live(RepositoryCreationTemplate template) {
    ObjectNode json = SdkJson.toJson(template);
    json.set("lifecyclePolicy", PolicyJson.parse(template.lifecyclePolicy()));
    json.set("repositoryPolicy", PolicyJson.parse(template.repositoryPolicy()));
    return json;
  }

  /** Tags as ECR's list of {Key, Value} sorted by key, from the spec's map or ECR's list. */
  static ArrayNode tagList(JsonNode tags) {
    ArrayNode out = NODES.arrayNode();
    if (tags instanceof ObjectNode map) {
      map.fields().forEachRemaining(e -> out.addObject().put("Key", e.getKey()).set("Value", e.getValue()));
    } else if (tags instanceof ArrayNode list) {
      list.forEach(t -> out.addObject().put("Key", t.path("Key").asText()).put("Value", t.path("Value").asText()));
    }
    return (ArrayNode) sortBy(out, "Key");
  }
}
