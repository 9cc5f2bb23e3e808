package io.ecsbridge.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** SDK clients on moto for the tests' own reads and set-up (not metered: only the operator's calls count). */
public final class AwsTestClients {
  private final URI endpoint;
  private final AwsCredentialsProvider credentials;
  private EcrClient ecr;
  private EcsClient ecs;
  private Ec2Client ec2;
  private ApplicationAutoScalingClient autoScaling;
  private SecretsManagerClient secretsManager;
  private SsmClient ssm;
  private AutoScalingClient ec2AutoScaling;
  private String image;

  public AwsTestClients(URI endpoint) {
    this(endpoint, TestEnvironment.CREDENTIALS);
  }

  private AwsTestClients(URI endpoint, AwsCredentialsProvider credentials) {
    this.endpoint = endpoint;
    this.credentials = credentials;
  }

  /**
   * Clients acting in the account of {@code roleArn}: the role assumed once, now, with the test credentials (moto
   * keeps each account's resources apart and knows the account by the assumed role's keys; a later fault on
   * AssumeRole does not reach these clients).
   */
  public static AwsTestClients assumingRole(URI endpoint, String roleArn) {
    try (StsClient sts = StsClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
        .credentialsProvider(TestEnvironment.CREDENTIALS).build()) {
      Credentials c = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("ecsbridge-it-reader")).credentials();
      return new AwsTestClients(endpoint, StaticCredentialsProvider.create(
          AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())));
    }
  }

  public synchronized EcrClient ecr() {
    if (ecr == null) {
      ecr = EcrClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(credentials).build();
    }
    return ecr;
  }

  public synchronized EcsClient ecs() {
    if (ecs == null) {
      ecs = EcsClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(credentials).build();
    }
    return ecs;
  }

  public synchronized Ec2Client ec2() {
    if (ec2 == null) {
      ec2 = Ec2Client.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(credentials).build();
    }
    return ec2;
  }

  public synchronized ApplicationAutoScalingClient autoScaling() {
    if (autoScaling == null) {
      autoScaling = ApplicationAutoScalingClient.builder().endpointOverride(endpoint)
          .region(Region.of(TestEnvironment.REGION)).credentialsProvider(credentials).build();
    }
    return autoScaling;
  }

  public synchronized SecretsManagerClient secretsManager() {
    if (secretsManager == null) {
      secretsManager = SecretsManagerClient.builder().endpointOverride(endpoint)
          .region(Region.of(TestEnvironment.REGION)).credentialsProvider(credentials).build();
    }
    return secretsManager;
  }

  public synchronized SsmClient ssm() {
    if (ssm == null) {
      ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(credentials).build();
    }
    return ssm;
  }

  /** EC2 Auto Scaling (groups of instances, for capacity providers), not Application Auto Scaling. */
  public synchronized AutoScalingClient ec2AutoScaling() {
    if (ec2AutoScaling == null) {
      ec2AutoScaling = AutoScalingClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
          .credentialsProvider(credentials).build();
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
