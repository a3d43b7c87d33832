package io.pricetide.history;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.db.EventRows;
import io.pricetide.db.Rows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What alerting reads from history, and the only place it does: events, the reference prices a subscriber's
 * threshold is measured against (N-day high, all-time low) and the sources' last successful checks. Alerting owns
 * its own tables and never names history's.
 *
 * <p>The methods that take a {@link Connection} read on the caller's connection, so a match reads inside its own
 * transaction and never waits for a second connection from the pool. Every method blocks.
 */
public final class AlertReads {
  private static final int IN_CHUNK = 500;

  private final DataSource ds;

  public AlertReads(DataSource ds) {
    this.ds = ds;
  }

  /** A series of one source, as an event names it ({@code cond} "" for none). */
  public record Series(String sourceId, String model, String metric, String cond) {
    public static Series of(ChangeEvent e) {
      return new Series(e.sourceId(), e.model(), e.metric(), e.condition() == null ? "" : e.condition());
    }
  }

  /** A stored price: the amount in the source's currency and its USD per 1M (null when unknown). */
  public record Price(BigDecimal amount, BigDecimal usdPer1m) {}

  /** One stored event, or null when there is none with this id. */
  public ChangeEvent event(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.COLUMNS + " FROM change_event e "
        + "WHERE e.id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? EventRows.read(rs, 1) : null;
      }
    }
  }

  /** The stored events among {@code ids}, by id; an id with no event is absent. */
  public Map<Long, ChangeEvent> events(Connection c, Collection<Long> ids) throws SQLException {
    Map<Long, ChangeEvent> out = new HashMap<>();
    List<Long> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      StringBuilder in = new StringBuilder();
      for (long id : all.subList(from, Math.min(all.size(), from + IN_CHUNK))) {
        in.append(in.length() == 0 ? "" : ",").append(id);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.COLUMNS + " FROM change_event e "
          + "WHERE e.id IN (" + in + ")"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ChangeEvent e = EventRows.read(rs, 1);
          out.put(e.id(), e);
        }
      }
    }
    return out;
  }

  /**
   * The events one check recorded for one model of one source (the same source, model as the source names it, and
   * observation time), oldest first: the metrics of one model change, which alerts send together.
   */
  public List<ChangeEvent> eventsOfModelCheck(Connection c, String sourceId, String model, Instant observedAt)
      throws SQLException {
    List<ChangeEvent> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.COLUMNS + " FROM change_event e "
        + "WHERE e.source_id = ? AND e.model = ? AND e.observed_at = ? ORDER BY e.id")) {
      ps.setString(1, sourceId);
      ps.setString(2, model);
      ps.setObject(3, Rows.odt(observedAt));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(EventRows.read(rs, 1));
        }
      }
    }
    return out;
  }

  /**
   * Up to {@code limit} ids of events after {@code afterId} that have no row in the caller's table of handled
   * events ({@code handledTable}, keyed by {@code handledColumn}), oldest first, in one query: the index walk over
   * the events is probed against the handled table's key, so a window of many handled events costs no round trips.
   * The names are the caller's own constants, never input.
   */
  public List<Long> eventIdsAfterNotIn(Connection c, long afterId, int limit, String handledTable,
      String handledColumn) throws SQLException {
    if (!handledTable.matches("[a-z_]+") || !handledColumn.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a table or column name: " + handledTable + "." + handledColumn);
    }
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT e.id FROM change_event e WHERE e.id > ? AND NOT EXISTS "
        + "(SELECT 1 FROM " + handledTable + " h WHERE h." + handledColumn + " = e.id) ORDER BY e.id LIMIT ?")) {
      ps.setLong(1, afterId);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** The highest event id created before {@code t}; 0 when there is none. */
  public long lastEventCreatedBefore(Connection c, Instant t) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM change_event WHERE created_at < ?")) {
      ps.setObject(1, Rows.odt(t));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /**
   * The highest amount of the series in {@code [from, to)}, or the one in force at {@code from} when higher;
   * null when the series had no amount then.
   */
  public Price highSince(Connection c, Series s, Instant from, Instant to) throws SQLException {
    Price[] best = {null};
    RowReader keep = rs -> {
      BigDecimal a = Rows.amount(rs, 1);
      if (a != null && (best[0] == null || a.compareTo(best[0].amount()) > 0)) {
        best[0] = new Price(a, Rows.amount(rs, 2));
      }
    };
    query(c, s, POINTS + "AND p.observed_at >= ? AND p.observed_at < ? ORDER BY p.amount DESC LIMIT 1",
        List.of(Rows.odt(from), Rows.odt(to)), keep);
    // The value in force when the window opened counts too.
    query(c, s, POINTS + "AND p.observed_at < ? ORDER BY p.observed_at DESC, p.id DESC LIMIT 1",
        List.of(Rows.odt(from)), keep);
    return best[0];
  }

  /** The lowest amount the series ever had before {@code before}; null when none. */
  public Price lowBefore(Connection c, Series s, Instant before) throws SQLException {
    Price[] low = {null};
    query(c, s, POINTS + "AND p.observed_at < ? ORDER BY p.amount ASC LIMIT 1", List.of(Rows.odt(before)),
        rs -> low[0] = new Price(Rows.amount(rs, 1), Rows.amount(rs, 2)));
    return low[0];
  }

  /** The start of the source's last check that did not fail; null when it never had one. */
  public Instant lastSuccess(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT MAX(started_at) FROM source_check WHERE source_id = ? AND outcome <> 'error'")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Rows.instant(rs, 1) : null;
      }
    }
  }

  /** The start of every source's last check that did not fail, by source id (stale sources are those too old). */
  public Map<String, Instant> lastSuccesses() throws SQLException {
    Map<String, Instant> out = new HashMap<>();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT source_id, MAX(started_at) FROM source_check WHERE outcome <> 'error' GROUP BY source_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), Rows.instant(rs, 2));
      }
    }
    return out;
  }

  private static final String POINTS = "SELECT p.amount, p.usd_per_1m FROM price_point p "
      + "JOIN series s ON s.id = p.series_id WHERE s.source_id = ? AND s.model = ? AND s.metric = ? AND s.cond = ? "
      + "AND p.amount IS NOT NULL ";

  @FunctionalInterface
  private interface RowReader {
    void accept(ResultSet rs) throws SQLException;
  }

  private static void query(Connection c, Series s, String sql, List<Object> extra, RowReader row)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, s.sourceId());
      ps.setString(2, s.model());
      ps.setString(3, s.metric());
      ps.setString(4, s.cond());
      for (int i = 0; i < extra.size(); i++) {
        ps.setObject(5 + i, extra.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    }
  }
}
