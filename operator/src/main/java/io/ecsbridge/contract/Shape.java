package io.ecsbridge.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * How a kind's spec maps onto AWS, one convention for every kind. The spec's AWS fields are named exactly as the AWS
 * API's members, so the spec's JSON is the request's JSON ({@link io.ecsbridge.aws.SdkJson} makes the SDK request of
 * it), and the live state is read as JSON in the same shape ({@code SdkJson.toJson} of what AWS describes). A kind's
 * shape says which members are compared with the live state and how each is normalized, the same way on both sides;
 * the kind's diff turns each member that differs into one {@link Change}.
 *
 * <p>The rules every kind shares (this class): only what the spec can say is compared (the live value is projected
 * onto the spec model's fields); null, an empty list, an empty object and an empty string equal absent; integral
 * numbers compare as numbers whatever their Java type; a member the spec leaves out is either AWS's default (the
 * normalization fills it) or, for {@link #ifSet} members, not managed at all. What is sent: at creation the spec's
 * AWS fields as written, absent and empty ones left out (AWS fills its own defaults); on update the normalized value
 * of each member that differs ({@link #wanted}), which is AWS's default or an empty list where the spec says nothing.
 */
public abstract class Shape {
  protected static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /**
   * Spec fields every kind has that are the frame's, not an AWS member: the region picks the client, the policies are
   * the contract's, tags go through {@link Tags} with the ownership tag.
   */
  public static final Set<String> FRAME_FIELDS = Set.of("region", "managementPolicy", "deletionPolicy", "accountRef",
      "tags");

  private final Class<?> spec;

  protected Shape(Class<?> spec) {
    this.spec = spec;
  }

  /**
   * One member of the AWS shape compared with the live state.
   *
   * @param managed whether the spec manages it (given the spec's JSON): always, or only when set
   * @param normalize the value (cleaned, null when absent) with AWS's defaults filled, sets sorted, spellings as AWS
   *     reports them: what is sent, and, cleaned again, what is compared
   * @param same whether two canonical values are equal for AWS (default: equal JSON)
   * @param document a JSON document AWS stores as text (a policy): compared by its own rules, never cleaned
   */
  public record Member(String name, Predicate<JsonNode> managed, UnaryOperator<JsonNode> normalize,
      BiPredicate<JsonNode, JsonNode> same, boolean document) {

    /** Managed only when {@code managed} says so (given the spec's JSON). */
    public Member when(Predicate<JsonNode> managed) {
      return new Member(name, managed, normalize, same, document);
    }

    /** Canonical values that differ as JSON but are the same for AWS. */
    public Member same(BiPredicate<JsonNode, JsonNode> same) {
      return new Member(name, managed, normalize, same, document);
    }
  }

  /** A member the spec always manages: left out, it is AWS's default, which {@code normalize} fills. */
  protected static Member member(String name, UnaryOperator<JsonNode> normalize) {
    return new Member(name, spec -> true, normalize, Objects::equals, false);
  }

  /** A member managed only when the spec sets it (an empty list counts as set): left out, AWS keeps its value. */
  protected static Member ifSet(String name, UnaryOperator<JsonNode> normalize) {
    return new Member(name, spec -> spec.hasNonNull(name), normalize, Objects::equals, false);
  }

  /** A JSON document AWS keeps as text (a policy), always managed: removed from the spec, it is deleted. */
  protected static Member document(String name, UnaryOperator<JsonNode> normalize) {
    return new Member(name, spec -> true, normalize, Objects::equals, true);
  }

  /** The members compared with the live state, in the order their differences are told. */
  public abstract List<Member> members();

  /** AWS members the spec sets only at creation: sent by create, not compared (immutable in the CRD). */
  public abstract Set<String> fixedAtCreation();

  /** Spec fields naming the AWS resource or where it lives: the reconciler sends them, defaulted or resolved. */
  public abstract Set<String> identity();

  /** Spec fields that are Kubernetes' only (besides {@link #FRAME_FIELDS}): never sent to AWS as they are. */
  public abstract Set<String> kubernetesOnly();

  /** The model class of the spec. */
  public Class<?> specClass() {
    return spec;
  }

  public Member member(String name) {
    return members().stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(getClass().getSimpleName() + " compares no member " + name));
  }

  /** A spec (or any model object) as JSON: AWS's member names, enums by name, nulls left out. */
  public static ObjectNode json(Object spec) {
    return MAPPER.valueToTree(spec);
  }

  /**
   * The create request's content: the spec's AWS fields as written (not its identity, Kubernetes-only fields or
   * documents), with absent, null and empty values left out, so that nothing the spec leaves out is sent.
   */
  public ObjectNode request(JsonNode spec) {
    ObjectNode out = NODES.objectNode();
    spec.fields().forEachRemaining(e -> {
      String name = e.getKey();
      boolean document = members().stream().anyMatch(m -> m.document() && m.name().equals(name));
      if (!FRAME_FIELDS.contains(name) && !identity().contains(name) && !kubernetesOnly().contains(name) && !document) {
        JsonNode value = clean(e.getValue());
        if (value != null) {
          out.set(name, value);
        }
      }
    });
    return out;
  }

  /** The value to send for a member: the spec's, normalized; AWS's default or [] where the spec says nothing. */
  public JsonNode wanted(String member, JsonNode spec) {
    Member m = member(member);
    return m.document() ? m.normalize().apply(present(spec.get(member)))
        : m.normalize().apply(clean(project(spec.get(member), modelType(member))));
  }

  /** The member's canonical form in a document (the spec's or the live state's JSON); null when absent. */
  public JsonNode canonical(String member, JsonNode document) {
    Member m = member(member);
    return m.document() ? longs(wanted(member, document)) : clean(wanted(member, document));
  }

  /** Whether the spec manages the member and its canonical form differs from the live state's. */
  public boolean differs(String member, JsonNode spec, JsonNode live) {
    Member m = member(member);
    return m.managed().test(spec) && !m.same().test(canonical(member, spec), canonical(member, live));
  }

  /** The compared members where the live state differs from the spec, in order. */
  public List<String> differences(JsonNode spec, JsonNode live) {
    return members().stream().map(Member::name)
        .filter(name -> differs(name, spec, live)).toList();
  }

  private Type modelType(String member) {
    try {
      return spec.getField(member).getGenericType();
    } catch (NoSuchFieldException e) {
      return JsonNode.class; // a member the reconciler puts in (a resolved reference): taken whole
    }
  }

  // ---- the rules every kind shares ---------------------------------------------------------------------------------

  private static JsonNode present(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  /**
   * The part of a value the spec model can say: object members that are fields of the model class (recursively,
   * through lists); maps, documents and scalars whole.
   */
  public static JsonNode project(JsonNode value, Type model) {
    if (present(value) == null) {
      return null;
    }
    if (model instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
        && List.class.isAssignableFrom(raw) && value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      value.forEach(item -> out.add(project(item, p.getActualTypeArguments()[0])));
      return out;
    }
    if (!(model instanceof Class<?> type) || !value.isObject() || type.isEnum() || type.isPrimitive()
        || type.getName().startsWith("java.") || JsonNode.class.isAssignableFrom(type)) {
      return value;
    }
    ObjectNode out = NODES.objectNode();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())) {
          JsonProperty renamed = f.getAnnotation(JsonProperty.class);
          String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : f.getName();
          if (value.has(name)) {
            out.set(name, project(value.get(name), f.getGenericType()));
          }
        }
      }
    }
    return out;
  }

  /**
   * Drops nulls, empty lists, empty objects and empty strings, turns whole numbers into longs (so 0 from an
   * Integer equals 0 from a Long, and 20 from a spec equals the 20.0 AWS reports for a Double) and orders object
   * keys, recursively; null when nothing is left.
   */
  public static JsonNode clean(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode value = clean(e.getValue());
        if (value != null) {
          sorted.put(e.getKey(), value);
        }
      }
      if (sorted.isEmpty()) {
        return null;
      }
      ObjectNode out = NODES.objectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(item -> {
        JsonNode value = clean(item);
        if (value != null) {
          out.add(value);
        }
      });
      return out.isEmpty() ? null : out;
    }
    if (whole(node)) {
      return NODES.numberNode(node.longValue());
    }
    if (node.isTextual() && node.asText().isEmpty()) {
      return null;
    }
    return node;
  }

  /** An integral number, or a floating one with nothing after the point (20.0, as AWS reports a Double). */
  private static boolean whole(JsonNode node) {
    return node != null && (node.isIntegralNumber() || node.isFloatingPointNumber()
        && node.doubleValue() == Math.rint(node.doubleValue()) && Math.abs(node.doubleValue()) < 1e15);
  }

  /** A copy with whole numbers as longs, nothing else changed: 3 is 3, however it was read. */
  public static JsonNode longs(JsonNode node) {
    if (node == null || node.isValueNode()) {
      return whole(node) ? NODES.numberNode(node.longValue()) : node;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(item -> out.add(longs(item)));
      return out;
    }
    ObjectNode out = NODES.objectNode();
    node.fields().forEachRemaining(e -> out.set(e.getKey(), longs(e.getValue())));
    return out;
  }

  /** The value, or AWS's default when absent. */
  public static JsonNode orDefault(JsonNode value, Object dflt) {
    return value != null ? value : MAPPER.valueToTree(dflt);
  }

  /** The object (a copy), or a new empty one when absent. */
  public static ObjectNode object(JsonNode value) {
    return value instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
  }

  /** The list (a copy), or a new empty one when absent: what is sent to remove every element. */
  public static ArrayNode list(JsonNode value) {
    return value instanceof ArrayNode a ? a.deepCopy() : NODES.arrayNode();
  }

  /** Fills each absent key of the object with AWS's default: {@code defaults(o, "enable", false, ...)}. */
  public static ObjectNode defaults(ObjectNode object, Object... keysAndValues) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (!object.hasNonNull((String) keysAndValues[i])) {
        object.set((String) keysAndValues[i], MAPPER.valueToTree(keysAndValues[i + 1]));
      }
    }
    return object;
  }

  public static void removeIfFalse(ObjectNode node, String field) {
    if (node.has(field) && node.get(field).isBoolean() && !node.get(field).booleanValue()) {
      node.remove(field);
    }
  }

  /** Sorts a list of strings in place (a set AWS keeps in its own order). */
  public static ArrayNode sortStrings(ArrayNode list) {
    List<String> values = new ArrayList<>();
    list.forEach(v -> values.add(v.asText()));
    values.sort(Comparator.naturalOrder());
    list.removeAll();
    values.forEach(list::add);
    return list;
  }

  /** Sorts the object's list of strings in place, when it has one. */
  public static void sortStrings(ObjectNode parent, String field) {
    if (parent.get(field) instanceof ArrayNode list) {
      sortStrings(list);
    }
  }

  /**
   * Sorts a list of objects in place by the given keys (numbers numerically, absent first), then by their whole JSON
   * for stability: a set AWS keeps in its own order.
   */
  public static JsonNode sortBy(JsonNode node, String... keys) {
    if (!(node instanceof ArrayNode list)) {
      return node;
    }
    Comparator<JsonNode> order = (x, y) -> 0;
    for (String key : keys) {
      order = order.thenComparing(n -> n.get(key), Comparator.nullsFirst(Shape::compareValues));
    }
    order = order.thenComparing(JsonNode::toString);
    List<JsonNode> items = new ArrayList<>();
    list.forEach(items::add);
    items.sort(order);
    list.removeAll();
    items.forEach(list::add);
    return list;
  }

  private static int compareValues(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.asText().compareTo(b.asText());
  }
}
