package io.ecsbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.aws.SdkJson;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * The coverage test of a kind's {@link Shape}, one per kind (its {@code <Shape>Test} extends this): every field of
 * the spec, as the generated CRD lets users write it, is either an AWS member the mapping sends (named as the AWS API
 * names it, so that {@link SdkJson} fills the SDK request with it) and, when it can change, compares with a
 * normalization case, or is listed as the Kubernetes' own. A spec field that is neither fails here, saying what to do.
 */
public abstract class ShapeContract {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  /** Integral numbers as longs, as SdkJson writes them. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS);

  /**
   * One normalization case of a compared member.
   *
   * @param spec the spec (YAML)
   * @param same the live state (JSON in AWS's shape, as AWS reports it) that is the same as the spec
   * @param other a live state that differs from the spec in this member only
   */
  public record Case(String member, String spec, String same, String other) {}

  /** The shape under test. */
  protected abstract Shape shape();

  /** The custom resource class (its CRD is read from the build's generated CRDs). */
  protected abstract Class<? extends HasMetadata> kind();

  /** A spec (YAML) that sets every field the CRD has, nested ones included. */
  protected abstract String everyField();

  /**
   * A builder of the create request: the spec's AWS fields are its members. (Settings that always exist are never
   * created: the shape AWS reports them in.)
   */
  protected abstract Supplier<SdkPojo> createRequest();

  /** Builders of the requests that set compared members after creation. */
  protected abstract List<Supplier<SdkPojo>> updateRequests();

  /** Document members (JSON AWS keeps as text): the request that sets each, as "Request.member". */
  protected Map<String, String> documents() {
    return Map.of();
  }

  /**
   * Members put whole, settings that always exist: the request that sets each takes the member's own members
   * (PutRegistryScanningConfiguration takes scanningConfiguration's scanType and rules).
   */
  protected Map<String, Supplier<SdkPojo>> puts() {
    return Map.of();
  }

  /** At least one case for every compared member. */
  protected abstract List<Case> cases();

  /**
   * Members of the create and update requests (paths such as {@code deploymentConfiguration.strategy} for nested
   * ones) that the spec deliberately does not have, each with the reason; null (the default): the kind's requests are
   * not checked yet. With a map, {@link #everyRequestMemberIsMappedOrLeftOutWithAReason} fails on a member of the SDK's
   * requests that the spec neither has nor lists here, so that an SDK upgrade that adds one is noticed.
   */
  protected Map<String, String> leftOut() {
    return null;
  }

  protected static ObjectNode spec(Class<?> specClass, String yaml) {
    return Shape.json(YAML.unmarshal(yaml.isBlank() ? "{}" : yaml, specClass));
  }

  protected ObjectNode spec(String yaml) {
    return spec(shape().specClass(), yaml);
  }

  protected static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private JSONSchemaProps specSchema() throws IOException {
    Path crds = Path.of(System.getProperty("ecsbridge.generated.crds", "target/crds"));
    Path file = crds.resolve(HasMetadata.getPlural(kind()) + "." + HasMetadata.getGroup(kind()) + "-v1.yml");
    CustomResourceDefinition crd = YAML.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static Set<String> names(SdkPojo request) {
    Set<String> out = new HashSet<>();
    request.sdkFields().forEach((SdkField<?> f) -> out.add(f.locationName()));
    return out;
  }

  private String requestName(Supplier<SdkPojo> request) {
    return request.get().getClass().getEnclosingClass().getSimpleName();
  }

  @Test
  void everySpecFieldIsAnAwsMemberOrKubernetesOnly() throws IOException {
    Shape shape = shape();
    String name = shape.getClass().getSimpleName();
    Set<String> compared = new TreeSet<>(shape.members().stream().map(Shape.Member::name).toList());
    Set<String> create = names(createRequest().get());
    for (String field : new TreeSet<>(specSchema().getProperties().keySet())) {
      boolean kubernetes = Shape.FRAME_FIELDS.contains(field) || shape.kubernetesOnly().contains(field);
      boolean aws = compared.contains(field) || shape.fixedAtCreation().contains(field)
          || shape.identity().contains(field);
      assertThat(aws || kubernetes).as("spec field " + field + " of " + kind().getSimpleName() + " is neither an AWS "
          + "member nor Kubernetes-only: name it exactly as the AWS API member and add it to " + name + ".members() "
          + "(with its normalization, and a case in " + name + "Test), fixedAtCreation() or identity(); or, if AWS "
          + "never sees it as it is, to " + name + ".kubernetesOnly()").isTrue();
      assertThat(aws && kubernetes).as(field + " is both an AWS member and Kubernetes-only in " + name).isFalse();
      if (aws && !documents().containsKey(field) && !puts().containsKey(field)) {
        assertThat(create).as(field + " is not a member of " + requestName(createRequest())
            + ": the spec must name it as AWS does").contains(field);
      }
    }
    for (String field : compared) {
      assertThat(specSchema().getProperties()).as(name + " compares " + field + ", which the spec does not have")
          .containsKey(field);
    }
  }

  @Test
  void everyRequestMemberIsMappedOrLeftOutWithAReason() throws IOException {
    Map<String, String> leftOut = leftOut();
    org.junit.jupiter.api.Assumptions.assumeTrue(leftOut != null, "this kind's requests are not checked yet");
    leftOut.forEach((member, reason) -> assertThat(reason).as("the reason " + member + " is left out").isNotBlank());
    Set<String> missing = new TreeSet<>();
    List<Supplier<SdkPojo>> requests = new ArrayList<>(updateRequests());
    requests.add(createRequest());
    for (Supplier<SdkPojo> request : requests) {
      unmapped(request.get(), specSchema(), "", leftOut, missing);
    }
    assertThat(missing).as("members of " + requests.stream().map(this::requestName).distinct().toList() + " that "
        + kind().getSimpleName() + "'s spec neither has nor lists in " + getClass().getSimpleName() + ".leftOut() "
        + "with a reason: add each to the model (named as the AWS API names it, with its normalization) or to "
        + "leftOut()").isEmpty();
  }

  /**
   * The members of the request (recursively through structures and lists of them) the schema lacks and that are not
   * left out, as paths; maps and documents are taken whole.
   */
  private static void unmapped(SdkPojo request, JSONSchemaProps schema, String path, Map<String, String> leftOut,
      Set<String> missing) {
    for (SdkField<?> f : request.sdkFields()) {
      String p = path + f.locationName();
      if (leftOut.containsKey(p)) {
        continue;
      }
      JSONSchemaProps property = schema.getProperties() == null ? null : schema.getProperties().get(f.locationName());
      if (property == null) {
        missing.add(p);
        continue;
      }
      Supplier<SdkPojo> nested = f.constructor();
      JSONSchemaProps inner = property;
      if (nested == null && f.marshallingType() == software.amazon.awssdk.core.protocol.MarshallingType.LIST) {
        var member = f.getRequiredTrait(software.amazon.awssdk.core.traits.ListTrait.class).memberFieldInfo();
        nested = member.constructor();
        inner = property.getItems() != null ? property.getItems().getSchema() : null;
      }
      if (nested != null && inner != null && inner.getProperties() != null && !inner.getProperties().isEmpty()) {
        unmapped(nested.get(), inner, p + ".", leftOut, missing);
      }
    }
  }

  @Test
  void everyComparedMemberIsSetByARequestAndFixedOnesByNone() {
    Set<String> updatable = new HashSet<>();
    updateRequests().forEach(r -> updatable.addAll(names(r.get())));
    for (Shape.Member m : shape().members()) {
      if (puts().containsKey(m.name())) {
        continue; // put whole: everyWantedValueFillsItsRequest fills its request with it
      }
      if (documents().containsKey(m.name())) {
        String[] request = documents().get(m.name()).split("\\.");
        assertThat(updateRequests().stream().filter(r -> requestName(r).equals(request[0]))
            .anyMatch(r -> names(r.get()).contains(request[1]))).as(m.name() + " is sent as " + documents()
            .get(m.name())).isTrue();
      } else {
        assertThat(updatable).as("a request that sets " + m.name() + " after creation").contains(m.name());
      }
    }
    for (String fixed : shape().fixedAtCreation()) {
      assertThat(updatable).as(fixed + " is fixed at creation: no update request takes it").doesNotContain(fixed);
    }
  }

  @Test
  void theExampleSetsEveryFieldOfTheCrd() throws IOException {
    Set<String> all = new TreeSet<>();
    Set<String> set = new TreeSet<>();
    paths(specSchema(), spec(everyField()), "spec", all, set);
    all.removeAll(set);
    assertThat(all).as("CRD fields the example of " + kind().getSimpleName() + " does not set").isEmpty();
  }

  @Test
  void theExampleFillsTheCreateRequestAndComesBackTheSame() {
    ObjectNode spec = spec(everyField());
    SdkPojo builder = createRequest().get();
    ObjectNode request = shape().request(spec);
    puts().keySet().forEach(request::remove); // put whole by their own requests (everyWantedValueFillsItsRequest)
    SdkJson.fill(builder, request); // throws on a member the SDK does not know, at any depth
    ObjectNode back = SdkJson.toJson((SdkPojo) ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) builder)
        .build());
    for (Shape.Member m : shape().members()) {
      if (!m.document() && !puts().containsKey(m.name())) {
        assertThat(shape().canonical(m.name(), back)).as(m.name() + " through " + requestName(createRequest()))
            .isEqualTo(shape().canonical(m.name(), spec));
      }
    }
  }

  @Test
  void whatTheSpecLeavesOutIsNeverSentAtCreation() {
    assertThat(shape().request(spec(""))).as("the create request of an empty spec").isEmpty();
  }

  @Test
  void everyWantedValueFillsItsRequest() {
    for (ObjectNode spec : List.of(spec(everyField()), spec(""))) {
      for (Shape.Member m : shape().members()) {
        if (documents().containsKey(m.name())) {
          continue;
        }
        if (puts().containsKey(m.name())) {
          JsonNode whole = shape().wanted(m.name(), spec);
          assertThatCode(() -> SdkJson.fill(puts().get(m.name()).get(), whole)).as(m.name() + " = " + whole)
              .doesNotThrowAnyException();
          continue;
        }
        ObjectNode value = JsonNodeFactory.instance.objectNode().set(m.name(), shape().wanted(m.name(), spec));
        Supplier<SdkPojo> request = updateRequests().stream().filter(r -> names(r.get()).contains(m.name()))
            .findFirst().orElseThrow();
        assertThatCode(() -> SdkJson.fill(request.get(), value)).as(m.name() + " = " + value)
            .doesNotThrowAnyException();
      }
    }
  }

  @Test
  void everyComparedMemberHasANormalizationCase() {
    Set<String> covered = new TreeSet<>(cases().stream().map(Case::member).toList());
    assertThat(covered).as("members of " + shape().getClass().getSimpleName() + " with a case")
        .containsExactlyInAnyOrderElementsOf(shape().members().stream().map(Shape.Member::name).toList());
  }

  @Test
  void eachCaseIsTheSameAsAwsReportsItAndDiffersOtherwise() {
    for (Case c : cases()) {
      ObjectNode spec = spec(c.spec());
      assertThat(shape().differences(spec, json(c.same()))).as(c.member() + ": " + c.same() + " is the same as "
          + c.spec()).isEmpty();
      assertThat(shape().differences(spec, json(c.other()))).as(c.member() + ": " + c.other() + " differs from "
          + c.spec()).containsExactly(c.member());
    }
  }

  /**
   * Every path of the schema into {@code all} (lists are transparent, documents and maps end a path), and those the
   * JSON sets (in any element of a list) into {@code set}.
   */
  private static void paths(JSONSchemaProps schema, JsonNode json, String path, Set<String> all, Set<String> set) {
    if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
      return;
    }
    schema.getProperties().forEach((name, property) -> {
      String p = path + "." + name;
      all.add(p);
      List<JsonNode> values = new ArrayList<>();
      if (json != null && json.isArray()) {
        json.forEach(item -> values.add(item.get(name)));
      } else if (json != null) {
        values.add(json.get(name));
      }
      values.removeIf(v -> v == null || v.isNull());
      if (!values.isEmpty()) {
        set.add(p);
      }
      JSONSchemaProps inner = property.getItems() != null ? property.getItems().getSchema() : property;
      for (JsonNode v : values.isEmpty() ? java.util.Collections.<JsonNode>singletonList(null) : values) {
        paths(inner, v, p, all, set);
      }
    });
  }
}
