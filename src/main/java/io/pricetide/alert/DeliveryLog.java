package io.pricetide.alert;

import io.pricetide.db.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The delivery log on JDBC: deliveries with their attempts, counts by status, and redelivery. Blocks. */
final class DeliveryLog {
  private final DataSource ds;
  private final Duration giveUp;

  DeliveryLog(DataSource ds, Duration giveUp) {
    this.ds = ds;
    this.giveUp = giveUp;
  }

  /** Puts a delivery back in the queue now, with a fresh give-up window; false when unknown. */
  boolean redeliver(String deliveryId, Instant now) {
    return Jdbc.tx(ds, "redeliver " + deliveryId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET status = 'pending', claim_token = NULL, "
          + "next_attempt_at = ?, expires_at = ?, delivered_at = NULL WHERE delivery_id = ?")) {
        ps.setObject(1, Rows.odt(now));
        ps.setObject(2, Rows.odt(now.plus(giveUp)));
        ps.setString(3, deliveryId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** A filter on the delivery log; null fields do not filter. {@code cursor} pages backwards by row. */
  record LogFilter(String status, String subscription, String deliveryId, Long eventId, Long cursor, int limit) {}

  /** Deliveries, newest first, each with its attempts. */
  JsonArray log(LogFilter f) {
    return Jdbc.tx(ds, "read delivery log", c -> {
      StringBuilder sql = new StringBuilder("SELECT d.id, d.delivery_id, s.public_id, s.channel, d.message_type, "
          + "d.event_id, d.status, d.attempts, d.next_attempt_at, d.created_at, d.expires_at, d.delivered_at, "
          + "d.last_status, d.last_error, d.baseline_pct FROM alert_delivery d JOIN alert_subscription s "
          + "ON s.id = d.subscription_id WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (f.status() != null) {
        sql.append(" AND d.status = ?");
        args.add(f.status());
      }
      if (f.subscription() != null) {
        sql.append(" AND s.public_id = ?");
        args.add(f.subscription());
      }
      if (f.deliveryId() != null) {
        sql.append(" AND d.delivery_id = ?");
        args.add(f.deliveryId());
      }
      if (f.eventId() != null) {
        sql.append(" AND d.event_id = ?");
        args.add(f.eventId());
      }
      if (f.cursor() != null) {
        sql.append(" AND d.id < ?");
        args.add(f.cursor());
      }
      sql.append(" ORDER BY d.id DESC LIMIT ").append(Math.max(1, f.limit()));
      Map<Long, JsonObject> rows = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            BigDecimal pct = rs.getBigDecimal(15);
            rows.put(rs.getLong(1), new JsonObject().put("cursor", String.valueOf(rs.getLong(1)))
                .put("delivery_id", rs.getString(2)).put("subscription", rs.getString(3))
                .put("channel", rs.getString(4)).put("message_type", rs.getString(5))
                .put("event_id", rs.getObject(6) == null ? null : String.valueOf(rs.getLong(6)))
                .put("status", rs.getString(7)).put("attempts", rs.getInt(8))
                .put("next_attempt_at", str(Rows.instant(rs, 9))).put("created_at", str(Rows.instant(rs, 10)))
                .put("expires_at", str(Rows.instant(rs, 11))).put("delivered_at", str(Rows.instant(rs, 12)))
                .put("last_status", rs.getObject(13)).put("last_error", rs.getString(14))
                .put("change_pct_vs_baseline", pct == null ? null : pct.toPlainString())
                .put("attempt_log", new JsonArray()));
          }
        }
      }
      if (!rows.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("SELECT delivery_pk, attempt, attempted_at, duration_ms, "
            + "outcome, status_code, error FROM alert_attempt WHERE delivery_pk IN (" + idList(rows.keySet())
            + ") ORDER BY id");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.get(rs.getLong(1)).getJsonArray("attempt_log").add(new JsonObject().put("attempt", rs.getInt(2))
                .put("at", str(Rows.instant(rs, 3))).put("duration_ms", rs.getInt(4)).put("outcome", rs.getString(5))
                .put("status_code", rs.getObject(6)).put("error", rs.getString(7)));
          }
        }
      }
      return new JsonArray(new ArrayList<>(rows.values()));
    });
  }

  /** How many deliveries are pending, and when the oldest of them was created. */
  io.pricetide.metrics.Meters.OutboxStats pending() {
    return Jdbc.tx(ds, "read the outbox state", c -> {
      try (java.sql.PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*), MIN(created_at) FROM alert_delivery WHERE status = ?")) {
        ps.setString(1, Deliveries.PENDING);
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new io.pricetide.metrics.Meters.OutboxStats(rs.getLong(1), io.pricetide.db.Rows.instant(rs, 2));
        }
      }
    });
  }

  /** Counts of deliveries by status, for health and tests. */
  Map<String, Integer> counts() {
    return Jdbc.tx(ds, "count deliveries", c -> {
      Map<String, Integer> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM alert_delivery GROUP BY status");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
      return out;
    });
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  private static String idList(Collection<Long> ids) {
    StringBuilder b = new StringBuilder(ids.size() * 8);
    for (long id : ids) {
      b.append(b.length() == 0 ? "" : ",").append(id);
    }
    return b.toString();
  }
}
