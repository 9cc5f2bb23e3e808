package io.ecsbridge.kinds.ecs;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.aws.AwsIdentity;
import io.ecsbridge.aws.AwsScope;
import io.ecsbridge.aws.BatchingServiceGateway;
import io.ecsbridge.aws.ServiceGateway;
import io.ecsbridge.contract.ReadAhead;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * How an EcsService pass reads its service: from a description read ahead for it, or by one DescribeServices that
 * also reads ahead up to 9 other services of the same identity, region and cluster that are due soonest, whose passes
 * it then asks for at once (so that they find it). See DESIGN.md "Batched reads".
 *
 * <p>A pass may take a description read ahead only when nothing asks for a fresh look: the resource is Ready at its
 * generation, the lane says a fresh read is not required ({@link #freshReadRequired}), its resourceVersion is the one
 * the read was made for (so the read started after the resource's last change, a reconcile request included), the
 * read is at most {@link BatchingServiceGateway#FRESHNESS} old, no write to the service came after it, and the
 * service it describes is settled (ACTIVE, one COMPLETED deployment, running = desired). A pass whose kept read shows
 * a difference reads again before it writes ({@link EcsServiceReconciler}).
 */
final class ServiceReadAhead {
  /** Companions per call: DescribeServices' 10 less the pass's own service. */
  static final int COMPANIONS = ServiceGateway.DESCRIBE_MAX - 1;
  private static final ReadAhead.Policy POLICY =
      new ReadAhead.Policy("ecsservice-read-ahead", COMPANIONS, Duration.ofMinutes(5), true);

  private record Group(AwsIdentity identity, String region, String cluster) {}

  /** What a pass read, and whether it came from a read ahead. */
  record Read(Optional<Service> service, boolean kept) {}

  private final BatchingServiceGateway ecs;
  private final ReadAhead<EcsService, Group> ahead;

  ServiceReadAhead(BatchingServiceGateway ecs, Duration resyncPeriod) {
    this(ecs, resyncPeriod, System::nanoTime);
  }

  ServiceReadAhead(BatchingServiceGateway ecs, Duration resyncPeriod, LongSupplier nanos) {
    this.ecs = ecs;
    this.ahead = new ReadAhead<>(POLICY, EcsService::serviceName, ecs::ahead, r -> true, resyncPeriod, nanos);
    // a restart's start-up pass: the services not read yet ride along too, by their status's ARN (with its cluster)
    this.ahead.seed(r -> ReadAhead.place(r, r.getStatus() == null ? null : r.getStatus().serviceArn));
  }

  /**
   * The seam for the frame's lane: true when this pass must read AWS afresh whatever else holds (a person's change).
   * Called on the pass's thread. By default false: the rules above decide.
   */
  void freshReadRequired(BooleanSupplier required) {
    ahead.freshReadRequired(required);
  }

  /** The event source that asks for the passes of the services read ahead; the primary cache picks them. */
  EventSource<Void, EcsService> eventSource(EventSourceContext<EcsService> context) {
    return ahead.eventSource(context);
  }

  /** The service of this pass: kept for it if it may be, else read (fresh) with companions. */
  Read describe(EcsService resource, String region, String cluster) {
    String name = resource.serviceName();
    var read = ahead.keptOrRead(resource, new Group(AwsScope.bound(), region, cluster), region, token(resource),
        token -> ecs.kept(region, cluster, name, token), ServiceReadAhead::settled,
        companions -> ecs.describe(region, cluster, name, companions));
    return new Read(read.value(), read.kept());
  }

  /** Whether this pass's read came from a read ahead: then it reads again before a write (once a pass). */
  boolean readAgainBeforeWrite(EcsService resource) {
    return ahead.readAgainBeforeWrite(resource);
  }

  /** A fresh read (after a kept one showed a difference, or before a deletion's end). */
  Optional<Service> fresh(String region, String cluster, String serviceName) {
    return ecs.describe(region, cluster, serviceName);
  }

  /** The pass was deferred for its AWS budget: a read ahead may take it as a companion while it waits. */
  void deferred(EcsService resource) {
    ahead.deferred(resource);
  }

  /** The pass reached its verdict: the service may be read ahead for its next one. */
  void ended(EcsService resource) {
    ahead.ended(resource);
  }

  /** The resource is gone: it is no companion any more. */
  void forget(EcsService resource) {
    ahead.forget(ResourceID.fromResource(resource));
  }

  /** How many services are known (tests, memory). */
  int knownCount() {
    return ahead.knownCount();
  }

  /**
   * The state a read ahead must have been made for to serve this pass (its resourceVersion), or null when this pass
   * reads afresh: not Ready at its generation, or the lane says so.
   */
  String token(EcsService resource) {
    if (ahead.freshRead(resource) || RolloutMemory.redeployAsked(resource) || ServiceRollback.asked(resource)) {
      return null;
    }
    return resource.getMetadata().getResourceVersion();
  }

  /** ACTIVE, one deployment, COMPLETED (or not told), running = desired: nothing in flight to judge anew. */
  static boolean settled(Service s) {
    if (!"ACTIVE".equals(s.status()) || s.deployments().size() != 1) {
      return false;
    }
    Deployment d = s.deployments().get(0);
    return (d.rolloutState() == null || "COMPLETED".equals(d.rolloutStateAsString()))
        && Objects.equals(s.runningCount(), s.desiredCount());
  }
}
