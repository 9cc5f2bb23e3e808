package io.ecsbridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.aws.AwsCallMeter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** docs/iam-policy.json, the AWS policy the operator's role needs: which actions it allows. */
public final class IamPolicy {
  private IamPolicy() {}

  /** Calls that no IAM policy can deny (AWS documents that GetCallerIdentity needs no permission). */
  private static final Set<String> NO_PERMISSION_NEEDED = Set.of("sts:GetCallerIdentity");

  public static JsonNode document() {
    try {
      return new ObjectMapper().readTree(Repo.root().resolve("docs/iam-policy.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every action of every Allow statement, as written. */
  public static List<String> allowedActions() {
    List<String> actions = new ArrayList<>();
    for (JsonNode statement : document().get("Statement")) {
      if ("Allow".equals(statement.path("Effect").asText())) {
        JsonNode action = statement.get("Action");
        if (action.isArray()) {
          action.forEach(a -> actions.add(a.asText()));
        } else {
          actions.add(action.asText());
        }
      }
    }
    return actions;
  }

  /** IAM action names are case-insensitive; the policy has no wildcards (IamPolicyTest). */
  public static boolean allows(String action) {
    return allowedActions().stream().anyMatch(a -> a.equalsIgnoreCase(action));
  }

  /** The AWS calls an operator's meter counted (service tag = IAM prefix) that the policy does not allow. */
  public static Set<String> notAllowedCalls(MeterRegistry registry) {
    Set<String> missing = new TreeSet<>();
    registry.find(AwsCallMeter.CALLS).counters().forEach(c -> {
      String action = c.getId().getTag("service").toLowerCase(Locale.ROOT) + ":" + c.getId().getTag("operation");
      if (!allows(action) && !NO_PERMISSION_NEEDED.contains(action)) {
        missing.add(action);
      }
    });
    return missing;
  }
}
