package io.ecsbridge.aws;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderRequest;

/** What the operator does with ECS capacity providers (SDK shapes, no Kubernetes types). */
public interface CapacityProviderGateway {

  /**
   * The capacity provider with its tags; empty when ECS does not know it, it is INACTIVE (deleted) or its cluster
   * does not exist.
   *
   * @param cluster the cluster of a Managed Instances capacity provider, else null
   */
  Optional<CapacityProvider> describe(String region, String name, String cluster);

  CapacityProvider create(String region, CreateCapacityProviderRequest request);

  CapacityProvider update(String region, UpdateCapacityProviderRequest request);

  void tag(String region, String arn, Map<String, String> tags);

  void untag(String region, String arn, Set<String> keys);

  /**
   * DeleteCapacityProvider: ECS's answer (updateStatus DELETE_IN_PROGRESS, or DELETE_FAILED with the reason while a
   * cluster still uses it).
   */
  CapacityProvider delete(String region, String name, String cluster);
}
