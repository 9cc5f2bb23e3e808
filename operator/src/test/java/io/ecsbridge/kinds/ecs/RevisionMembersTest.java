package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsServiceSpec;
import io.ecsbridge.aws.FakeServiceGateway;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;

/** Where Service Connect, volumes and VPC Lattice are read from, and how often. */
class RevisionMembersTest {
  private static final String OLD = "arn:aws:ecs:eu-west-1:1:service-revision/prod/web/1";
  private static final String NEW = "arn:aws:ecs:eu-west-1:1:service-revision/prod/web/2";

  private final FakeServiceGateway ecs = new FakeServiceGateway();
  private final RevisionMembers members = new RevisionMembers(ecs);

  private static EcsServiceSpec spec(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml, EcsServiceSpec.class);
  }

  private void revision(String arn, Instant createdAt, String namespace) {
    ecs.revisions.put(arn, ServiceRevision.builder().serviceRevisionArn(arn).createdAt(createdAt)
        .serviceConnectConfiguration(c -> c.enabled(true).namespace(namespace)).build());
  }

  @Test
  void thePrimaryDeploymentIsReadFirstAndNothingElse() {
    Service service = Service.builder().deployments(Deployment.builder().status("PRIMARY")
        .serviceConnectConfiguration(c -> c.enabled(true).namespace("a")).build(),
        Deployment.builder().status("ACTIVE").serviceConnectConfiguration(c -> c.enabled(true).namespace("b")).build())
        .currentServiceRevisions(r -> r.arn(NEW)).build();
    var live = members.live("eu-west-1", spec("serviceConnectConfiguration: {enabled: true}"), service);
    assertThat(live.at("/serviceConnectConfiguration/namespace").asText()).isEqualTo("a");
    assertThat(ecs.revisionReads).isZero();
  }

  @Test
  void duringARolloutTheNewestCurrentRevisionCountsAndEachIsReadOnce() {
    revision(OLD, Instant.parse("2026-01-01T00:00:00Z"), "old");
    revision(NEW, Instant.parse("2026-01-02T00:00:00Z"), "new");
    Service service = Service.builder().deployments(Deployment.builder().status("PRIMARY").build())
        .currentServiceRevisions(r -> r.arn(NEW), r -> r.arn(OLD)).build();
    EcsServiceSpec spec = spec("serviceConnectConfiguration: {enabled: true}");
    assertThat(members.live("eu-west-1", spec, service).at("/serviceConnectConfiguration/namespace").asText())
        .isEqualTo("new");
    members.live("eu-west-1", spec, service);
    assertThat(ecs.revisionReads).as("both read in one call, then kept").isEqualTo(1);

    Service settled = service.toBuilder().currentServiceRevisions(r -> r.arn(NEW)).build();
    members.live("eu-west-1", spec, settled);
    assertThat(ecs.revisionReads).isEqualTo(1);
  }

  @Test
  void aMemberTheSpecDoesNotUseIsNeverReadFromARevision() {
    revision(NEW, Instant.EPOCH, "ns");
    Service service = Service.builder().deployments(Deployment.builder().status("PRIMARY").build())
        .currentServiceRevisions(r -> r.arn(NEW)).build();
    assertThat(members.live("eu-west-1", spec("desiredCount: 1"), service)).isEmpty();
    assertThat(ecs.revisionReads).isZero();
  }
}
