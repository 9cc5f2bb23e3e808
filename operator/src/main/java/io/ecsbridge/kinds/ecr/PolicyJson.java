package io.ecsbridge.kinds.ecr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Semantic comparison of the JSON documents ECR stores as text (IAM repository policies and lifecycle policies), so
 * that an equal policy written another way is never put again. Object key order never matters; what else is
 * insignificant follows IAM's and ECR's rules: a single value equals a one-element list, lists of actions,
 * resources and principals are sets, statements are a set, rules are ordered by priority.
 */
public final class PolicyJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> SET_VALUED = Set.of("Action", "NotAction", "Resource", "NotResource");

  private PolicyJson() {}

  public static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return JsonNodeFactory.instance.textNode(text);
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** IAM policy document in canonical form. */
  public static JsonNode canonicalIamPolicy(JsonNode policy) {
    if (policy == null || !policy.isObject()) {
      return policy;
    }
    ObjectNode out = policy.deepCopy();
    JsonNode statements = out.get("Statement");
    if (statements != null) {
      List<JsonNode> list = new ArrayList<>();
      (statements.isArray() ? statements : JsonNodeFactory.instance.arrayNode().add(statements))
          .forEach(s -> list.add(canonicalStatement(s)));
      list.sort(Comparator.comparing(PolicyJson::write));
      ArrayNode array = out.putArray("Statement");
      list.forEach(array::add);
    }
    return out;
  }

  private static JsonNode canonicalStatement(JsonNode statement) {
    if (!statement.isObject()) {
      return statement;
    }
    ObjectNode s = statement.deepCopy();
    for (String key : SET_VALUED) {
      if (s.has(key)) {
        s.set(key, sortedSet(s.get(key)));
      }
    }
    for (String key : List.of("Principal", "NotPrincipal")) {
      JsonNode principal = s.get(key);
      if (principal != null && principal.isObject()) {
        ObjectNode p = principal.deepCopy();
        p.fieldNames().forEachRemaining(f -> p.set(f, sortedSet(principal.get(f))));
        s.set(key, p);
      }
    }
    JsonNode condition = s.get("Condition");
    if (condition != null && condition.isObject()) {
      ObjectNode c = condition.deepCopy();
      c.fields().forEachRemaining(op -> {
        if (op.getValue().isObject()) {
          ObjectNode keys = op.getValue().deepCopy();
          op.getValue().fieldNames().forEachRemaining(k -> keys.set(k, sortedSet(op.getValue().get(k))));
          c.set(op.getKey(), keys);
        }
      });
      s.set("Condition", c);
    }
    return s;
  }

  /** A scalar or a list, as a sorted list without duplicates. */
  private static JsonNode sortedSet(JsonNode value) {
    List<JsonNode> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(items::add);
    } else {
      items.add(value);
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    items.stream().map(JsonNode::asText).distinct().sorted()
        .forEach(out::add);
    return out;
  }

  /** ECR lifecycle policy in canonical form: rules by priority, default action filled, tag lists as sets. */
  public static JsonNode canonicalLifecyclePolicy(JsonNode policy) {
    if (policy == null || !policy.isObject() || !policy.has("rules")) {
      return policy;
    }
    ObjectNode out = policy.deepCopy();
    List<JsonNode> rules = new ArrayList<>();
    out.get("rules").forEach(rule -> {
      ObjectNode r = rule.deepCopy();
      if (!(r.get("action") instanceof ObjectNode action)) {
        r.putObject("action").put("type", "expire");
      } else if (!action.hasNonNull("type")) {
        action.put("type", "expire");
      }
      if (r.has("description") && r.get("description").asText().isEmpty()) {
        r.remove("description");
      }
      JsonNode selection = r.get("selection");
      if (selection instanceof ObjectNode sel) {
        for (String key : List.of("tagPrefixList", "tagPatternList")) {
          if (sel.has(key)) {
            sel.set(key, sortedSet(sel.get(key)));
          }
        }
      }
      rules.add(r);
    });
    rules.sort(Comparator.comparingInt(r -> r.path("rulePriority").asInt()));
    ArrayNode array = out.putArray("rules");
    rules.forEach(array::add);
    return out;
  }
}
