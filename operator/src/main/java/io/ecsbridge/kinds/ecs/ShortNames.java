package io.ecsbridge.kinds.ecs;

import io.ecsbridge.aws.ArnNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names as people read them in Events: {@code web:4} for a task definition revision, {@code prod} for a cluster,
 * instead of full ARNs (the ARNs stay in status).
 */
final class ShortNames {
  private static final Pattern ECS_ARN = Pattern.compile(
      "arn:aws[a-z-]*:ecs:[a-z0-9-]*:\\d*:(task-definition|cluster|service|capacity-provider)/([^\\s,;()\"']+)");

  private ShortNames() {}

  /** {@code family:revision} of a task definition ARN; anything else as it is (null as "none"). */
  static String taskDefinition(String arnOrName) {
    return arnOrName == null ? "none" : ArnNames.ecsName(arnOrName);
  }

  /** Every ECS task definition, cluster, service and capacity provider ARN in a text of ours, as its short name. */
  static String shorten(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = ECS_ARN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String rest = m.group(2);
      // a service ARN's resource is cluster/name in the long format
      String name = rest.contains("/") ? rest.substring(rest.lastIndexOf('/') + 1) : rest;
      m.appendReplacement(out, Matcher.quoteReplacement(name));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code before → after}, e.g. {@code web:3 → web:4}. */
  static String fromTo(String before, String after) {
    return before + " → " + after;
  }
}
