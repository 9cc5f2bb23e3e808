package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * {@link TaskDefinitionGateway} on the AWS SDK. The latest revision is one DescribeTaskDefinition call with its tags.
 * Content crosses between our JSON and the SDK's model generically, field by field through the SDK's own field
 * metadata (AWS's JSON names), so every field of the RegisterTaskDefinition shape passes without a hand-written
 * mapping.
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

  /** SDK model objects to and from JSON with AWS's field names, driven by the SDK's field metadata. */
  public static final class SdkJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SdkJson() {}

    public static ObjectNode toJson(SdkPojo pojo) {
      ObjectNode out = NODES.objectNode();
      for (SdkField<?> field : pojo.sdkFields()) {
        JsonNode value = value(field, field.getValueOrDefault(pojo));
        if (value != null) {
          out.set(field.locationName(), value);
        }
      }
      return out;
    }

    private static JsonNode value(SdkField<?> field, Object value) {
      if (value == null || value instanceof SdkAutoConstructList<?> || value instanceof SdkAutoConstructMap<?, ?>) {
        return null;
      }
      MarshallingType<?> type = field.marshallingType();
      if (type == MarshallingType.SDK_POJO) {
        return toJson((SdkPojo) value);
      }
      if (type == MarshallingType.LIST) {
        SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
        ArrayNode array = NODES.arrayNode();
        ((List<?>) value).forEach(item -> array.add(value(member, item)));
        return array;
      }
      if (type == MarshallingType.MAP) {
        SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
        ObjectNode map = NODES.objectNode();
        ((Map<?, ?>) value).forEach((k, v) -> map.set(String.valueOf(k), value(member, v)));
        return map;
      }
      if (value instanceof Boolean b) {
        return NODES.booleanNode(b);
      }
      if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        return NODES.numberNode(((Number) value).longValue());
      }
      if (value instanceof Number n) {
        return NODES.numberNode(n.doubleValue());
      }
      return NODES.textNode(value.toString());
    }

    /** Sets the builder's fields from JSON; a field the SDK does not know is an error (a model/SDK mismatch). */
    public static void fill(SdkPojo builder, JsonNode json) {
      Map<String, SdkField<?>> fields = new LinkedHashMap<>();
      builder.sdkFields().forEach(f -> fields.put(f.locationName(), f));
      json.fields().forEachRemaining(e -> {
        SdkField<?> field = fields.get(e.getKey());
        if (field == null) {
          throw new IllegalArgumentException("unknown field " + e.getKey() + " for " + builder.getClass());
        }
        if (!e.getValue().isNull()) {
          field.set(builder, fromJson(field, e.getValue()));
        }
      });
    }

    private static Object fromJson(SdkField<?> field, JsonNode json) {
      MarshallingType<?> type = field.marshallingType();
      if (type == MarshallingType.SDK_POJO) {
        SdkPojo nested = field.constructor().get();
        fill(nested, json);
        return ((SdkBuilder<?, ?>) nested).build();
      }
      if (type == MarshallingType.LIST) {
        SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
        List<Object> list = new ArrayList<>();
        json.forEach(item -> list.add(fromJson(member, item)));
        return list;
      }
      if (type == MarshallingType.MAP) {
        SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
        Map<String, Object> map = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> map.put(e.getKey(), fromJson(member, e.getValue())));
        return map;
      }
      if (type == MarshallingType.INTEGER) {
        return json.asInt();
      }
      if (type == MarshallingType.LONG) {
        return json.asLong();
      }
      if (type == MarshallingType.BOOLEAN) {
        return json.asBoolean();
      }
      if (type == MarshallingType.DOUBLE) {
        return json.asDouble();
      }
      if (type == MarshallingType.STRING) {
        return json.asText();
      }
      if (type == MarshallingType.INSTANT) {
        return java.time.Instant.parse(json.asText());
      }
      throw new IllegalArgumentException("unsupported field type " + type + " of " + field.locationName());
    }
  }
}
