package io.ecsbridge.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's passes by kind, read from its /metrics: JOSDK's count of passes that ended well
 * ({@code operator_sdk_reconciliations_success_total}, tag kind) less the resync passes deferred for want of budget
 * ({@code ecsbridge_resync_deferred_total}: such a pass ends well having read nothing and comes back later). Two
 * readings subtract to the passes made in between.
 */
record Passes(Map<String, Double> byKind) {
  private static final Pattern LINE =
      Pattern.compile("^(operator_sdk_reconciliations_success_total|ecsbridge_resync_deferred_total)\\{(.*)}\\s+(\\S+)$");
  private static final Pattern KIND = Pattern.compile("(?:^|,)kind=\"([^\"]*)\"");

  static Passes parse(String metrics) {
    Map<String, Double> passes = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      Matcher m = LINE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      Matcher kind = KIND.matcher(m.group(2));
      if (kind.find()) {
        double n = Double.parseDouble(m.group(3));
        passes.merge(kind.group(1), m.group(1).startsWith("operator_sdk") ? n : -n, Double::sum);
      }
    }
    return new Passes(passes);
  }

  /** The passes made since {@code earlier}. */
  Passes minus(Passes earlier) {
    Map<String, Double> delta = new TreeMap<>();
    byKind.forEach((kind, n) -> delta.put(kind, n - earlier.byKind.getOrDefault(kind, 0.0)));
    return new Passes(delta);
  }

  double of(String kind) {
    return byKind.getOrDefault(kind, 0.0);
  }
}
