package io.ecsbridge.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.MDCUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The chart's log format (json: LogSetup with JsonLineEncoder) as a log pipeline reads it: one JSON object per line. */
class JsonLogTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aLineWithinAReconcileCarriesTimeLevelMsgLoggerAndTheResource() throws Exception {
    List<JsonNode> lines = logWith("info", log -> {
      EcsService service = new EcsService();
      service.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").withUid("u1")
          .withResourceVersion("7").withGeneration(2L).build());
      MDCUtils.addResourceInfo(service); // what JOSDK does around a reconcile
      try {
        log.info("updated service \"web\"\n(second line)");
      } finally {
        MDCUtils.removeResourceInfo();
      }
      log.warn("outside a reconcile", new IllegalStateException("boom"));
      log.debug("not at info");
    });

    assertThat(lines).hasSize(2);
    JsonNode first = lines.get(0);
    assertThat(Instant.parse(first.get("time").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(first.get("time").asText()).endsWith("Z");
    assertThat(first.get("level").asText()).isEqualTo("info");
    assertThat(first.get("logger").asText()).isEqualTo("io.ecsbridge.logging.JsonLogTest");
    assertThat(first.get("msg").asText()).isEqualTo("updated service \"web\"\n(second line)");
    assertThat(first.get("kind").asText()).isEqualTo("EcsService");
    assertThat(first.get("namespace").asText()).isEqualTo("shop");
    assertThat(first.get("name").asText()).isEqualTo("web");

    JsonNode second = lines.get(1);
    assertThat(second.get("level").asText()).isEqualTo("warn");
    assertThat(second.has("kind")).as("no resource outside a reconcile").isFalse();
    assertThat(second.get("error").asText()).contains("IllegalStateException: boom");
  }

  @Test
  void theLevelComesFromEcsbridgeLogLevel() throws Exception {
    List<JsonNode> lines = logWith("debug", log -> log.debug("now at debug"));
    assertThat(lines).singleElement().satisfies(l -> assertThat(l.get("level").asText()).isEqualTo("debug"));
  }

  private List<JsonNode> logWith(String level, java.util.function.Consumer<Logger> body) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the one JOSDK writes into
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogSetup.apply(context, "json", level);
      body.accept(context.getLogger(JsonLogTest.class));

    } finally {
      context.stop();
      System.setOut(out);
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(json.readTree(line)); // fails on anything that is not one JSON object per line
      }
    }
    return lines;
  }
}
