package io.ecsbridge.kinds.ecr;

import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.contract.OwnedBy;
import io.ecsbridge.contract.RegionalContract;
import io.ecsbridge.contract.Shape;

import static io.ecsbridge.kinds.ecr.CreationTemplateShape.SHAPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplate;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplateSpec;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplateStatus;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.CreationTemplateGateway;
import io.ecsbridge.aws.CreationTemplateGateway.Template;
import io.ecsbridge.aws.SdkJson;
import io.ecsbridge.status.Health;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryCreationTemplateRequest;
import software.amazon.awssdk.services.ecr.model.UpdateRepositoryCreationTemplateRequest;

/**
 * EcrRepositoryCreationTemplate: one DescribeRepositoryCreationTemplates read per pass; when any member differs
 * ({@link CreationTemplateShape}), one UpdateRepositoryCreationTemplate with the whole template the spec describes. A
 * template takes no tags of its own (resourceTags are its repositories'): it is owned by the identity recorded in
 * status ({@link OwnedBy.Identity}: registry, region and prefix). Deletion: DeleteRepositoryCreationTemplate, of the
 * template this resource recorded only; the repositories it shaped stay.
 */
@ControllerConfiguration(name = "ecrrepositorycreationtemplate")
public class EcrRepositoryCreationTemplateReconciler extends RegionalContract<EcrRepositoryCreationTemplate,
    EcrRepositoryCreationTemplateSpec, EcrRepositoryCreationTemplateStatus,
    EcrRepositoryCreationTemplateReconciler.Located> {

  /** A template where it is: its identity is account-wide per region. */
  public record Located(String region, Template live) {
    String identity() {
      return live.registryId() + ":" + region + ":" + live.template().prefix();
    }
  }

  private final CreationTemplateGateway ecr;

  public EcrRepositoryCreationTemplateReconciler(OperatorContext op, CreationTemplateGateway ecr,
      Function<String, String> regions) {
    super(op, regions);
    this.ecr = ecr;
  }

  @Override
  protected EcrRepositoryCreationTemplateStatus newStatus() {
    return new EcrRepositoryCreationTemplateStatus();
  }

  @Override
  protected String what() {
    return "ECR repository creation template";
  }

  @Override
  protected String describe(EcrRepositoryCreationTemplate resource) {
    return "ECR repository creation template " + resource.getSpec().prefix;
  }

  /** ECR's limit on a template's lifecycle policy (lifecyclePolicy), in characters. */
  static final int MAX_LIFECYCLE_CHARACTERS = 30_720;

  /**
   * A policy over ECR's limit (10,240 characters of repository policy, 30,720 of lifecycle policy, as sent): admission
   * cannot measure a document (CEL serializes nothing), so it is refused here, before anything is read or written.
   */
  @Override
  protected Optional<Health> precheck(EcrRepositoryCreationTemplate resource) {
    ObjectNode spec = Shape.json(resource.getSpec());
    for (var limit : Map.of("repositoryPolicy", EcrRepositoryReconciler.MAX_POLICY_CHARACTERS,
        "lifecyclePolicy", MAX_LIFECYCLE_CHARACTERS).entrySet()) {
      String text = text(SHAPE.wanted(limit.getKey(), spec));
      int length = text == null ? 0 : text.codePointCount(0, text.length());
      if (length > limit.getValue()) {
        return Optional.of(Health.stalled("PolicyTooLarge", limit.getKey() + " is " + length + " characters of JSON "
            + "as sent to ECR, which takes at most " + limit.getValue() + ": shorten it. Nothing was written."));
      }
    }
    return Optional.empty();
  }

  @Override
  protected OwnedBy<Located> ownedBy() {
    return new OwnedBy.Identity<>(Located::identity);
  }

  @Override
  protected Optional<Located> observe(EcrRepositoryCreationTemplate resource, String region) {
    return ecr.describe(region, resource.getSpec().prefix).map(t -> new Located(region, t));
  }

  @Override
  protected Map<String, String> tags(Located live) {
    return Map.of();
  }

  /** ECR refuses a prefix that has a template: that one is then observed and judged by whoever recorded it. */
  @Override
  protected Optional<Located> create(EcrRepositoryCreationTemplate resource, String region, String owner) {
    ObjectNode spec = Shape.json(resource.getSpec());
    CreateRepositoryCreationTemplateRequest.Builder request = CreateRepositoryCreationTemplateRequest.builder();
    SdkJson.fill(request, SHAPE.request(spec));
    request.prefix(resource.getSpec().prefix).lifecyclePolicy(text(SHAPE.wanted("lifecyclePolicy", spec)))
        .repositoryPolicy(text(SHAPE.wanted("repositoryPolicy", spec)));
    try {
      return Optional.of(new Located(region, ecr.create(region, request.build())));
    } catch (AwsException e) {
      if ("TemplateAlreadyExistsException".equals(e.errorCode())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static String text(JsonNode document) {
    return document == null ? null : PolicyJson.write(document);
  }

  @Override
  protected void report(EcrRepositoryCreationTemplateStatus status, Located live) {
    status.registryId = live.live().registryId();
    var t = live.live().template();
    status.createdAt = t.createdAt() == null ? null : t.createdAt().toString();
    status.updatedAt = t.updatedAt() == null ? null : t.updatedAt().toString();
  }

  /** One UpdateRepositoryCreationTemplate with the whole template the spec describes, when any member differs. */
  @Override
  protected List<Change> diff(EcrRepositoryCreationTemplate resource, Located live, String region, String owner) {
    ObjectNode want = Shape.json(resource.getSpec());
    ObjectNode have = CreationTemplateShape.live(live.live().template());
    List<String> differ = SHAPE.differences(want, have);
    if (differ.isEmpty()) {
      return List.of();
    }
    ObjectNode request = JsonNodeFactory.instance.objectNode().put("prefix", resource.getSpec().prefix);
    for (Shape.Member m : SHAPE.members()) {
      if (!m.managed().test(want)) {
        continue;
      }
      JsonNode value = SHAPE.wanted(m.name(), want);
      if (m.document()) {
        request.put(m.name(), value == null ? "" : PolicyJson.write(value)); // "" removes it
      } else if (Shape.clean(value) != null || differ.contains(m.name())) {
        request.set(m.name(), value);
      }
    }
    return List.of(new Change(String.join(", ", differ), "Updated " + String.join(", ", differ) + " of "
        + describe(resource), () -> ecr.update(region, SdkJson.build(UpdateRepositoryCreationTemplateRequest.builder(),
            request))));
  }

  @Override
  protected Result health(EcrRepositoryCreationTemplate resource, Located live, boolean created) {
    return Result.of(Health.ready("Synced", describe(resource) + (created ? " created" : " is in sync")));
  }

  @Override
  protected DeleteResult remove(EcrRepositoryCreationTemplate resource, Located live, String region) {
    try {
      ecr.delete(region, live.live().template().prefix());
    } catch (AwsException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
    op.events().normal(resource, "Deleted", "Deleted " + describe(resource));
    return DeleteResult.finished();
  }
}
