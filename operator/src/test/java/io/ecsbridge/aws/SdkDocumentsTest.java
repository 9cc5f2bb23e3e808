package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.contract.Shape;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;

/** Free-form SDK documents (a lifecycle hook's hookDetails) through SdkJson, both ways, numbers as the spec has them. */
class SdkDocumentsTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void hookDetailsGoIntoTheRequestAndComeBackAsTheSameJson() throws Exception {
    ObjectNode hook = (ObjectNode) mapper.readTree("""
        {"hookTargetArn": "arn:aws:lambda:us-east-1:1:function:f", "roleArn": "arn:aws:iam::1:role/r",
         "lifecycleStages": ["PRE_SCALE_UP"],
         "hookDetails": {"suite": "smoke", "retries": 3, "ratio": 0.5, "on": true, "none": null, "tags": ["a", 1]}}
        """);
    DeploymentLifecycleHook built = SdkJson.build(DeploymentLifecycleHook.builder(), hook);
    assertThat(built.hookDetails().asMap().get("retries").asNumber().intValue()).isEqualTo(3);
    assertThat(built.hookDetails().asMap().get("suite").asString()).isEqualTo("smoke");
    ObjectNode back = SdkJson.toJson(built);
    assertThat(back.get("hookDetails").get("none").isNull()).isTrue();
    assertThat(Shape.clean(back.get("hookDetails"))).isEqualTo(Shape.clean(mapper.readTree("""
        {"suite": "smoke", "retries": 3, "ratio": 0.5, "on": true, "none": null, "tags": ["a", 1]}
        """)));
    assertThat(back.get("hookDetails").get("retries").isIntegralNumber()).as("3 stays an integer").isTrue();
  }

  @Test
  void aScalarDocumentIsItsValue() throws Exception {
    DeploymentLifecycleHook built = SdkJson.build(DeploymentLifecycleHook.builder(),
        mapper.readTree("{\"hookDetails\": \"plain\"}"));
    assertThat(SdkJson.toJson(built).get("hookDetails").asText()).isEqualTo("plain");
  }
}
