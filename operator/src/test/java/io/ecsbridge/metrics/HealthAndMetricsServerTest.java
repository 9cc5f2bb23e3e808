package io.ecsbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class HealthAndMetricsServerTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void listensOnTheAddressItIsGivenOnAFreePortWhenAskedForPort0() throws Exception {
    try (HealthAndMetricsServer server = new HealthAndMetricsServer("127.0.0.1", 0, registry, () -> true,
        () -> true)) {
      assertThat(server.port()).isPositive();
    }
  }

  @Test
  void aTakenPortIsNamedInOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> new HealthAndMetricsServer("127.0.0.1", port, registry, () -> true, () -> true))
          .isInstanceOf(BindException.class)
          .hasMessageContainingAll("port " + port, "127.0.0.1", "ECSBRIDGE_HTTP_PORT")
          .hasMessageNotContaining("\n");
    }
  }
}
