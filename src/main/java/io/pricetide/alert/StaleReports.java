package io.pricetide.alert;

import io.pricetide.db.Rows;
import io.pricetide.history.AlertReads;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Stale-source reports on JDBC: one operator delivery per episode of a source gone quiet. Blocks. */
final class StaleReports {
  private final DataSource ds;
  private final AlertReads history;
  private final Duration giveUp;

  StaleReports(DataSource ds, AlertReads history, Duration giveUp) {
    this.ds = ds;
    this.history = history;
    this.giveUp = giveUp;
  }

  /** The start of every source's last successful check. */
  Map<String, Instant> lastSuccesses() {
    try {
      return history.lastSuccesses();
    } catch (SQLException e) {
      throw new AlertException("read last successful checks: " + e.getMessage(), e);
    }
  }

  /**
   * Reports a stale source to the operator channel once per episode (an episode starts at {@code since}, its last
   * success or the service start). Returns the number of deliveries queued.
   */
  int reportStale(String sourceId, Instant since, JsonObject payload, Instant now) {
    return Jdbc.tx(ds, "report stale " + sourceId, c -> {
      Instant alerted = null;
      boolean exists = false;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT stale_alerted_at FROM alert_source_state WHERE source_id = ?")) {
        ps.setString(1, sourceId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            exists = true;
            alerted = Rows.instant(rs, 1);
          }
        }
      }
      if (alerted != null && !alerted.isBefore(since)) {
        return 0;
      }
      try (PreparedStatement ps = c.prepareStatement(exists
          ? "UPDATE alert_source_state SET stale_alerted_at = ? WHERE source_id = ?"
          : "INSERT INTO alert_source_state (stale_alerted_at, source_id) VALUES (?,?)")) {
        ps.setObject(1, Rows.odt(now));
        ps.setString(2, sourceId);
        ps.executeUpdate();
      }
      List<Deliveries.NewDelivery> rows = new ArrayList<>();
      for (Subscription s : SubscriptionStore.active(c)) {
        if (s.operator()) {
          rows.add(new Deliveries.NewDelivery(s.id(), Subscription.lane(s.channel()), Job.SOURCE_STALE,
              "stale:" + sourceId + ":" + since.getEpochSecond(), null, null, null, payload.encode()));
        }
      }
      Deliveries.insert(c, rows, now, now.plus(giveUp));
      return rows.size();
    });
  }
}
