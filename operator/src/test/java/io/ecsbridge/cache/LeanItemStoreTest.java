package io.ecsbridge.cache;

import java.util.Set;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.api.v1alpha1.EcrRepositorySpec;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeanItemStoreTest {

  private static ObjectMetaBuilder metadata(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace("team").withResourceVersion("42").withGeneration(3L)
        .withUid("u-1").withLabels(Map.of("app", "shop")).withFinalizers(List.of("ecsbridge.io/finalizer"))
        .withAnnotations(Map.of(LeanItemStore.LAST_APPLIED, "{\"a huge\": \"copy\"}",
            "ecsbridge.io/reconcile-requested-at", "2026-12-05T08:00:00Z"))
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build());
  }

  @Test
  void dropsManagedFieldsAndLastAppliedAndKeepsWhatTheReconcilersRead() {
    EcrRepository repository = new EcrRepository();
    repository.setMetadata(metadata("shop").build());
    repository.setSpec(new EcrRepositorySpec());
    ItemStore<EcrRepository> store = LeanItemStore.create(Set.of("apps"));

    store.put(store.getKey(repository), repository);

    EcrRepository cached = store.get("team/shop");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getAnnotations())
        .containsExactly(Map.entry("ecsbridge.io/reconcile-requested-at", "2026-12-05T08:00:00Z"));
    assertThat(cached.getMetadata().getName()).isEqualTo("shop");
    assertThat(cached.getMetadata().getNamespace()).isEqualTo("team");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getMetadata().getGeneration()).isEqualTo(3L);
    assertThat(cached.getMetadata().getUid()).isEqualTo("u-1");
    assertThat(cached.getMetadata().getLabels()).containsEntry("app", "shop");
    assertThat(cached.getMetadata().getFinalizers()).containsExactly("ecsbridge.io/finalizer");
    assertThat(cached.getSpec()).isSameAs(repository.getSpec());
  }

  @Test
  void keepsASecretsDataAndDropsItsPlainTextCopyInLastApplied() {
    Secret secret = new SecretBuilder().withMetadata(metadata("db").build())
        .withData(Map.of("password", "c2VjcmV0")).build();
    ItemStore<Secret> store = LeanItemStore.create(Set.of("apps"));

    store.put(store.getKey(secret), secret);

    Secret cached = store.get("team/db");
    assertThat(cached.getData()).containsExactly(Map.entry("password", "c2VjcmV0"));
    assertThat(cached.getMetadata().getAnnotations()).doesNotContainKey(LeanItemStore.LAST_APPLIED);
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
  }

  @Test
  void leavesAnObjectWithoutThemAsItIs() {
    Secret secret = new SecretBuilder().withNewMetadata().withName("plain").withNamespace("team").endMetadata()
        .build();

    assertThat(LeanItemStore.trim(secret).getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(LeanItemStore.create(Set.of("apps")).size()).isZero();
  }

  @Test
  void severalNamespacesKeepJosdksOwnStore() {
    // JOSDK gives one configuration's store to the informer of each namespace: a shared store loses objects
    assertThat(LeanItemStore.<Secret>create(Set.of("a", "b"))).isNull();
    assertThat(LeanItemStore.<Secret>create(Set.of("a"))).isNotNull();
  }
}
