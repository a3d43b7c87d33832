package io.pricetide.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * An operator's acceptance of a new baseline for a source, kept in the check log: a {@code source_check} row with
 * outcome {@code baseline} and stage {@code operator}. It is pending until the source's next applied check (a
 * row with outcome new, changed or unchanged), which then replaces the source's series with what its page says,
 * with no events, and says so in its reason.
 */
final class Baselines {
  private Baselines() {}

  static final String OUTCOME = "baseline";
  static final String STAGE = "operator";
  static final String ACCEPTED = "new baseline accepted by an operator: the next check replaces the source's "
      + "series with what its page says, without events";
  static final String APPLIED = "baseline accepted by an operator: series replaced by what the page says, no events";

  static long accept(Connection c, String sourceId, Instant at) throws SQLException {
    return CheckLog.insertCheck(c, sourceId, new CheckInfo(at, null, null), OUTCOME, STAGE, ACCEPTED, null, 0);
  }

  /** Whether the source's latest acceptance is newer than its latest applied check (by start time, as indexed). */
  static boolean pending(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT outcome FROM source_check WHERE source_id = ? AND "
        + "(outcome IN ('new', 'changed', 'unchanged') OR (outcome = ? AND stage = ?)) "
        + "ORDER BY started_at DESC, id DESC LIMIT 1")) {
      ps.setString(1, sourceId);
      ps.setString(2, OUTCOME);
      ps.setString(3, STAGE);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1).equals(OUTCOME);
      }
    }
  }
}
