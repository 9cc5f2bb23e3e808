package io.ecsbridge.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** /healthz (the process answers), /readyz (the operator's informers are running), /metrics (Prometheus). */
public class HealthAndMetricsServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * @param address the address to listen on, or null for every interface
   * @throws BindException naming the port when it is taken
   */
  public HealthAndMetricsServer(String address, int port, PrometheusMeterRegistry registry, BooleanSupplier live,
      BooleanSupplier ready) throws IOException {
    this(address, port, registry::scrape, live, ready);
  }

  /**
   * @param scrape the /metrics text (gauges that are computed on demand are brought up to date first)
   */
  public HealthAndMetricsServer(String address, int port, Supplier<String> scrape, BooleanSupplier live,
      BooleanSupplier ready) throws IOException {
    try {
      server = HttpServer.create(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port),
          32);
    } catch (BindException e) {
      BindException named = new BindException("cannot listen on port " + port + " of "
          + (address == null ? "every interface" : address) + " (ECSBRIDGE_HTTP_PORT, ECSBRIDGE_HTTP_ADDRESS): "
          + e.getMessage());
      named.initCause(e);
      throw named;
    }
    server.createContext("/healthz", ex -> answer(ex, live.getAsBoolean(), "text/plain", "ok\n"));
    server.createContext("/readyz", ex -> answer(ex, ready.getAsBoolean(), "text/plain", "ok\n"));
    server.createContext("/metrics", ex -> answer(ex, true, "text/plain; version=0.0.4; charset=utf-8",
        scrape.get()));
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, boolean ok, String type, String body) throws IOException {
    byte[] bytes = (ok ? body : "not ready\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(ok ? 200 : 503, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
