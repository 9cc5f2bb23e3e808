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
 */
public final class MotoServer implements AutoCloseable {
  private final Process process;
  private final URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  public static MotoServer start(double rolloutSeconds) throws IOException, InterruptedException {
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
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(python.lines().reduce((a, b) -> b).orElseThrow(),
        launcher, "--host", "127.0.0.1", "--port", String.valueOf(port))
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
    return new MotoServer(process, URI.create("http://127.0.0.1:" + port));
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
