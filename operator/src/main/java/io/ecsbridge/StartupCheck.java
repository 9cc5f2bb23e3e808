package io.ecsbridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ecsbridge.kinds.Kinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Checks made before JOSDK starts, whose informers, when the API server is unreachable or a CRD is missing, log
 * pages of stack traces: the API server answers, and serves each of our kinds ({@link Kinds}) where the operator
 * watches. A failure is a {@link StartupException} of one line.
 */
final class StartupCheck {
  private StartupCheck() {}

  private static final JsonFactory JSON = new JsonFactory();

  /** At most this many of the check's lists in flight at once (an HTTP/2 connection's streams are limited). */
  static final int LISTS_IN_FLIGHT = 32;

  /**
   * Starts the checks without waiting for them, so that their round trips and the first TLS handshake overlap the
   * rest of the operator's construction: {@code GET /version}, then, once the connection is up, a one-item list of
   * each kind in each namespace the operator watches, up to {@link #LISTS_IN_FLIGHT} at once, read as status codes
   * and, for a list that answered, its own resourceVersion (the typed lists this replaced built each kind's
   * deserializers one after the other on the main thread; JOSDK's informers build them anyway, in parallel). Each
   * request has the client's request timeout and retries, as a typed request has. {@link #await} gives the verdict.
   */
  static CompletableFuture<StartupException> begin(KubernetesClient client, Collection<String> namespaces) {
    return begin(client, namespaces, revision -> { });
  }

  /**
   * {@link #begin(KubernetesClient, Collection)}, giving {@code revisions} the resourceVersion of each list that
   * answered (the API server's revision when it read it, where it is a number): the start's revision for
   * {@link io.ecsbridge.contract.StartupAdds}, read without a request of its own.
   */
  static CompletableFuture<StartupException> begin(KubernetesClient client, Collection<String> namespaces,
      LongConsumer revisions) {
    String url = client.getConfiguration().getMasterUrl();
    try {
      HttpClient http = client.getHttpClient();
      long timeout = client.getConfiguration().getRequestTimeout();
      List<String> where = namespaces.isEmpty() ? Arrays.asList((String) null) : List.copyOf(namespaces);
      List<Supplier<CompletableFuture<StartupException>>> lists = new ArrayList<>();
      for (Kinds.Kind<?> kind : Kinds.ALL) {
        for (String namespace : kind.clusterScoped() ? Arrays.asList((String) null) : where) {
          lists.add(() -> {
            try {
              return get(http, listUrl(url, kind, namespace), timeout).handle((list, e) -> {
                if (list != null && HttpResponse.isSuccessful(list.code())) {
                  long revision = listRevision(list.body());
                  if (revision >= 0) {
                    revisions.accept(revision);
                  }
                  return null;
                }
                return listFailure(client, url, kind, namespace,
                    e != null ? new KubernetesClientException(e.getMessage(), e) : failed(client, list));
              });
            } catch (RuntimeException e) {
              return CompletableFuture.completedFuture(listFailure(client, url, kind, namespace,
                  new KubernetesClientException(e.getMessage(), e)));
            }
          });
        }
      }
      return get(http, URLUtils.join(url, "version"), timeout).handle((version, e) -> e != null
          ? new Unanswered(e) : HttpResponse.isSuccessful(version.code()) ? null
          : new StartupException("the Kubernetes API server " + url + " " + failure(failed(client, version))))
          .thenCompose(verdict -> verdict != null ? CompletableFuture.completedFuture(verdict) : inTurn(lists, 0));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new StartupException("the Kubernetes API server " + url
          + " cannot be asked: " + innermost(e)));
    }
  }

  /** The lists from {@code from} on, {@link #LISTS_IN_FLIGHT} at a time: the first failure in their order, or null. */
  private static CompletableFuture<StartupException> inTurn(List<Supplier<CompletableFuture<StartupException>>> lists,
      int from) {
    if (from >= lists.size()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<StartupException>> batch = lists.subList(from, Math.min(lists.size(),
        from + LISTS_IN_FLIGHT)).stream().map(Supplier::get).toList();
    return CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).thenCompose(all -> batch.stream()
        .map(CompletableFuture::join).filter(Objects::nonNull).findFirst().map(CompletableFuture::completedFuture)
        .orElseGet(() -> inTurn(lists, from + LISTS_IN_FLIGHT)));
  }

  /**
   * Waits for {@link #begin}'s checks: returns when the API server serves every kind, else throws why not. When
   * {@code GET /version} got no answer at all, it is asked once more over HTTP/1.1 ({@link #answerOverHttp11}) before
   * the API server is called unreachable.
   */
  static void await(KubernetesClient client, CompletableFuture<StartupException> check) {
    String url = client.getConfiguration().getMasterUrl();
    StartupException failure;
    try {
      failure = check.join();
    } catch (CompletionException | CancellationException e) {
      throw new StartupException("the check of the Kubernetes API server " + url + " failed: " + innermost(e));
    }
    if (failure instanceof Unanswered unanswered) {
      Http11 answer = answerOverHttp11(client.getConfiguration());
      String cause = innermost(unanswered.getCause());
      throw new StartupException("the Kubernetes API server " + url + " " + (answer == null
          ? "is not reachable: " + cause : answer.failure() != null ? failure(answer.failure())
          : "answered only when asked again over HTTP/1.1: " + cause));
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** {@link #begin} and {@link #await} in one. */
  static void apiServerServes(KubernetesClient client, Collection<String> namespaces) {
    await(client, begin(client, namespaces));
  }

  /** An answer over HTTP/1.1: the failure it was, or null for a success. */
  record Http11(KubernetesClientException failure) {}

  /**
   * The API server's answer to {@code GET /version} over HTTP/1.1, without retries, or null when it gave none. Why:
   * the API server ends an HTTP/2 connection whose request it could not authenticate (GOAWAY, Kubernetes' defence
   * against unauthenticated HTTP/2 clients), and the JDK's HTTP/2 client then fails the request without its 401, so
   * a rejected token read as "not reachable: GOAWAY received".
   */
  static Http11 answerOverHttp11(Config config) {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(config)
        .withHttp2Disable(true).withRequestRetryBackoffLimit(0).build()).build()) {
      client.getKubernetesVersion();
      return new Http11(null);
    } catch (KubernetesClientException e) {
      return e.getCode() > 0 ? new Http11(e) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code GET /version} failed without an answer (its cause says how); {@link #await} looks closer. */
  private static final class Unanswered extends StartupException {
    Unanswered(Throwable cause) {
      super("no answer");
      initCause(cause);
    }
  }

  private static CompletableFuture<HttpResponse<String>> get(HttpClient http, String url, long timeoutMillis) {
    HttpRequest.Builder request = http.newHttpRequestBuilder().uri(url);
    if (timeoutMillis > 0) {
      request.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }
    return http.sendAsync(request.build(), String.class);
  }

  private static String listUrl(String url, Kinds.Kind<?> kind, String namespace) {
    String version = HasMetadata.getVersion(kind.type());
    return URLUtils.join(url, "apis", kind.group(), version)
        + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + kind.plural() + "?limit=1";
  }

  /**
   * A list's own resourceVersion (its top-level {@code metadata.resourceVersion}, not an item's) as a number, or -1:
   * read by Jackson's streaming parser, with no deserializer to build.
   */
  static long listRevision(String body) {
    if (body == null) {
      return -1;
    }
    try (JsonParser json = JSON.createParser(body)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            if (json.nextToken() == JsonToken.VALUE_STRING && name.equals("resourceVersion")) {
              return Long.parseLong(json.getText());
            }
            json.skipChildren();
          }
          return -1;
        }
        json.skipChildren();
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
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
