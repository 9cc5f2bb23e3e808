package io.ecsbridge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ecsbridge.kinds.Kinds;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every sample's spec, read into our model and written back, is the spec it was (apart from the defaults the CRD
 * fills in at admission anyway): the model is round-trip stable, so that a typed update that changes nothing is no
 * new generation ({@link WholeNumbers}).
 */
class SampleRoundTripTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everySampleSpecRoundTrips() throws Exception {
    List<String> differ = new ArrayList<>();
    int checked = 0;
    for (JsonNode doc : samples()) {
      for (Kinds.Kind<?> kind : Kinds.ALL) {
        if (!kind.type().getSimpleName().equals(doc.path("kind").asText())) {
          continue;
        }
        ObjectNode spec = ((ObjectNode) doc.get("spec")).deepCopy();
        if (AwsResourceSpec.class.isAssignableFrom(specType(kind))) { // the CRD's defaults
          spec.putIfAbsent("managementPolicy", spec.textNode("Managed"));
          spec.putIfAbsent("deletionPolicy", spec.textNode("Delete"));
        }
        // as the API server receives it: the JSON text written from the model
        JsonNode back = Serialization.jsonMapper().readTree(Serialization.jsonMapper()
            .writeValueAsString(Serialization.jsonMapper().treeToValue(doc, kind.type()))).get("spec");
        spec = (ObjectNode) Serialization.jsonMapper().readTree(spec.toString());
        checked++;
        if (!back.equals(spec)) {
          List<String> where = new ArrayList<>();
          differences("", spec, back, where);
          differ.add(kind.kind() + " " + doc.path("metadata").path("name").asText() + ": " + where);
        }
      }
    }
    assertThat(checked).isGreaterThan(10);
    assertThat(differ).isEmpty();
  }

  @Test
  void wholeNumbersStayIntegers() throws Exception {
    EcsServiceSpec.TargetTrackingPolicy policy = new EcsServiceSpec.TargetTrackingPolicy();
    policy.targetValue = 60.0;
    assertThat(Serialization.jsonMapper().writeValueAsString(policy)).contains("\"targetValue\":60").doesNotContain("60.0");
    policy.targetValue = 62.5;
    assertThat(Serialization.jsonMapper().writeValueAsString(policy)).contains("\"targetValue\":62.5");
  }

  private static Class<?> specType(Kinds.Kind<?> kind) {
    return (Class<?>) ((java.lang.reflect.ParameterizedType) kind.type().getGenericSuperclass())
        .getActualTypeArguments()[0];
  }

  /** The JSON pointers where two trees differ, with both values. */
  private static void differences(String at, JsonNode in, JsonNode out, List<String> where) {
    if (in != null && out != null && in.isContainerNode() && out.isContainerNode()
        && in.getNodeType() == out.getNodeType()) {
      java.util.Set<String> names = new java.util.TreeSet<>();
      in.fieldNames().forEachRemaining(names::add);
      out.fieldNames().forEachRemaining(names::add);
      if (in.isArray()) {
        for (int i = 0; i < Math.max(in.size(), out.size()); i++) {
          differences(at + "/" + i, in.get(i), out.get(i), where);
        }
      }
      for (String name : names) {
        differences(at + "/" + name, in.get(name), out.get(name), where);
      }
    } else if (in == null || !in.equals(out)) {
      where.add(at + " " + in + " -> " + out);
    }
  }

  private static List<JsonNode> samples() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("../samples"))) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
        while (it.hasNext()) {
          JsonNode doc = it.next();
          if (doc != null && doc.has("kind") && doc.has("spec")) {
            docs.add(doc);
          }
        }
      }
    }
    return docs;
  }
}
