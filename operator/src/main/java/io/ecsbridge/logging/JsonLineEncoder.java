package io.ecsbridge.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object per log line, with the field names log pipelines (Fluent Bit, Vector, Loki, CloudWatch Logs
 * Insights) expect: {@code time} (ISO-8601 UTC), {@code level}, {@code logger}, {@code thread}, {@code msg},
 * {@code error} (the stack trace, if any) and, within a reconcile, the resource as {@code kind}, {@code namespace}
 * and {@code name} (JOSDK puts them in the MDC as {@code resource.kind}, {@code resource.namespace},
 * {@code resource.name}). Logback's own JsonEncoder names them {@code timestamp} (epoch millis),
 * {@code loggerName} and {@code formattedMessage}, and nests the MDC.
 */
public class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  /** JOSDK's MDC keys (MDCUtils) and the field each becomes. */
  static final Map<String, String> RESOURCE_FIELDS = Map.of(
      "resource.kind", "kind", "resource.namespace", "namespace", "resource.name", "name");
  /** What JOSDK writes as the namespace of a cluster-scoped resource. */
  private static final String NO_NAMESPACE = "no namespace";

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder json = new StringBuilder(256).append('{');
    field(json, "time", Instant.ofEpochMilli(event.getTimeStamp()).truncatedTo(ChronoUnit.MILLIS).toString());
    field(json, "level", event.getLevel().toString().toLowerCase(Locale.ROOT));
    field(json, "logger", event.getLoggerName());
    field(json, "thread", event.getThreadName());
    field(json, "msg", event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    for (String key : new String[] {"resource.kind", "resource.namespace", "resource.name"}) {
      String value = mdc == null ? null : mdc.get(key);
      if (value != null && !value.isEmpty() && !NO_NAMESPACE.equals(value)) {
        field(json, RESOURCE_FIELDS.get(key), value);
      }
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      field(json, "error", ThrowableProxyUtil.asString(error));
    }
    json.setLength(json.length() - 1); // the last comma
    return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  private static void field(StringBuilder json, String name, String value) {
    json.append('"').append(name).append("\":");
    if (value == null) {
      json.append("null");
    } else {
      quote(json, value);
    }
    json.append(',');
  }

  static void quote(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
