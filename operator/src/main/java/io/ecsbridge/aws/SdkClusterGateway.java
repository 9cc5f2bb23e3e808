package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;

/**
 * {@link ClusterGateway} on the AWS SDK: one DescribeClusters call reads everything the reconciler compares, for up to
 * 100 clusters ({@link BatchingClusterGateway} batches the passes' reads).
 */
public class SdkClusterGateway implements ClusterGateway {
  private final AwsClients clients;

  public SdkClusterGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public void admitResync(String region) {
    clients.admitResync("ecs", region);
  }

  @Override
  public Optional<Cluster> describe(String region, String name) {
    return describeAll(region, List.of(name)).get(name);
  }

  /**
   * One DescribeClusters for all {@code names}; ECS reports each missing name in {@code failures[]}: absent for that
   * name only. A call refused as a whole fails as a whole: {@link BatchedReads} then reads each name in a call of its
   * own, so that one resource's bad name never fails the others' passes and each pass sees only its own error (never
   * "absent" for a cluster that could not be read: the ownership check of a raw cluster must not pass on an error).
   */
  @Override
  public Map<String, Optional<Cluster>> describeAll(String region, List<String> names) {
    List<Cluster> found = call(() -> clients.ecs(region).describeClusters(r -> r.clusters(names)
        .include(ClusterField.TAGS, ClusterField.SETTINGS, ClusterField.CONFIGURATIONS)).clusters());
    Map<String, Optional<Cluster>> answers = new LinkedHashMap<>();
    names.forEach(n -> answers.put(n, Optional.empty()));
    for (Cluster c : found) {
      if (!"INACTIVE".equals(c.status())) {
        for (String asked : names) {
          if (asked.equals(c.clusterName()) || asked.equals(c.clusterArn())) {
            answers.put(asked, Optional.of(c));
          }
        }
      }
    }
    return answers;
  }

  @Override
  public Cluster create(String region, CreateClusterRequest request) {
    return call(() -> clients.ecs(region).createCluster(request).cluster());
  }

  @Override
  public void update(String region, UpdateClusterRequest request) {
    call(() -> clients.ecs(region).updateCluster(request));
  }

  @Override
  public void putCapacityProviders(String region, PutClusterCapacityProvidersRequest request) {
    call(() -> clients.ecs(region).putClusterCapacityProviders(request));
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    call(() -> clients.ecs(region).tagResource(r -> r.resourceArn(arn).tags(ecsTags(tags))));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    call(() -> clients.ecs(region).untagResource(r -> r.resourceArn(arn).tagKeys(keys)));
  }

  @Override
  public List<String> liveServices(String region, String cluster) {
    EcsClient ecs = clients.ecs(region);
    List<String> arns = call(() -> ecs.listServicesPaginator(r -> r.cluster(cluster)).serviceArns().stream()
        .toList());
    List<String> live = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += 10) {
      List<String> batch = arns.subList(i, Math.min(arns.size(), i + 10));
      call(() -> ecs.describeServices(r -> r.cluster(cluster).services(batch)).services()).stream()
          .filter(s -> !"INACTIVE".equals(s.status()))
          .forEach(s -> live.add(s.serviceArn()));
    }
    return live;
  }

  @Override
  public void delete(String region, String name) {
    try {
      call(() -> clients.ecs(region).deleteCluster(r -> r.cluster(name)));
    } catch (AwsException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
  }

  static List<Tag> ecsTags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }
}
