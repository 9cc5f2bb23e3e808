package io.ecsbridge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A moto server (the version pinned in hack/moto/requirements.txt, installed into a venv by hack/moto/ensure-moto.sh
 * when the machine's copy differs) on a free loopback port, with our small ECS rollout extension
 * (src/test/moto/ecsbridge_moto.py). {@link #reset()} empties every backend between tests.
 *
 * <p>Where it listens is a setting, {@value #BIND_ADDRESS} (loopback unless set): the tests' own clients and the
 * operator run in the test JVM and need no more; a consumer inside a containerised cluster (k3s) would need an
 * address its container reaches, {@value #CLUSTER_GATEWAY}: the control plane's
 * {@link ControlPlane#hostAddressForCluster()}.
 */
public final class MotoServer implements AutoCloseable {
  /** The system property naming the address moto listens on: an IP address, or {@value #CLUSTER_GATEWAY}. */
  public static final String BIND_ADDRESS = "ecsbridge.moto.bindAddress";
  /** The value of {@value #BIND_ADDRESS} meaning the address where the control plane's side reaches this machine. */
  public static final String CLUSTER_GATEWAY = "cluster-gateway";
  private static final String LOOPBACK = "127.0.0.1";
  private final Process process;
  private final URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  public static MotoServer start(double rolloutSeconds) throws IOException, InterruptedException {
    return start(rolloutSeconds, LOOPBACK);
  }

  /** The address {@value #BIND_ADDRESS} asks for (loopback when unset), for this control plane. */
  public static String bindAddress(ControlPlane kube) {
    String asked = System.getProperty(BIND_ADDRESS, LOOPBACK).trim();
    return asked.isEmpty() ? LOOPBACK : CLUSTER_GATEWAY.equals(asked) ? kube.hostAddressForCluster() : asked;
  }

  /** A moto server listening on {@code bindAddress} (an address of this machine) on a free port. */
  public static MotoServer start(double rolloutSeconds, String bindAddress) throws IOException,
      InterruptedException {
    java.net.InetAddress bind = java.net.InetAddress.getByName(bindAddress);
    Path root = Repo.root();
    String python = System.getProperty("ecsbridge.moto.python");
    if (python == null) {
      Process ensure = new ProcessBuilder("bash", root.resolve("hack/moto/ensure-moto.sh").toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      python = new String(ensure.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!ensure.waitFor(15, TimeUnit.MINUTES) || ensure.exitValue() != 0 || python.isEmpty()) {
        throw new IllegalStateException("hack/moto/ensure-moto.sh failed");
      }
    }
    String launcher = System.getProperty("ecsbridge.moto.launcher",
        root.resolve("operator/src/test/moto/ecsbridge_moto.py").toString());
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, bind)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(python.lines().reduce((a, b) -> b).orElseThrow(),
        launcher, "--host", bind.getHostAddress(), "--port", String.valueOf(port))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("ECSBRIDGE_MOTO_ROLLOUT_SECONDS", String.valueOf(rolloutSeconds));
    // staged (BLUE_GREEN, LINEAR, CANARY) deployments: each lifecycle stage lasts STAGE_SECONDS, a bake "minute"
    // MINUTE_SECONDS; a stage outlasts the operator's 1 s test resync, so that each stage is seen
    pb.environment().put("ECSBRIDGE_MOTO_STAGE_SECONDS", System.getProperty("ecsbridge.moto.stageSeconds", "2"));
    pb.environment().put("ECSBRIDGE_MOTO_MINUTE_SECONDS", System.getProperty("ecsbridge.moto.minuteSeconds", "1"));
    Process process = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY")) {
        break;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    if (line == null || !line.startsWith("READY")) {
      process.destroyForcibly();
      throw new IllegalStateException("moto did not start");
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // keep the pipe empty
        }
      } catch (IOException ignored) {
        // the server stopped
      }
    }, "moto-stdout");
    drain.setDaemon(true);
    drain.start();
    String host = bind instanceof java.net.Inet6Address ? "[" + bind.getHostAddress() + "]" : bind.getHostAddress();
    return new MotoServer(process, URI.create("http://" + host + ":" + port));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Empties every moto backend. */
  public void reset() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("moto reset failed: " + r.statusCode() + " " + r.body());
    }
  }

  /**
   * Makes the next {@code times} calls of {@code operation} (null: every call until {@link #clearFaults()}) fail
   * with AWS's error {@code code}/{@code message} and HTTP {@code status} (src/test/moto/ecsbridge_faults.py).
   */
  public void fault(String operation, String code, String message, int status, Integer times) {
    fault(operation, code, message, status, times, false);
  }

  /** The same; {@code after}: moto carries the call out, then the reply is an error (a reply lost after the work). */
  public void fault(String operation, String code, String message, int status, Integer times, boolean after) {
    String body = "{\"operation\":\"%s\",\"code\":\"%s\",\"message\":\"%s\",\"status\":%d,\"times\":%s,\"after\":%s}"
        .formatted(operation, code, message.replace("\"", "'"), status, times == null ? "null" : times, after);
    control("POST", HttpRequest.BodyPublishers.ofString(body));
  }

  /** Removes every injected fault: AWS answers normally again (an IAM or quota fix, the network back). */
  public void clearFaults() {
    control("DELETE", HttpRequest.BodyPublishers.noBody());
  }

  private void control(String method, HttpRequest.BodyPublisher body) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/ecsbridge/faults"))
          .timeout(Duration.ofSeconds(10)).method(method, body).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("moto fault " + method + " failed: " + r.statusCode() + " " + r.body());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
