package io.pricetide.history;

import io.pricetide.db.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code fetch_state} row of each source: its conditional-GET validators, the hash of the last body applied,
 * when the source was last seen and extracted, and the check that last wrote its series.
 */
final class FetchStates {
  private FetchStates() {}

  /** When the source was last seen, and the check that last wrote its series (both null before the first). */
  record Seen(Instant at, Long seriesCheck) {}

  /** Locks the source's row until the transaction ends (none yet: nothing to lock, a first check). */
  static void lock(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT source_id FROM fetch_state WHERE source_id = ? FOR UPDATE")) {
      ps.setString(1, sourceId);
      ps.executeQuery().close();
    }
  }

  static Seen seen(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT seen_at, series_check FROM fetch_state WHERE source_id = ?")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Seen(Rows.instant(rs, 1), rs.getObject(2, Long.class)) : new Seen(null, null);
      }
    }
  }

  static Optional<FetchState> read(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT etag, last_modified, content_hash, extracted_at FROM fetch_state WHERE source_id = ?")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new FetchState(rs.getString(1), rs.getString(2), rs.getString(3),
            Rows.instant(rs, 4))) : Optional.empty();
      }
    }
  }

  /**
   * Marks the source seen at {@code at}; with a {@code state}, also stores its validators and hash, and when
   * {@code extracted} that the body was run through extraction now. Without one, the stored ones stay.
   */
  static void write(Connection c, String sourceId, Instant at, FetchState state, boolean extracted,
      Long seriesCheck) throws SQLException {
    int n;
    String series = seriesCheck == null ? "" : ", series_check = " + seriesCheck;
    if (state == null) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE fetch_state SET seen_at = ?" + series
          + " WHERE source_id = ?")) {
        ps.setObject(1, Rows.odt(at));
        ps.setString(2, sourceId);
        n = ps.executeUpdate();
      }
    } else {
      try (PreparedStatement ps = c.prepareStatement("UPDATE fetch_state SET etag = ?, last_modified = ?, "
          + "content_hash = ?, updated_at = ?, seen_at = ?, extracted_at = CASE WHEN ? THEN ? ELSE extracted_at END"
          + series + " WHERE source_id = ?")) {
        ps.setString(1, state.etag());
        ps.setString(2, state.lastModified());
        ps.setString(3, state.contentHash());
        ps.setObject(4, Rows.odt(at));
        ps.setObject(5, Rows.odt(at));
        ps.setBoolean(6, extracted);
        ps.setObject(7, Rows.odt(at));
        ps.setString(8, sourceId);
        n = ps.executeUpdate();
      }
    }
    if (n == 0) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO fetch_state (source_id, etag, last_modified, "
          + "content_hash, updated_at, extracted_at, seen_at, series_check) VALUES (?,?,?,?,?,?,?,?)")) {
        ps.setString(1, sourceId);
        ps.setString(2, state == null ? null : state.etag());
        ps.setString(3, state == null ? null : state.lastModified());
        ps.setString(4, state == null ? null : state.contentHash());
        ps.setObject(5, Rows.odt(at));
        ps.setObject(6, state != null && extracted ? Rows.odt(at) : null);
        ps.setObject(7, Rows.odt(at));
        ps.setObject(8, seriesCheck, java.sql.Types.BIGINT);
        ps.executeUpdate();
      }
    }
  }
}
