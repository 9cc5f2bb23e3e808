package io.ecsbridge.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;

/**
 * In-memory service deployments for unit tests: tests put the deployments ECS would report ({@link #put}); every
 * call is counted, StopServiceDeployment recorded.
 */
public class FakeServiceDeploymentGateway implements ServiceDeploymentGateway {
  /** By ARN, in the order put (the last is the newest). */
  public final Map<String, ServiceDeployment> deployments = new LinkedHashMap<>();
  public final List<String> rollbacks = new ArrayList<>();
  public int lists;
  public int describes;
  public AwsException failRollbackWith;

  public void put(ServiceDeployment d) {
    deployments.remove(d.serviceDeploymentArn());
    deployments.put(d.serviceDeploymentArn(), d);
  }

  @Override
  public List<ServiceDeploymentBrief> list(String region, String cluster, String service) {
    lists++;
    List<ServiceDeploymentBrief> briefs = new ArrayList<>();
    deployments.values().forEach(d -> briefs.add(0, ServiceDeploymentBrief.builder()
        .serviceDeploymentArn(d.serviceDeploymentArn()).status(d.status()).build()));
    return briefs;
  }

  @Override
  public Optional<ServiceDeployment> describe(String region, String serviceDeploymentArn) {
    describes++;
    return Optional.ofNullable(deployments.get(serviceDeploymentArn));
  }

  @Override
  public void rollBack(String region, String serviceDeploymentArn) {
    if (failRollbackWith != null) {
      throw failRollbackWith;
    }
    rollbacks.add(serviceDeploymentArn);
  }

  public int reads() {
    return lists + describes;
  }
}
