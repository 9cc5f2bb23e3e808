package io.ecsbridge.status;

import io.ecsbridge.api.v1alpha1.AwsResourceStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Standard Kubernetes conditions (Ready, Reconciling, Stalled) derived from a {@link Health}. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private Conditions() {}

  /**
   * Sets all three conditions from the verdict, stamped with the generation it describes. lastTransitionTime moves
   * only when a condition's status changes.
   */
  public static void apply(AwsResourceStatus status, Health health, long generation, Clock clock) {
    boolean ready = health.state() == Health.State.READY;
    boolean reconciling = health.state() == Health.State.PROGRESSING;
    boolean stalled = health.state() == Health.State.STALLED;
    set(status.getConditions(), READY, ready, health.reason(), health.message(), generation, clock);
    set(status.getConditions(), RECONCILING, reconciling,
        reconciling ? health.reason() : "Idle", reconciling ? health.message() : "", generation, clock);
    set(status.getConditions(), STALLED, stalled,
        stalled ? health.reason() : "NotStalled", stalled ? health.message() : "", generation, clock);
    status.setObservedGeneration(generation);
  }

  /** Sets one condition, keeping its lastTransitionTime when its status does not change. */
  public static void set(List<Condition> conditions, String type, boolean value, String reason, String message,
      long generation, Clock clock) {
    String newStatus = value ? "True" : "False";
    Optional<Condition> existing = find(conditions, type);
    String transition = existing.filter(c -> newStatus.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    Condition condition = new ConditionBuilder()
        .withType(type)
        .withStatus(newStatus)
        .withReason(reason)
        .withMessage(message(message))
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
    existing.ifPresentOrElse(c -> conditions.set(conditions.indexOf(c), condition), () -> conditions.add(condition));
  }

  /**
   * The first condition of {@code type}. A loop, not a stream: every /metrics scrape asks it four times per resource
   * ({@link io.ecsbridge.metrics.ResourceConditions}), and under C1 alone (the chart's JIT) a stream's pipeline is
   * built and allocated at each call: 16% of the operator's CPU in a start-up pass at N = 1,000 whose /metrics the
   * bench read four times a second (docs/operations.md, "Footprint levers", twenty-first round).
   */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions != null) {
      for (Condition c : conditions) {
        if (type.equals(c.getType())) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  public static boolean isTrue(AwsResourceStatus status, String type) {
    return status != null && find(status.getConditions(), type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /**
   * A message as a condition stores it. Condition messages are limited to 32768 characters by the API server; AWS
   * messages are far shorter.
   */
  public static String message(String message) {
    if (message == null) {
      return "";
    }
    return message.length() > 4000 ? message.substring(0, 4000) + "..." : message;
  }
}
