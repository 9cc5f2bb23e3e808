package io.ecsbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KubeTokenRefresh}: fabric8's token refresh re-read a kubeconfig without a token on every request to the API
 * server (10% of the operator's CPU converging at N = 1,000); ours asks it at most once a minute then, and before
 * every request once there is a token.
 */
class KubeTokenRefreshTest {
  private static final Interceptor.RequestTags NO_TAGS = new Interceptor.RequestTags() {
    @Override
    public <T> T getTag(Class<T> type) {
      return null;
    }
  };

  @TempDir
  Path dir;

  @BeforeEach
  void noTokenFromTheEnvironment() {
    // fabric8's refresh reads kubernetes.auth.token / KUBERNETES_AUTH_TOKEN after the kubeconfig: a token there
    // would be found whatever the kubeconfig says
    assumeTrue(Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_OAUTH_TOKEN_SYSTEM_PROPERTY) == null,
        "no Kubernetes token in the environment");
  }

  /** A kubeconfig whose user has no credential (as one with a client certificate: no token), or the token given. */
  private File kubeconfig(String server, String token) throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: %s
        users:
        - name: u
          user: %s
        contexts:
        - name: ctx
          context:
            cluster: c
            user: u
        current-context: ctx
        """.formatted(server, token == null ? "{}" : "{token: " + token + "}"));
    return file.toFile();
  }

  /** fabric8's interceptor, its last refresh two minutes ago (as in a client older than a minute). */
  private static Interceptor fabric8(Config config) {
    return new TokenRefreshInterceptor(config, Instant.now().minus(Duration.ofMinutes(2)),
        c -> CompletableFuture.completedFuture(null));
  }

  /** The Authorization header the interceptor puts on a request it runs before (null: none). */
  private static String authorization(Interceptor interceptor) {
    HttpRequest.Builder request = new StandardHttpRequest.Builder().uri("https://127.0.0.1:6443/api");
    interceptor.before(request, request.build(), NO_TAGS);
    return request.build().header("Authorization");
  }

  @Test
  void fabric8sOwnRefreshReadsAKubeconfigWithoutATokenAgainOnEveryRequest() throws Exception {
    // why KubeTokenRefresh exists: should this fail after an upgrade of fabric8, it may no longer be needed
    Config config = Config.fromKubeconfig(kubeconfig("https://127.0.0.1:6443", null));
    Interceptor fabric8 = fabric8(config);
    assertThat(authorization(fabric8)).isNull();
    kubeconfig("https://127.0.0.1:6443", "t1");
    assertThat(authorization(fabric8)).as("the file was read again on the very next request").isEqualTo("Bearer t1");
  }

  @Test
  void withoutATokenFabric8sRefreshRunsAtMostOnceAMinuteAndATokenFoundIsPutOnEveryRequestAfter() throws Exception {
    Config config = Config.fromKubeconfig(kubeconfig("https://127.0.0.1:6443", null));
    AtomicLong now = new AtomicLong(1_000);
    KubeTokenRefresh ours = new KubeTokenRefresh(fabric8(config), config, now::get);
    kubeconfig("https://127.0.0.1:6443", "t1");
    assertThat(authorization(ours)).as("the client's first minute: no refresh, as fabric8's").isNull();

    now.addAndGet(KubeTokenRefresh.INTERVAL.toNanos() - 1);
    assertThat(authorization(ours)).as("not a minute yet").isNull();
    kubeconfig("https://127.0.0.1:6443", null);
    now.addAndGet(1);
    assertThat(authorization(ours)).as("a minute: the kubeconfig read, no token in it").isNull();
    kubeconfig("https://127.0.0.1:6443", "t2");
    for (int i = 0; i < 100; i++) {
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
      assertThat(authorization(ours)).as("within the minute after it: not read again").isNull();
    }
    now.addAndGet(KubeTokenRefresh.INTERVAL.toNanos());
    assertThat(authorization(ours)).as("the next minute: the token found").isEqualTo("Bearer t2");
    assertThat(KubeTokenRefresh.credential(config)).isTrue();
    now.addAndGet(1);
    assertThat(authorization(ours)).as("and put on every request after").isEqualTo("Bearer t2");
  }

  @Test
  void aTokenOfTheKubeconfigIsOnEveryRequestOfTheOperatorsClient() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      seen.set(exchange.getRequestHeaders().getFirst("Authorization"));
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
      exchange.close();
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    Config config = Config.fromKubeconfig(kubeconfig(url, "secret-token"));
    HttpClient.Builder builder = new IdleThreads.HttpClientFactory().newBuilder(config);
    assertThat(((StandardHttpClientBuilder<?, ?, ?>) builder).getInterceptors().get(KubeTokenRefresh.NAME))
        .as("ours in place of fabric8's").isInstanceOf(KubeTokenRefresh.class);
    try (HttpClient client = builder.build()) {
      for (int i = 0; i < 2; i++) {
        seen.set(null);
        HttpRequest request = client.newHttpRequestBuilder().uri(url + "/api").build();
        assertThat(client.sendAsync(request, String.class).get(30, TimeUnit.SECONDS).body()).isEqualTo("ok");
        assertThat(seen.get()).isEqualTo("Bearer secret-token");
      }
    } finally {
      server.stop(0);
    }
  }
  @Test
  void aClientDerivedFromTheOperatorsClientKeepsOurs() throws Exception {
    Config config = Config.fromKubeconfig(kubeconfig("https://127.0.0.1:6443", null));
    try (HttpClient client = new IdleThreads.HttpClientFactory().newBuilder(config).build()) {
      assertThat(((StandardHttpClientBuilder<?, ?, ?>) client.newBuilder()).getInterceptors()
          .get(KubeTokenRefresh.NAME)).isInstanceOf(KubeTokenRefresh.class);
    }
  }

  @Test
  void everyOtherHookIsFabric8sAsItIs() throws Exception {
    List<String> called = new ArrayList<>();
    Interceptor fabric8 = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        called.add("before");
      }

      @Override
      public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> c) {
        called.add("after");
      }

      @Override
      public AsyncBody.Consumer<List<ByteBuffer>> consumer(AsyncBody.Consumer<List<ByteBuffer>> c, HttpRequest r) {
        called.add("consumer");
        return c;
      }

      @Override
      public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response,
          RequestTags tags) {
        called.add("afterFailure");
        return CompletableFuture.completedFuture(true);
      }

      @Override
      public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        called.add("afterConnectionFailure");
      }
    };
    Config config = Config.fromKubeconfig(kubeconfig("https://127.0.0.1:6443", null));
    KubeTokenRefresh ours = new KubeTokenRefresh(fabric8, config, () -> 0L);
    HttpRequest.Builder builder = new StandardHttpRequest.Builder().uri("https://127.0.0.1:6443/api");
    HttpRequest request = builder.build();
    ours.before(builder, request, NO_TAGS);
    ours.after(request, null, null);
    ours.consumer(null, request);
    assertThat(ours.afterFailure((BasicBuilder) builder, null, NO_TAGS).get()).as("a 401: fabric8 refreshes").isTrue();
    assertThat(ours.afterFailure((HttpRequest.Builder) builder, null, NO_TAGS).get()).isTrue();
    ours.afterConnectionFailure(request, new java.io.IOException("refused"));
    assertThat(called).as("before: no credential, and not a minute yet")
        .containsExactly("after", "consumer", "afterFailure", "afterFailure", "afterConnectionFailure");
  }
}
