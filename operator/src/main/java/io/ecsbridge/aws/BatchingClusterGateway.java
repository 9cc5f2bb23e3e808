package io.ecsbridge.aws;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;

/**
 * A {@link ClusterGateway} whose DescribeClusters are batched ({@link BatchedReads}: per identity and region, up to
 * 100 clusters a call, concurrent reads coalesced, companions read ahead for the EcsCluster passes due soon), and
 * which keeps the tags of every cluster it read for {@link #TAGS_WINDOW}: the raw-cluster ownership check of the
 * EcsService passes in the RESYNC lane ({@link #tags}) takes them from there instead of calling again. Every write
 * through it (create, update, capacity providers, tags, delete) forgets what was read of that cluster before the write
 * ended. One instance serves both kinds ({@link AwsClients#clusters}), so an EcsCluster's write is seen by the services.
 * {@link #describeAll} is the interface's default (one {@link #describe} a name): every read goes through the batching.
 */
public final class BatchingClusterGateway implements ClusterGateway {
  /** How long a cluster read ahead may serve its EcsCluster's pass. */
  public static final Duration FRESHNESS = Duration.ofSeconds(30);
  /** How long a cluster's tags read by any pass may serve a raw-cluster check in the RESYNC lane. */
  public static final Duration TAGS_WINDOW = Duration.ofSeconds(30);
  /** The one batching group of clusters (per identity and region: DescribeClusters takes any clusters). */
  static final String GROUP = "clusters";

  private record Key(AwsIdentity identity, String region, String name) {}

  private record Recent(Optional<Cluster> cluster, long readAt) {}

  private final ClusterGateway calls;
  private final BatchedReads<Cluster> reads;
  private final long windowNanos;
  private final LongSupplier nanos;
  /** Every answer read, by the name or ARN asked for (tags window). */
  private final Map<Key, Recent> recent = new ConcurrentHashMap<>();
  /** When the last write to a cluster (by name) ended. */
  private final Map<Key, Long> written = new ConcurrentHashMap<>();

  private BatchingClusterGateway(ClusterGateway calls, Duration freshness, Duration window, LongSupplier nanos) {
    this.calls = calls;
    this.windowNanos = window.toNanos();
    this.nanos = nanos;
    this.reads = new BatchedReads<>(this::describeAndKeep, DESCRIBE_MAX, freshness, nanos);
  }

  /** {@code gateway} batched (itself when it already is). */
  public static BatchingClusterGateway of(ClusterGateway gateway) {
    return gateway instanceof BatchingClusterGateway b ? b
        : new BatchingClusterGateway(gateway, FRESHNESS, TAGS_WINDOW, System::nanoTime);
  }

  static BatchingClusterGateway of(ClusterGateway gateway, Duration freshness, Duration window, LongSupplier nanos) {
    return new BatchingClusterGateway(gateway, freshness, window, nanos);
  }

  /**
   * A fresh read: coalesced with concurrent reads of the same identity and region (EcsCluster passes, EcsService
   * passes' raw-cluster checks). A resync pass is admitted to its ECS budget (or deferred) first
   * ({@link #admitResync}): a deferral inside a call that other passes joined would fail it for all of them, each then
   * read alone.
   */
  @Override
  public Optional<Cluster> describe(String region, String name) {
    calls.admitResync(region);
    return reads.read(region, GROUP, name, List.of());
  }

  /**
   * A fresh read, with companions read ahead in the call's free slots (kept for {@link #kept}); a resync pass admitted
   * first, as above.
   */
  public Optional<Cluster> describe(String region, String name, List<BatchedReads.Companion> companions) {
    calls.admitResync(region);
    return reads.read(region, GROUP, name, companions);
  }

  /** What a companion read answered for this cluster and token, once ({@link BatchedReads#kept}). */
  public Optional<Optional<Cluster>> kept(String region, String name, String token) {
    return reads.kept(region, GROUP, name, token);
  }

  @Override
  public void admitResync(String region) {
    calls.admitResync(region);
  }

  /** Whether the cluster is read ahead already (kept or in flight). */
  public boolean ahead(String region, String name) {
    return reads.ahead(region, name);
  }

  /**
   * The tags of a cluster given by name or ARN, empty when it does not exist. A pass in the RESYNC lane takes them
   * from any read of this identity and region that started at most {@link #TAGS_WINDOW} ago with no write to the
   * cluster since; any other pass (a person's change, nothing bound) reads afresh (coalesced).
   */
  public Map<String, String> tags(String region, String cluster) {
    if (Lanes.current() == Lanes.Lane.RESYNC) {
      Recent r = recent.get(new Key(AwsScope.bound(), region, cluster));
      if (r != null && usable(region, cluster, r.readAt())) {
        return tags(r.cluster());
      }
    }
    return freshTags(region, cluster);
  }

  /** The tags of a cluster read by a call that starts after this one was asked. */
  public Map<String, String> freshTags(String region, String cluster) {
    return tags(describe(region, cluster));
  }

  @Override
  public Cluster create(String region, CreateClusterRequest request) {
    return Writes.then(() -> calls.create(region, request), () -> written(region, request.clusterName()));
  }

  @Override
  public void update(String region, UpdateClusterRequest request) {
    Writes.then(() -> calls.update(region, request), () -> written(region, request.cluster()));
  }

  @Override
  public void putCapacityProviders(String region, PutClusterCapacityProvidersRequest request) {
    Writes.then(() -> calls.putCapacityProviders(region, request), () -> written(region, request.cluster()));
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    Writes.then(() -> calls.tag(region, arn, tags), () -> written(region, arn));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    Writes.then(() -> calls.untag(region, arn, keys), () -> written(region, arn));
  }

  @Override
  public List<String> liveServices(String region, String cluster) {
    return calls.liveServices(region, cluster);
  }

  @Override
  public void delete(String region, String name) {
    Writes.then(() -> calls.delete(region, name), () -> written(region, name));
  }

  /** How many answers are kept for read-ahead and for the tags window (tests, memory). */
  public int keptCount() {
    return reads.keptCount() + recent.size();
  }

  /** The batched call: every answer is remembered for the tags window unless a write to it ended since it started. */
  private Map<String, Optional<Cluster>> describeAndKeep(String region, String group, List<String> names) {
    long readAt = nanos.getAsLong();
    Map<String, Optional<Cluster>> answers = calls.describeAll(region, names);
    AwsIdentity identity = AwsScope.bound();
    recent.values().removeIf(r -> stale(r.readAt()));
    written.values().removeIf(this::stale);
    answers.forEach((name, answer) -> {
      if (!writtenSince(identity, region, name, readAt)) {
        recent.put(new Key(identity, region, name), new Recent(answer, readAt));
      }
    });
    return answers;
  }

  private void written(String region, String nameOrArn) {
    String name = ArnNames.ecsName(nameOrArn);
    AwsIdentity identity = AwsScope.bound();
    written.put(new Key(identity, region, name), nanos.getAsLong());
    recent.keySet().removeIf(k -> java.util.Objects.equals(k.identity(), identity) && k.region().equals(region)
        && ArnNames.ecsName(k.name()).equals(name));
    reads.written(region, name);
    if (!name.equals(nameOrArn)) {
      reads.written(region, nameOrArn);
    }
  }

  private boolean usable(String region, String cluster, long readAt) {
    return !stale(readAt) && !writtenSince(AwsScope.bound(), region, cluster, readAt);
  }

  private boolean writtenSince(AwsIdentity identity, String region, String nameOrArn, long readAt) {
    Long at = written.get(new Key(identity, region, ArnNames.ecsName(nameOrArn)));
    return at != null && at - readAt >= 0;
  }

  private boolean stale(long readAt) {
    return nanos.getAsLong() - readAt > windowNanos;
  }

  private static Map<String, String> tags(Optional<Cluster> cluster) {
    Map<String, String> map = new TreeMap<>();
    cluster.ifPresent(c -> c.tags().forEach((Tag t) -> map.put(t.key(), t.value())));
    return map;
  }
}
