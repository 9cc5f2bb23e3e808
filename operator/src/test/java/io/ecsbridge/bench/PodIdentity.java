package io.ecsbridge.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a pod gives the operator in place of a kubeconfig: a ServiceAccount's token, the cluster's CA and namespace
 * in /var/run/secrets/kubernetes.io/serviceaccount, and KUBERNETES_SERVICE_HOST / _PORT, so that an image started by
 * {@link OperatorJar} (its own file system) configures its client as in a cluster: a bearer token, no kubeconfig to
 * parse, no client certificate to load or sign with. The ServiceAccount is bound to cluster-admin: the bench measures
 * the start, not RBAC (RbacIT tests the chart's rules).
 */
final class PodIdentity {
  static final String NAMESPACE = "ecs-bridge-system";
  static final String SERVICE_ACCOUNT = "ecs-bridge";
  /** The environment's key that names the directory to mount (the bench's own, never passed to the process). */
  static final String MOUNT = "ECSBRIDGE_BENCH_SERVICE_ACCOUNT_DIR";
  static final String MOUNT_PATH = "var/run/secrets/kubernetes.io/serviceaccount";

  private PodIdentity() {}

  /**
   * Makes the ServiceAccount (with a token valid for a day) and writes its files into {@code dir}; returns
   * {@code env} as a pod's: the API server as KUBERNETES_SERVICE_HOST and _PORT (an image then starts without its
   * KUBECONFIG, which a jar keeps: {@link OperatorJar#start}).
   */
  static Map<String, String> of(KubernetesClient admin, String kubeconfig, Path dir, Map<String, String> env)
      throws IOException {
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    admin.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName(SERVICE_ACCOUNT).endMetadata().build()).serverSideApply();
    admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName("ecs-bridge-bench").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole",
            "cluster-admin").addNewSubject().withKind("ServiceAccount").withName(SERVICE_ACCOUNT)
        .withNamespace(NAMESPACE).endSubject().build()).serverSideApply();
    String token = admin.serviceAccounts().inNamespace(NAMESPACE).withName(SERVICE_ACCOUNT)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(86_400L).endSpec().build())
        .getStatus().getToken();
    Config config = Config.fromKubeconfig(kubeconfig);
    byte[] ca = config.getCaCertData() != null ? Base64.getDecoder().decode(config.getCaCertData())
        : Files.readAllBytes(Path.of(config.getCaCertFile()));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("token"), token);
    Files.write(dir.resolve("ca.crt"), ca);
    Files.writeString(dir.resolve("namespace"), NAMESPACE);
    URI server = URI.create(config.getMasterUrl());
    Map<String, String> pod = new LinkedHashMap<>(env);
    pod.put("KUBERNETES_SERVICE_HOST", server.getHost());
    pod.put("KUBERNETES_SERVICE_PORT", String.valueOf(server.getPort() > 0 ? server.getPort()
        : "http".equals(server.getScheme()) ? 80 : 443));
    pod.put(MOUNT, dir.toString());
    return pod;
  }

  /** Copies the ServiceAccount's files where a pod has them, inside an image's file system. */
  static void mount(Path dir, Path rootfs) throws IOException {
    Path target = Files.createDirectories(rootfs.resolve(MOUNT_PATH));
    for (String f : new String[] {"token", "ca.crt", "namespace"}) {
      Files.copy(dir.resolve(f), target.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
