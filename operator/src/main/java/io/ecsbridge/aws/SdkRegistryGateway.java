package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import software.amazon.awssdk.services.ecr.model.DescribeRegistryResponse;
import software.amazon.awssdk.services.ecr.model.GetRegistryScanningConfigurationResponse;
import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutReplicationConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.ReplicationConfiguration;

/**
 * {@link RegistryGateway} on the AWS SDK: one read per setting asked for (GetRegistryScanningConfiguration,
 * DescribeRegistry, GetRegistryPolicy).
 */
public class SdkRegistryGateway implements RegistryGateway {
  private final AwsClients clients;

  public SdkRegistryGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Settings settings(String region, Reads reads) {
    String registryId = null;
    RegistryScanningConfiguration scanning = null;
    ReplicationConfiguration replication = null;
    String policy = null;
    if (reads.scanning()) {
      GetRegistryScanningConfigurationResponse answer = call(() -> clients.ecr(region)
          .getRegistryScanningConfiguration(r -> {}));
      registryId = answer.registryId();
      scanning = answer.scanningConfiguration();
    }
    if (reads.replication() || !reads.scanning() && !reads.policy()) {
      DescribeRegistryResponse answer = call(() -> clients.ecr(region).describeRegistry(r -> {}));
      registryId = answer.registryId();
      replication = reads.replication() ? answer.replicationConfiguration() : null;
    }
    if (reads.policy()) {
      try {
        var answer = call(() -> clients.ecr(region).getRegistryPolicy(r -> {}));
        registryId = registryId != null ? registryId : answer.registryId();
        policy = answer.policyText() == null ? "" : answer.policyText();
      } catch (AwsException e) {
        if (!"RegistryPolicyNotFoundException".equals(e.errorCode())) {
          throw e;
        }
        policy = "";
      }
    }
    return new Settings(registryId, scanning, replication, policy);
  }

  @Override
  public void putScanning(String region, PutRegistryScanningConfigurationRequest request) {
    call(() -> clients.ecr(region).putRegistryScanningConfiguration(request));
  }

  @Override
  public void putReplication(String region, PutReplicationConfigurationRequest request) {
    call(() -> clients.ecr(region).putReplicationConfiguration(request));
  }

  @Override
  public void putPolicy(String region, String policyText) {
    call(() -> clients.ecr(region).putRegistryPolicy(r -> r.policyText(policyText)));
  }

  @Override
  public void deletePolicy(String region) {
    try {
      call(() -> clients.ecr(region).deleteRegistryPolicy(r -> {}));
    } catch (AwsException e) {
      if (!"RegistryPolicyNotFoundException".equals(e.errorCode())) {
        throw e;
      }
    }
  }
}
