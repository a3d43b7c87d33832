package io.pricetide.history;

import io.pricetide.db.Transactions;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.detect.ChangeDetector;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.detect.ChangePlan;
import io.pricetide.detect.Previous;
import io.pricetide.detect.UsageDetector;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import io.pricetide.db.Rows;
import java.math.BigDecimal;
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
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Append-only price history on JDBC. Every method blocks; callers run it off the event loop. A check's points,
 * events and check row are written in one transaction, so a crash never leaves points without their events.
 */
public final class HistoryStore {
  private final DataSource ds;
  private final SeriesCache cache;

  public HistoryStore(DataSource ds) {
    this(ds, SeriesCache.DEFAULT_CAPACITY);
  }

  /** A store that keeps at most {@code cachedSeries} series of recently checked sources in memory (0: none). */
  public HistoryStore(DataSource ds, int cachedSeries) {
    this.ds = ds;
    this.cache = new SeriesCache(cachedSeries);
  }

  /** The stored conditional-GET validators and last extracted body hash of a source. */
  public record FetchState(String etag, String lastModified, String contentHash, Instant extractedAt) {
    public FetchState(String etag, String lastModified, String contentHash) {
      this(etag, lastModified, contentHash, null);
    }

    /** True when the body was last extracted on an earlier UTC day than {@code now}. */
    public boolean extractedBefore(Instant now) {
      return extractedAt != null && extractedAt.truncatedTo(java.time.temporal.ChronoUnit.DAYS)
          .isBefore(now.truncatedTo(java.time.temporal.ChronoUnit.DAYS));
    }
  }

  /**
   * What a check brings besides its observations: when it started, the HTTP status, the body's hash and the
   * validators to send next time ({@code etag}, {@code lastModified}; either may be null).
   */
  public record CheckInfo(Instant startedAt, Integer httpStatus, String contentHash, String etag,
      String lastModified) {
    public CheckInfo(Instant startedAt, Integer httpStatus, String contentHash) {
      this(startedAt, httpStatus, contentHash, null, null);
    }
  }

  /**
   * The last-seen time of a series, as SQL over {@code series s LEFT JOIN fetch_state f ON f.source_id =
   * s.source_id}: a series present in its source's latest extraction was seen by every check that confirmed it
   * since ({@code fetch_state.seen_at}); any other keeps the time stored on it.
   */
  public static final String LAST_SEEN = "CASE WHEN s.active AND s.missing_checks = 0 AND f.seen_at > s.last_seen "
      + "THEN f.seen_at ELSE s.last_seen END";

  /** How many checks found their source's series in memory ({@link SeriesCache}). */
  public long cacheHits() {
    return cache.hits();
  }

  // ---------------------------------------------------------------- writing

  /**
   * Applies one successful extraction: plans the changes with {@link ChangeDetector}, writes points, series,
   * events and the check row, and (unless the check ended in error) the source's fetch state: the body's hash,
   * the validators, extracted and seen now. A plan refused by a guard writes only the check row and the failure
   * event; a check with held-back values moves only the seen time, so its body is extracted again next time.
   */
  public CheckOutcome apply(String sourceId, Instant observedAt, List<Observation> observations, Guards guards,
      CheckInfo info) {
    return apply(sourceId, observedAt, observations, guards, info, EventMode.PRICES);
  }

  /** Which events a source's checks yield, by the source's kind. */
  public enum EventMode {
    /** Price sources: every change event. */
    PRICES,
    /** Exchange-rate sources: the series are kept, only source failures are events. */
    RATES,
    /** Usage sources: overtakes, rank and share changes ({@link UsageDetector}) instead of value changes. */
    USAGE;

    public static EventMode of(String sourceKind) {
      return switch (sourceKind) {
        case "fx" -> RATES;
        case "usage" -> USAGE;
        default -> PRICES;
      };
    }
  }

  /** As {@link #apply(String, Instant, List, Guards, CheckInfo)}, with the events of the source's kind. */
  public CheckOutcome apply(String sourceId, Instant observedAt, List<Observation> observations, Guards guards,
      CheckInfo info, EventMode mode) {
    return apply(sourceId, observedAt, observations, guards, info, mode, java.util.Set.of());
  }

  /**
   * As {@link #apply(String, Instant, List, Guards, CheckInfo, EventMode)}; {@code catalogues} names the catalogue
   * sources, whose prices are compared with first-party prices for {@code catalogue_drift} events.
   */
  public CheckOutcome apply(String sourceId, Instant observedAt, List<Observation> observations, Guards guards,
      CheckInfo info, EventMode mode, java.util.Set<String> catalogues) {
    SeriesCache.Entry[] next = {null};
    boolean[] wroteSeries = {false};
    CheckOutcome result = tx("apply check of " + sourceId, c -> {
      Instant priorSeen = null;
      Long seriesCheck = null;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT seen_at, series_check FROM fetch_state WHERE source_id = ?")) {
        ps.setString(1, sourceId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            priorSeen = instant(rs, 1);
            seriesCheck = rs.getObject(2, Long.class);
          }
        }
      }
      Map<SeriesKey, SeriesRow> cached = cache.get(sourceId, seriesCheck);
      Map<SeriesKey, SeriesRow> rows = cached != null ? cached : loadSeries(c, sourceId);
      Map<SeriesKey, Previous> previous = new LinkedHashMap<>();
      rows.forEach((k, r) -> previous.put(k, r.previous));
      ChangePlan plan = ChangeDetector.plan(sourceId, previous, observations, guards, observedAt);
      if (mode != EventMode.PRICES) {
        plan.events.removeIf(e -> !e.kind().equals(ChangeEvent.SOURCE_FAILURE));
      }
      if (mode == EventMode.USAGE && !plan.isFailure()) {
        List<ChangeEvent> usage = UsageDetector.detect(sourceId, previous, observations, observedAt);
        if (usage.size() == 1 && usage.get(0).kind().equals(ChangeEvent.SOURCE_FAILURE)) {
          plan.failure = usage.get(0);
        } else {
          plan.events.addAll(usage);
        }
      }
      if (plan.isFailure()) {
        long checkId = insertCheck(c, sourceId, info, CheckOutcome.ERROR, plan.failure.stage(), plan.failure.reason(),
            observations.size(), 1);
        ChangeEvent ev = insertEvent(c, plan.failure, checkId);
        return new CheckOutcome(checkId, sourceId, CheckOutcome.ERROR, ev.stage(), ev.reason(), observations.size(),
            List.of(ev));
      }
      String outcome = plan.heldReason != null ? CheckOutcome.ERROR : rows.isEmpty() ? CheckOutcome.NEW
          : plan.changesHistory() ? CheckOutcome.CHANGED : CheckOutcome.UNCHANGED;
      String stage = plan.heldReason != null ? "detect" : null;
      long checkId = insertCheck(c, sourceId, info, outcome, stage, plan.heldReason, observations.size(),
          plan.events.size());
      wroteSeries[0] = true;
      java.util.Set<Long> touched = execute(c, sourceId, observedAt, plan, rows, checkId, priorSeen);
      writeFetchState(c, sourceId, observedAt, outcome.equals(CheckOutcome.ERROR) ? null
          : new FetchState(info.etag(), info.lastModified(), info.contentHash()), true, checkId);
      if (SeriesCache.worthRefreshing(touched.size(), rows.size())) {
        next[0] = new SeriesCache.Entry(checkId, refreshed(c, rows, touched));
      }
      if (mode == EventMode.PRICES && plan.changesHistory()) {
        plan.events.addAll(DriftCheck.run(c, sourceId, catalogues, observedAt));
      }
      List<ChangeEvent> stored = new ArrayList<>();
      for (ChangeEvent e : plan.events) {
        stored.add(insertEvent(c, e, checkId));
      }
      return new CheckOutcome(checkId, sourceId, outcome, stage, plan.heldReason, observations.size(), stored);
    });
    if (next[0] != null) {
      cache.put(sourceId, next[0]);
    } else if (wroteSeries[0]) {
      cache.remove(sourceId);
    }
    return result;
  }

  /** As {@link #recordUnchanged(String, Instant, CheckInfo, FetchState)}, keeping the stored validators and hash. */
  public CheckOutcome recordUnchanged(String sourceId, Instant at, CheckInfo info) {
    return recordUnchanged(sourceId, at, info, null);
  }

  /**
   * Records a check whose body was the same as the last one, in one transaction of two rows whatever the size of
   * the source: the check, and the fetch state (seen now; the validators and hash of {@code state} when given).
   * Nothing is parsed and no series is written: their last-seen time follows the source's ({@link #LAST_SEEN}).
   */
  public CheckOutcome recordUnchanged(String sourceId, Instant at, CheckInfo info, FetchState state) {
    return tx("record unchanged check of " + sourceId, c -> {
      writeFetchState(c, sourceId, at, state, false, null);
      long id = insertCheck(c, sourceId, info, CheckOutcome.UNCHANGED, null, null, null, 0);
      return new CheckOutcome(id, sourceId, CheckOutcome.UNCHANGED, null, null, 0, List.of());
    });
  }

  /** Records a failed check and its {@code source_failure} event; history is left as it was. */
  public CheckOutcome recordFailure(String sourceId, Instant at, String stage, String reason, CheckInfo info) {
    return tx("record failed check of " + sourceId, c -> {
      long id = insertCheck(c, sourceId, info, CheckOutcome.ERROR, stage, reason, null, 1);
      ChangeEvent ev = insertEvent(c, ChangeEvent.sourceFailure(sourceId, stage, reason, at), id);
      return new CheckOutcome(id, sourceId, CheckOutcome.ERROR, stage, reason, 0, List.of(ev));
    });
  }

  public Optional<FetchState> fetchState(String sourceId) {
    return tx("read fetch state of " + sourceId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT etag, last_modified, content_hash, extracted_at FROM fetch_state WHERE source_id = ?")) {
        ps.setString(1, sourceId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new FetchState(rs.getString(1), rs.getString(2), rs.getString(3),
              instant(rs, 4)))
              : Optional.<FetchState>empty();
        }
      }
    });
  }

  /**
   * Marks the source seen at {@code at}; with a {@code state}, also stores its validators and hash, and when
   * {@code extracted} that the body was run through extraction now. Without one, the stored ones stay.
   */
  private static void writeFetchState(Connection c, String sourceId, Instant at, FetchState state, boolean extracted,
      Long seriesCheck) throws SQLException {
    int n;
    String series = seriesCheck == null ? "" : ", series_check = " + seriesCheck;
    if (state == null) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE fetch_state SET seen_at = ?" + series
          + " WHERE source_id = ?")) {
        ps.setObject(1, odt(at));
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
        ps.setObject(4, odt(at));
        ps.setObject(5, odt(at));
        ps.setBoolean(6, extracted);
        ps.setObject(7, odt(at));
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
        ps.setObject(5, odt(at));
        ps.setObject(6, state != null && extracted ? odt(at) : null);
        ps.setObject(7, odt(at));
        ps.setObject(8, seriesCheck, java.sql.Types.BIGINT);
        ps.executeUpdate();
      }
    }
  }

  /** The time of the source's latest check with a body, or null before the first. */
  public Instant lastObservedAt(String sourceId) {
    return tx("read last check of " + sourceId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT MAX(started_at) FROM source_check WHERE source_id = ? AND content_hash IS NOT NULL")) {
        ps.setString(1, sourceId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? instant(rs, 1) : null;
        }
      }
    });
  }

  /** A stored body of a past check, for {@code reextract}. */
  public record ArchivedCheck(Instant at, String contentHash) {}

  /** Every distinct body a source's checks fetched, oldest first (consecutive repeats dropped). */
  public List<ArchivedCheck> archivedChecks(String sourceId) {
    return tx("list archived checks of " + sourceId, c -> {
      List<ArchivedCheck> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT started_at, content_hash FROM source_check "
          + "WHERE source_id = ? AND content_hash IS NOT NULL ORDER BY started_at, id")) {
        ps.setString(1, sourceId);
        try (ResultSet rs = ps.executeQuery()) {
          String last = null;
          while (rs.next()) {
            String h = rs.getString(2);
            if (!h.equals(last)) {
              out.add(new ArchivedCheck(instant(rs, 1), h));
            }
            last = h;
          }
        }
      }
      return out;
    });
  }

  /** Deletes a source's series, points, events and body checks (before {@code reextract}); fetch failures stay. */
  public void resetSource(String sourceId) {
    cache.remove(sourceId);
    tx("reset " + sourceId, c -> {
      for (String sql : List.of(
          "DELETE FROM price_point WHERE series_id IN (SELECT id FROM series WHERE source_id = ?)",
          "DELETE FROM series WHERE source_id = ?",
          "DELETE FROM change_event WHERE source_id = ? AND (stage IS NULL OR stage <> 'fetch')",
          "DELETE FROM source_check WHERE source_id = ? AND content_hash IS NOT NULL",
          "DELETE FROM fetch_state WHERE source_id = ?")) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, sourceId);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  // ---------------------------------------------------------------- internals

  /** A stored series as a check needs it: its id, key, the detector's view of it, and its own last-seen time. */
  record SeriesRow(long id, SeriesKey key, Previous previous, Instant lastSeen) {}

  private static final String SERIES_COLUMNS = "SELECT id, provider, model, canonical_model, metric, cond, "
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

  private static SeriesRow seriesRow(ResultSet rs) throws SQLException {
    return new SeriesRow(rs.getLong(1), new SeriesKey(rs.getString(3), rs.getString(5), rs.getString(6)),
        new Previous(rs.getString(2), rs.getString(4), strip(rs.getBigDecimal(8)), strip(rs.getBigDecimal(9)),
            rs.getString(7), rs.getBoolean(10), rs.getInt(11), strip(rs.getBigDecimal(13)), instant(rs, 14),
            strip(rs.getBigDecimal(15)), rs.getString(16), rs.getInt(17)), instant(rs, 12));
  }

  /**
   * The source's series after this check: {@code rows} with the {@code touched} ones read back (in place, new ones
   * after them, so the order is the id order {@link #loadSeries} gives). Reading back what was written, rather than
   * working the writes out again here, keeps one definition of every transition: the SQL.
   */
  private static Map<SeriesKey, SeriesRow> refreshed(Connection c, Map<SeriesKey, SeriesRow> rows,
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
    for (SeriesRow r : read) {
      out.put(r.key(), r);
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
  private static java.util.Set<Long> execute(Connection c, String sourceId, Instant at, ChangePlan plan,
      Map<SeriesKey, SeriesRow> rows, long checkId, Instant priorSeen) throws SQLException {
    OffsetDateTime t = odt(at);
    java.util.Set<Long> touched = new java.util.HashSet<>();
    List<NewPoint> points = new ArrayList<>(insertAdded(c, sourceId, plan.added, t, rows.isEmpty()));
    points.forEach(p -> touched.add(p.seriesId()));
    points.addAll(updateChanged(c, plan, rows, t, touched));
    writeHeld(c, plan, rows, touched);
    writeRecovered(c, plan, rows, touched);
    writeMissing(c, plan.missing, rows, priorSeen, touched);
    writePoints(c, points, plan.removed, rows, t, checkId, priorSeen, touched);
    return touched;
  }

  /** When a series present in the last extraction was last seen: the source's last confirmation, or its own. */
  private static Instant lastSeen(SeriesRow r, Instant priorSeen) {
    return r.previous().missingChecks() == 0 && priorSeen != null && priorSeen.isAfter(r.lastSeen()) ? priorSeen
        : r.lastSeen();
  }

  /** Series missing before and present again (unchanged or held back): their missing count goes back to zero. */
  private static void writeRecovered(Connection c, ChangePlan plan, Map<SeriesKey, SeriesRow> rows,
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
  private static List<NewPoint> insertAdded(Connection c, String sourceId, List<Observation> added,
      OffsetDateTime t, boolean onlySeries) throws SQLException {
    if (added.isEmpty()) {
      return List.of();
    }
    List<NewPoint> points = new ArrayList<>(added.size());
    try (PreparedStatement ins = onlySeries ? c.prepareStatement(INSERT_SERIES)
        : c.prepareStatement(INSERT_SERIES, Statement.RETURN_GENERATED_KEYS)) {
      for (Observation o : added) {
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

  private static final String INSERT_SERIES = "INSERT INTO series (source_id, provider, model, canonical_model, "
      + "metric, cond, currency, amount, usd_per_1m, first_seen, last_seen, last_changed, active, missing_checks) "
      + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,TRUE,0)";

  /** Changed and reactivated series take their new value; the old one is kept as the value before. */
  private static List<NewPoint> updateChanged(Connection c, ChangePlan plan, Map<SeriesKey, SeriesRow> rows,
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
  private static void writeHeld(Connection c, ChangePlan plan, Map<SeriesKey, SeriesRow> rows,
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
  private static void writeMissing(Connection c, List<SeriesKey> missing, Map<SeriesKey, SeriesRow> rows,
      Instant priorSeen, java.util.Set<Long> touched) throws SQLException {
    if (missing.isEmpty()) {
      return;
    }
    try (PreparedStatement miss = c.prepareStatement(
        "UPDATE series SET missing_checks = ?, last_seen = ? WHERE id = ?")) {
      for (SeriesKey k : missing) {
        SeriesRow r = rows.get(k);
        miss.setInt(1, r.previous().missingChecks() + 1);
        miss.setObject(2, odt(lastSeen(r, priorSeen)));
        miss.setLong(3, r.id());
        miss.addBatch();
        touched.add(r.id());
      }
      miss.executeBatch();
    }
  }

  /** Appends the new points, and a NULL point for each removed series, which goes inactive. */
  private static void writePoints(Connection c, List<NewPoint> points, List<SeriesKey> removed,
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
        gone.setObject(2, odt(lastSeen(r, priorSeen)));
        gone.setLong(3, id);
        gone.addBatch();
        touched.add(id);
      }
      pt.executeBatch();
      gone.executeBatch();
    }
  }

  private static long insertCheck(Connection c, String sourceId, CheckInfo info, String outcome, String stage,
      String reason, Integer observations, int events) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_check (source_id, started_at, finished_at, "
        + "outcome, stage, reason, http_status, content_hash, observations, event_count) VALUES (?,?,?,?,?,?,?,?,?,?)",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, sourceId);
      ps.setObject(2, odt(info.startedAt()));
      ps.setObject(3, odt(Instant.now()));
      ps.setString(4, outcome);
      ps.setString(5, stage);
      ps.setString(6, truncate(reason));
      ps.setObject(7, info.httpStatus());
      ps.setString(8, info.contentHash());
      ps.setObject(9, observations);
      ps.setInt(10, events);
      ps.executeUpdate();
      return Rows.generatedId(ps);
    }
  }

  private static ChangeEvent insertEvent(Connection c, ChangeEvent e, long checkId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_event (kind, source_id, provider, model, "
        + "canonical_model, metric, cond, old_usd, new_usd, old_amount, new_amount, currency, change_pct, observed_at, "
        + "stage, reason, check_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
      ps.setObject(14, odt(e.observedAt()));
      ps.setString(15, e.stage());
      ps.setString(16, truncate(e.reason()));
      ps.setLong(17, checkId);
      ps.setObject(18, odt(Instant.now()));
      ps.executeUpdate();
      return e.withId(Rows.generatedId(ps));
    }
  }

  private static String truncate(String s) {
    return Rows.truncate(s, 2000);
  }

  static OffsetDateTime odt(Instant i) {
    return Rows.odt(i);
  }

  static Instant instant(ResultSet rs, int col) throws SQLException {
    return Rows.instant(rs, col);
  }

  static BigDecimal strip(BigDecimal d) {
    return d == null ? null : io.pricetide.price.Decimals.price(d);
  }

  <T> T tx(String what, Transactions.Work<T> work) {
    try {
      return Transactions.run(ds, work);
    } catch (SQLException e) {
      throw new HistoryException(what, e);
    }
  }
}
