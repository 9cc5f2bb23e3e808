package io.ecsbridge.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts and times every AWS API call by service, operation and outcome (ok, throttled, client_error,
 * server_error, network_error), and applies the client-side rate limit to every HTTP attempt (SDK retries
 * included). These figures are how we prove the operator's AWS economy.
 */
public class AwsCallMeter implements ExecutionInterceptor {
  public static final String CALLS = "ecsbridge.aws.api.calls";
  public static final String DURATION = "ecsbridge.aws.api.call.duration";
  public static final String THROTTLE_WAIT = "ecsbridge.aws.client.ratelimit.wait";

  private static final ExecutionAttribute<Long> START = new ExecutionAttribute<>("ecsbridge.start");

  private final MeterRegistry registry;
  private final TokenBucket bucket;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Timer waitTimer;

  public AwsCallMeter(MeterRegistry registry, TokenBucket bucket) {
    this.registry = registry;
    this.bucket = bucket;
    this.waitTimer = Timer.builder(THROTTLE_WAIT)
        .description("Time AWS requests waited for the client-side rate limit").register(registry);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    attributes.putAttribute(START, System.nanoTime());
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    if (bucket == null) {
      return;
    }
    try {
      long waited = bucket.acquire();
      if (waited > 0) {
        waitTimer.record(java.time.Duration.ofNanos(waited));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    record(attributes, "ok");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    record(attributes, AwsErrors.outcome(context.exception()));
  }

  private void record(ExecutionAttributes attributes, String outcome) {
    String service = iamPrefix(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String key = service + "|" + operation + "|" + outcome;
    counters.computeIfAbsent(key, k -> Counter.builder(CALLS)
        .description("AWS API calls made by the operator")
        .tag("service", String.valueOf(service)).tag("operation", String.valueOf(operation))
        .tag("outcome", outcome).register(registry)).increment();
    Long start = attributes.getAttribute(START);
    if (start != null) {
      timers.computeIfAbsent(key, k -> Timer.builder(DURATION)
          .description("Duration of AWS API calls, SDK retries included")
          .tag("service", String.valueOf(service)).tag("operation", String.valueOf(operation))
          .tag("outcome", outcome).register(registry)).record(java.time.Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The service as IAM names it (ecr, ecs, application-autoscaling): the same label in metrics and policies. */
  static String iamPrefix(String sdkServiceName) {
    if (sdkServiceName == null) {
      return "unknown";
    }
    String key = sdkServiceName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return switch (key) {
      case "applicationautoscaling" -> "application-autoscaling";
      default -> key;
    };
  }

  /** Total calls so far, optionally only those of one service/operation (null = any); for tests and benchmarks. */
  public static double count(MeterRegistry registry, String service, String operation, String outcome) {
    String label = service == null ? null : iamPrefix(service);
    return registry.find(CALLS).counters().stream()
        .filter(c -> label == null || label.equals(c.getId().getTag("service")))
        .filter(c -> operation == null || operation.equals(c.getId().getTag("operation")))
        .filter(c -> outcome == null || outcome.equals(c.getId().getTag("outcome")))
        .mapToDouble(Counter::count).sum();
  }
}
