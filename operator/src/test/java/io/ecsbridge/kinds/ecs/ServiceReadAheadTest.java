package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbridge.api.v1alpha1.Annotations;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.AwsBudgets;
import io.ecsbridge.aws.BatchingServiceGateway;
import io.ecsbridge.aws.FakeServiceGateway;
import io.ecsbridge.aws.ResyncDeferred;
import io.ecsbridge.status.Conditions;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/** Which passes may take a description read ahead (the token), and which descriptions are settled enough. */
class ServiceReadAheadTest {
  private final ServiceReadAhead readAhead = new ServiceReadAhead(BatchingServiceGateway.of(new FakeServiceGateway()),
      Duration.ofMinutes(10));

  private static EcsService service(boolean ready, long generation, long observed) {
    EcsService s = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsService
        metadata: {name: web, namespace: ns, generation: %d, resourceVersion: "42"}
        spec: {cluster: prod, taskDefinition: "web:1", desiredCount: 1}
        """.formatted(generation), EcsService.class);
    s.setStatus(new EcsServiceStatus());
    Conditions.apply(s.getStatus(), ready ? Health.ready("Synced", "in sync")
        : Health.progressing("Deploying", "rolling out"), observed, Clock.systemUTC());
    s.getStatus().setObservedGeneration(observed);
    return s;
  }

  @Test
  void onlyAPassReadyAtItsGenerationWithNoRequestOfItsOwnMayTakeAReadAhead() {
    assertThat(readAhead.token(service(true, 3, 3))).isEqualTo("42");
    assertThat(readAhead.token(service(true, 4, 3))).as("a new generation").isNull();
    assertThat(readAhead.token(service(false, 3, 3))).as("not Ready").isNull();

    EcsService redeploy = service(true, 3, 3);
    redeploy.getMetadata().setAnnotations(Map.of(Annotations.REDEPLOY_REQUESTED_AT, "now"));
    assertThat(readAhead.token(redeploy)).as("a redeploy request").isNull();

    EcsService deleting = service(true, 3, 3);
    deleting.getMetadata().setDeletionTimestamp("2026-12-05T09:00:00Z");
    assertThat(readAhead.token(deleting)).as("a deletion").isNull();

    readAhead.freshReadRequired(() -> true);
    assertThat(readAhead.token(service(true, 3, 3))).as("the lane says a person's change").isNull();
  }

  /**
   * Deferred by its ECS budget before its DescribeServices, not inside it: a deferral in a call that other passes
   * joined (BatchedReads) failed it for all of them, each then read alone (PrioritiesIT's start-up pass in CI: 9
   * DescribeServices for 30 services instead of 3).
   */
  @Test
  void aPassItsBudgetDefersIsDeferredBeforeItsBatchedRead() {
    FakeServiceGateway aws = new FakeServiceGateway();
    ServiceReadAhead ahead = new ServiceReadAhead(BatchingServiceGateway.of(aws), Duration.ofMinutes(10));
    aws.admission = new ResyncDeferred(new AwsBudgets.Key("a", "eu-west-1", "ecs"), Duration.ofSeconds(1));
    assertThatThrownBy(() -> ahead.describe(service(true, 3, 3), "eu-west-1", "prod"))
        .isInstanceOf(ResyncDeferred.class);
    assertThat(aws.admissions).isEqualTo(1);
    assertThat(aws.describes).as("no DescribeServices made: a deferred pass reads nothing").isZero();

    aws.admission = null;
    ahead.describe(service(true, 3, 3), "eu-west-1", "prod");
    assertThat(aws.describes).as("admitted, it reads").isEqualTo(1);
  }

  @Test
  void onlyASettledServiceIsTakenFromARead() {
    Deployment completed = Deployment.builder().status("PRIMARY").rolloutState("COMPLETED").build();
    Service settled = Service.builder().status("ACTIVE").desiredCount(2).runningCount(2).deployments(completed)
        .build();
    assertThat(ServiceReadAhead.settled(settled)).isTrue();
    assertThat(ServiceReadAhead.settled(settled.toBuilder().runningCount(1).build())).isFalse();
    assertThat(ServiceReadAhead.settled(settled.toBuilder().status("DRAINING").build())).isFalse();
    assertThat(ServiceReadAhead.settled(settled.toBuilder().deployments(completed,
        Deployment.builder().status("ACTIVE").rolloutState("COMPLETED").build()).build())).isFalse();
    assertThat(ServiceReadAhead.settled(settled.toBuilder().deployments(completed.toBuilder()
        .rolloutState("IN_PROGRESS").build()).build())).isFalse();
  }
}
