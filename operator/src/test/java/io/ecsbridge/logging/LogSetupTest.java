package io.ecsbridge.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import io.ecsbridge.api.v1alpha1.EcsService;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.MDCUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The logging set up in code (LogSetup, found by logback as a service) in the text and trace formats. */
class LogSetupTest {
  @Test
  void logbackFindsTheConfiguratorAsAService() {
    assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
        .map(ServiceLoader.Provider::type)).containsExactly(LogSetup.class);
  }

  @Test
  void textLinesCarryTimeLevelThreadLoggerAndTheResourceInAReconcile() {
    String out = capture(false, context -> LogSetup.apply(context, "text", "info"), log -> {
      EcsService service = new EcsService();
      service.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
      MDCUtils.addResourceInfo(service);
      try {
        log.info("updated");
      } finally {
        MDCUtils.removeResourceInfo();
      }
      log.info("outside");
      log.debug("not at info");
    });
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[[^]]+\\] LogSetupTest "
        + "shop/web - updated");
    assertThat(lines[1]).endsWith(" LogSetupTest  - outside");
  }

  @Test
  void theLevelOfIoEcsbridgeIsTheOneGivenAndFabric8IsQuiet() {
    LoggerContext context = new LoggerContext();
    LogSetup.apply(context, "text", "DEBUG");
    assertThat(context.getLogger("io.ecsbridge.kinds").isDebugEnabled()).isTrue();
    assertThat(context.getLogger("io.fabric8.kubernetes").isInfoEnabled()).isFalse();
    assertThat(context.getLogger("io.javaoperatorsdk").isInfoEnabled()).isTrue();
    assertThat(context.getLogger("io.javaoperatorsdk").isDebugEnabled()).isFalse();
    context.stop();
  }

  @Test
  void traceWritesOnlyErrorsAndOnStderr() {
    String err = capture(true, context -> LogSetup.apply(context, "trace", "info"), log -> {
      log.warn("a warning");
      log.error("an error");
    });
    assertThat(err).isEqualTo("ERROR LogSetupTest - an error\n");
  }

  @Test
  void aLogbackFileNamedOnTheCommandLineWins() {
    withConfigurationFile("logback-local.xml", (setup, context) ->
        assertThat(setup.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY));
  }

  /** Runs {@code body} on a new LogSetup and context with -Dlogback.configurationFile={@code file}, then restores. */
  private static void withConfigurationFile(String file,
      java.util.function.BiConsumer<LogSetup, LoggerContext> body) {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", file);
    try {
      body.accept(setup, context);
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
      context.stop();
    }
  }

  @Test
  void aLogbackFileNamedButNotFoundIsWarnedOfAndTheOperatorsLoggingUsed() {
    withConfigurationFile("/nope/logback-json.xml", (setup, context) -> {
      // logback's own fallback would be every logger at DEBUG, the AWS SDK's wire log (its credentials) included
      assertThat(setup.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger("org.apache.http.wire").getEffectiveLevel().toString()).isEqualTo("WARN");
      assertThat(context.getLogger("software.amazon.awssdk.request").getEffectiveLevel().toString())
          .isEqualTo("WARN");
    });
  }

  private static String capture(boolean stderr, Consumer<LoggerContext> setUp, Consumer<Logger> body) {
    PrintStream saved = stderr ? System.err : System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the one JOSDK writes into
    try {
      PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8);
      if (stderr) {
        System.setErr(stream);
      } else {
        System.setOut(stream);
      }
      setUp.accept(context); // the console appender takes System.out/err when it starts
      body.accept(context.getLogger(LogSetupTest.class));
    } finally {
      context.stop();
      if (stderr) {
        System.setErr(saved);
      } else {
        System.setOut(saved);
      }
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
