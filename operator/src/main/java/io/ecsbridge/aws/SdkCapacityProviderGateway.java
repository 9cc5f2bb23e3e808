package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.CapacityProviderField;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderRequest;

/** {@link CapacityProviderGateway} on the AWS SDK: one DescribeCapacityProviders call (with tags) reads it all. */
public class SdkCapacityProviderGateway implements CapacityProviderGateway {
  private final AwsClients clients;

  public SdkCapacityProviderGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Optional<CapacityProvider> describe(String region, String name, String cluster) {
    try {
      return call(() -> clients.ecs(region).describeCapacityProviders(r -> r.capacityProviders(name).cluster(cluster)
          .include(CapacityProviderField.TAGS)).capacityProviders()).stream()
          .filter(p -> !"INACTIVE".equals(p.statusAsString()))
          .findFirst();
    } catch (AwsException e) {
      if (e.notFound()) {
        return Optional.empty(); // the cluster of a Managed Instances provider does not exist (any more)
      }
      throw e;
    }
  }

  @Override
  public CapacityProvider create(String region, CreateCapacityProviderRequest request) {
    return call(() -> clients.ecs(region).createCapacityProvider(request).capacityProvider());
  }

  @Override
  public CapacityProvider update(String region, UpdateCapacityProviderRequest request) {
    return call(() -> clients.ecs(region).updateCapacityProvider(request).capacityProvider());
  }

  @Override
  public void tag(String region, String arn, Map<String, String> tags) {
    call(() -> clients.ecs(region).tagResource(r -> r.resourceArn(arn).tags(SdkClusterGateway.ecsTags(tags))));
  }

  @Override
  public void untag(String region, String arn, Set<String> keys) {
    call(() -> clients.ecs(region).untagResource(r -> r.resourceArn(arn).tagKeys(keys)));
  }

  @Override
  public CapacityProvider delete(String region, String name, String cluster) {
    return call(() -> clients.ecs(region).deleteCapacityProvider(r -> r.capacityProvider(name).cluster(cluster))
        .capacityProvider());
  }
}
