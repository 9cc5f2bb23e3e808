package io.ecsbridge;

import io.ecsbridge.accounts.AccountCredentialsFollower;
import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.EcrPullThroughCacheRule;
import io.ecsbridge.api.v1alpha1.EcrRegistry;
import io.ecsbridge.api.v1alpha1.EcrRepositoryCreationTemplate;
import io.ecsbridge.config.Sharding;
import io.ecsbridge.kinds.Kinds;
import io.ecsbridge.status.StatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sharding ({@link Sharding}) changes in the wiring: which kinds a shard registers, and the status fence.
 * <ul>
 *   <li>Namespaced kinds whose resources are judged one by one are split by the {@code ecsbridge.io/shard} label:
 *       each shard's controller watches its own label selector.</li>
 *   <li>Account-wide kinds are shard 0's alone, unselected: AwsAccount (cluster-scoped) and the kinds whose ownership
 *       is decided among all the resources of the kind (EcrRegistry's claim per account and region, the identity
 *       that EcrPullThroughCacheRule and EcrRepositoryCreationTemplate record: the oldest holder wins, read from the
 *       controller's cache, which on a shard would hold only that shard's resources). Other shards do not register
 *       them, except AwsAccount, for which they run {@link AccountCredentialsFollower}: the credentials, no
 *       writes.</li>
 * </ul>
 */
final class Shards {
  private static final Logger log = LoggerFactory.getLogger(Shards.class);

  /** The namespaced kinds reconciled by shard 0 alone (with the cluster-scoped ones). */
  static final Set<Class<?>> ACCOUNT_WIDE = Set.of(EcrRegistry.class, EcrPullThroughCacheRule.class,
      EcrRepositoryCreationTemplate.class);

  private Shards() {}

  /** A kind whose resources are all reconciled by shard 0: cluster-scoped, or owned by a decision among peers. */
  static boolean accountWide(Kinds.Kind<?> kind) {
    return kind.clusterScoped() || ACCOUNT_WIDE.contains(kind.type());
  }

  /** The kind's reconciler on this shard: its own; AwsAccount's follower; null when the kind is not registered. */
  @SuppressWarnings("unchecked") // the follower's resource is the kind's: AwsAccount
  static <R extends CustomResource<?, ?>> Reconciler<R> reconciler(Kinds.Kind<R> kind, Kinds.Wiring wiring,
      Sharding sharding) {
    if (!accountWide(kind) || sharding.ownsAccountWide()) {
      return kind.newReconciler(wiring);
    }
    if (kind.type() == AwsAccount.class) {
      return (Reconciler<R>) new AccountCredentialsFollower(wiring.accounts());
    }
    return null;
  }

  /**
   * When an update of a resource reconciles it: {@code usual} (never on a status change alone), except for the
   * AwsAccount follower, which waits for shard 0's status (Ready, with the account id).
   */
  static <R extends HasMetadata> OnUpdateFilter<R> updateFilter(Reconciler<R> reconciler, OnUpdateFilter<R> usual) {
    return reconciler instanceof AccountCredentialsFollower ? (newer, older) -> true : usual;
  }

  /**
   * The status writer of a shard: it writes a resource's status only while the resource is still in the
   * controller's cache, i.e. still matches this shard's selector. A pass that was running when the resource was
   * moved to another shard (the API server told this shard's watch DELETED) ends without its status write, which
   * would otherwise land after, and over, the new shard's. Returns null (nothing written) then. Not sharded: the
   * writer as it is.
   */
  static StatusWriter fenced(StatusWriter writer, Sharding sharding) {
    if (!sharding.sharded()) {
      return writer;
    }
    return new StatusWriter() {
      @Override
      public <R extends HasMetadata> R write(R resource, R withStatus, Context<R> context) {
        if (context.getPrimaryCache().get(ResourceID.fromResource(resource)).isEmpty()) {
          log.info("{} {}/{} is no longer in shard {}'s cache (moved to another shard, or this operator stops): its "
              + "status is not written by this pass",
              resource.getKind(), resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
              sharding.index());
          return null;
        }
        return writer.write(resource, withStatus, context);
      }
    };
  }
}
