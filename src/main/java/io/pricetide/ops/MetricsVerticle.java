package io.pricetide.ops;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.db.Rows;
import io.pricetide.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the meters from the bus: every {@link Addresses#CHECK_ENDED} fact counts a check by source and outcome (and
 * a check that did not fail resets the source's freshness), every {@link Addresses#CHANGE_DETECTED} fact counts an
 * event by kind. At start it seeds freshness from the check log, so a restart does not make every source look
 * fresh or unknown; every {@code refreshMs} it reads the outbox state off the event loop for the outbox gauges.
 * It only listens: it never replies, so it cannot take a message meant for another consumer's reply.
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);
  public static final long DEFAULT_REFRESH_MS = 10_000;

  private final Meters meters;
  private final DataSource ds;
  private final Callable<Meters.OutboxStats> outboxStats;
  private final long refreshMs;
  private boolean refreshing;

  /**
   * {@code outboxStats} is a blocking query (such as {@code AlertService::outboxStats}), or null without alerting.
   */
  public MetricsVerticle(Meters meters, DataSource ds, Callable<Meters.OutboxStats> outboxStats, long refreshMs) {
    this.meters = meters;
    this.ds = ds;
    this.outboxStats = outboxStats;
    this.refreshMs = refreshMs;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CHECK_ENDED, m -> {
      try {
        CheckOutcome o = CheckOutcome.fromJson(m.body());
        meters.checkEnded(o);
        logEnded(o);
      } catch (RuntimeException e) {
        LOG.warn("metrics: ignored a {} message that is not a check outcome: {}", Addresses.CHECK_ENDED,
            e.getMessage());
      }
    });
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CHANGE_DETECTED, m -> meters.event(m.body().getString("kind")));
    if (outboxStats != null) {
      vertx.setPeriodic(refreshMs, t -> refreshOutbox());
    }
    return vertx.executeBlocking(() -> {
      seedFreshness();
      return null;
    }).onSuccess(v -> refreshOutbox());
  }

  /**
   * One line per failed check with what identifies it (source, check id, stage, outcome) as key-value pairs, which
   * the JSON log format writes as fields of their own; checks that did not fail at debug level. No stack trace: a
   * failed check is an expected condition, its reason says what happened.
   */
  private static void logEnded(CheckOutcome o) {
    org.slf4j.spi.LoggingEventBuilder b = o.isError() ? LOG.atWarn() : LOG.atDebug();
    b.addKeyValue("source", o.sourceId()).addKeyValue("check_id", o.checkId())
        .addKeyValue("stage", o.stage() == null ? "none" : o.stage()).addKeyValue("outcome", o.outcome())
        .log(o.isError() ? "check {} of {} failed at stage {}: {}" : "check {} of {}: {}", o.checkId(), o.sourceId(),
            o.isError() ? o.stage() : o.outcome(), o.reason());
  }

  /** The last check that did not fail, per source, from the check log. */
  private void seedFreshness() throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT source_id, MAX(finished_at) FROM source_check WHERE outcome <> ? GROUP BY source_id")) {
      ps.setString(1, CheckOutcome.ERROR);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          meters.goodCheck(rs.getString(1), Rows.instant(rs, 2));
        }
      }
    }
  }

  private void refreshOutbox() {
    if (outboxStats == null || refreshing) {
      return;
    }
    refreshing = true;
    vertx.executeBlocking(outboxStats, false).onComplete(ar -> {
      refreshing = false;
      if (ar.succeeded()) {
        meters.outbox(ar.result());
      } else {
        LOG.warn("metrics: cannot read the outbox state: {}", ar.cause().getMessage());
      }
    });
  }
}
