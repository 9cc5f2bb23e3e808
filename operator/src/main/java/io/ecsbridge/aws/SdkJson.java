package io.ecsbridge.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * The AWS SDK's model objects to and from JSON with AWS's own member names, driven by the SDK's field metadata
 * ({@link SdkField}): the one way a spec's JSON becomes an SDK request and an SDK response becomes JSON to compare.
 * Enums are their strings, integral numbers longs (JSON has one number type), timestamps ISO-8601 text, documents
 * (free JSON such as a lifecycle hook's hookDetails) their JSON.
 *
 * <p>Filling is strict: a member the SDK does not know, or a value of the wrong JSON type, is an
 * {@link IllegalArgumentException} naming the member and the SDK class (never the value: it may be a secret), so that
 * a model that drifts from AWS's names fails its coverage test instead of dropping a field silently. A JSON null is
 * the member left unset.
 */
public final class SdkJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SdkJson() {}

  /** The object's members as JSON; unset members (and lists and maps the SDK made up empty) are left out. */
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

  /** A new SDK object from JSON in its shape: {@code build(CreateClusterRequest.builder(), json)}. */
  public static <T, B extends SdkPojo & SdkBuilder<B, T>> T build(B builder, JsonNode json) {
    fill(builder, json);
    return builder.build();
  }

  /** Sets the builder's members from JSON; members the JSON does not name are left as they are. */
  public static void fill(SdkPojo builder, JsonNode json) {
    if (!json.isObject()) {
      throw new IllegalArgumentException("expected a JSON object for " + name(builder) + ", got " + json.getNodeType());
    }
    Map<String, SdkField<?>> fields = new LinkedHashMap<>();
    builder.sdkFields().forEach(f -> fields.put(f.locationName(), f));
    json.fields().forEachRemaining(e -> {
      SdkField<?> field = fields.get(e.getKey());
      if (field == null) {
        throw new IllegalArgumentException("unknown member " + e.getKey() + " of " + name(builder));
      }
      if (!e.getValue().isNull()) {
        field.set(builder, fromJson(field, e.getValue(), name(builder) + "." + e.getKey()));
      }
    });
  }

  private static String name(SdkPojo pojo) {
    Class<?> type = pojo.getClass();
    // builders are nested implementation classes (CreateClusterRequest$BuilderImpl): name the model class
    return type.getEnclosingClass() != null ? type.getEnclosingClass().getSimpleName() : type.getSimpleName();
  }

  private static JsonNode value(SdkField<?> field, Object value) {
    if (value == null || value instanceof SdkAutoConstructList<?> || value instanceof SdkAutoConstructMap<?, ?>) {
      return null;
    }
    MarshallingType<?> type = field.marshallingType();
    if (type == MarshallingType.SDK_POJO) {
      return toJson((SdkPojo) value);
    }
    if (value instanceof Document document) {
      return SdkDocuments.toJson(document);
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
    if (value instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Number n) {
      return NODES.numberNode(n.doubleValue());
    }
    return NODES.textNode(value.toString());
  }

  private static Object fromJson(SdkField<?> field, JsonNode json, String path) {
    MarshallingType<?> type = field.marshallingType();
    if (type == MarshallingType.SDK_POJO) {
      expect(json.isObject(), path, "an object", json);
      SdkPojo nested = field.constructor().get();
      fill(nested, json);
      return ((SdkBuilder<?, ?>) nested).build();
    }
    if (type == MarshallingType.LIST) {
      expect(json.isArray(), path, "a list", json);
      SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
      List<Object> list = new ArrayList<>();
      json.forEach(item -> list.add(fromJson(member, item, path + "[]")));
      return list;
    }
    if (type == MarshallingType.MAP) {
      expect(json.isObject(), path, "a map", json);
      SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
      Map<String, Object> map = new LinkedHashMap<>();
      json.fields().forEachRemaining(e -> map.put(e.getKey(), fromJson(member, e.getValue(), path + "{}")));
      return map;
    }
    if (type == MarshallingType.INTEGER) {
      expect(json.isIntegralNumber() && json.canConvertToInt(), path, "an integer", json);
      return json.intValue();
    }
    if (type == MarshallingType.LONG) {
      expect(json.isIntegralNumber() && json.canConvertToLong(), path, "an integer", json);
      return json.longValue();
    }
    if (type == MarshallingType.BOOLEAN) {
      expect(json.isBoolean(), path, "true or false", json);
      return json.booleanValue();
    }
    if (type == MarshallingType.DOUBLE) {
      expect(json.isNumber(), path, "a number", json);
      return json.doubleValue();
    }
    if (type == MarshallingType.FLOAT) {
      expect(json.isNumber(), path, "a number", json);
      return json.floatValue();
    }
    if (type == MarshallingType.BIG_DECIMAL) {
      expect(json.isNumber(), path, "a number", json);
      return json.decimalValue();
    }
    if (type == MarshallingType.STRING) {
      expect(json.isValueNode(), path, "a string", json);
      return json.asText();
    }
    if (type == MarshallingType.DOCUMENT) {
      return SdkDocuments.fromJson(json);
    }
    if (type == MarshallingType.INSTANT) {
      expect(json.isTextual() || json.isNumber(), path, "a timestamp", json);
      return json.isNumber()
          ? Instant.ofEpochMilli(json.decimalValue().movePointRight(3).longValue())
          : Instant.parse(json.asText());
    }
    throw new IllegalArgumentException("unsupported member type " + type + " of " + path);
  }

  /** The message names the member and the JSON type found, never the value. */
  private static void expect(boolean ok, String path, String what, JsonNode found) {
    if (!ok) {
      throw new IllegalArgumentException(path + " must be " + what + ", not " + found.getNodeType());
    }
  }
}
