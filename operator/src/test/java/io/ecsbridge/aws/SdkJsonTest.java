package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/** JSON in AWS's shapes into the SDK's model and back, without losing, renaming or guessing a member. */
class SdkJsonTest {
  /** Integral numbers read as longs, as {@link SdkJson#toJson} writes them. */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS);

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void nestedObjectsListsEnumsNumbersAndBooleansRoundTrip() {
    JsonNode request = json("""
        {"serviceName": "web", "desiredCount": 3, "launchType": "FARGATE", "enableExecuteCommand": true,
         "deploymentConfiguration": {"maximumPercent": 150,
           "deploymentCircuitBreaker": {"enable": true, "rollback": false},
           "alarms": {"alarmNames": ["b", "a"], "enable": false, "rollback": false}},
         "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s-2", "s-1"], "assignPublicIp": "DISABLED"}},
         "loadBalancers": [{"targetGroupArn": "arn:tg", "containerName": "web", "containerPort": 80}],
         "placementStrategy": [{"type": "spread", "field": "instanceId"}, {"type": "binpack", "field": "CPU"}],
         "serviceRegistries": []}
        """);
    CreateServiceRequest built = SdkJson.build(CreateServiceRequest.builder(), request);

    assertThat(built.desiredCount()).isEqualTo(3);
    assertThat(built.launchType()).isEqualTo(LaunchType.FARGATE);
    assertThat(built.enableExecuteCommand()).isTrue();
    assertThat(built.deploymentConfiguration().deploymentCircuitBreaker().rollback()).isFalse();
    assertThat(built.deploymentConfiguration().alarms().alarmNames()).containsExactly("b", "a");
    assertThat(built.networkConfiguration().awsvpcConfiguration().subnets()).containsExactly("s-2", "s-1");
    assertThat(built.placementStrategy()).extracting(s -> s.typeAsString()).containsExactly("spread", "binpack");
    assertThat(built.loadBalancers()).singleElement().satisfies(l -> assertThat(l.containerPort()).isEqualTo(80));
    assertThat(built.hasServiceRegistries()).as("an empty list is sent as one (it removes them all)").isTrue();
    assertThat(built.serviceRegistries()).isEmpty();
    assertThat(built.hasPlacementConstraints()).as("what the JSON leaves out is not sent").isFalse();
    assertThat(built.platformVersion()).isNull();

    ObjectNode back = SdkJson.toJson(built);
    assertThat(back).isEqualTo(json("""
        {"serviceName": "web", "desiredCount": 3, "launchType": "FARGATE", "enableExecuteCommand": true,
         "deploymentConfiguration": {"maximumPercent": 150,
           "deploymentCircuitBreaker": {"enable": true, "rollback": false},
           "alarms": {"alarmNames": ["b", "a"], "enable": false, "rollback": false}},
         "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s-2", "s-1"], "assignPublicIp": "DISABLED"}},
         "loadBalancers": [{"targetGroupArn": "arn:tg", "containerName": "web", "containerPort": 80}],
         "placementStrategy": [{"type": "spread", "field": "instanceId"}, {"type": "binpack", "field": "CPU"}],
         "serviceRegistries": []}
        """));
  }

  @Test
  void mapsIntegersLongsDoublesAndTimestamps() {
    ContainerDefinition container = SdkJson.build(ContainerDefinition.builder(),
        json("{\"name\": \"a\", \"dockerLabels\": {\"x\": \"1\", \"y\": \"2\"}, \"memory\": 512}"));
    assertThat(container.dockerLabels()).containsEntry("x", "1").containsEntry("y", "2");
    assertThat(SdkJson.toJson(container).get("dockerLabels")).isEqualTo(json("{\"x\": \"1\", \"y\": \"2\"}"));

    Resource resource = SdkJson.build(Resource.builder(), json(
        "{\"name\": \"CPU\", \"type\": \"INTEGER\", \"integerValue\": 1024, \"longValue\": 4294967296,"
            + " \"doubleValue\": 0.5, \"stringSetValue\": [\"22\", \"80\"]}"));
    assertThat(resource.integerValue()).isEqualTo(1024);
    assertThat(resource.longValue()).isEqualTo(4_294_967_296L);
    assertThat(resource.doubleValue()).isEqualTo(0.5);
    ObjectNode back = SdkJson.toJson(resource);
    assertThat(back.get("integerValue").isLong()).as("integral numbers come back as longs").isTrue();
    assertThat(back.get("longValue").longValue()).isEqualTo(4_294_967_296L);
    assertThat(back.get("doubleValue").doubleValue()).isEqualTo(0.5);

    Service service = SdkJson.build(Service.builder(), json("{\"createdAt\": \"2026-01-02T03:04:05.678Z\"}"));
    assertThat(service.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
    assertThat(SdkJson.toJson(service).get("createdAt").asText()).isEqualTo("2026-01-02T03:04:05.678Z");
    assertThat(SdkJson.build(Service.builder(), json("{\"createdAt\": 1767323045.678}")).createdAt())
        .as("AWS's wire form, seconds since the epoch").isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
  }

  @Test
  void aNullIsAMemberLeftUnsetAndFillKeepsWhatTheBuilderHas() {
    UpdateServiceRequest.Builder update = UpdateServiceRequest.builder().cluster("prod").service("web");
    SdkJson.fill(update, json("{\"desiredCount\": 2, \"taskDefinition\": null}"));
    UpdateServiceRequest built = update.build();
    assertThat(built.cluster()).isEqualTo("prod");
    assertThat(built.desiredCount()).isEqualTo(2);
    assertThat(built.taskDefinition()).isNull();
    assertThat(SdkJson.toJson(built)).isEqualTo(json("{\"cluster\": \"prod\", \"service\": \"web\", \"desiredCount\": 2}"));
  }

  @Test
  void anUnknownMemberIsAnErrorNamingItAndTheShape() {
    assertThatThrownBy(() -> SdkJson.fill(CreateServiceRequest.builder(),
        json("{\"deploymentConfiguration\": {\"maximumPercent\": 200, \"maxPercent\": 200}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown member maxPercent of DeploymentConfiguration");
  }

  @Test
  void aValueOfTheWrongTypeIsAnErrorThatNeverShowsTheValue() {
    assertThatThrownBy(() -> SdkJson.fill(CreateServiceRequest.builder(), json("{\"desiredCount\": \"s3cr3t\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CreateServiceRequest.desiredCount must be an integer, not STRING");
    assertThatThrownBy(() -> SdkJson.fill(CreateServiceRequest.builder(), json("{\"desiredCount\": 4294967296}")))
        .hasMessageContaining("desiredCount must be an integer");
    assertThatThrownBy(() -> SdkJson.fill(CreateServiceRequest.builder(), json("{\"loadBalancers\": {}}")))
        .hasMessage("CreateServiceRequest.loadBalancers must be a list, not OBJECT");
    assertThatThrownBy(() -> SdkJson.fill(CreateServiceRequest.builder(),
        json("{\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [[\"x\"]]}}}")))
        .hasMessage("AwsVpcConfiguration.subnets[] must be a string, not ARRAY")
        .hasMessageNotContaining("x");
    assertThatThrownBy(() -> SdkJson.fill(CreateServiceRequest.builder(), json("{\"enableExecuteCommand\": \"yes\"}")))
        .hasMessage("CreateServiceRequest.enableExecuteCommand must be true or false, not STRING");
  }
}
