package io.ecsbridge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * The operator's logging, set up in code: logback finds this class as a service
 * (META-INF/services/ch.qos.logback.classic.spi.Configurator) before its own XML configuration, whose parser and
 * model classes (some 300, plus the JDK's XML parser) the start would otherwise load for a dozen lines (DESIGN.md,
 * "Footprint"). Three formats, chosen by the system property {@value #FORMAT} that {@code main} sets: {@code text}
 * (the default), {@code json} (one object per line, {@link JsonLineEncoder}), {@code trace} (the trace subcommand:
 * errors only, on stderr; stdout is its tree). The level of io.ecsbridge is ECSBRIDGE_LOG_LEVEL (the system property,
 * then the environment variable, as logback's {@code ${ECSBRIDGE_LOG_LEVEL:-INFO}} read it). A logback XML file named
 * by {@code -Dlogback.configurationFile} still wins, if it can be found: this configurator then leaves the work to
 * logback's own (whose fallback for a file it cannot find would log everything at DEBUG, the AWS SDK's wire log with
 * its credentials headers included: a name not found is warned of and the operator's own logging used).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** The system property naming the format: text, json or trace. */
  public static final String FORMAT = "ecsbridge.logFormat";
  private static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level [%thread] %logger{0} "
      + "%replace(%X{resource.namespace}/%X{resource.name}){'^/$', ''} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String file = System.getProperty("logback.configurationFile");
    if (file != null && found(file)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    String level = System.getProperty("ECSBRIDGE_LOG_LEVEL", System.getenv("ECSBRIDGE_LOG_LEVEL"));
    apply(context, System.getProperty(FORMAT, "text"), level == null ? "info" : level);
    if (file != null) {
      // logback's own fallback for a file it cannot find is every logger at DEBUG: the AWS SDK's HTTP wire log then
      // prints request headers (credentials) and bodies (secret values)
      context.getLogger(LogSetup.class).warn("logback.configurationFile {} was not found (as a file, a class path "
          + "resource or a URL): the operator's own logging is used", file);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Whether logback would find the configuration file named: a file, a class path resource or a URL it can open. */
  static boolean found(String name) {
    if (name.isBlank()) {
      return false;
    }
    if (new java.io.File(name).isFile() || LogSetup.class.getClassLoader().getResource(name) != null) {
      return true;
    }
    try (java.io.InputStream in = new java.net.URL(name).openStream()) {
      return true;
    } catch (java.io.IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Configures {@code context}: one console appender in {@code format}, io.ecsbridge at {@code level}. */
  public static void apply(LoggerContext context, String format, String level) {
    boolean trace = format.equals("trace");
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(trace ? "STDERR" : "STDOUT");
    if (trace) {
      appender.setTarget("System.err");
    }
    appender.setEncoder(encoder(context, format));
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    if (trace) {
      root.setLevel(Level.ERROR);
      return;
    }
    root.setLevel(Level.INFO);
    context.getLogger("io.ecsbridge").setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
    context.getLogger("io.javaoperatorsdk").setLevel(Level.INFO);
    for (String quiet : new String[] {"io.fabric8", "software.amazon.awssdk", "org.apache.http"}) {
      context.getLogger(quiet).setLevel(Level.WARN);
    }
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    if (format.equals("json")) {
      JsonLineEncoder json = new JsonLineEncoder();
      json.setContext(context);
      json.start();
      return json;
    }
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern(format.equals("trace") ? "%-5level %logger{0} - %msg%n" : TEXT_PATTERN);
    pattern.start();
    return pattern;
  }
}
