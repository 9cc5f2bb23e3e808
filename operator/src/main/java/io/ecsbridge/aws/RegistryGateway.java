package io.ecsbridge.aws;

import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutReplicationConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.ReplicationConfiguration;

/** What the operator does with an ECR registry's settings (SDK shapes, no Kubernetes types). */
public interface RegistryGateway {

  /** Which settings a read covers: each is one call. */
  record Reads(boolean scanning, boolean replication, boolean policy) {
    public static final Reads ALL = new Reads(true, true, true);
  }

  /**
   * The registry's settings that {@code reads} names (they always exist: ECR's defaults until someone puts others);
   * a setting not read is null. At least one call is made (DescribeRegistry when none is named), for the registry id.
   */
  Settings settings(String region, Reads reads);

  void putScanning(String region, PutRegistryScanningConfigurationRequest request);

  void putReplication(String region, PutReplicationConfigurationRequest request);

  void putPolicy(String region, String policyText);

  /** Deletes the registry policy; none is fine. */
  void deletePolicy(String region);

  /**
   * The settings read: scanning and replication as ECR reports them, the policy's text ("" when the registry has
   * none), each null when not read.
   */
  record Settings(String registryId, RegistryScanningConfiguration scanning, ReplicationConfiguration replication,
      String policyText) {
    public Settings(String registryId, RegistryScanningConfiguration scanning) {
      this(registryId, scanning, null, null);
    }
  }
}
