package io.pricetide.history;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.db.Queries;
import io.pricetide.db.Rows;
import io.pricetide.detect.WeeklyUsage;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a check of a weekly usage source ({@link WeeklyUsage}) in the caller's transaction: a point per new or
 * revised week, valid from the week's Monday ({@code price_point.valid_from}) and observed at the check; each
 * series' current value is its latest week; a series absent from the latest week (a model that left the chart's
 * top) goes inactive without an event, as turnover is no removal.
 */
final class WeeklyWriter {
  private WeeklyWriter() {}

  static CheckOutcome apply(Connection c, String sourceId, Instant at, List<Observation> observations,
      CheckInfo info) throws SQLException {
    Map<SeriesKey, SeriesWriter.SeriesRow> rows = SeriesWriter.loadSeries(c, sourceId);
    Map<Long, SeriesKey> keyOf = new HashMap<>();
    rows.forEach((k, r) -> keyOf.put(r.id(), k));
    Map<SeriesKey, NavigableMap<Instant, BigDecimal>> stored = new HashMap<>();
    Queries.each(c, "SELECT p.series_id, p.valid_from, p.amount FROM price_point p JOIN series s ON s.id = "
        + "p.series_id WHERE s.source_id = ? AND p.valid_from IS NOT NULL ORDER BY p.id", List.of(sourceId), rs -> {
          SeriesKey k = keyOf.get(rs.getLong(1));
          stored.computeIfAbsent(k, x -> new TreeMap<>()).put(Rows.instant(rs, 2), Rows.amount(rs, 3));
        });
    List<Observation> weekly = observations.stream().filter(o -> o.effectiveFrom() != null).toList();
    WeeklyUsage.Plan plan = WeeklyUsage.plan(sourceId, stored, weekly, firstCheck(c, sourceId), at);
    if (plan.failure != null) {
      long id = CheckLog.insertCheck(c, sourceId, info, CheckOutcome.ERROR, "detect", plan.failure.reason(),
          observations.size(), 1);
      ChangeEvent ev = CheckLog.insertEvent(c, plan.failure, id);
      return new CheckOutcome(id, sourceId, CheckOutcome.ERROR, "detect", ev.reason(), observations.size(),
          List.of(ev));
    }
    String outcome = rows.isEmpty() ? CheckOutcome.NEW : plan.points.isEmpty() ? CheckOutcome.UNCHANGED
        : CheckOutcome.CHANGED;
    long checkId = CheckLog.insertCheck(c, sourceId, info, outcome, null, null, observations.size(),
        plan.events.size());
    Map<SeriesKey, Long> ids = new HashMap<>();
    rows.forEach((k, r) -> ids.put(k, r.id()));
    writeSeries(c, sourceId, at, plan, rows, ids);
    writePoints(c, plan.points, ids, at, checkId);
    retire(c, plan, stored, rows);
    FetchStates.write(c, sourceId, at, new FetchState(info.etag(), info.lastModified(), info.contentHash()), true,
        checkId);
    List<ChangeEvent> recorded = new ArrayList<>();
    for (ChangeEvent e : plan.events) {
      recorded.add(CheckLog.insertEvent(c, e, checkId));
    }
    return new CheckOutcome(checkId, sourceId, outcome, null, null, observations.size(), recorded);
  }

  /** When the source's first check with a body started, or null before it. */
  private static Instant firstCheck(Connection c, String sourceId) throws SQLException {
    Instant[] first = {null};
    Queries.each(c, "SELECT MIN(started_at) FROM source_check WHERE source_id = ? AND content_hash IS NOT NULL",
        List.of(sourceId), rs -> first[0] = Rows.instant(rs, 1));
    return first[0];
  }

  /** New series take their latest week's value; known ones move to it when it is new or revised. */
  private static void writeSeries(Connection c, String sourceId, Instant at, WeeklyUsage.Plan plan,
      Map<SeriesKey, SeriesWriter.SeriesRow> rows, Map<SeriesKey, Long> ids) throws SQLException {
    List<Observation> added = new ArrayList<>();
    try (PreparedStatement up = c.prepareStatement("UPDATE series SET amount = ?, last_changed = ?, last_seen = ?, "
        + "active = TRUE, missing_checks = 0, prev_amount = amount WHERE id = ?")) {
      for (Observation o : plan.latest.values()) {
        SeriesWriter.SeriesRow r = rows.get(o.key());
        if (r == null) {
          added.add(o);
          continue;
        }
        up.setBigDecimal(1, o.value());
        up.setObject(2, Rows.odt(at));
        up.setObject(3, Rows.odt(at));
        up.setLong(4, r.id());
        up.addBatch();
      }
      up.executeBatch();
    }
    // A series seen only in weeks before its latest recorded one is new too (a model that entered the top late).
    for (Observation o : plan.points) {
      if (!rows.containsKey(o.key()) && added.stream().noneMatch(a -> a.key().equals(o.key()))) {
        added.add(o);
      }
    }
    try (PreparedStatement ins = c.prepareStatement(SeriesWriter.INSERT_SERIES, Statement.RETURN_GENERATED_KEYS)) {
      for (Observation o : added) {
        SeriesWriter.bindNew(ins, sourceId, o, Rows.odt(at));
        ins.executeUpdate();
        ids.put(o.key(), Rows.generatedId(ins));
      }
    }
  }

  private static void writePoints(Connection c, List<Observation> points, Map<SeriesKey, Long> ids, Instant at,
      long checkId) throws SQLException {
    try (PreparedStatement pt = c.prepareStatement("INSERT INTO price_point (series_id, observed_at, amount, "
        + "usd_per_1m, check_id, valid_from) VALUES (?,?,?,?,?,?)")) {
      for (Observation o : points) {
        pt.setLong(1, ids.get(o.key()));
        pt.setObject(2, Rows.odt(at));
        pt.setBigDecimal(3, o.value());
        pt.setBigDecimal(4, o.usdPer1m());
        pt.setLong(5, checkId);
        pt.setObject(6, Rows.odt(o.effectiveFrom()));
        pt.addBatch();
      }
      pt.executeBatch();
    }
  }

  /** Series whose latest week is older than their metric's newest week leave the current view (no event). */
  private static void retire(Connection c, WeeklyUsage.Plan plan,
      Map<SeriesKey, NavigableMap<Instant, BigDecimal>> stored, Map<SeriesKey, SeriesWriter.SeriesRow> rows)
      throws SQLException {
    Map<String, Instant> newest = new HashMap<>();
    Map<SeriesKey, Instant> last = new HashMap<>();
    stored.forEach((k, weeks) -> last.put(k, weeks.lastKey()));
    plan.points.forEach(o -> last.merge(o.key(), o.effectiveFrom(), (a, b) -> a.isAfter(b) ? a : b));
    last.forEach((k, w) -> newest.merge(k.metric(), w, (a, b) -> a.isAfter(b) ? a : b));
    Set<SeriesKey> gone = new java.util.HashSet<>();
    last.forEach((k, w) -> {
      if (w.isBefore(newest.get(k.metric())) && rows.containsKey(k) && rows.get(k).previous().active()) {
        gone.add(k);
      }
    });
    try (PreparedStatement ps = c.prepareStatement("UPDATE series SET active = FALSE WHERE id = ?")) {
      for (SeriesKey k : gone) {
        ps.setLong(1, rows.get(k).id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
