package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.testing.FakeAwsEndpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * One DescribeClusters for many names on the real SDK client, against an in-process fake of the ECS JSON API that
 * answers as ECS does: found clusters in {@code clusters[]}, missing ones in {@code failures[]}, INACTIVE ones as
 * clusters; an invalid ARN among the names fails the call as a whole.
 */
class SdkClusterGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/";
  private static final Map<String, String> STATUS = Map.of("prod", "ACTIVE", "stage", "ACTIVE", "old", "INACTIVE");

  private FakeAwsEndpoint ecs;
  private final List<List<String>> asked = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void fakeEcs() {
    ecs = FakeAwsEndpoint.start(this::answer);
  }

  @AfterEach
  void stop() {
    ecs.close();
  }

  private FakeAwsEndpoint.Answer answer(String target, byte[] body) throws IOException {
    JsonNode request = JSON.readTree(body);
    List<String> names = new ArrayList<>();
    request.path("clusters").forEach(n -> names.add(n.asText()));
    asked.add(names);
    if (names.stream().anyMatch(n -> n.startsWith("arn:") && !n.startsWith(ARN))) {
      return FakeAwsEndpoint.Answer.error("InvalidParameterException", "Invalid cluster ARN");
    }
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode clusters = answer.putArray("clusters");
    ArrayNode failures = answer.putArray("failures");
    for (String n : names) {
      String name = ArnNames.ecsName(n);
      if (STATUS.containsKey(name)) {
        clusters.addObject().put("clusterName", name).put("clusterArn", ARN + name).put("status", STATUS.get(name))
            .putArray("tags").addObject().put("key", "team").put("value", name);
      } else {
        failures.addObject().put("arn", ARN + name).put("reason", "MISSING");
      }
    }
    return FakeAwsEndpoint.Answer.ok(JSON.writeValueAsString(answer));
  }

  private Map<String, Optional<Cluster>> describeAll(List<String> names) {
    try (AwsClients clients = ecs.clients(new AwsCallMeter(new SimpleMeterRegistry(), null))) {
      return AwsScope.call(AwsIdentity.OPERATOR, () -> new SdkClusterGateway(clients).describeAll("us-east-1", names));
    }
  }

  @Test
  void oneCallAnswersEachNameOrArnAndAMissingOrInactiveClusterIsAbsentForItsNameOnly() {
    Map<String, Optional<Cluster>> answers = describeAll(List.of("prod", "gone", ARN + "stage", "old"));
    assertThat(asked).hasSize(1);
    assertThat(answers.get("prod")).hasValueSatisfying(c -> assertThat(c.tags().get(0).value()).isEqualTo("prod"));
    assertThat(answers.get(ARN + "stage")).hasValueSatisfying(c -> assertThat(c.clusterName()).isEqualTo("stage"));
    assertThat(answers.get("gone")).isEmpty();
    assertThat(answers.get("old")).isEmpty();
  }

  @Test
  void aCallRefusedAsAWholeFailsAsAWholeNeverAnsweringAbsentForAClusterItCouldNotRead() {
    String foreign = "arn:aws:ecs:eu-west-1:999999999999:cluster/prod";
    assertThatThrownBy(() -> describeAll(List.of("prod", foreign, "stage")))
        .as("BatchedReads reads each alone then (BatchedReadsTest); absent would pass the raw-cluster ownership check")
        .isInstanceOf(AwsException.class).hasMessageContaining("Invalid cluster ARN");
    assertThat(asked).containsExactly(List.of("prod", foreign, "stage"));
  }
}
