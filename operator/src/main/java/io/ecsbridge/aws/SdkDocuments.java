package io.ecsbridge.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** The SDK's free-form {@link Document} members (e.g. a lifecycle hook's hookDetails) to and from JSON. */
final class SdkDocuments {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SdkDocuments() {}

  static JsonNode toJson(Document document) {
    if (document == null || document.isNull()) {
      return NODES.nullNode();
    }
    if (document.isBoolean()) {
      return NODES.booleanNode(document.asBoolean());
    }
    if (document.isNumber()) {
      java.math.BigDecimal n = document.asNumber().bigDecimalValue();
      return n.stripTrailingZeros().scale() <= 0 && n.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
          ? NODES.numberNode(n.longValueExact()) : NODES.numberNode(n.doubleValue());
    }
    if (document.isString()) {
      return NODES.textNode(document.asString());
    }
    if (document.isList()) {
      ArrayNode array = NODES.arrayNode();
      document.asList().forEach(d -> array.add(toJson(d)));
      return array;
    }
    ObjectNode object = NODES.objectNode();
    document.asMap().forEach((k, v) -> object.set(k, toJson(v)));
    return object;
  }

  static Document fromJson(JsonNode json) {
    if (json == null || json.isNull()) {
      return Document.fromNull();
    }
    if (json.isBoolean()) {
      return Document.fromBoolean(json.booleanValue());
    }
    if (json.isNumber()) {
      return Document.fromNumber(SdkNumber.fromBigDecimal(json.decimalValue()));
    }
    if (json.isTextual()) {
      return Document.fromString(json.asText());
    }
    if (json.isArray()) {
      List<Document> list = new ArrayList<>();
      json.forEach(item -> list.add(fromJson(item)));
      return Document.fromList(list);
    }
    Map<String, Document> map = new LinkedHashMap<>();
    json.fields().forEachRemaining(e -> map.put(e.getKey(), fromJson(e.getValue())));
    return Document.fromMap(map);
  }
}
