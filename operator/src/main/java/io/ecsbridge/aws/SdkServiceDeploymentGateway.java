package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;

/** {@link ServiceDeploymentGateway} on the AWS SDK: one call per method. */
public class SdkServiceDeploymentGateway implements ServiceDeploymentGateway {
  private static final int PAGE = 5;
  private final AwsClients clients;

  public SdkServiceDeploymentGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public List<ServiceDeploymentBrief> list(String region, String cluster, String service) {
    return call(() -> clients.ecs(region).listServiceDeployments(r -> r.cluster(cluster).service(service)
        .maxResults(PAGE)).serviceDeployments()).stream()
        .sorted(Comparator.comparing(ServiceDeploymentBrief::createdAt,
            Comparator.nullsLast(Comparator.reverseOrder())))
        .toList();
  }

  @Override
  public Optional<ServiceDeployment> describe(String region, String serviceDeploymentArn) {
    return call(() -> clients.ecs(region).describeServiceDeployments(r -> r.serviceDeploymentArns(
        serviceDeploymentArn)).serviceDeployments()).stream().findFirst();
  }

  @Override
  public void rollBack(String region, String serviceDeploymentArn) {
    call(() -> clients.ecs(region).stopServiceDeployment(r -> r.serviceDeploymentArn(serviceDeploymentArn)
        .stopType(StopServiceDeploymentStopType.ROLLBACK)));
  }
}
