package io.ecsbridge.testing;

import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** SDK clients on moto for the tests' own reads and set-up (not metered: only the operator's calls count). */
public final class AwsTestClients {
  private final URI endpoint;
  private EcrClient ecr;
  private EcsClient ecs;
  private Ec2Client ec2;
  private ApplicationAutoScalingClient autoScaling;
  private SecretsManagerClient secretsManager;
  private SsmClient ssm;
  private AutoScalingClient ec2AutoScaling;
  private String image;

  public AwsTestClients(URI endpoint) {
    this.endpoint = endpoint;
  }

  public synchronized EcrClient ecr() {
    if (ecr == null) {
      ecr = EcrClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(TestEnvironment.CREDENTIALS).build();
    }
    return ecr;
  }

  public synchronized EcsClient ecs() {
    if (ecs == null) {
      ecs = EcsClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(TestEnvironment.CREDENTIALS).build();
    }
    return ecs;
  }

  public synchronized Ec2Client ec2() {
    if (ec2 == null) {
      ec2 = Ec2Client.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(TestEnvironment.CREDENTIALS).build();
    }
    return ec2;
  }

  public synchronized ApplicationAutoScalingClient autoScaling() {
    if (autoScaling == null) {
      autoScaling = ApplicationAutoScalingClient.builder().endpointOverride(endpoint)
          .region(Region.of(TestEnvironment.REGION)).credentialsProvider(TestEnvironment.CREDENTIALS).build();
    }
    return autoScaling;
  }

  public synchronized SecretsManagerClient secretsManager() {
    if (secretsManager == null) {
      secretsManager = SecretsManagerClient.builder().endpointOverride(endpoint)
          .region(Region.of(TestEnvironment.REGION)).credentialsProvider(TestEnvironment.CREDENTIALS).build();
    }
    return secretsManager;
  }

  public synchronized SsmClient ssm() {
    if (ssm == null) {
      ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(TestEnvironment.CREDENTIALS).build();
    }
    return ssm;
  }

  /** EC2 Auto Scaling (groups of instances, for capacity providers), not Application Auto Scaling. */
  public synchronized AutoScalingClient ec2AutoScaling() {
    if (ec2AutoScaling == null) {
      ec2AutoScaling = AutoScalingClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(TestEnvironment.CREDENTIALS).build();
    }
    return ec2AutoScaling;
  }

  /** One of moto's own AMIs (listing them all is slow: looked up once). */
  private synchronized String image() {
    if (image == null) {
      image = ec2().describeImages(r -> r.owners("amazon")).images().get(0).imageId();
    }
    return image;
  }

  /**
   * An Auto Scaling group in moto (a launch configuration on moto's first image, no instances), for a capacity
   * provider: its ARN.
   */
  public String autoScalingGroup(String name) {
    String image = image();
    ec2AutoScaling().createLaunchConfiguration(r -> r.launchConfigurationName(name).imageId(image)
        .instanceType("t3.micro"));
    ec2AutoScaling().createAutoScalingGroup(r -> r.autoScalingGroupName(name).launchConfigurationName(name).minSize(0)
        .maxSize(2).availabilityZones(TestEnvironment.REGION + "a"));
    return ec2AutoScaling().describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().get(0)
        .autoScalingGroupARN();
  }
}
