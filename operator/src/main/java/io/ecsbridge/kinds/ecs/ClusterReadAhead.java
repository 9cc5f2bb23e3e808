package io.ecsbridge.kinds.ecs;

import io.ecsbridge.api.v1alpha1.EcsCluster;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import io.ecsbridge.aws.BatchingClusterGateway;
import io.ecsbridge.aws.ClusterGateway;
import io.ecsbridge.contract.ReadAhead;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * How an EcsCluster pass reads its cluster: from a description read ahead for it, or by one DescribeClusters that also
 * reads ahead up to 99 other EcsClusters of the same identity and region that are due soonest, whose passes it then
 * asks for at once (so that they find it). The rules are {@link ServiceReadAhead}'s (DESIGN.md "Batched reads"): a
 * pass takes a read ahead only when it is Ready at its generation, not being deleted, the lane does not ask for a
 * fresh read (a person's change), its resourceVersion is the one the read was made for, the read is at most
 * {@link BatchingClusterGateway#FRESHNESS} old with no write since, and the cluster is ACTIVE. A pass whose kept read
 * shows a difference reads again before it writes ({@link EcsClusterReconciler}).
 */
final class ClusterReadAhead {
  /** Companions per call: DescribeClusters' 100 less the pass's own cluster. */
  static final int COMPANIONS = ClusterGateway.DESCRIBE_MAX - 1;
  private static final ReadAhead.Policy POLICY =
      new ReadAhead.Policy("ecscluster-read-ahead", COMPANIONS, Duration.ofMinutes(5), true);

  private record Group(AwsIdentity identity, String region) {}

  /** What a pass read, and whether it came from a read ahead. */
  record Read(Optional<Cluster> cluster, boolean kept) {}

  private final BatchingClusterGateway ecs;
  private final ReadAhead<EcsCluster, Group> ahead;

  ClusterReadAhead(BatchingClusterGateway ecs, Duration resyncPeriod) {
    this(ecs, resyncPeriod, System::nanoTime);
  }

  ClusterReadAhead(BatchingClusterGateway ecs, Duration resyncPeriod, LongSupplier nanos) {
    this.ecs = ecs;
    this.ahead = new ReadAhead<>(POLICY, EcsCluster::clusterName, ecs::ahead, r -> true, resyncPeriod, nanos);
    // a restart's start-up pass: the clusters not read yet ride along too, by their status's ARN
    this.ahead.seed(r -> ReadAhead.place(r, r.getStatus() == null ? null : r.getStatus().arn));
  }

  /** The seam for the frame's lane: true when this pass must read AWS afresh (a person's change). */
  void freshReadRequired(BooleanSupplier required) {
    ahead.freshReadRequired(required);
  }

  /** The event source that asks for the passes of the clusters read ahead; the primary cache picks them. */
  EventSource<Void, EcsCluster> eventSource(EventSourceContext<EcsCluster> context) {
    return ahead.eventSource(context);
  }

  /** The cluster of this pass: kept for it if it may be, else read (fresh) with companions. */
  Read describe(EcsCluster resource, String region) {
    String name = resource.clusterName();
    var read = ahead.keptOrRead(resource, new Group(AwsScope.bound(), region), region, token(resource),
        token -> ecs.kept(region, name, token), c -> "ACTIVE".equals(c.status()),
        companions -> ecs.describe(region, name, companions));
    return new Read(read.value(), read.kept());
  }

  /** Whether this pass's read came from a read ahead: then it reads again before a write (once a pass). */
  boolean readAgainBeforeWrite(EcsCluster resource) {
    return ahead.readAgainBeforeWrite(resource);
  }

  /** A fresh read (after a kept one showed a difference). */
  Optional<Cluster> fresh(String region, String name) {
    return ecs.describe(region, name);
  }

  /** The pass was deferred for its AWS budget: a read ahead may take it as a companion while it waits. */
  void deferred(EcsCluster resource) {
    ahead.deferred(resource);
  }

  /** The pass reached its verdict: the cluster may be read ahead for its next one. */
  void ended(EcsCluster resource) {
    ahead.ended(resource);
  }

  /** The resource is gone (or its cluster is): it is no companion any more. */
  void forget(EcsCluster resource) {
    ahead.forget(ResourceID.fromResource(resource));
  }

  /** How many clusters are known (tests, memory). */
  int knownCount() {
    return ahead.knownCount();
  }

  /** The resourceVersion a read ahead must have been made for to serve this pass, or null: it reads afresh. */
  String token(EcsCluster resource) {
    return ahead.freshRead(resource) ? null : resource.getMetadata().getResourceVersion();
  }
}
