package io.ecsbridge.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A controller's AWS calls by service and operation, read from its /metrics: the operator's
 * {@code ecsbridge_aws_api_calls_total} (every account, region and outcome summed), or another controller's counter
 * ({@link #parse(String, String, String)}). Two readings subtract to the calls made in between.
 */
record AwsCalls(Map<String, Double> byOperation) {
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The operator's counter's series in Prometheus text, as {@code service:Operation} to calls. */
  static AwsCalls parse(String metrics) {
    return parse(metrics, "ecsbridge_aws_api_calls_total", "operation");
  }

  /**
   * The series of the counter {@code metric} in Prometheus text, as {@code service:Operation} to calls: the service
   * from the label {@code service}, the operation from the label {@code operationLabel}, every other label summed.
   */
  static AwsCalls parse(String metrics, String metric, String operationLabel) {
    Pattern series = Pattern.compile("^" + Pattern.quote(metric) + "\\{(.*)}\\s+(\\S+)$");
    Map<String, Double> calls = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      Matcher m = series.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      String service = null;
      String operation = null;
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        if (l.group(1).equals("service")) {
          service = l.group(2);
        } else if (l.group(1).equals(operationLabel)) {
          operation = l.group(2);
        }
      }
      calls.merge(service + ":" + operation, Double.parseDouble(m.group(2)), Double::sum);
    }
    return new AwsCalls(calls);
  }

  /** The calls made since {@code earlier}, operations with none left out. */
  AwsCalls minus(AwsCalls earlier) {
    Map<String, Double> delta = new TreeMap<>();
    byOperation.forEach((op, n) -> {
      double d = n - earlier.byOperation.getOrDefault(op, 0.0);
      if (d > 0) {
        delta.put(op, d);
      }
    });
    return new AwsCalls(delta);
  }

  double total() {
    return byOperation.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Calls that change nothing in AWS: Describe*, List*, Get*, BatchGet*, BatchCheck*. */
  static boolean isRead(String operation) {
    String op = operation.substring(operation.indexOf(':') + 1);
    return op.startsWith("Describe") || op.startsWith("List") || op.startsWith("Get") || op.startsWith("BatchGet")
        || op.startsWith("BatchCheck");
  }

  double reads() {
    return byOperation.entrySet().stream().filter(e -> isRead(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
  }

  /** The writes, by operation. */
  Map<String, Double> writesByOperation() {
    Map<String, Double> writes = new TreeMap<>();
    byOperation.forEach((op, n) -> {
      if (!isRead(op)) {
        writes.put(op, n);
      }
    });
    return writes;
  }

  double writes() {
    return total() - reads();
  }

  /**
   * The kind of resource an operation serves in this benchmark's workload: every ECR call is an EcrRepository's;
   * ECS calls by the noun in the operation's name (a service's ListTagsForResource and the like count as the
   * service's); Application Auto Scaling's are the services'.
   */
  static String kindOf(String operation) {
    String service = operation.substring(0, operation.indexOf(':'));
    String op = operation.substring(operation.indexOf(':') + 1);
    if (service.equals("sts")) {
      return "operator"; // its own identity (the account id in the owner tag), once per account: not per resource
    }
    if (service.equals("ecr")) {
      return Workload.REPOSITORY;
    }
    if (service.equals("ecs") && op.contains("TaskDefinition")) {
      return Workload.TASK_DEFINITION;
    }
    if (service.equals("ecs") && (op.contains("Cluster") || op.contains("CapacityProvider"))) {
      return Workload.CLUSTER;
    }
    return Workload.SERVICE;
  }
}
