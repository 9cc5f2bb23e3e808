package io.ecsbridge;

import io.ecsbridge.kinds.Kinds;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Checks made before JOSDK starts, whose informers, when the API server is unreachable or a CRD is missing, log
 * pages of stack traces: the API server answers, and serves each of our kinds ({@link Kinds}) where the operator
 * watches. A failure is a {@link StartupException} of one line.
 */
final class StartupCheck {
  private StartupCheck() {}

  static void apiServerServes(KubernetesClient client, Collection<String> namespaces) {
    String url = client.getConfiguration().getMasterUrl();
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw new StartupException("the Kubernetes API server " + url + " " + failure(e));
    }
    List<String> where = namespaces.isEmpty() ? Arrays.asList((String) null) : List.copyOf(namespaces);
    for (Kinds.Kind<?> kind : Kinds.ALL) {
      String crd = kind.crdName();
      for (String namespace : kind.clusterScoped() ? Arrays.asList((String) null) : where) {
        try {
          var resources = client.resources(kind.type());
          (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace))
              .list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            throw new StartupException("the custom resource definition " + crd + " is not installed in " + url
                + " (kubectl apply -f crds/, or install the Helm chart)");
          }
          throw new StartupException("cannot list " + crd + (namespace == null ? " in all namespaces" : " in "
              + namespace) + " on " + url + ": " + failure(e));
        }
      }
    }
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
