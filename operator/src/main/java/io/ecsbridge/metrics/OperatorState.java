package io.ecsbridge.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/** The replica's own state as gauges, for the "no replica leads" and "operator not ready" alerts. */
public final class OperatorState {
  public static final String LEADER = "ecsbridge_leader";
  public static final String READY = "ecsbridge_ready";

  private OperatorState() {}

  /**
   * @param leading whether this replica reconciles: holds the Lease, or runs without leader election
   * @param ready what /readyz answers
   */
  public static void register(MeterRegistry registry, BooleanSupplier leading, BooleanSupplier ready) {
    Gauge.builder(LEADER, () -> leading.getAsBoolean() ? 1 : 0)
        .description("1 when this replica reconciles (holds the leader Lease, or runs without leader election), "
            + "else 0").register(registry);
    Gauge.builder(READY, () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 when this replica is ready (what /readyz answers), else 0").register(registry);
  }
}
