package io.ecsbridge.aws;

import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;

/** What the operator does with an ECR registry's settings (SDK shapes, no Kubernetes types). */
public interface RegistryGateway {

  /** The registry's settings: they always exist (ECR's defaults until someone puts others). */
  Settings settings(String region);

  void putScanning(String region, PutRegistryScanningConfigurationRequest request);

  record Settings(String registryId, RegistryScanningConfiguration scanning) {}
}
