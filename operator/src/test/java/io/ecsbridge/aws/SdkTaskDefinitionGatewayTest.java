package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.kinds.ecs.TaskDefinitionContent;
import io.ecsbridge.kinds.ecs.TaskDefinitionContentTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Our JSON crosses into and out of the SDK's model without losing or renaming a field. */
class SdkTaskDefinitionGatewayTest {

  @Test
  void aSpecFillsEveryFieldOfTheRegisterRequest() {
    ObjectNode content = TaskDefinitionContent.request(TaskDefinitionContentTest.specJson(TaskDefinitionContentTest.SPEC));
    RegisterTaskDefinitionRequest.Builder builder = RegisterTaskDefinitionRequest.builder();
    SdkJson.fill(builder, content);
    RegisterTaskDefinitionRequest request = builder.build();

    assertThat(request.cpu()).isEqualTo("1 vCPU");
    assertThat(request.networkModeAsString()).isEqualTo("awsvpc");
    assertThat(request.requiresCompatibilitiesAsStrings()).containsExactly("FARGATE", "EC2");
    assertThat(request.runtimePlatform().cpuArchitectureAsString()).isEqualTo("ARM64");
    assertThat(request.volumes().get(1).efsVolumeConfiguration().transitEncryptionAsString()).isEqualTo("ENABLED");
    ContainerDefinition web = request.containerDefinitions().get(0);
    assertThat(web.command()).containsExactly("nginx", "-g", "daemon off;");
    assertThat(web.linuxParameters().capabilities().add()).containsExactly("SYS_PTRACE", "NET_ADMIN");
    assertThat(web.linuxParameters().initProcessEnabled()).isTrue();
    assertThat(web.healthCheck().startPeriod()).isEqualTo(10);
    assertThat(web.logConfiguration().options()).containsEntry("awslogs-group", "/ecs/web");
    assertThat(web.dockerLabels()).containsEntry("a", "1");
    assertThat(web.dependsOn().get(1).conditionAsString()).isEqualTo("SUCCESS");
    assertThat(web.ulimits().get(0).nameAsString()).isEqualTo("nproc");
    assertThat(web.portMappings().get(1).appProtocolAsString()).isEqualTo("http");
    assertThat(request.containerDefinitions().get(1).essential()).isFalse();

    // and back: the request's content, read as JSON again, is the same content
    ObjectNode back = SdkJson.toJson(request);
    assertThat(TaskDefinitionContent.canonical(back)).isEqualTo(TaskDefinitionContent.canonical(content));
  }

  @Test
  void aRealDescribeResponseRoundTripsThroughTheSdkModel() {
    var json = TaskDefinitionContentTest.json(TaskDefinitionContentTest.REAL_ECS_DESCRIBE);
    TaskDefinition.Builder builder = TaskDefinition.builder();
    SdkJson.fill(builder, json);
    TaskDefinition td = builder.build();
    assertThat(td.revision()).isEqualTo(7);
    assertThat(td.registeredAt()).isNotNull();
    ObjectNode back = SdkJson.toJson(td);
    assertThat(back.get("taskDefinitionArn").asText()).endsWith("task-definition/web:7");
    assertThat(back.get("compatibilities")).hasSize(2);
    assertThat(TaskDefinitionContent.canonical(back)).isEqualTo(TaskDefinitionContent.canonical(json));
  }

  @Test
  void anUnknownFieldIsAnErrorNotSilentlyDropped() {
    var json = TaskDefinitionContentTest.json("{\"containerDefinitions\": [{\"name\": \"a\", \"colour\": \"red\"}]}");
    assertThatThrownBy(() -> SdkJson.fill(RegisterTaskDefinitionRequest.builder(), json))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
  }

  @Test
  void revisionAndFamilyOfAnArn() {
    String arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/my-app_2:17";
    assertThat(TaskDefinitionGateway.revisionOf(arn)).isEqualTo(17);
    assertThat(TaskDefinitionGateway.familyOf(arn)).isEqualTo("my-app_2");
    assertThat(TaskDefinitionGateway.familyOf("web:3")).isEqualTo("web");
  }
}
