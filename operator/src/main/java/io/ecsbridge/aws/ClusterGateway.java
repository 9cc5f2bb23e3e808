package io.ecsbridge.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;

/**
 * What the operator does with ECS clusters. Shapes are the SDK's own ECS model classes (plain values, no
 * Kubernetes types), so fakes in unit tests return exactly what ECS returns.
 */
public interface ClusterGateway {

  /** The cluster with its tags, settings and configuration; empty when ECS does not know it or it is INACTIVE. */
  Optional<Cluster> describe(String region, String name);

  /** Largest number of clusters one DescribeClusters takes. */
  int DESCRIBE_MAX = 100;

  /**
   * One DescribeClusters (tags, settings, configurations) of up to {@value #DESCRIBE_MAX} clusters given by name or
   * ARN: each name's cluster, empty when ECS reports it missing or INACTIVE. By default one {@link #describe} each.
   */
  default Map<String, Optional<Cluster>> describeAll(String region, List<String> names) {
    Map<String, Optional<Cluster>> answers = new java.util.LinkedHashMap<>();
    names.forEach(n -> answers.put(n, describe(region, n)));
    return answers;
  }

  /**
   * Admits this thread's resync pass to the ECS budget of {@code region} before a batched read, or defers it
   * ({@link ResyncDeferred}): a deferral inside a DescribeClusters shared by several passes would fail it for all of
   * them, each then read alone ({@link BatchedReads}). Nothing by default (no budget).
   */
  default void admitResync(String region) {}

  Cluster create(String region, CreateClusterRequest request);

  void update(String region, UpdateClusterRequest request);

  void putCapacityProviders(String region, PutClusterCapacityProvidersRequest request);

  void tag(String region, String arn, Map<String, String> tags);

  void untag(String region, String arn, Set<String> keys);

  /** ARNs of the cluster's services that are not INACTIVE (ACTIVE or DRAINING). */
  List<String> liveServices(String region, String cluster);

  /** Deletes the cluster; ECS refuses (ClusterContains*Exception) while it has services, tasks or instances. */
  void delete(String region, String name);
}
