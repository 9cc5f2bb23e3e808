package io.ecsbridge.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;

/**
 * ECS clusters in memory, per account (the identity bound on the calling thread): every DescribeClusters recorded with
 * the names it asked for and the account it was made in; a name ECS does not know is answered absent (failures[]).
 */
public class FakeClusterGateway implements ClusterGateway {
  /** Each DescribeClusters: the account it was made in, then the names asked. */
  public final List<String> describeCalls = Collections.synchronizedList(new ArrayList<>());
  public final List<String> writes = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Map<String, Cluster>> clusters = new ConcurrentHashMap<>();

  private static String account() {
    AwsIdentity id = AwsScope.bound();
    return id == null || id.accountId() == null ? "operator" : id.accountId();
  }

  /** A cluster in the account bound on this thread. */
  public void put(String name, Map<String, String> tags) {
    clusters.computeIfAbsent(account(), a -> new ConcurrentHashMap<>()).put(name, Cluster.builder()
        .clusterName(name).clusterArn("arn:aws:ecs:eu-west-1:" + account() + ":cluster/" + name).status("ACTIVE")
        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
        .build());
  }

  public int describes() {
    return describeCalls.size();
  }

  /** Thrown by {@link #admitResync} (the ECS budget defers the pass), null: admitted. */
  public volatile RuntimeException admission;

  @Override
  public void admitResync(String region) {
    if (admission != null) {
      throw admission;
    }
  }

  @Override
  public Optional<Cluster> describe(String region, String name) {
    return describeAll(region, List.of(name)).get(name);
  }

  @Override
  public Map<String, Optional<Cluster>> describeAll(String region, List<String> names) {
    describeCalls.add(account() + " " + names);
    Map<String, Cluster> mine = clusters.getOrDefault(account(), Map.of());
    Map<String, Optional<Cluster>> answers = new LinkedHashMap<>();
    names.forEach(n -> answers.put(n, Optional.ofNullable(mine.get(n.substring(n.lastIndexOf('/') + 1)))));
    return answers;
  }

  @Override
  public Cluster create(String region, CreateClusterRequest request) {
    writes.add("create " + request.clusterName());
    put(request.clusterName(), Map.of());
    return clusters.get(account()).get(request.clusterName());
  }

  @Override
  public void update(String region, UpdateClusterRequest request) {
    writes.add("update " + request.cluster());
  }

  @Override
  public void putCapacityProviders(String region, PutClusterCapacityProvidersRequest request) {
    writes.add("capacityProviders " + request.cluster());
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    writes.add("tag " + arn);
    String name = arn.substring(arn.lastIndexOf('/') + 1);
    Cluster c = clusters.get(account()).get(name);
    List<Tag> all = new ArrayList<>(c.tags());
    tags.forEach((k, v) -> all.add(Tag.builder().key(k).value(v).build()));
    clusters.get(account()).put(name, c.toBuilder().tags(all).build());
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    writes.add("untag " + arn);
  }

  @Override
  public List<String> liveServices(String region, String cluster) {
    return List.of();
  }

  @Override
  public void delete(String region, String name) {
    writes.add("delete " + name);
    clusters.getOrDefault(account(), Map.of()).remove(name);
  }
}
