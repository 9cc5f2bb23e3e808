package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.BatchingClusterGateway;
import io.ecsbridge.aws.FakeClusterGateway;
import io.ecsbridge.aws.Lanes;
import io.ecsbridge.contract.Change;
import io.ecsbridge.contract.OperatorContext;
import io.ecsbridge.testing.TestClusters;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EcsCluster passes read their clusters 100 at a time: a pass reads the clusters due soonest with its own, their
 * passes take what was read for them (once, for the state they were read for), a person's pass reads afresh, and a
 * pass on a read ahead that would write reads again first.
 */
class ClusterReadAheadTest {
  private static final String REGION = "eu-west-1";
  private static final String OWNER_TAG = "ecsbridge.io/owner";

  private final FakeClusterGateway aws = new FakeClusterGateway();
  private final AtomicLong now = new AtomicLong();
  private final BatchingClusterGateway ecs = BatchingClusterGateway.of(aws);
  private final ClusterReadAhead readAhead = new ClusterReadAhead(ecs, Duration.ofMinutes(10), now::get);
  private final Map<ResourceID, EcsCluster> cache = new HashMap<>();
  private boolean personsChange;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void wire() {
    EventSourceContext<EcsCluster> context = mock(EventSourceContext.class);
    IndexerResourceCache<EcsCluster> primaries = mock(IndexerResourceCache.class);
    when(primaries.get(org.mockito.ArgumentMatchers.any())).thenAnswer(i -> Optional.ofNullable(
        cache.get(i.getArgument(0, ResourceID.class))));
    when(context.getPrimaryCache()).thenReturn(primaries);
    readAhead.eventSource(context);
    readAhead.freshReadRequired(() -> personsChange);
  }

  private static String owner(String name) {
    return "op/ns/" + name;
  }

  private EcsCluster cluster(String name, String resourceVersion, boolean ready) {
    EcsCluster c = TestClusters.atGeneration(name, resourceVersion, ready);
    cache.put(ResourceID.fromResource(c), c);
    aws.put(name, Map.of(OWNER_TAG, owner(name)));
    return c;
  }

  @Test
  void onlyAPassReadyAtItsGenerationAndNotAPersonsChangeMayTakeAReadAhead() {
    assertThat(readAhead.token(cluster("a", "5", true))).isEqualTo("5");
    assertThat(readAhead.token(cluster("b", "5", false))).as("not Ready").isNull();
    EcsCluster deleting = cluster("c", "5", true);
    deleting.getMetadata().setDeletionTimestamp("2026-12-05T09:00:00Z");
    assertThat(readAhead.token(deleting)).as("a deletion").isNull();
    personsChange = true;
    assertThat(readAhead.token(cluster("d", "5", true))).as("the USER lane").isNull();
  }

  @Test
  void aPassReadsTheClustersDueSoonestWithItsOwnAndTheirPassesTakeIt() {
    List<EcsCluster> clusters = List.of(cluster("a", "1", true), cluster("b", "1", true), cluster("c", "1", true),
        cluster("d", "1", true));
    clusters.forEach(c -> {
      readAhead.describe(c, REGION);
      readAhead.ended(c);
    });
    assertThat(aws.describes()).as("first passes: nothing known to read ahead yet").isEqualTo(4);

    now.addAndGet(Duration.ofMinutes(6).toNanos()); // due within the other half of the period
    ClusterReadAhead.Read a = readAhead.describe(clusters.get(0), REGION);
    readAhead.ended(clusters.get(0));
    assertThat(a.kept()).isFalse();
    assertThat(aws.describeCalls.get(4)).startsWith("operator [a, ").contains("b").contains("c").contains("d");

    ClusterReadAhead.Read b = readAhead.describe(clusters.get(1), REGION);
    assertThat(b.kept()).isTrue();
    assertThat(b.cluster()).hasValueSatisfying(c -> assertThat(c.clusterName()).isEqualTo("b"));

    // c changed since it was read for (a new resourceVersion): reads afresh
    cache.put(ResourceID.fromResource(clusters.get(2)), cluster("c", "2", true));
    assertThat(readAhead.describe(cache.get(ResourceID.fromResource(clusters.get(2))), REGION).kept()).isFalse();

    // d's pass is a person's change: reads afresh
    personsChange = true;
    assertThat(readAhead.describe(clusters.get(3), REGION).kept()).isFalse();
    assertThat(aws.describes()).isEqualTo(7);
  }

  /** Deferred by its ECS budget before its DescribeClusters, not inside a call other passes joined (as services). */
  @Test
  void aPassItsBudgetDefersIsDeferredBeforeItsBatchedRead() {
    aws.admission = new io.ecsbridge.aws.ResyncDeferred(new io.ecsbridge.aws.AwsBudgets.Key("a", REGION, "ecs"),
        Duration.ofSeconds(1));
    assertThatThrownBy(() -> readAhead.describe(cluster("a", "1", true), REGION))
        .isInstanceOf(io.ecsbridge.aws.ResyncDeferred.class);
    assertThat(aws.describes()).as("no DescribeClusters made: a deferred pass reads nothing").isZero();
  }

  private static <T> T resync(java.util.function.Supplier<T> pass) {
    return Lanes.call("EcsCluster", Lanes.Lane.RESYNC, pass);
  }

  /** A reconciler on the same gateway and read-ahead, and the pass of {@code c} on what was read ahead for it. */
  private EcsClusterReconciler reconciler() {
    return new EcsClusterReconciler(new OperatorContext(null, Clock.systemUTC(), "op", Duration.ofMinutes(10)),
        ecs, readAhead, r -> r, (context, namespace, name) -> Optional.empty());
  }

  private EcsCluster readAheadFor(String name) {
    EcsCluster self = cluster("self", "1", true);
    EcsCluster other = cluster(name, "1", true);
    readAhead.describe(self, REGION);
    readAhead.ended(self);
    readAhead.describe(other, REGION);
    readAhead.ended(other);
    now.addAndGet(Duration.ofMinutes(6).toNanos());
    readAhead.describe(self, REGION);
    return other;
  }

  @Test
  void aPassOnAReadAheadThatWouldWriteReadsAgainFirstAndWritesFromThatRead() {
    EcsCluster c = readAheadFor("c");
    EcsClusterReconciler reconciler = reconciler();
    EcsClusterReconciler.Place place = new EcsClusterReconciler.Place(REGION, Map.of());
    var live = resync(() -> reconciler.observe(c, place)).orElseThrow();
    int reads = aws.describes();
    c.getSpec().tags = Map.of("team", "a"); // the spec wants a tag the cluster lacks
    List<Change> changes = resync(() -> reconciler.diff(c, live, place, owner("c")));
    assertThat(changes).extracting(Change::field).contains("tags");
    assertThat(aws.describes()).as("read again before writing").isEqualTo(reads + 1);

    // a pass on a fresh read writes from that read, with no further call
    var fresh = resync(() -> reconciler.observe(c, place)).orElseThrow();
    reads = aws.describes();
    resync(() -> reconciler.diff(c, fresh, place, owner("c")));
    assertThat(aws.describes()).isEqualTo(reads);
  }

  @Test
  void aPassOnAReadAheadWhoseClusterChangedOwnerMeanwhileIsRetried() {
    EcsCluster c = readAheadFor("c");
    EcsClusterReconciler reconciler = reconciler();
    EcsClusterReconciler.Place place = new EcsClusterReconciler.Place(REGION, Map.of());
    var live = resync(() -> reconciler.observe(c, place)).orElseThrow();
    aws.put("c", Map.of(OWNER_TAG, "op/other/c")); // taken by another resource after the read
    c.getSpec().tags = Map.of("team", "a");
    assertThatThrownBy(() -> resync(() -> reconciler.diff(c, live, place, owner("c")))).isInstanceOf(AwsException.class)
        .satisfies(e -> assertThat(((AwsException) e).retryable()).isTrue())
        .hasMessageContaining("changed while it was read");
  }
}
