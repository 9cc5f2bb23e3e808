package io.ecsbridge;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import io.fabric8.kubernetes.client.utils.Utils;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * fabric8's token refresh (the "TOKEN" interceptor of every Kubernetes client), asked before a request only when the
 * client's Config has a credential for it to put on the request, and otherwise at most once per {@link #INTERVAL}.
 *
 * <p>fabric8 7.5.2's {@code TokenRefreshInterceptor} refreshes the Config before a request once a minute has passed
 * since it last <em>found a token</em>: for an auto-configured Config that is the whole auto-configuration again (the
 * kubeconfig found, read and parsed as YAML, the environment and system properties read). It notes the time only
 * when it finds a token. A kubeconfig that authenticates by a client certificate (kube-api-test's, kind's, kubeadm's
 * admin.conf: {@code make run}, the jar in {@code make bench}) has none, so from the client's second minute on every
 * request to the API server re-read and re-parsed the kubeconfig: 9.7% of the operator's CPU while it converged 1,000
 * repositories and 1,000 services (async-profiler, docs/operations.md, "Footprint levers", twenty-first round). In a
 * pod the service account's token is found, and fabric8 refreshes once a minute, as it means to; this changes nothing
 * there.
 *
 * <p>With a credential (a token, a token provider, an auth provider, a user name and password) fabric8's interceptor
 * runs before every request, as before: it puts the credential on the request, and refreshes when its own minute has
 * passed. With none, it runs once a minute: a token the kubeconfig gained meanwhile is found then (within a minute, as
 * fabric8 intends), and put on every request after. After a failure (a 401) it runs as it did.
 */
final class KubeTokenRefresh implements Interceptor {
  /** fabric8's name for the interceptor in a client builder ({@code HttpClientUtils.createApplicableInterceptors}). */
  static final String NAME = TokenRefreshInterceptor.NAME;
  /** fabric8's own interval between refreshes ({@code TokenRefreshInterceptor.REFRESH_INTERVAL_MINUTE}). */
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final Interceptor fabric8;
  private final Config config;
  private final LongSupplier nanos;
  private final AtomicLong askedAt;

  KubeTokenRefresh(Interceptor fabric8, Config config, LongSupplier nanos) {
    this.fabric8 = Objects.requireNonNull(fabric8);
    this.config = Objects.requireNonNull(config);
    this.nanos = nanos;
    this.askedAt = new AtomicLong(nanos.getAsLong()); // as fabric8's: its first minute refreshes nothing
  }

  /** Puts this in place of fabric8's token refresh in a builder of {@code config}'s client (if it has one). */
  static void install(HttpClient.Builder builder, Config config) {
    if (builder instanceof StandardHttpClientBuilder<?, ?, ?> standard) {
      Interceptor token = standard.getInterceptors().get(NAME);
      if (token != null && !(token instanceof KubeTokenRefresh)) {
        builder.addOrReplaceInterceptor(NAME, new KubeTokenRefresh(token, config, System::nanoTime));
      }
    }
  }

  /**
   * Whether fabric8's interceptor has a credential of {@code config} to put on a request (or a remote refresh to
   * mark): a token, a token provider, an auth provider, a user name with its password (fabric8's basic auth). Then
   * it runs before every request.
   */
  static boolean credential(Config config) {
    return config.getOauthTokenProvider() != null || Utils.isNotNullOrEmpty(config.getOauthToken())
        || Utils.isNotNullOrEmpty(config.getAutoOAuthToken()) || config.getAuthProvider() != null
        || Utils.isNotNullOrEmpty(config.getUsername()) && Utils.isNotNullOrEmpty(config.getPassword());
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (credential(config) || due()) {
      fabric8.before(builder, request, tags);
    }
  }

  /** A minute has passed since fabric8's interceptor last ran without a credential: this request runs it. */
  private boolean due() {
    long now = nanos.getAsLong();
    long at = askedAt.get();
    return now - at >= INTERVAL.toNanos() && askedAt.compareAndSet(at, now);
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    fabric8.after(request, response, consumer);
  }

  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(AsyncBody.Consumer<List<ByteBuffer>> consumer,
      HttpRequest request) {
    return fabric8.consumer(consumer, request);
  }

  @Override
  public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
    return fabric8.afterFailure(builder, response, tags);
  }

  @Override
  public CompletableFuture<Boolean> afterFailure(HttpRequest.Builder builder, HttpResponse<?> response,
      RequestTags tags) {
    return fabric8.afterFailure(builder, response, tags);
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    fabric8.afterConnectionFailure(request, failure);
  }
}
