package io.pricetide.history;

import io.pricetide.db.Rows;
import io.pricetide.detect.ChangePlan;
import io.pricetide.detect.Previous;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source's series as a check needs them, and the writes that carry out a {@link ChangePlan}: new series, changed
 * values, held-back suspects, missing and removed series, and the appended points. Runs in the caller's transaction.
 */
final class SeriesWriter {
  private SeriesWriter() {}

  /** A stored series as a check needs it: its id, key, the detector's view of it, and its own last-seen time. */
  record SeriesRow(long id, SeriesKey key, Previous previous, Instant lastSeen) {}

  static final String SERIES_COLUMNS = "SELECT id, provider, model, canonical_model, metric, cond, "
      + "currency, amount, usd_per_1m, active, missing_checks, last_seen, prev_amount, last_changed, held_amount, "
      + "held_currency, held_checks FROM series ";

  /** A source's series in id order, as the change detector sees them. */
  static Map<SeriesKey, SeriesRow> loadSeries(Connection c, String sourceId) throws SQLException {
    Map<SeriesKey, SeriesRow> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(SERIES_COLUMNS + "WHERE source_id = ? ORDER BY id")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          SeriesRow r = seriesRow(rs);
          out.put(r.key(), r);
        }
      }
    }
    return out;
  }

  static SeriesRow seriesRow(ResultSet rs) throws SQLException {
    return new SeriesRow(rs.getLong(1), new SeriesKey(rs.getString(3), rs.getString(5), rs.getString(6)),
        new Previous(rs.getString(2), rs.getString(4), Rows.amount(rs, 8), Rows.amount(rs, 9),
            rs.getString(7), rs.getBoolean(10), rs.getInt(11), Rows.amount(rs, 13), Rows.instant(rs, 14),
            Rows.amount(rs, 15), rs.getString(16), rs.getInt(17)), Rows.instant(rs, 12));
  }

  /**
   * The source's series after this check: {@code rows} with the {@code touched} ones read back (in place, new ones
   * after them, so the order is the id order {@link #loadSeries} gives). Reading back what was written, rather than
   * working the writes out again here, keeps one definition of every transition: the SQL.
   */
  static Map<SeriesKey, SeriesRow> refreshed(Connection c, Map<SeriesKey, SeriesRow> rows,
      java.util.Set<Long> touched) throws SQLException {
    Map<SeriesKey, SeriesRow> out = new LinkedHashMap<>(rows);
    if (touched.isEmpty()) {
      return out;
    }
    List<SeriesRow> read = new ArrayList<>(touched.size());
    try (PreparedStatement ps = c.prepareStatement(SERIES_COLUMNS + "WHERE id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("BIGINT", touched.toArray(Long[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          read.add(seriesRow(rs));
        }
      }
    }
    if (read.size() != touched.size()) {
      throw new SQLException("read back " + read.size() + " of " + touched.size() + " series written");
    }
    read.sort(java.util.Comparator.comparingLong(SeriesRow::id));
    Map<Long, SeriesKey> keyOf = new java.util.HashMap<>();
    rows.values().forEach(r -> keyOf.put(r.id(), r.key()));
    boolean renamed = false;
    for (SeriesRow r : read) {
      SeriesKey was = keyOf.get(r.id());
      if (was != null && !was.equals(r.key())) {
        out.remove(was);
        renamed = true;
      }
      out.put(r.key(), r);
    }
    if (renamed) {
      List<SeriesRow> all = new ArrayList<>(out.values());
      all.sort(java.util.Comparator.comparingLong(SeriesRow::id));
      out.clear();
      all.forEach(r -> out.put(r.key(), r));
    }
    return out;
  }

  /** A point to append: the series and the observation whose value it records. */
  private record NewPoint(long seriesId, Observation value) {}

  /**
   * Carries out a plan: every series touched, every point appended, in the caller's transaction. Series seen
   * unchanged are not written: their last-seen time is the source's ({@link #LAST_SEEN}). A series that goes
   * missing or is removed keeps the time it was last seen, {@code priorSeen} (the source's before this check).
   */
  static java.util.Set<Long> execute(Connection c, String sourceId, Instant at, ChangePlan plan,
      Map<SeriesKey, SeriesRow> rows, long checkId, Instant priorSeen) throws SQLException {
    OffsetDateTime t = Rows.odt(at);
    java.util.Set<Long> touched = new java.util.HashSet<>();
    List<NewPoint> points = new ArrayList<>(insertAdded(c, sourceId, plan.added, t, rows.isEmpty()));
    points.forEach(p -> touched.add(p.seriesId()));
    points.addAll(updateChanged(c, plan, rows, t, touched));
    writeRenamed(c, plan, rows, touched);
    writeHeld(c, plan, rows, touched);
    writeRecovered(c, plan, rows, touched);
    writeMissing(c, plan.missing, rows, priorSeen, touched);
    writePoints(c, points, plan.removed, rows, t, checkId, priorSeen, touched);
    return touched;
  }

  /** When a series present in the last extraction was last seen: the source's last confirmation, or its own. */
  static Instant lastSeen(SeriesRow r, Instant priorSeen) {
    return r.previous().missingChecks() == 0 && priorSeen != null && priorSeen.isAfter(r.lastSeen()) ? priorSeen
        : r.lastSeen();
  }

  /**
   * Renamed series keep their row, id and points: the model (and canonical id and provider) change in place and
   * the series is present again. Their value is the same, so no point is appended.
   */
  static void writeRenamed(Connection c, ChangePlan plan, Map<SeriesKey, SeriesRow> rows,
      java.util.Set<Long> touched) throws SQLException {
    if (plan.renamed.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE series SET model = ?, canonical_model = ?, provider = ?, missing_checks = 0 WHERE id = ?")) {
      for (Map.Entry<SeriesKey, Observation> e : plan.renamed.entrySet()) {
        SeriesRow r = rows.get(e.getKey());
        ps.setString(1, e.getValue().model());
        ps.setString(2, e.getValue().canonicalModel());
        ps.setString(3, e.getValue().provider());
        ps.setLong(4, r.id());
        ps.addBatch();
        touched.add(r.id());
      }
      ps.executeBatch();
    }
  }

  /** Series missing before and present again (unchanged or held back): their missing count goes back to zero. */
  static void writeRecovered(Connection c, ChangePlan plan, Map<SeriesKey, SeriesRow> rows,
      java.util.Set<Long> touched) throws SQLException {
    List<Long> ids = new ArrayList<>();
    for (SeriesKey k : plan.recovered) {
      ids.add(rows.get(k).id());
    }
    for (Observation o : plan.held) {
      SeriesRow r = rows.get(o.key());
      if (r.previous().missingChecks() > 0) {
        ids.add(r.id());
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    touched.addAll(ids);
    try (PreparedStatement ps = c.prepareStatement("UPDATE series SET missing_checks = 0 WHERE id = ?")) {
      for (long id : ids) {
        ps.setLong(1, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Inserts new series and returns them with their ids. On a source's first check every series is new, and one
   * indexed query for the source's ids costs much less than a generated key per row; later checks add a few series
   * to many and take the generated keys.
   */
  /** Binds a new series of {@code o}, first seen, last seen and changed at {@code t}, to {@link #INSERT_SERIES}. */
  static void bindNew(PreparedStatement ins, String sourceId, Observation o, OffsetDateTime t) throws SQLException {
    ins.setString(1, sourceId);
    ins.setString(2, o.provider());
    ins.setString(3, o.model());
    ins.setString(4, o.canonicalModel());
    ins.setString(5, o.metric());
    ins.setString(6, o.condition());
    ins.setString(7, o.currency());
    ins.setBigDecimal(8, o.value());
    ins.setBigDecimal(9, o.usdPer1m());
    ins.setObject(10, t);
    ins.setObject(11, t);
    ins.setObject(12, t);
  }

  static List<NewPoint> insertAdded(Connection c, String sourceId, List<Observation> added,
      OffsetDateTime t, boolean onlySeries) throws SQLException {
    if (added.isEmpty()) {
      return List.of();
    }
    List<NewPoint> points = new ArrayList<>(added.size());
    try (PreparedStatement ins = onlySeries ? c.prepareStatement(INSERT_SERIES)
        : c.prepareStatement(INSERT_SERIES, Statement.RETURN_GENERATED_KEYS)) {
      for (Observation o : added) {
        bindNew(ins, sourceId, o, t);
        ins.addBatch();
      }
      ins.executeBatch();
      if (!onlySeries) {
        try (ResultSet keys = ins.getGeneratedKeys()) {
          while (keys.next() && points.size() < added.size()) {
            points.add(new NewPoint(keys.getLong(1), added.get(points.size())));
          }
        }
      }
    }
    if (onlySeries) {
      Map<SeriesKey, Long> ids = new java.util.HashMap<>(added.size() * 2);
      try (PreparedStatement q = c.prepareStatement("SELECT id, model, metric, cond FROM series WHERE source_id = ?")) {
        q.setString(1, sourceId);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            ids.put(new SeriesKey(rs.getString(2), rs.getString(3), rs.getString(4)), rs.getLong(1));
          }
        }
      }
      for (Observation o : added) {
        Long id = ids.get(o.key());
        if (id != null) {
          points.add(new NewPoint(id, o));
        }
      }
    }
    if (points.size() != added.size()) {
      throw new SQLException("found " + points.size() + " ids for " + added.size() + " new series");
    }
    return points;
  }

  static final String INSERT_SERIES = "INSERT INTO series (source_id, provider, model, canonical_model, "
      + "metric, cond, currency, amount, usd_per_1m, first_seen, last_seen, last_changed, active, missing_checks) "
      + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,TRUE,0)";

  /** Changed and reactivated series take their new value; the old one is kept as the value before. */
  static List<NewPoint> updateChanged(Connection c, ChangePlan plan, Map<SeriesKey, SeriesRow> rows,
      OffsetDateTime t, java.util.Set<Long> touched) throws SQLException {
    List<Observation> updates = new ArrayList<>(plan.changed);
    updates.addAll(plan.reactivated);
    if (updates.isEmpty()) {
      return List.of();
    }
    List<NewPoint> points = new ArrayList<>(updates.size());
    try (PreparedStatement up = c.prepareStatement("UPDATE series SET amount = ?, usd_per_1m = ?, currency = ?, "
        + "provider = ?, canonical_model = ?, last_changed = ?, last_seen = ?, active = TRUE, missing_checks = 0, "
        + "prev_amount = ? WHERE id = ?")) {
      for (Observation o : updates) {
        SeriesRow row = rows.get(o.key());
        up.setBigDecimal(1, o.value());
        up.setBigDecimal(2, o.usdPer1m());
        up.setString(3, o.currency());
        up.setString(4, o.provider());
        up.setString(5, o.canonicalModel());
        up.setObject(6, t);
        up.setObject(7, t);
        up.setBigDecimal(8, row.previous().active() ? row.previous().amount() : null);
        up.setLong(9, row.id());
        up.addBatch();
        touched.add(row.id());
        points.add(new NewPoint(row.id(), o));
      }
      up.executeBatch();
    }
    return points;
  }

  /** Held-back values and their streaks; a held value not seen again this time is forgotten. */
  static void writeHeld(Connection c, ChangePlan plan, Map<SeriesKey, SeriesRow> rows,
      java.util.Set<Long> touched) throws SQLException {
    try (PreparedStatement hold = c.prepareStatement(
        "UPDATE series SET held_amount = ?, held_currency = ?, held_checks = ? WHERE id = ?")) {
      for (Observation o : plan.held) {
        hold.setBigDecimal(1, o.value());
        hold.setString(2, o.currency());
        hold.setInt(3, plan.heldSightings.getOrDefault(o.key(), 1));
        hold.setLong(4, rows.get(o.key()).id());
        hold.addBatch();
        touched.add(rows.get(o.key()).id());
      }
      for (Map.Entry<SeriesKey, SeriesRow> e : rows.entrySet()) {
        if (e.getValue().previous().heldAmount() != null && !plan.heldSightings.containsKey(e.getKey())) {
          hold.setBigDecimal(1, null);
          hold.setString(2, null);
          hold.setInt(3, 0);
          hold.setLong(4, e.getValue().id());
          hold.addBatch();
          touched.add(e.getValue().id());
        }
      }
      hold.executeBatch();
    }
  }

  /** Absent but not yet removed: one more missing check, and the time they were last seen. */
  static void writeMissing(Connection c, List<SeriesKey> missing, Map<SeriesKey, SeriesRow> rows,
      Instant priorSeen, java.util.Set<Long> touched) throws SQLException {
    if (missing.isEmpty()) {
      return;
    }
    try (PreparedStatement miss = c.prepareStatement(
        "UPDATE series SET missing_checks = ?, last_seen = ? WHERE id = ?")) {
      for (SeriesKey k : missing) {
        SeriesRow r = rows.get(k);
        miss.setInt(1, r.previous().missingChecks() + 1);
        miss.setObject(2, Rows.odt(lastSeen(r, priorSeen)));
        miss.setLong(3, r.id());
        miss.addBatch();
        touched.add(r.id());
      }
      miss.executeBatch();
    }
  }

  /** Appends the new points, and a NULL point for each removed series, which goes inactive. */
  static void writePoints(Connection c, List<NewPoint> points, List<SeriesKey> removed,
      Map<SeriesKey, SeriesRow> rows, OffsetDateTime t, long checkId, Instant priorSeen, java.util.Set<Long> touched)
      throws SQLException {
    try (PreparedStatement pt = c.prepareStatement(
        "INSERT INTO price_point (series_id, observed_at, amount, usd_per_1m, check_id) VALUES (?,?,?,?,?)");
        PreparedStatement gone = c.prepareStatement(
            "UPDATE series SET active = FALSE, missing_checks = 0, last_changed = ?, last_seen = ? WHERE id = ?")) {
      for (NewPoint p : points) {
        pt.setLong(1, p.seriesId());
        pt.setObject(2, t);
        pt.setBigDecimal(3, p.value().value());
        pt.setBigDecimal(4, p.value().usdPer1m());
        pt.setLong(5, checkId);
        pt.addBatch();
      }
      for (SeriesKey k : removed) {
        SeriesRow r = rows.get(k);
        long id = r.id();
        pt.setLong(1, id);
        pt.setObject(2, t);
        pt.setBigDecimal(3, null);
        pt.setBigDecimal(4, null);
        pt.setLong(5, checkId);
        pt.addBatch();
        gone.setObject(1, t);
        gone.setObject(2, Rows.odt(lastSeen(r, priorSeen)));
        gone.setLong(3, id);
        gone.addBatch();
        touched.add(id);
      }
      pt.executeBatch();
      gone.executeBatch();
    }
  }
}
