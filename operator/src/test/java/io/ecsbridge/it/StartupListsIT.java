package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.EcsBridgeOperator;
import io.ecsbridge.config.OperatorConfig;
import io.ecsbridge.contract.StartupAdds;
import io.ecsbridge.testing.OperatorIT;
import io.ecsbridge.testing.TestEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The first lists of the informers whose start-up adds are dropped ({@link StartupAdds}), on the real API server: a
 * list at {@code resourceVersion=0} is answered from the API server's watch cache, which may lag behind etcd, and an
 * object it misses would come later as an "added" event at or below the start's revision and be dropped. So only the
 * kinds' own controllers (whose adds are all kept) list from the cache: one list of each custom resource kind in the
 * watched namespace; every other list, ConfigMaps', Secrets', Namespaces' and the referenced kinds', is a consistent
 * read in pages of {@link StartupAdds#LIST_LIMIT}. The requests are read by an interceptor on the operator's client.
 */
class StartupListsIT extends OperatorIT {
  private static final String CACHED = "resourceVersion=0";

  @Test
  void onlyTheControllersOwnInformersListFromTheWatchCache() throws Exception {
    operator.close();
    Map<String, List<String>> lists = new ConcurrentHashMap<>(); // path: the queries of its lists
    Interceptor recorder = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        // an informer's list: a resourceVersion or a limit, no watch; limit=1: the start's check (StartupCheck)
        String query = String.valueOf(request.uri().getQuery());
        if (request.method().equals("GET") && !query.contains("watch=true") && !query.equals("limit=1")
            && (query.contains("resourceVersion=") || query.contains("limit="))) {
          lists.computeIfAbsent(request.uri().getPath(), p -> new CopyOnWriteArrayList<>()).add(query);
        }
      }
    };
    Map<String, String> settings = operatorSettings(namespace);
    settings.put("ECSBRIDGE_SECRET_REFERENCES", "true"); // the Secrets informer too
    try (KubernetesClient recorded = new KubernetesClientBuilder().withConfig(k8s.getConfiguration())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record-lists", recorder)).build()) {
      operator = new EcsBridgeOperator(OperatorConfig.load(settings), recorded, TestEnvironment.CREDENTIALS).start();
      operator.close(); // started: every informer has listed

      assertThat(lists).containsKeys("/api/v1/namespaces/" + namespace + "/configmaps",
          "/api/v1/namespaces/" + namespace + "/secrets", "/api/v1/namespaces",
          "/apis/ecsbridge.io/v1alpha1/namespaces/" + namespace + "/ecsclusters");
      assertThat(lists).allSatisfy((path, queries) -> {
        boolean customResources = path.startsWith("/apis/ecsbridge.io/");
        assertThat(queries).as("the lists from the watch cache of " + path).filteredOn(CACHED::equals)
            .hasSizeLessThanOrEqualTo(customResources ? 1 : 0);
        assertThat(queries).as("the consistent lists of " + path).filteredOn(q -> !q.equals(CACHED))
            .allSatisfy(q -> assertThat(q).doesNotContain("resourceVersion=") // pages after the first: &continue=
                .matches("limit=" + StartupAdds.LIST_LIMIT + "(&continue=.*)?"));
      });
      assertThat(lists.get("/apis/ecsbridge.io/v1alpha1/namespaces/" + namespace + "/ecsclusters"))
          .as("the clusters' controller's informer and the services' informer of their clusters")
          .containsExactlyInAnyOrder(CACHED, "limit=" + StartupAdds.LIST_LIMIT);
    }
  }
}
