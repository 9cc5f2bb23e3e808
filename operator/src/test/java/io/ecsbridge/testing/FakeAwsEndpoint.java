package io.ecsbridge.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ecsbridge.aws.AwsCallMeter;
import io.ecsbridge.aws.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An in-process fake of an AWS JSON 1.1 API (ECS's) for unit tests of real SDK clients: every request goes to the
 * test's {@link Handler} with its operation (the X-Amz-Target header) and body; the answer's status and JSON go back
 * as the SDK expects them. Start it in a {@code @BeforeEach}, close it in an {@code @AfterEach}.
 */
public final class FakeAwsEndpoint implements AutoCloseable {

  /** What the fake answers: an HTTP status and a JSON body (an error is {@code {"__type":..., "message":...}}). */
  public record Answer(int status, String json) {
    public static Answer ok(String json) {
      return new Answer(200, json);
    }

    /** A client error as AWS's JSON protocol sends it (400 with the exception's name). */
    public static Answer error(String type, String message) {
      return new Answer(400, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }
  }

  /** The test's fake of the API. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @param target the X-Amz-Target header, e.g. {@code AmazonEC2ContainerServiceV20141113.DescribeClusters}
     * @param body the request's JSON
     */
    Answer answer(String target, byte[] body) throws IOException;
  }

  private final HttpServer server;

  private FakeAwsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Listens on a free local port until {@link #close}. */
  public static FakeAwsEndpoint start(Handler handler) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> answer(exchange, handler));
      server.start();
      return new FakeAwsEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The operator's clients (default region us-east-1, static credentials) sending every call here. */
  public AwsClients clients(AwsCallMeter meter) {
    return new AwsClients("us-east-1", uri(), StaticCredentialsProvider.create(AwsBasicCredentials.create("op", "op")),
        meter);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, Handler handler) throws IOException {
    try (exchange) {
      Answer answer;
      try {
        answer = handler.answer(String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target")),
            exchange.getRequestBody().readAllBytes());
      } catch (RuntimeException | AssertionError e) {
        // a handler's failure (an assertion of the test) answered as a client error, which the SDK does not retry
        // (a closed connection it would), naming it in the client's exception
        answer = new Answer(400, "{\"__type\":\"FakeHandlerFailed\",\"message\":"
            + "\"the fake's handler threw " + e.getClass().getSimpleName() + "\"}");
      }
      byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }
}
