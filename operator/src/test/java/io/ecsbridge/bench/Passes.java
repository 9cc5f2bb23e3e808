package io.ecsbridge.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's passes by kind, read from its /metrics: JOSDK's count of passes that ended well
 * ({@code operator_sdk_reconciliations_success_total}, tag kind), and the resyncs deferred for want of budget
 * ({@code ecsbridge_resync_deferred_total}). The two do not subtract: a deferred pass ends well having read nothing,
 * but a deferral is counted per call refused (a batched read for others included), not per pass. Two readings
 * subtract to the passes made in between.
 */
record Passes(Map<String, Double> byKind, Map<String, Double> deferredByKind) {
  private static final String SUCCESS = "operator_sdk_reconciliations_success_total";
  private static final Pattern LINE =
      Pattern.compile("^(" + SUCCESS + "|ecsbridge_resync_deferred_total)\\{(.*)}\\s+(\\S+)$");
  private static final Pattern KIND = Pattern.compile("(?:^|,)kind=\"([^\"]*)\"");

  Passes(Map<String, Double> byKind) {
    this(byKind, Map.of());
  }

  static Passes parse(String metrics) {
    Map<String, Double> passes = new TreeMap<>();
    Map<String, Double> deferred = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      Matcher m = LINE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      Matcher kind = KIND.matcher(m.group(2));
      if (kind.find()) {
        (m.group(1).equals(SUCCESS) ? passes : deferred).merge(kind.group(1), Double.parseDouble(m.group(3)),
            Double::sum);
      }
    }
    return new Passes(passes, deferred);
  }

  /** The passes and deferrals since {@code earlier}. */
  Passes minus(Passes earlier) {
    return new Passes(minus(byKind, earlier.byKind), minus(deferredByKind, earlier.deferredByKind));
  }

  private static Map<String, Double> minus(Map<String, Double> now, Map<String, Double> earlier) {
    Map<String, Double> delta = new TreeMap<>();
    now.forEach((kind, n) -> delta.put(kind, n - earlier.getOrDefault(kind, 0.0)));
    return delta;
  }

  double of(String kind) {
    return byKind.getOrDefault(kind, 0.0);
  }

  double deferred() {
    return deferredByKind.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
