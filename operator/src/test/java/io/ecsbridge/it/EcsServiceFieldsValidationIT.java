package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.testing.AdmissionIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real API server's rules on EcsService's volumeConfigurations, vpcLatticeConfigurations, availabilityZoneRebalancing
 * and Service Connect's TLS, timeouts and logs: one case per rule.
 */
class EcsServiceFieldsValidationIT extends AdmissionIT {
  EcsServiceFieldsValidationIT() {
    super("EcsService");
  }

  private static final String BASE = "cluster: prod\ntaskDefinition: web:1\n";
  private static final String ROLE = "'arn:aws:iam::123456789012:role/ecs-infrastructure'";

  @Test
  void acceptsEveryNewField() {
    var r = apply("valid", BASE + """
        availabilityZoneRebalancing: DISABLED
        volumeConfigurations:
        - name: data
          managedEBSVolume:
            roleArn: %1$s
            encrypted: true
            kmsKeyId: alias/ebs
            volumeType: io2
            sizeInGiB: 100
            snapshotId: snap-0123456789abcdef0
            volumeInitializationRate: 200
            iops: 4000
            filesystemType: ext4
            tagSpecifications: [{resourceType: volume, tags: [{key: team, value: data}], propagateTags: SERVICE}]
        vpcLatticeConfigurations:
        - {roleArn: %1$s, portName: http, targetGroupArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0'}
        serviceConnectConfiguration:
          enabled: true
          namespace: internal
          services:
          - portName: http
            clientAliases: [{port: 80}]
            timeout: {idleTimeoutSeconds: 0, perRequestTimeoutSeconds: 30}
            tls:
              issuerCertificateAuthority: {awsPcaAuthorityArn: 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d'}
              kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/1'
              roleArn: %1$s
          logConfiguration: {logDriver: awslogs, options: {awslogs-group: sc, awslogs-region: us-east-1}}
          accessLogConfiguration: {format: JSON, includeQueryParameters: ENABLED}
        """.formatted(ROLE));
    assertThat(r.getAdditionalProperties().get("spec").toString()).contains("volumeConfigurations",
        "vpcLatticeConfigurations", "accessLogConfiguration");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      no-size-nor-snapshot | {roleArn: ROLE}                                          | managedEBSVolume needs sizeInGiB, snapshotId or both
      iops-on-gp2          | {roleArn: ROLE, sizeInGiB: 10, volumeType: gp2, iops: 3000} | iops is only for volumeType gp3, io1 or io2
      io2-without-iops     | {roleArn: ROLE, sizeInGiB: 10, volumeType: io2}          | volumeType io1 and io2 need iops
      throughput-on-io1    | {roleArn: ROLE, sizeInGiB: 10, volumeType: io1, iops: 100, throughput: 200} | throughput is only for volumeType gp3
      rate-no-snapshot     | {roleArn: ROLE, sizeInGiB: 10, volumeInitializationRate: 100} | volumeInitializationRate is only for a volume made from a snapshot
      bad-role             | {roleArn: ecs-infrastructure, sizeInGiB: 10}             | roleArn must be an IAM role ARN
      no-role              | {sizeInGiB: 10}                                          | roleArn: Required value
      bad-type             | {roleArn: ROLE, sizeInGiB: 10, volumeType: gp1}          | Unsupported value
      bad-snapshot         | {roleArn: ROLE, snapshotId: vol-1}                       | should match
      bad-resource-type    | {roleArn: ROLE, sizeInGiB: 10, tagSpecifications: [{resourceType: snapshot}]} | should match
      """)
  void rejectsAnEbsVolumeEcsRefuses(String name, String ebs, String message) {
    rejected(name, BASE + "volumeConfigurations: [{name: data, managedEBSVolume: " + ebs.replace("ROLE", ROLE) + "}]",
        message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      bad-target-group | {roleArn: ROLE, portName: http, targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/1'} | targetGroupArn must be a VPC Lattice target group ARN
      bad-role         | {roleArn: lattice, portName: http, targetGroupArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-1'} | roleArn must be an IAM role ARN
      no-port-name     | {roleArn: ROLE, targetGroupArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-1'} | portName: Required value
      """)
  void rejectsAVpcLatticeConfigurationEcsRefuses(String name, String lattice, String message) {
    rejected(name, BASE + "vpcLatticeConfigurations: [" + lattice.replace("ROLE", ROLE) + "]", message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      access-log-without-log | accessLogConfiguration: {format: TEXT}                                  | accessLogConfiguration needs a logConfiguration
      bad-access-format      | logConfiguration: {logDriver: awslogs}, accessLogConfiguration: {format: XML} | Unsupported value
      tls-without-ca         | services: [{portName: http, tls: {kmsKey: k}}]                          | issuerCertificateAuthority: Required value
      tls-bad-ca             | services: [{portName: http, tls: {issuerCertificateAuthority: {awsPcaAuthorityArn: 'arn:aws:acm:us-east-1:123456789012:certificate/1'}}}] | awsPcaAuthorityArn must be an AWS Private CA ARN
      negative-timeout       | services: [{portName: http, timeout: {idleTimeoutSeconds: -1}}]         | should be greater than or equal to 0
      """)
  void rejectsServiceConnectSettingsEcsRefuses(String name, String settings, String message) {
    rejected(name, BASE + "serviceConnectConfiguration: {enabled: true, " + settings + "}", message);
  }

  @Test
  void theEbsSampleIsAccepted() throws Exception {
    String yaml = java.nio.file.Files.readString(io.ecsbridge.testing.Repo.root()
        .resolve("samples/ecs-service-ebs.yaml"));
    for (String document : yaml.split("(?m)^---$")) {
      var sample = k8s.getKubernetesSerialization().unmarshal(document,
          io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
      sample.getMetadata().setNamespace(namespace);
      assertThat(k8s.resource(sample).create().getMetadata().getUid()).as(sample.getKind()).isNotBlank();
    }
  }

  @Test
  void rejectsAnUnknownZoneRebalancing() {
    rejected("az", BASE + "availabilityZoneRebalancing: AUTO", "Unsupported value: \"AUTO\"");
  }
}
