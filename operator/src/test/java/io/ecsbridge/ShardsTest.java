package io.ecsbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ecsbridge.accounts.AccountCredentialsFollower;
import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.api.v1alpha1.EcrRepository;
import io.ecsbridge.config.Sharding;
import io.ecsbridge.kinds.Kinds;
import io.ecsbridge.status.StatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShardsTest {

  @Test
  void theAccountWideKindsAreAwsAccountAndTheKindsDecidedAmongPeers() {
    assertThat(Kinds.ALL.stream().filter(Shards::accountWide).map(Kinds.Kind::kind).collect(Collectors.toSet()))
        .isEqualTo(Set.of("AwsAccount", "EcrRegistry", "EcrPullThroughCacheRule", "EcrRepositoryCreationTemplate"));
  }

  @SuppressWarnings("unchecked")
  private static <R extends io.fabric8.kubernetes.client.CustomResource<?, ?>> Kinds.Kind<R> kind(Class<R> type) {
    return (Kinds.Kind<R>) Kinds.ALL.stream().filter(k -> k.type() == type).findFirst().orElseThrow();
  }

  @Test
  void anotherShardFollowsAwsAccountsAndLeavesTheOtherAccountWideKindsToShardZero() {
    Kinds.Wiring wiring = new Kinds.Wiring(null, null, null, false, null, null);
    Sharding second = new Sharding(1, 2);
    assertThat(Shards.reconciler(kind(AwsAccount.class), wiring, second))
        .isInstanceOf(AccountCredentialsFollower.class);
    assertThat(Shards.reconciler(kind(EcrRegistry.class), wiring, second)).isNull();
  }

  @SuppressWarnings("unchecked")
  private static Context<EcrRepository> cacheHolding(EcrRepository resource, boolean present) {
    Context<EcrRepository> context = mock(Context.class);
    IndexerResourceCache<EcrRepository> cache = mock(IndexerResourceCache.class);
    when(cache.get(ResourceID.fromResource(resource))).thenReturn(present ? Optional.of(resource) : Optional.empty());
    when(context.getPrimaryCache()).thenReturn(cache);
    return context;
  }

  @Test
  void aShardWritesTheStatusOfAResourceOnlyWhileTheResourceIsInItsCache() {
    List<String> written = new ArrayList<>();
    StatusWriter inner = new StatusWriter() {
      @Override
      public <R extends HasMetadata> R write(R resource, R withStatus, Context<R> context) {
        written.add(resource.getMetadata().getName());
        return withStatus;
      }
    };
    EcrRepository repo = new EcrRepository();
    repo.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("web").build());
    StatusWriter fenced = Shards.fenced(inner, new Sharding(0, 2));

    assertThat(fenced.write(repo, repo, cacheHolding(repo, true))).isSameAs(repo);
    assertThat(written).containsExactly("web");
    assertThat(fenced.write(repo, repo, cacheHolding(repo, false))).as("moved to another shard").isNull();
    assertThat(written).as("no write once it left").containsExactly("web");
    assertThat(Shards.fenced(inner, Sharding.NONE)).as("unsharded: the writer as it is").isSameAs(inner);
  }
}
