package io.ecsbridge.kinds.ecs;

import static io.ecsbridge.api.v1alpha1.Annotations.ROLLBACK_REQUESTED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.ecsbridge.api.v1alpha1.EcsService;
import io.ecsbridge.api.v1alpha1.EcsServiceStatus;
import io.ecsbridge.aws.AwsException;
import io.ecsbridge.aws.FakeServiceDeploymentGateway;
import io.ecsbridge.contract.Change;
import io.ecsbridge.status.EventRecorder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/** The rollback-requested-at annotation: one StopServiceDeployment ROLLBACK per value, on a deployment in progress. */
class ServiceRollbackTest {
  private static final String ARN = "arn:aws:ecs:us-east-1:1:service-deployment/prod/web/A";
  private final FakeServiceDeploymentGateway gateway = new FakeServiceDeploymentGateway();
  private final ServiceDeployments deployments = new ServiceDeployments(gateway);
  private final EventRecorder events = mock(EventRecorder.class);
  private final Service service = Service.builder().serviceName("web").currentServiceDeployment(ARN).build();

  private static EcsService annotated(String value) {
    EcsService s = new KubernetesSerialization().unmarshal("""
        apiVersion: ecsbridge.io/v1alpha1
        kind: EcsService
        metadata: {name: web, namespace: ns}
        spec: {cluster: prod, taskDefinition: web:1}
        """, EcsService.class);
    if (value != null) {
      s.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(ROLLBACK_REQUESTED_AT, value)));
    }
    s.setStatus(new EcsServiceStatus());
    return s;
  }

  private static ServiceDeployment deployment(String status) {
    return ServiceDeployment.builder().serviceDeploymentArn(ARN).status(status).build();
  }

  private Optional<Change> change(EcsService s, ServiceDeployment read) {
    return ServiceRollback.change(s, read, deployments, "us-east-1", "prod", service, events);
  }

  @Test
  void aNewValueRollsBackTheDeploymentInProgressOnce() {
    EcsService s = annotated("1");
    assertThat(ServiceRollback.asked(s)).isTrue();
    Change c = change(s, deployment("IN_PROGRESS")).orElseThrow();
    assertThat(c.description()).as("tells its own Event").isNull();
    c.apply().run();
    assertThat(gateway.rollbacks).containsExactly(ARN);
    assertThat(s.getStatus().lastHandledRollbackAt).isEqualTo("1");
    verify(events).normal(eq(s), eq("RollbackRequested"), contains("service deployment A of ECS service web"));
    assertThat(ServiceRollback.asked(s)).isFalse();
    assertThat(change(s, deployment("IN_PROGRESS"))).isEmpty();
    assertThat(change(annotated(null), deployment("IN_PROGRESS"))).isEmpty();
  }

  @Test
  void withNothingInProgressItIsToldAndNothingIsCalled() {
    EcsService s = annotated("1");
    gateway.put(deployment("SUCCESSFUL"));
    change(s, null).orElseThrow().apply().run();
    assertThat(gateway.describes).as("the current deployment read when asked").isEqualTo(1);
    assertThat(gateway.rollbacks).isEmpty();
    assertThat(s.getStatus().lastHandledRollbackAt).isEqualTo("1");
    verify(events).normal(eq(s), eq("NothingToRollBack"), contains("nothing to roll back"));
    EcsService rolling = annotated("2");
    change(rolling, deployment("ROLLBACK_IN_PROGRESS")).orElseThrow().apply().run();
    assertThat(gateway.rollbacks).as("already rolling back").isEmpty();
    assertThat(rolling.getStatus().lastHandledRollbackAt).isEqualTo("2");
  }

  @Test
  void aTerminalRefusalCountsAsHandledARetryableOneDoesNot() {
    EcsService s = annotated("1");
    gateway.failRollbackWith = new AwsException(AwsException.Kind.TERMINAL, "ConflictException", 400,
        "The service deployment is not in progress.", null);
    Change c = change(s, deployment("IN_PROGRESS")).orElseThrow();
    assertThatThrownBy(() -> c.apply().run()).isInstanceOf(AwsException.class);
    assertThat(s.getStatus().lastHandledRollbackAt).isEqualTo("1");

    EcsService t = annotated("1");
    gateway.failRollbackWith = new AwsException(AwsException.Kind.RETRYABLE, "ThrottlingException", 400,
        "Rate exceeded", null);
    Change r = change(t, deployment("IN_PROGRESS")).orElseThrow();
    assertThatThrownBy(() -> r.apply().run()).isInstanceOf(AwsException.class);
    assertThat(t.getStatus().lastHandledRollbackAt).isNull();
    verify(events, never()).normal(eq(t), any(), any());
  }
}
