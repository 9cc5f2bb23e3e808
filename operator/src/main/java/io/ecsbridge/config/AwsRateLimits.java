package io.ecsbridge.config;

import io.ecsbridge.aws.AwsBudgets;
import io.ecsbridge.aws.AwsBudgets.Limit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS call budgets of the settings: ECSBRIDGE_AWS_RATE_LIMIT (one rate for every service, bursts of twice that)
 * and ECSBRIDGE_AWS_RATE_LIMITS (service=rate[:burst],...), which wins for the services it names. Each budget is per
 * account and region. What neither sets keeps {@link AwsBudgets#DEFAULTS}.
 */
final class AwsRateLimits {
  static final String EVERY = "ECSBRIDGE_AWS_RATE_LIMIT";
  static final String PER_SERVICE = "ECSBRIDGE_AWS_RATE_LIMITS";

  private static final Pattern ENTRY = Pattern.compile("^([a-z0-9-]+)=([0-9.]+)(?::([0-9]+))?$");

  private AwsRateLimits() {}

  /** The budget of every service named by the settings (null: not set); the others keep their defaults. */
  static Map<String, Limit> parse(String every, String perService) {
    Map<String, Limit> limits = new LinkedHashMap<>();
    if (every != null) {
      double rate = rate(EVERY, every);
      AwsBudgets.DEFAULTS.keySet().forEach(service -> limits.put(service, Limit.of(rate)));
    }
    if (perService == null) {
      return limits;
    }
    Map<String, Limit> named = new LinkedHashMap<>();
    for (String entry : perService.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      Matcher m = ENTRY.matcher(entry.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(PER_SERVICE + " must be service=rate[:burst] entries separated by commas "
            + "(requests per second, burst defaults to twice the rate), e.g. ecs=20:40,ecr=10, not '" + entry.trim()
            + "'");
      }
      String service = m.group(1);
      if (!AwsBudgets.DEFAULTS.containsKey(service)) {
        throw new IllegalArgumentException(PER_SERVICE + ": unknown service " + service + " (one of "
            + String.join(", ", AwsBudgets.DEFAULTS.keySet()) + ")");
      }
      if (named.containsKey(service)) {
        throw new IllegalArgumentException(PER_SERVICE + " names " + service + " twice");
      }
      double rate = rate(PER_SERVICE + " " + service, m.group(2));
      long burst = m.group(3) == null ? Limit.of(rate).burst() : Long.parseLong(m.group(3));
      if (burst < 1) {
        throw new IllegalArgumentException(PER_SERVICE + " " + service + ": the burst must be at least 1");
      }
      named.put(service, new Limit(rate, burst));
    }
    limits.putAll(named);
    return limits;
  }

  private static double rate(String name, String text) {
    double rate;
    try {
      rate = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      rate = Double.NaN;
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(name + " must be a number of requests per second above 0, not " + text);
    }
    return rate;
  }

  /** The defaults as ECSBRIDGE_AWS_RATE_LIMITS would write them: ecs=20:40,ecr=10:20,... */
  static String defaults() {
    StringBuilder sb = new StringBuilder();
    AwsBudgets.DEFAULTS.forEach((service, limit) -> sb.append(sb.isEmpty() ? "" : ",").append(service).append('=')
        .append(limit));
    return sb.toString();
  }
}
