package io.ecsbridge.aws;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;

/**
 * ECS's service deployments (the deployments of BLUE_GREEN, LINEAR and CANARY services, rolling ones too): small,
 * free of Kubernetes types, faked in unit tests.
 */
public interface ServiceDeploymentGateway {

  /** ListServiceDeployments of the service: the newest first (one page of a few). */
  List<ServiceDeploymentBrief> list(String region, String cluster, String service);

  /** DescribeServiceDeployments of one ARN; empty when ECS does not know it. */
  Optional<ServiceDeployment> describe(String region, String serviceDeploymentArn);

  /** StopServiceDeployment with stopType ROLLBACK. */
  void rollBack(String region, String serviceDeploymentArn);
}
