package io.ecsbridge.aws;

import static io.ecsbridge.aws.AwsErrors.call;

import software.amazon.awssdk.services.ecr.model.GetRegistryScanningConfigurationResponse;
import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;

/** {@link RegistryGateway} on the AWS SDK: one read per pass. */
public class SdkRegistryGateway implements RegistryGateway {
  private final AwsClients clients;

  public SdkRegistryGateway(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Settings settings(String region) {
    GetRegistryScanningConfigurationResponse scanning = call(() -> clients.ecr(region)
        .getRegistryScanningConfiguration(r -> {}));
    return new Settings(scanning.registryId(), scanning.scanningConfiguration());
  }

  @Override
  public void putScanning(String region, PutRegistryScanningConfigurationRequest request) {
    call(() -> clients.ecr(region).putRegistryScanningConfiguration(request));
  }
}
