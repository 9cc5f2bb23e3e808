package io.ecsbridge.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * What the operator does with ECS services: small, free of Kubernetes types, faked in unit tests. Services are the
 * SDK's own model (the shape of DescribeServices), so that health is judged on what ECS really returns.
 */
public interface ServiceGateway {

  /** DescribeServices (with TAGS); empty when the service does not exist or is INACTIVE. */
  Optional<Service> describe(String region, String cluster, String serviceName);

  /** Largest number of services one DescribeServices takes. */
  int DESCRIBE_MAX = 10;

  /**
   * One DescribeServices (with TAGS) of up to {@value #DESCRIBE_MAX} services of a cluster: each name's service,
   * empty when it does not exist or is INACTIVE (or the cluster is gone). By default one {@link #describe} each.
   */
  default Map<String, Optional<Service>> describeAll(String region, String cluster, List<String> serviceNames) {
    Map<String, Optional<Service>> answers = new java.util.LinkedHashMap<>();
    serviceNames.forEach(n -> answers.put(n, describe(region, cluster, n)));
    return answers;
  }

  /**
   * Admits this thread's resync pass to the ECS budget of {@code region} before a batched read, or defers it
   * ({@link ResyncDeferred}): a deferral inside a DescribeServices shared by several passes would fail it for all of
   * them, each then read alone ({@link BatchedReads}). Nothing by default (no budget).
   */
  default void admitResync(String region) {}

  Service create(String region, CreateServiceRequest request);

  Service update(String region, UpdateServiceRequest request);

  /** DescribeServiceRevisions of these ARNs (at most 20): revisions never change, so callers may keep them. */
  List<ServiceRevision> describeRevisions(String region, List<String> revisionArns);

  void delete(String region, String cluster, String serviceName, boolean force);

  void tag(String region, String arn, Map<String, String> tags);

  void untag(String region, String arn, Set<String> keys);

  /**
   * A task definition given as family (its latest ACTIVE revision), family:revision or ARN: its full ARN and its tags
   * (one DescribeTaskDefinition, include TAGS).
   */
  TaskDefinitionFound taskDefinition(String region, String taskDefinition);

  /**
   * The tags of a cluster given by name or ARN (DescribeClusters, include TAGS); empty when it does not exist. A pass
   * in the RESYNC lane may get them from a read of the last 30 s ({@link BatchingClusterGateway#tags}).
   */
  Map<String, String> clusterTags(String region, String cluster);

  /** The tags of a cluster read by a call made after this one was asked (before a write into the cluster). */
  default Map<String, String> freshClusterTags(String region, String cluster) {
    return clusterTags(region, cluster);
  }

  record TaskDefinitionFound(String arn, Map<String, String> tags) {}
}
