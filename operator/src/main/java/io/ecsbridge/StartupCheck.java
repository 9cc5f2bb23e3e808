package io.ecsbridge;

import io.ecsbridge.kinds.Kinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Checks made before JOSDK starts, whose informers, when the API server is unreachable or a CRD is missing, log
 * pages of stack traces: the API server answers, and serves each of our kinds ({@link Kinds}) where the operator
 * watches. A failure is a {@link StartupException} of one line.
 */
final class StartupCheck {
  private StartupCheck() {}

  /**
   * Starts the checks without waiting for them, so that their round trips and the first TLS handshake overlap the
   * rest of the operator's construction: {@code GET /version}, then, once the connection is up, a one-item list of
   * each kind where the operator watches, all at once and read as status codes only (the typed lists this replaced
   * built each kind's deserializers one after the other on the main thread; JOSDK's informers build them anyway, in
   * parallel). {@link #await} gives the verdict.
   */
  static CompletableFuture<StartupException> begin(KubernetesClient client, Collection<String> namespaces) {
    String url = client.getConfiguration().getMasterUrl();
    HttpClient http = client.getHttpClient();
    List<String> where = namespaces.isEmpty() ? Arrays.asList((String) null) : List.copyOf(namespaces);
    return get(http, URLUtils.join(url, "version")).thenCompose(version -> {
      if (version.code() != 200) {
        return CompletableFuture.completedFuture(new StartupException("the Kubernetes API server " + url + " "
            + failure(failed(client, version))));
      }
      List<CompletableFuture<StartupException>> lists = new ArrayList<>();
      for (Kinds.Kind<?> kind : Kinds.ALL) {
        for (String namespace : kind.clusterScoped() ? Arrays.asList((String) null) : where) {
          lists.add(get(http, listUrl(url, kind, namespace)).handle((list, e) -> list != null && list.code() == 200
              ? null : listFailure(client, url, kind, namespace, e != null ? new KubernetesClientException(
                  e.getMessage(), e) : failed(client, list))));
        }
      }
      // the first failure in the order of Kinds.ALL, whichever answered first
      return CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new)).thenApply(all -> lists.stream()
          .map(CompletableFuture::join).filter(Objects::nonNull).findFirst().orElse(null));
    }).exceptionally(Unanswered::new);
  }

  /**
   * Waits for {@link #begin}'s checks: returns when the API server serves every kind, else throws why not. When
   * {@code GET /version} got no answer at all, it is asked once more over HTTP/1.1 ({@link #answerOverHttp11}) before
   * the API server is called unreachable.
   */
  static void await(KubernetesClient client, CompletableFuture<StartupException> check) {
    StartupException failure = check.join();
    if (failure instanceof Unanswered unanswered) {
      String url = client.getConfiguration().getMasterUrl();
      KubernetesClientException answer = answerOverHttp11(client.getConfiguration());
      throw new StartupException("the Kubernetes API server " + url + " " + (answer != null ? failure(answer)
          : "is not reachable: " + innermost(unanswered.getCause())));
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** {@link #begin} and {@link #await} in one. */
  static void apiServerServes(KubernetesClient client, Collection<String> namespaces) {
    await(client, begin(client, namespaces));
  }

  /**
   * The API server's answer to {@code GET /version} over HTTP/1.1, without retries: the failure it answered with, or
   * null when it answered 200 or not at all. Why: the API server ends an HTTP/2 connection whose request it could not
   * authenticate (GOAWAY, Kubernetes' defence against unauthenticated HTTP/2 clients), and the JDK's HTTP/2 client
   * then fails the request without its 401, so a rejected token read as "not reachable: GOAWAY received".
   */
  static KubernetesClientException answerOverHttp11(Config config) {
    Config http11 = new ConfigBuilder(config).withHttp2Disable(true).withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(http11).build()) {
      client.getKubernetesVersion();
      return null;
    } catch (KubernetesClientException e) {
      return e.getCode() > 0 ? e : null;
    }
  }

  /** {@code GET /version} failed without an answer (its cause says how); {@link #await} looks closer. */
  private static final class Unanswered extends StartupException {
    Unanswered(Throwable cause) {
      super("no answer");
      initCause(cause);
    }
  }

  private static CompletableFuture<HttpResponse<String>> get(HttpClient http, String url) {
    return http.sendAsync(http.newHttpRequestBuilder().uri(url).build(), String.class);
  }

  private static String listUrl(String url, Kinds.Kind<?> kind, String namespace) {
    String version = HasMetadata.getVersion(kind.type());
    return URLUtils.join(url, "apis", kind.group(), version)
        + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + kind.plural() + "?limit=1";
  }

  /** The exception a typed request would have thrown for this answer (its Status, code and message). */
  private static KubernetesClientException failed(KubernetesClient client, HttpResponse<String> response) {
    return OperationSupport.requestFailure(response.request(),
        OperationSupport.createStatus(response, client.getKubernetesSerialization()));
  }

  private static StartupException listFailure(KubernetesClient client, String url, Kinds.Kind<?> kind,
      String namespace, KubernetesClientException e) {
    String crd = kind.crdName();
    if (e.getCode() == 404) {
      return new StartupException("the custom resource definition " + crd + " is not installed in " + url
          + " (kubectl apply -f crds/, or install the Helm chart)");
    }
    return new StartupException("cannot list " + crd + (namespace == null ? " in all namespaces" : " in "
        + namespace) + " on " + url + ": " + failure(e));
  }

  /** What an API server failure means, in a few words. */
  static String failure(KubernetesClientException e) {
    if (e.getCode() <= 0) {
      return "is not reachable: " + innermost(e);
    }
    if (e.getCode() == 401) {
      return "rejected the credentials (401 Unauthorized)";
    }
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    return "answered " + e.getCode() + ": " + message;
  }

  /** The first cause that says what happened, as "Type: message". */
  static String innermost(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof ConnectException) && (t instanceof KubernetesClientException
        || t instanceof CompletionException || t instanceof ExecutionException || t.getMessage() == null)) {
      t = t.getCause();
    }
    String message = null;
    for (Throwable c = t; c != null && message == null; c = c.getCause()) {
      message = c.getMessage();
    }
    if (message == null && t instanceof ConnectException) {
      message = "connection refused"; // the JDK's HTTP client says no more
    }
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Where the API server's address came from. */
  static String kubeconfigSource(Config config) {
    if (config.getFile() != null) {
      return "kubeconfig " + config.getFile();
    }
    if (System.getenv(Config.KUBERNETES_SERVICE_HOST_PROPERTY) != null) {
      return "the pod's service account";
    }
    return "no kubeconfig (KUBECONFIG, ~/.kube/config) and not in a pod";
  }

  /**
   * Which source of the AWS SDK's default credentials chain applies, from the variables that select it (read
   * nothing, call nothing: no secret is printed, no instance metadata is asked).
   */
  static String credentialsSource(Map<String, String> env) {
    if (set(env, "AWS_ACCESS_KEY_ID")) {
      return "environment (AWS_ACCESS_KEY_ID)";
    }
    if (set(env, "AWS_WEB_IDENTITY_TOKEN_FILE")) {
      return "web identity (IRSA: AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE)";
    }
    if (set(env, "AWS_PROFILE")) {
      return "profile " + env.get("AWS_PROFILE");
    }
    if (set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") || set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      return "container endpoint (EKS Pod Identity or ECS)";
    }
    return "default chain (default profile, else instance metadata)";
  }

  private static boolean set(Map<String, String> env, String name) {
    return env.get(name) != null && !env.get(name).isBlank();
  }
}
