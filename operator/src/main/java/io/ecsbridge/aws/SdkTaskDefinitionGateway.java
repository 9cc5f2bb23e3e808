package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * {@link TaskDefinitionGateway} on the AWS SDK. The latest revision is one DescribeTaskDefinition call with its tags.
 * Content crosses between our JSON and the SDK's model through {@link SdkJson} (AWS's member names), so every field of
 * the RegisterTaskDefinition shape passes without a hand-written mapping.
 */
public class SdkTaskDefinitionGateway implements TaskDefinitionGateway {
  private final AwsClients clients;

  public SdkTaskDefinitionGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Optional<Revision> latest(String region, String family) {
    Optional<Revision> found = describe(region, family);
    if (found.isEmpty() || TaskDefinitionStatus.ACTIVE.toString().equals(found.get().status())) {
      return found;
    }
    // Real ECS answers a bare family with its latest ACTIVE revision; moto answers with the latest of any status.
    // Only then: find the latest ACTIVE one by listing.
    List<String> active = activeRevisions(region, family);
    return active.isEmpty() ? Optional.empty() : describe(region, active.get(active.size() - 1));
  }

  private Optional<Revision> describe(String region, String taskDefinition) {
    EcsClient ecs = clients.ecs(region);
    DescribeTaskDefinitionResponse response;
    try {
      response = call(() -> ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinition)
          .include(TaskDefinitionField.TAGS)));
    } catch (AwsException e) {
      // ECS (and moto) answer an unknown family with a ClientException, not a NotFound code
      if (e.notFound() || (e.getMessage() != null && e.getMessage().contains("Unable to describe task definition"))) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(revision(response.taskDefinition(), response.tags()));
  }

  @Override
  public Revision register(String region, String family, ObjectNode content, Map<String, String> tags) {
    RegisterTaskDefinitionRequest.Builder builder = RegisterTaskDefinitionRequest.builder();
    SdkJson.fill(builder, content);
    builder.family(family).tags(toTags(tags));
    RegisterTaskDefinitionRequest request = builder.build();
    var response = call(() -> clients.ecs(region).registerTaskDefinition(request));
    // the revision carries exactly the tags it was registered with; moto's response leaves them out
    return revision(response.taskDefinition(), request.tags());
  }

  @Override
  public List<String> activeRevisions(String region, String family) {
    List<String> arns = new ArrayList<>();
    call(() -> {
      clients.ecs(region).listTaskDefinitionsPaginator(r -> r.familyPrefix(family)
          .status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns().forEach(arns::add);
      return null;
    });
    return arns.stream()
        .filter(arn -> family.equals(TaskDefinitionGateway.familyOf(arn)))
        .sorted(Comparator.comparingLong(TaskDefinitionGateway::revisionOf))
        .toList();
  }

  @Override
  public Map<String, String> tags(String region, String arn) {
    return fromTags(call(() -> clients.ecs(region).listTagsForResource(r -> r.resourceArn(arn)).tags()));
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    call(() -> clients.ecs(region).tagResource(r -> r.resourceArn(arn).tags(toTags(tags))));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    call(() -> clients.ecs(region).untagResource(r -> r.resourceArn(arn).tagKeys(keys)));
  }

  @Override
  public void deregister(String region, String arn) {
    call(() -> clients.ecs(region).deregisterTaskDefinition(r -> r.taskDefinition(arn)));
  }

  private static Revision revision(TaskDefinition td, List<Tag> tags) {
    return new Revision(td.taskDefinitionArn(), td.family(), td.revision() == null ? 0 : td.revision(),
        td.statusAsString(), SdkJson.toJson(td), fromTags(tags));
  }

  private static List<Tag> toTags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }

  private static Map<String, String> fromTags(List<Tag> tags) {
    Map<String, String> out = new TreeMap<>();
    if (tags != null) {
      tags.forEach(t -> out.put(t.key(), t.value()));
    }
    return out;
  }
}
