package io.ecsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AvailabilityZoneRebalancing;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceCurrentRevisionSummary;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;

/**
 * EcsService's managed EBS volumes (with the task definition's configuredAtLaunch volume), VPC Lattice,
 * availabilityZoneRebalancing and Service Connect's TLS, timeouts and logs, end to end: the real API server, the
 * operator, moto with the ecs-bridge extension (which reports Service Connect, volumes and VPC Lattice on the
 * deployments and revisions, as ECS does). Each field reaches ECS, a change made behind the operator's back is put
 * back, and an in-sync resync writes nothing and reads no service revision.
 */
class EcsServiceFieldsIT extends EcsServiceFixtures {
  private static final String ROLE = "arn:aws:iam::123456789012:role/ecs-infrastructure";
  private static final String PCA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/"
      + "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
  private static final String LATTICE = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0";

  @Test
  void everyNewFieldReachesEcsDriftIsPutBackAndAnInSyncResyncWritesNothing() throws Exception {
    startOperator(s -> s.put("ECSBRIDGE_RESYNC_PERIOD", "1s"));
    Network net = network();
    aws.ecs().createCluster(r -> r.clusterName("prod"));
    create(k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsTaskDefinition
        metadata: {name: web}
        spec:
          requiresCompatibilities: [FARGATE]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          volumes: [{name: data, configuredAtLaunch: true}]
          containerDefinitions:
          - name: web
            image: nginx:1.27
            portMappings: [{containerPort: 8080, name: http}]
            mountPoints: [{sourceVolume: data, containerPath: /data}]
        """, EcsTaskDefinition.class));
    eventually().until(() -> isReady(get(EcsTaskDefinition.class, "web")));
    String td = get(EcsTaskDefinition.class, "web").getStatus().taskDefinitionArn;
    assertThat(aws.ecs().describeTaskDefinition(r -> r.taskDefinition(td)).taskDefinition().volumes())
        .singleElement().satisfies(v -> assertThat(v.configuredAtLaunch()).isTrue());

    create(service("web", """
        cluster: prod
        taskDefinitionRef: {name: web}
        desiredCount: 1
        launchType: FARGATE
        networkConfiguration:
          awsvpcConfiguration: {subnets: [%s], securityGroups: [%s]}
        availabilityZoneRebalancing: DISABLED
        volumeConfigurations:
        - name: data
          managedEBSVolume:
            roleArn: %s
            sizeInGiB: 20
            volumeType: gp3
            encrypted: true
            filesystemType: ext4
            tagSpecifications: [{resourceType: volume, tags: [{key: team, value: data}]}]
        vpcLatticeConfigurations:
        - {roleArn: %3$s, portName: http, targetGroupArn: '%s'}
        serviceConnectConfiguration:
          enabled: true
          namespace: internal
          services:
          - portName: http
            clientAliases: [{port: 80, dnsName: web.internal}]
            timeout: {idleTimeoutSeconds: 60, perRequestTimeoutSeconds: 20}
            tls: {issuerCertificateAuthority: {awsPcaAuthorityArn: '%s'}, roleArn: %3$s}
          logConfiguration: {logDriver: awslogs, options: {awslogs-group: service-connect}}
          accessLogConfiguration: {format: JSON, includeQueryParameters: ENABLED}
        """.formatted(net.subnetA(), net.securityGroup(), ROLE, LATTICE, PCA)));
    awaitReady("web");

    Service live = describe("prod", "web");
    assertThat(live.availabilityZoneRebalancing()).isEqualTo(AvailabilityZoneRebalancing.DISABLED);
    assertAsInTheSpec(live.deployments().get(0));
    List<String> revisions = live.currentServiceRevisions().stream().map(ServiceCurrentRevisionSummary::arn).toList();
    ServiceRevision revision = aws.ecs().describeServiceRevisions(r -> r.serviceRevisionArns(revisions))
        .serviceRevisions().get(0);
    assertThat(revision.serviceConnectConfiguration()).isEqualTo(live.deployments().get(0).serviceConnectConfiguration());
    assertThat(revision.volumeConfigurations()).isEqualTo(live.deployments().get(0).volumeConfigurations());

    // in sync: resyncs every second read the service once, write nothing, read no revision (the deployment says)
    double writes = awsWrites();
    double describes = awsCalls("ecs", "DescribeServices");
    double revisionReads = awsCalls("ecs", "DescribeServiceRevisions");
    double all = serviceCalls();
    eventually().until(() -> awsCalls("ecs", "DescribeServices") >= describes + 3);
    double resyncs = awsCalls("ecs", "DescribeServices") - describes;
    assertThat(awsWrites()).as("write calls during in-sync resyncs").isEqualTo(writes);
    assertThat(awsCalls("ecs", "DescribeServiceRevisions")).as("revision reads in sync").isEqualTo(revisionReads);
    System.out.printf("AWS calls per in-sync EcsService resync with Service Connect, EBS and VPC Lattice: %.1f "
        + "reads, 0 writes (%d resyncs)%n", (serviceCalls() - all) / resyncs, (long) resyncs);

    // changed behind the operator's back: one UpdateService puts every field back
    double updates = awsCalls("ecs", "UpdateService");
    aws.ecs().updateService(r -> r.cluster("prod").service("web")
        .availabilityZoneRebalancing(AvailabilityZoneRebalancing.ENABLED)
        .volumeConfigurations(v -> v.name("data").managedEBSVolume(e -> e.roleArn(ROLE).sizeInGiB(50)))
        .vpcLatticeConfigurations(List.of())
        .serviceConnectConfiguration(c -> c.enabled(true).namespace("internal").services(s -> s.portName("http")
            .clientAliases(a -> a.port(80).dnsName("web.internal")).timeout(t -> t.idleTimeoutSeconds(5)))));
    eventually().until(() -> {
      Service now = describe("prod", "web");
      return now.availabilityZoneRebalancing() == AvailabilityZoneRebalancing.DISABLED
          && now.deployments().get(0).vpcLatticeConfigurations().size() == 1;
    });
    assertAsInTheSpec(describe("prod", "web").deployments().get(0));
    eventually().until(() -> hasEvent(get(EcsService.class, "web"), "DriftCorrected"));
    awaitReady("web");
    assertThat(awsCalls("ecs", "UpdateService")).as("the operator's UpdateService calls (counted once answered)")
        .isEqualTo(updates + 1);
  }

  private static void assertAsInTheSpec(Deployment primary) {
    var connect = primary.serviceConnectConfiguration();
    assertThat(connect.services()).singleElement().satisfies(s -> {
      assertThat(s.tls().issuerCertificateAuthority().awsPcaAuthorityArn()).isEqualTo(PCA);
      assertThat(s.tls().roleArn()).isEqualTo(ROLE);
      assertThat(s.timeout().idleTimeoutSeconds()).isEqualTo(60);
      assertThat(s.timeout().perRequestTimeoutSeconds()).isEqualTo(20);
    });
    assertThat(connect.logConfiguration().options()).containsEntry("awslogs-group", "service-connect");
    assertThat(connect.accessLogConfiguration().formatAsString()).isEqualTo("JSON");
    assertThat(connect.accessLogConfiguration().includeQueryParametersAsString()).isEqualTo("ENABLED");
    assertThat(primary.volumeConfigurations()).singleElement().satisfies(v -> {
      assertThat(v.managedEBSVolume().sizeInGiB()).isEqualTo(20);
      assertThat(v.managedEBSVolume().filesystemTypeAsString()).isEqualTo("ext4");
      assertThat(v.managedEBSVolume().tagSpecifications().get(0).tags().get(0).value()).isEqualTo("data");
    });
    assertThat(primary.vpcLatticeConfigurations()).singleElement()
        .satisfies(l -> assertThat(l.targetGroupArn()).isEqualTo(LATTICE));
  }
}
