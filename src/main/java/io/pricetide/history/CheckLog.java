package io.pricetide.history;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.db.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The check log ({@code source_check}) and the events each check recorded ({@code change_event}). */
final class CheckLog {
  private CheckLog() {}

  /** A stored body of a past check, for {@code reextract}, with the content type its fetch declared. */
  record ArchivedCheck(Instant at, String contentHash, String contentType) {}

  /** The time of the source's latest check with a body, or null before the first. */
  static Instant lastObservedAt(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT MAX(started_at) FROM source_check WHERE source_id = ? AND content_hash IS NOT NULL")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Rows.instant(rs, 1) : null;
      }
    }
  }

  /** Every distinct body a source's checks fetched, oldest first (consecutive repeats dropped). */
  static List<ArchivedCheck> archivedChecks(Connection c, String sourceId) throws SQLException {
    List<ArchivedCheck> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT started_at, content_hash, content_type FROM source_check "
        + "WHERE source_id = ? AND content_hash IS NOT NULL ORDER BY started_at, id")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        String last = null;
        while (rs.next()) {
          String h = rs.getString(2);
          if (!h.equals(last)) {
            out.add(new ArchivedCheck(Rows.instant(rs, 1), h, rs.getString(3)));
          }
          last = h;
        }
      }
    }
    return out;
  }

  static long insertCheck(Connection c, String sourceId, CheckInfo info, String outcome, String stage,
      String reason, Integer observations, int events) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_check (source_id, started_at, finished_at, "
        + "outcome, stage, reason, http_status, content_hash, observations, event_count, content_type, node_id, "
        + "scheduled_for) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, sourceId);
      ps.setObject(2, Rows.odt(info.startedAt()));
      ps.setObject(3, Rows.odt(Instant.now()));
      ps.setString(4, outcome);
      ps.setString(5, stage);
      ps.setString(6, Rows.truncate(reason, 2000));
      ps.setObject(7, info.httpStatus());
      ps.setString(8, info.contentHash());
      ps.setObject(9, observations);
      ps.setInt(10, events);
      ps.setString(11, info.contentType());
      ps.setString(12, info.nodeId());
      ps.setObject(13, info.scheduledFor() == null ? null : Rows.odt(info.scheduledFor()));
      ps.executeUpdate();
      return Rows.generatedId(ps);
    }
  }

  static ChangeEvent insertEvent(Connection c, ChangeEvent e, long checkId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_event (kind, source_id, provider, model, "
        + "canonical_model, metric, cond, old_usd, new_usd, old_amount, new_amount, currency, change_pct, observed_at, "
        + "stage, reason, check_id, created_at, notify, effective_from) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, e.kind());
      ps.setString(2, e.sourceId());
      ps.setString(3, e.provider());
      ps.setString(4, e.model());
      ps.setString(5, e.canonicalModel());
      ps.setString(6, e.metric());
      ps.setString(7, e.condition());
      ps.setBigDecimal(8, e.oldUsd());
      ps.setBigDecimal(9, e.newUsd());
      ps.setBigDecimal(10, e.oldValue());
      ps.setBigDecimal(11, e.newValue());
      ps.setString(12, e.currency());
      ps.setBigDecimal(13, e.changePct());
      ps.setObject(14, Rows.odt(e.observedAt()));
      ps.setString(15, e.stage());
      ps.setString(16, Rows.truncate(e.reason(), 2000));
      ps.setLong(17, checkId);
      ps.setObject(18, Rows.odt(Instant.now()));
      ps.setBoolean(19, e.toSubscribers());
      ps.setObject(20, e.effectiveFrom() == null ? null : Rows.odt(e.effectiveFrom()));
      ps.executeUpdate();
      return e.withId(Rows.generatedId(ps));
    }
  }
}
