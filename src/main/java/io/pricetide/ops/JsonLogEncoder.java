package io.pricetide.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One log event as one line of JSON: {@code time} (ISO-8601 UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, then the event's MDC entries and key-value pairs as fields of their own ({@code source},
 * {@code check_id}, {@code stage}, {@code outcome} where the code knows them), and for an unexpected failure
 * {@code error} and {@code stack}. Written by us on Vert.x's JSON, so a line is always one valid object.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NONE = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent e) {
    return (line(e).encode() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static JsonObject line(ILoggingEvent e) {
    JsonObject j = new JsonObject().put("time", Instant.ofEpochMilli(e.getTimeStamp()).toString())
        .put("level", e.getLevel().toString()).put("logger", e.getLoggerName()).put("thread", e.getThreadName())
        .put("message", e.getFormattedMessage());
    Map<String, String> mdc = e.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach((k, v) -> j.put(k, v));
    }
    if (e.getKeyValuePairs() != null) {
      for (KeyValuePair kv : e.getKeyValuePairs()) {
        Object v = kv.value;
        j.put(kv.key, v instanceof Number || v instanceof Boolean || v == null ? v : String.valueOf(v));
      }
    }
    IThrowableProxy t = e.getThrowableProxy();
    if (t != null) {
      j.put("error", t.getClassName() + ": " + t.getMessage());
      StringBuilder stack = new StringBuilder();
      for (IThrowableProxy x = t; x != null; x = x.getCause()) {
        if (x != t) {
          stack.append("Caused by: ").append(x.getClassName()).append(": ").append(x.getMessage()).append('\n');
        }
        for (StackTraceElementProxy s : x.getStackTraceElementProxyArray()) {
          stack.append("\tat ").append(s.getStackTraceElement()).append('\n');
        }
      }
      j.put("stack", stack.toString());
    }
    return j;
  }
}
