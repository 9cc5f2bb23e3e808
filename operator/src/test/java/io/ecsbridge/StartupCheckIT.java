package io.ecsbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ecsbridge.kinds.Kinds;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start's checks ({@link StartupCheck}) against the real kube-apiserver (RBAC on): requests sent at once and read
 * as status codes, each failure said as a typed request's would be, the first in the order of the kinds whichever
 * answer comes first.
 */
class StartupCheckIT {
  private final TestEnvironment env = TestEnvironment.get();
  private final KubernetesClient admin = env.kube().client();
  private final String user = "startup-check-" + UUID.randomUUID().toString().substring(0, 8);
  private String ns;
  private KubernetesClient client;

  @BeforeEach
  void namespace() {
    ns = "sc-" + UUID.randomUUID().toString().substring(0, 8);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
  }

  @AfterEach
  void remove() {
    if (client != null) {
      client.close();
    }
    admin.namespaces().withName(ns).delete();
  }

  private KubernetesClient as(String username) {
    Config config = Config.fromKubeconfig(env.kube().kubeconfig());
    config.setImpersonateUsername(username);
    config.setImpersonateGroups("system:authenticated");
    client = new KubernetesClientBuilder().withConfig(config).build();
    return client;
  }

  private String url() {
    return admin.getConfiguration().getMasterUrl();
  }

  @Test
  void anApiServerThatServesEveryKindPasses() {
    assertThatCode(() -> StartupCheck.apiServerServes(admin, List.of(ns))).doesNotThrowAnyException();
    assertThatCode(() -> StartupCheck.apiServerServes(admin, List.of())).doesNotThrowAnyException();
  }

  /**
   * The lists' revisions, which the start uses for its added-event filter (StartupAdds) instead of a request of its
   * own: each one is the API server's revision when it was read, not older than one read before the check, not newer
   * than one read after.
   */
  @Test
  void theListsGiveTheApiServersRevisionAtTheCheck() {
    long before = Long.parseLong(admin.namespaces().list().getMetadata().getResourceVersion());
    List<Long> revisions = new java.util.concurrent.CopyOnWriteArrayList<>();
    StartupCheck.await(admin, StartupCheck.begin(admin, List.of(ns), revisions::add));
    long after = Long.parseLong(admin.namespaces().list().getMetadata().getResourceVersion());
    assertThat(revisions).as("one a kind").hasSize(Kinds.ALL.size()).allSatisfy(r -> assertThat(r)
        .isBetween(before, after));
  }

  @Test
  void theFirstKindThatCannotBeListedIsNamedWithTheApiServersMessage() {
    Kinds.Kind<?> first = Kinds.ALL.get(0);
    assertThatThrownBy(() -> StartupCheck.apiServerServes(as(user), List.of(ns)))
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith("cannot list " + first.crdName() + " in " + ns + " on " + url() + ": answered 403: ")
        .hasMessageContaining("is forbidden: User \"" + user + "\" cannot list resource \"" + first.plural() + "\"");
  }

  @Test
  void withTheFirstKindAllowedTheNextOneIsNamed() {
    Kinds.Kind<?> first = Kinds.ALL.get(0);
    Kinds.Kind<?> second = Kinds.ALL.get(1);
    admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("first").endMetadata()
        .addNewRule().withApiGroups(first.group()).withResources(first.plural()).withVerbs("list").endRule().build())
        .create();
    admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName("first")
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "first").addNewSubject().withKind("User")
        .withApiGroup("rbac.authorization.k8s.io").withName(user).endSubject().build()).create();
    KubernetesClient client = as(user);
    // the API server's authorizer sees the binding once its own cache has it
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatCode(() -> client.resources(first.type())
        .inNamespace(ns).list()).doesNotThrowAnyException());
    assertThatThrownBy(() -> StartupCheck.apiServerServes(client, List.of(ns)))
        .hasMessageStartingWith("cannot list " + second.crdName() + " in " + ns + " on " + url() + ": answered 403: ");
  }

  @Test
  void rejectedCredentialsAreSaidBeforeAnyKind() {
    Config config = Config.fromKubeconfig(env.kube().kubeconfig());
    config.setClientCertData(null);
    config.setClientKeyData(null);
    config.setClientCertFile(null);
    config.setClientKeyFile(null);
    config.setOauthToken("not-a-secret");
    config.setRequestRetryBackoffLimit(0); // the client's own retries of the unanswered request: 19 s by default
    client = new KubernetesClientBuilder().withConfig(config).build();
    assertThatThrownBy(() -> StartupCheck.apiServerServes(client, List.of(ns)))
        .hasMessage("the Kubernetes API server " + url() + " rejected the credentials (401 Unauthorized)");
  }

  /**
   * A server that takes the connection and never answers (plain HTTP, so that no TLS handshake ends under the connect
   * timeout): the client's request timeout ends the wait, as it does for a typed request.
   */
  @Test
  void anApiServerThatNeverAnswersIsNotReachableAfterTheRequestTimeout() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Config config = Config.fromKubeconfig(env.kube().kubeconfig());
      config.setMasterUrl("http://127.0.0.1:" + silent.getLocalPort());
      config.setRequestTimeout(1_000);
      config.setRequestRetryBackoffLimit(0);
      client = new KubernetesClientBuilder().withConfig(config).build();
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() ->
          StartupCheck.apiServerServes(client, List.of(ns))).hasMessageStartingWith("the Kubernetes API server "
              + "http://127.0.0.1:" + silent.getLocalPort() + "/ is not reachable: "));
    }
  }

  @Test
  void anApiServerThatIsNotThereIsNotReachable() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Config config = Config.fromKubeconfig(env.kube().kubeconfig());
    config.setMasterUrl("https://127.0.0.1:" + closed);
    config.setRequestRetryBackoffLimit(0);
    client = new KubernetesClientBuilder().withConfig(config).build();
    assertThatThrownBy(() -> StartupCheck.apiServerServes(client, List.of(ns)))
        .hasMessage("the Kubernetes API server https://127.0.0.1:" + closed + "/ is not reachable: "
            + "ConnectException: connection refused");
  }
}
