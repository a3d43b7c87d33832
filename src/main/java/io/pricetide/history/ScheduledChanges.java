package io.pricetide.history;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.db.Rows;
import io.pricetide.detect.Announcements;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Announced prices as scheduled changes ({@code scheduled_change}, V18), in the caller's transaction. An
 * announcement is stored pending on the series of the price it replaces; when its time comes ({@link #applyDue},
 * from the timer or from the next check of its source, whichever is first: the row's status changes from pending
 * exactly once) the series takes the value, a point valid from the effective time is appended (observed at it too,
 * so every read by time sees the old price before and the new one after) and the {@code price_cut} or
 * {@code price_increase} is recorded, dated at the effective time.
 */
final class ScheduledChanges {
  static final String PENDING = "pending";
  static final String APPLIED = "applied";
  static final String REPLACED = "replaced";
  static final String WITHDRAWN = "withdrawn";
  static final String LAPSED = "lapsed";

  private ScheduledChanges() {}

  /** A pending row with what applying it needs. */
  private record Due(long id, long seriesId, String sourceId, Instant at, BigDecimal amount, BigDecimal usd,
      String currency, Long checkId) {}

  /** The source's pending announcements. */
  static List<Announcements.Pending> pending(Connection c, String sourceId) throws SQLException {
    List<Announcements.Pending> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT sc.id, s.model, s.metric, s.cond, sc.effective_from, "
        + "sc.amount, sc.currency, sc.usd_per_1m FROM scheduled_change sc JOIN series s ON s.id = sc.series_id "
        + "WHERE sc.source_id = ? AND sc.status = ? ORDER BY sc.effective_from, sc.id")) {
      ps.setString(1, sourceId);
      ps.setString(2, PENDING);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Announcements.Pending(rs.getLong(1), new SeriesKey(rs.getString(2), rs.getString(3),
              rs.getString(4)), Rows.instant(rs, 5), Rows.amount(rs, 6), rs.getString(7), Rows.amount(rs, 8)));
        }
      }
    }
    return out;
  }

  /** Carries out a check's judgement: new pending rows on their series, replaced and withdrawn ones settled. */
  static void write(Connection c, String sourceId, Announcements.Judgement j, long checkId, Instant at)
      throws SQLException {
    settle(c, j.replaced, REPLACED, at);
    settle(c, j.withdrawn, WITHDRAWN, at);
    if (j.added.isEmpty()) {
      return;
    }
    try (PreparedStatement id = c.prepareStatement(
        "SELECT id FROM series WHERE source_id = ? AND model = ? AND metric = ? AND cond = ?");
        PreparedStatement ins = c.prepareStatement("INSERT INTO scheduled_change (series_id, source_id, "
            + "effective_from, amount, usd_per_1m, currency, announced_at, check_id, status) VALUES (?,?,?,?,?,?,?,?,?)")) {
      for (Observation o : j.added) {
        id.setString(1, sourceId);
        id.setString(2, o.model());
        id.setString(3, o.metric());
        id.setString(4, o.condition());
        long seriesId;
        try (ResultSet rs = id.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("no series " + o.key() + " of " + sourceId + " for its announced price");
          }
          seriesId = rs.getLong(1);
        }
        ins.setLong(1, seriesId);
        ins.setString(2, sourceId);
        ins.setObject(3, Rows.odt(o.effectiveFrom()));
        ins.setBigDecimal(4, o.value());
        ins.setBigDecimal(5, o.usdPer1m());
        ins.setString(6, o.currency());
        ins.setObject(7, Rows.odt(at));
        ins.setLong(8, checkId);
        ins.setString(9, PENDING);
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  private static void settle(Connection c, List<Long> ids, String status, Instant at) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE scheduled_change SET status = ?, settled_at = ? WHERE id = ? AND status = ?")) {
      for (long id : ids) {
        ps.setString(1, status);
        ps.setObject(2, Rows.odt(at));
        ps.setLong(3, id);
        ps.setString(4, PENDING);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The earliest time a pending announcement takes effect, or null when none is pending. */
  static Instant next(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT MIN(effective_from) FROM scheduled_change WHERE status = ?")) {
      ps.setString(1, PENDING);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Rows.instant(rs, 1) : null;
      }
    }
  }

  /**
   * Applies every pending announcement due by {@code upTo} (of one source, or of all when {@code sourceId} is
   * null), oldest first, and returns the events it recorded. One that another transaction applied first is
   * skipped; one whose series was removed meanwhile lapses; one whose value the series already has is applied
   * without an event.
   */
  static List<ChangeEvent> applyDue(Connection c, String sourceId, Instant upTo, Set<String> sources)
      throws SQLException {
    List<Due> due = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, series_id, source_id, effective_from, amount, "
        + "usd_per_1m, currency, check_id FROM scheduled_change WHERE status = ? AND effective_from <= ?"
        + (sourceId == null ? "" : " AND source_id = ?") + " ORDER BY effective_from, id")) {
      ps.setString(1, PENDING);
      ps.setObject(2, Rows.odt(upTo));
      if (sourceId != null) {
        ps.setString(3, sourceId);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long check = rs.getLong(8);
          due.add(new Due(rs.getLong(1), rs.getLong(2), rs.getString(3), Rows.instant(rs, 4), Rows.amount(rs, 5),
              Rows.amount(rs, 6), rs.getString(7), rs.wasNull() ? null : check));
        }
      }
    }
    List<ChangeEvent> events = new ArrayList<>();
    Set<String> touched = new LinkedHashSet<>();
    java.util.Map<String, Set<Long>> series = new java.util.LinkedHashMap<>();
    for (Due d : due) {
      ChangeEvent e = apply(c, d);
      if (e != null) {
        events.add(CheckLog.insertEvent(c, e, d.checkId() == null ? 0 : d.checkId()));
      }
      touched.add(d.sourceId());
      series.computeIfAbsent(d.sourceId(), k -> new LinkedHashSet<>()).add(d.seriesId());
    }
    // The current price table follows the applied prices in the same transaction.
    for (java.util.Map.Entry<String, Set<Long>> e : series.entrySet()) {
      PriceRows.refresh(c, e.getKey(), e.getValue());
    }
    // A series written outside a check: the next check of its source reads its series from the database.
    try (PreparedStatement ps = c.prepareStatement("UPDATE fetch_state SET series_check = NULL WHERE source_id = ?")) {
      for (String s : touched) {
        ps.setString(1, s);
        ps.addBatch();
      }
      if (!touched.isEmpty()) {
        ps.executeBatch();
      }
    }
    sources.addAll(touched);
    return events;
  }

  /** Applies one due announcement; null when it needs no event (or another transaction took it). */
  private static ChangeEvent apply(Connection c, Due d) throws SQLException {
    if (!claim(c, d, APPLIED)) {
      return null;
    }
    Map<String, Object> s = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT provider, model, canonical_model, metric, cond, "
        + "currency, amount, usd_per_1m, active FROM series WHERE id = ?")) {
      ps.setLong(1, d.seriesId());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getBoolean(9)) {
          s = new java.util.HashMap<>();
          s.put("provider", rs.getString(1));
          s.put("model", rs.getString(2));
          s.put("canonical", rs.getString(3));
          s.put("metric", rs.getString(4));
          s.put("cond", rs.getString(5));
          s.put("currency", rs.getString(6));
          s.put("amount", Rows.amount(rs, 7));
          s.put("usd", Rows.amount(rs, 8));
        }
      }
    }
    if (s == null) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_change SET status = ? WHERE id = ?")) {
        ps.setString(1, LAPSED);
        ps.setLong(2, d.id());
        ps.executeUpdate();
      }
      return null;
    }
    BigDecimal old = (BigDecimal) s.get("amount");
    String oldCurrency = (String) s.get("currency");
    if (old != null && old.compareTo(d.amount()) == 0 && oldCurrency.equals(d.currency())) {
      return null;
    }
    try (PreparedStatement up = c.prepareStatement("UPDATE series SET amount = ?, usd_per_1m = ?, currency = ?, "
        + "prev_amount = ?, last_changed = ? WHERE id = ?")) {
      up.setBigDecimal(1, d.amount());
      up.setBigDecimal(2, d.usd());
      up.setString(3, d.currency());
      up.setBigDecimal(4, old);
      up.setObject(5, Rows.odt(d.at()));
      up.setLong(6, d.seriesId());
      up.executeUpdate();
    }
    try (PreparedStatement pt = c.prepareStatement("INSERT INTO price_point (series_id, observed_at, amount, "
        + "usd_per_1m, check_id, valid_from) VALUES (?,?,?,?,?,?)")) {
      pt.setLong(1, d.seriesId());
      pt.setObject(2, Rows.odt(d.at()));
      pt.setBigDecimal(3, d.amount());
      pt.setBigDecimal(4, d.usd());
      pt.setObject(5, d.checkId());
      pt.setObject(6, Rows.odt(d.at()));
      pt.executeUpdate();
    }
    boolean sameCurrency = oldCurrency.equals(d.currency());
    String kind = old == null || !sameCurrency || d.amount().compareTo(old) > 0 ? ChangeEvent.PRICE_INCREASE
        : ChangeEvent.PRICE_CUT;
    return new ChangeEvent(0, kind, d.sourceId(), (String) s.get("provider"), (String) s.get("model"),
        (String) s.get("canonical"), (String) s.get("metric"), (String) s.get("cond"), (BigDecimal) s.get("usd"),
        d.usd(), old, d.amount(), d.currency(), old != null && sameCurrency ? Decimals.changePct(old, d.amount())
        : null, d.at(), null, null, true, d.at());
  }

  /** Moves a row from pending to {@code status}; false when another transaction already did. */
  private static boolean claim(Connection c, Due d, String status) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE scheduled_change SET status = ?, settled_at = ? WHERE id = ? AND status = ?")) {
      ps.setString(1, status);
      ps.setObject(2, Rows.odt(Instant.now()));
      ps.setLong(3, d.id());
      ps.setString(4, PENDING);
      return ps.executeUpdate() == 1;
    }
  }
}
