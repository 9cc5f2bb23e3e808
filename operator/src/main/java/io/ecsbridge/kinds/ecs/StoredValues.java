package io.ecsbridge.kinds.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * What the values the operator stores in AWS for a task definition have in common, whether Secret values in Secrets
 * Manager ({@link TaskDefinitionSecrets}) or ConfigMap values in Parameter Store ({@link TaskDefinitionParameters}):
 * each set of values lives under a random suffix (a new set, a new suffix: the one content change of a new revision),
 * tagged on the revisions that reference it; and each value reaches the container as a {@code secrets[]} entry.
 */
final class StoredValues {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One {@code secrets[]} entry of a container: the variable and where ECS reads its value. */
  record Entry(String container, String variable, String valueFrom) {}

  private StoredValues() {}

  /**
   * The values of one pass and where they are stored: known when an existing set holds exactly them, else made by
   * {@link #ensure} when the pass registers a revision (never under ObserveOnly, never before the ownership decision).
   */
  abstract static class Set {
    private final String pending;
    private String arn;

    /**
     * @param arn the stored set that holds these values, null when none does
     * @param pending what {@link #arnOrPending} says before the set is made: differs from any registered content
     */
    Set(String arn, String pending) {
      this.arn = arn;
      this.pending = pending;
    }

    /** Stores the values in AWS: the ARN that names the new set. */
    abstract String make();

    /** Makes the set when none holds these values yet; whether it did (the content, which names it, changes). */
    final boolean ensure() {
      if (arn != null) {
        return false;
      }
      arn = make();
      return true;
    }

    final String arnOrPending() {
      return arn != null ? arn : pending;
    }

    /** The ARN of the set, null while it is still to be made. */
    final String known() {
      return arn;
    }
  }

  /** A new random suffix for a set of values (10 hex digits). */
  static String suffix() {
    byte[] bytes = new byte[5];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Adds the entries to each container's {@code secrets[]} of the request JSON: the entries already there that AWS
   * takes (raw valueFrom, or added by an earlier call) stay, the Kubernetes-only ones (secretKeyRef) go.
   */
  static void addSecrets(ObjectNode json, List<Entry> entries) {
    if (!(json.get("containerDefinitions") instanceof ArrayNode containers)) {
      return;
    }
    for (JsonNode c : containers) {
      String name = c.path("name").asText();
      ArrayNode out = MAPPER.createArrayNode();
      if (c.get("secrets") instanceof ArrayNode written) {
        written.forEach(s -> {
          if (!s.has("secretKeyRef")) {
            out.add(s);
          }
        });
      }
      entries.stream().filter(e -> e.container().equals(name)).forEach(e -> out.add(MAPPER.createObjectNode()
          .put("name", e.variable()).put("valueFrom", e.valueFrom())));
      if (!out.isEmpty()) {
        ((ObjectNode) c).set("secrets", out);
      } else {
        ((ObjectNode) c).remove("secrets");
      }
    }
  }
}
