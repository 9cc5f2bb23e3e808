package io.ecsbridge.kinds.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/** What an EcsService's status shows of the live ECS service. */
class ServiceFactsTest {
  private static final Instant T = Instant.parse("2025-01-02T03:04:05Z");

  @Test
  void copiesTheServiceItsDeploymentsAndItsLastFiveEvents() {
    Service live = Service.builder().serviceArn("arn:aws:ecs:eu-west-1:123456789012:service/prod/web")
        .status("ACTIVE").taskDefinition("td:2").desiredCount(2).runningCount(1).pendingCount(1)
        .deployments(Deployment.builder().id("ecs-svc/2").status("PRIMARY").rolloutState("IN_PROGRESS")
            .rolloutStateReason("in progress").taskDefinition("td:2").desiredCount(2).runningCount(1).pendingCount(1)
            .failedTasks(0).createdAt(T).build())
        .events(IntStream.range(0, 7).mapToObj(i -> ServiceEvent.builder().message("event " + i).createdAt(T).build())
            .toList())
        .build();
    EcsServiceStatus status = new EcsServiceStatus();
    status.taskSets = List.of(new EcsServiceStatus.TaskSet()); // from an earlier read
    ServiceFacts.fill(status, live);

    assertThat(status.serviceArn).isEqualTo(live.serviceArn());
    assertThat(status.status).isEqualTo("ACTIVE");
    assertThat(status.taskDefinition).isEqualTo("td:2");
    assertThat(status.taskDefinitionRevision).as("-o wide's family:revision").isEqualTo("td:2");
    ServiceFacts.fill(status, live.toBuilder()
        .taskDefinition("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:4").build());
    assertThat(status.taskDefinitionRevision).isEqualTo("web:4");
    ServiceFacts.fill(status, live);
    assertThat(List.of(status.desiredCount, status.runningCount, status.pendingCount)).containsExactly(2, 1, 1);
    assertThat(status.deployments).singleElement().satisfies(d -> {
      assertThat(d.id).isEqualTo("ecs-svc/2");
      assertThat(d.rolloutState).isEqualTo("IN_PROGRESS");
      assertThat(d.rolloutStateReason).isEqualTo("in progress");
      assertThat(d.failedTasks).isZero();
      assertThat(d.createdAt).isEqualTo("2025-01-02T03:04:05Z");
      assertThat(d.updatedAt).isNull();
    });
    assertThat(status.taskSets).as("none: left out").isNull();
    assertThat(status.recentEvents).extracting(e -> e.message)
        .containsExactly("event 0", "event 1", "event 2", "event 3", "event 4");
  }

  @Test
  void anExternalControllersTaskSetsAreShown() {
    Service live = Service.builder().status("ACTIVE")
        .taskSets(TaskSet.builder().id("ecs-svc/1").status("PRIMARY").stabilityStatus("STEADY_STATE")
            .taskDefinition("td:1").runningCount(2).computedDesiredCount(2).build())
        .build();
    EcsServiceStatus status = new EcsServiceStatus();
    ServiceFacts.fill(status, live);
    assertThat(status.taskSets).singleElement().satisfies(t -> {
      assertThat(t.id).isEqualTo("ecs-svc/1");
      assertThat(t.stabilityStatus).isEqualTo("STEADY_STATE");
      assertThat(t.computedDesiredCount).isEqualTo(2);
    });
    assertThat(status.deployments).isEmpty();
    assertThat(status.recentEvents).isNull();
  }
}
