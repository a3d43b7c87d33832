package io.pricetide.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * The service's logging, set up by logback at its first use (registered in {@code META-INF/services}): one
 * appender on standard error (standard output is the verbs' own), plain lines by default, or one JSON object per
 * line ({@link JsonLogEncoder}) with {@code PRICETIDE_LOG_FORMAT=json} (or {@code -Dpricetide.log.format=json}).
 * {@code PRICETIDE_LOG_LEVEL} ({@code -Dpricetide.log.level}) sets the level, {@code info} by default. An operator's
 * own {@code -Dlogback.configurationFile} wins over all of this.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  public static final String FORMAT_ENV = "PRICETIDE_LOG_FORMAT";
  public static final String LEVEL_ENV = "PRICETIDE_LOG_LEVEL";

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    String format = setting("pricetide.log.format", FORMAT_ENV, "plain");
    String level = setting("pricetide.log.level", LEVEL_ENV, "info");
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(ctx);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder(ctx, format));
    console.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(console);
    // vertx-micrometer-metrics 5.0.7 registers its event-bus gauge again from each thread that adds a handler, and
    // Micrometer warns once per registry that the second registration is ignored: expected, so not a warning here.
    ctx.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, String format) {
    if (format.equalsIgnoreCase("json")) {
      JsonLogEncoder json = new JsonLogEncoder();
      json.setContext(ctx);
      json.start();
      return json;
    }
    PatternLayoutEncoder plain = new PatternLayoutEncoder();
    plain.setContext(ctx);
    // As slf4j-simple wrote them: [thread] LEVEL logger - message.
    plain.setPattern("[%thread] %level %logger - %msg%n");
    plain.start();
    return plain;
  }

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? fallback : v.strip().toLowerCase(Locale.ROOT);
  }
}
