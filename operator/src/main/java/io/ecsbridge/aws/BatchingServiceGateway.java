package io.ecsbridge.aws;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * A {@link ServiceGateway} whose DescribeServices are batched ({@link BatchedReads}: per identity, region and cluster,
 * up to 10 services a call, concurrent reads coalesced, companions read ahead) and whose writes forget what was read
 * ahead of the service they wrote. Everything else goes to the gateway it wraps.
 */
public final class BatchingServiceGateway implements ServiceGateway {
  /** How long a description read ahead may serve its service's pass. */
  public static final Duration FRESHNESS = Duration.ofSeconds(30);

  private final ServiceGateway calls;
  private final BatchedReads<Service> reads;

  private BatchingServiceGateway(ServiceGateway calls, Duration freshness) {
    this.calls = calls;
    this.reads = new BatchedReads<>(calls::describeAll, DESCRIBE_MAX, freshness);
  }

  /** {@code gateway} batched (itself when it already is). */
  public static BatchingServiceGateway of(ServiceGateway gateway) {
    return gateway instanceof BatchingServiceGateway b ? b : new BatchingServiceGateway(gateway, FRESHNESS);
  }

  static BatchingServiceGateway of(ServiceGateway gateway, Duration freshness) {
    return new BatchingServiceGateway(gateway, freshness);
  }

  /**
   * A fresh read: coalesced with concurrent reads of the same cluster. A resync pass is admitted to its ECS budget (or
   * deferred) first ({@link #admitResync}): a deferral inside a call that other passes joined would fail it for all
   * of them, each then read alone.
   */
  @Override
  public Optional<Service> describe(String region, String cluster, String serviceName) {
    calls.admitResync(region);
    return reads.read(region, cluster, serviceName, List.of());
  }

  /**
   * A fresh read, with companions read ahead in the call's free slots (kept for {@link #kept}); a resync pass admitted
   * first, as above.
   */
  public Optional<Service> describe(String region, String cluster, String serviceName,
      List<BatchedReads.Companion> companions) {
    calls.admitResync(region);
    return reads.read(region, cluster, serviceName, companions);
  }

  /** What a companion read answered for this service and token, once ({@link BatchedReads#kept}). */
  public Optional<Optional<Service>> kept(String region, String cluster, String serviceName, String token) {
    return reads.kept(region, cluster, serviceName, token);
  }

  @Override
  public void admitResync(String region) {
    calls.admitResync(region);
  }

  /** Whether the service is read ahead already (kept or in flight). */
  public boolean ahead(String region, String serviceName) {
    return reads.ahead(region, serviceName);
  }

  @Override
  public Map<String, Optional<Service>> describeAll(String region, String cluster, List<String> serviceNames) {
    return calls.describeAll(region, cluster, serviceNames);
  }

  @Override
  public Service create(String region, CreateServiceRequest request) {
    return Writes.then(() -> calls.create(region, request), () -> reads.written(region, request.serviceName()));
  }

  @Override
  public Service update(String region, UpdateServiceRequest request) {
    return Writes.then(() -> calls.update(region, request),
        () -> reads.written(region, ArnNames.ecsName(request.service())));
  }

  @Override
  public List<ServiceRevision> describeRevisions(String region, List<String> revisionArns) {
    return calls.describeRevisions(region, revisionArns);
  }

  @Override
  public void delete(String region, String cluster, String serviceName, boolean force) {
    Writes.then(() -> calls.delete(region, cluster, serviceName, force),
        () -> reads.written(region, ArnNames.ecsName(serviceName)));
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    Writes.then(() -> calls.tag(region, arn, tags), () -> reads.written(region, ArnNames.ecsName(arn)));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    Writes.then(() -> calls.untag(region, arn, keys), () -> reads.written(region, ArnNames.ecsName(arn)));
  }

  @Override
  public TaskDefinitionFound taskDefinition(String region, String taskDefinition) {
    return calls.taskDefinition(region, taskDefinition);
  }

  @Override
  public Map<String, String> clusterTags(String region, String cluster) {
    return calls.clusterTags(region, cluster);
  }

  @Override
  public Map<String, String> freshClusterTags(String region, String cluster) {
    return calls.freshClusterTags(region, cluster);
  }

  /** How many descriptions are kept (tests, memory). */
  public int keptCount() {
    return reads.keptCount();
  }
}
