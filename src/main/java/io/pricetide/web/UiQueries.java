package io.pricetide.web;

import io.pricetide.history.HistoryException;
import io.pricetide.price.Decimals;
import io.pricetide.db.Queries;
import io.pricetide.db.Rows;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Read-only queries the web pages need beyond {@link io.pricetide.history.HistoryQueries}: the latest change per
 * series, the models and their series, the last good check per source and usage series. Every method blocks.
 */
public final class UiQueries {
  private final DataSource ds;

  public UiQueries(DataSource ds) {
    this.ds = ds;
  }

  /**
   * The latest model-level event of one series (a price move, or an addition).
   *
   * @param kind event kind
   * @param metric the metric it concerns
   * @param changePct percent as a decimal string, null for additions
   * @param observedAt when it was observed
   * @param others how many other metrics of the same series moved at the same time
   */
  public record LastChange(String kind, String metric, String changePct, Instant observedAt, int others) {}

  /** A model known to history: canonical id, one name a source gives it, and one provider. */
  public record ModelRef(String canonical, String name, String provider) {}

  /**
   * One series' bookkeeping.
   *
   * @param source source id
   * @param model the model as the source names it
   * @param metric metric
   * @param condition condition, empty for none
   * @param lastSeen last time a check saw it
   * @param active false once removed
   */
  public record SeriesMeta(String source, String model, String metric, String condition, Instant lastSeen,
      boolean active) {}

  /**
   * One point of a series of a usage source.
   *
   * @param source source id
   * @param provider provider
   * @param model model as named
   * @param metric usage metric
   * @param at observation time
   * @param value amount, null for a removal
   */
  public record UsagePoint(String source, String provider, String model, String metric, Instant at,
      BigDecimal value) {}

  /** Key of {@link #lastChanges()}: source, model and condition joined by NUL. */
  public static String key(String source, String model, String condition) {
    return source + '\0' + model + '\0' + (condition == null ? "" : condition);
  }

  private static final String KINDS = "kind IN ('price_cut', 'price_increase', 'model_added', 'metric_added')";

  /**
   * The latest price move or addition per (source, model, condition). When one check moved several metrics, the
   * main one is kept (input, then output, cache read, cache write, then by name) and the others are counted. One
   * pass over the change events of those kinds, in id order (it used to join them to their own per-row maximum,
   * which the embedded store answered by a nested loop: the 30-second price table of #15).
   */
  public Map<String, LastChange> lastChanges() {
    Map<String, LastChange> out = new HashMap<>();
    Map<String, Integer> rank = new HashMap<>();
    query("SELECT source_id, model, cond, kind, metric, change_pct, observed_at FROM change_event WHERE " + KINDS
        + " ORDER BY id", List.of(), rs -> merge(out, rank, key(rs.getString(1), rs.getString(2), rs.getString(3)),
            rs));
    return out;
  }

  /**
   * As {@link #lastChanges()} for the given rows only, each read on the index {@code change_event_by_row}: what a
   * page of the price table needs.
   *
   * @param rows (source, model, condition) of each row
   */
  public Map<String, LastChange> lastChanges(List<String[]> rows) {
    Map<String, LastChange> out = new HashMap<>();
    Map<String, Integer> rank = new HashMap<>();
    for (String[] r : rows) {
      String k = key(r[0], r[1], r[2]);
      query("SELECT source_id, model, cond, kind, metric, change_pct, observed_at FROM change_event WHERE "
          + "source_id = ? AND model = ? AND COALESCE(cond, '') = ? AND " + KINDS + " ORDER BY observed_at, id",
          List.of(r[0], r[1], r[2] == null ? "" : r[2]), rs -> merge(out, rank, k, rs));
    }
    return out;
  }

  /**
   * The current prices that are not per token (per image, second, character, request or call) of the given rows,
   * by {@link #key}, each read on the series' identity index: the price table shows them in their own units.
   *
   * @param rows (source, model, condition) of each row
   */
  public Map<String, Map<String, PriceTable.Cell>> notPerToken(List<String[]> rows) {
    Map<String, Map<String, PriceTable.Cell>> out = new HashMap<>();
    String in = String.join(", ", java.util.Collections.nCopies(io.pricetide.price.Metrics.NOT_PER_TOKEN.size(), "?"));
    for (String[] r : rows) {
      List<Object> args = new ArrayList<>(List.of(r[0], r[1], r[2] == null ? "" : r[2]));
      args.addAll(io.pricetide.price.Metrics.NOT_PER_TOKEN);
      query("SELECT metric, usd_per_1m, amount, currency FROM series WHERE source_id = ? AND model = ? AND cond = ? "
          + "AND active = TRUE AND metric IN (" + in + ") ORDER BY metric", args, rs -> out.computeIfAbsent(
              key(r[0], r[1], r[2]), k -> new java.util.LinkedHashMap<>()).put(rs.getString(1), new PriceTable.Cell(
                  rs.getBigDecimal(2) == null ? null : io.pricetide.price.Decimals.price(rs.getBigDecimal(2)),
                  strip(rs.getBigDecimal(3)), rs.getString(4))));
    }
    return out;
  }

  /** Folds one event row (columns as in {@link #lastChanges()}) into the latest change of its key. */
  private static void merge(Map<String, LastChange> out, Map<String, Integer> rank, String k, ResultSet rs)
      throws SQLException {
    Instant at = instant(rs, 7);
    LastChange prev = out.get(k);
    if (prev != null && at.isBefore(prev.observedAt())) {
      return;
    }
    BigDecimal pct = rs.getBigDecimal(6);
    int r = metricRank(rs.getString(5));
    LastChange mine = new LastChange(rs.getString(4), rs.getString(5), pct == null ? null : pct.toPlainString(), at,
        0);
    if (prev == null || at.isAfter(prev.observedAt())) {
      rank.put(k, r);
      out.put(k, mine);
    } else if (r < rank.get(k)) {
      rank.put(k, r);
      out.put(k, new LastChange(mine.kind(), mine.metric(), mine.changePct(), at, prev.others() + 1));
    } else {
      out.put(k, new LastChange(prev.kind(), prev.metric(), prev.changePct(), prev.observedAt(), prev.others() + 1));
    }
  }

  private static int metricRank(String metric) {
    int i = List.of("input", "output", "cache_read", "cache_write").indexOf(metric);
    return i < 0 ? 10 : i;
  }

  /** Every model with history, by canonical id. */
  public List<ModelRef> models() {
    List<ModelRef> out = new ArrayList<>();
    query("SELECT canonical_model, MIN(model), MIN(provider) FROM series GROUP BY canonical_model "
        + "ORDER BY canonical_model", List.of(), rs -> out.add(new ModelRef(rs.getString(1), rs.getString(2),
            rs.getString(3))));
    return out;
  }

  /** The series of one model (canonical id or a source's name), with last-seen times. */
  public List<SeriesMeta> seriesOf(String model) {
    List<SeriesMeta> out = new ArrayList<>();
    query("SELECT s.source_id, s.model, s.metric, s.cond, " + io.pricetide.history.HistoryStore.LAST_SEEN
        + ", s.active FROM series s LEFT JOIN fetch_state f ON f.source_id = s.source_id "
        + "WHERE s.canonical_model = LOWER(?) OR s.model = ? ORDER BY s.metric, s.source_id, s.cond", List.of(model, model), rs -> out.add(new SeriesMeta(
            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5), rs.getBoolean(6))));
    return out;
  }

  /** The last check of each source that did not fail. */
  public Map<String, Instant> lastSuccess() {
    Map<String, Instant> out = new HashMap<>();
    query("SELECT source_id, MAX(started_at) FROM source_check WHERE outcome <> 'error' GROUP BY source_id",
        List.of(), rs -> out.put(rs.getString(1), instant(rs, 2)));
    return out;
  }

  /**
   * Every point of every series of the given (usage) sources, oldest first; a chart's rest bucket (condition
   * {@code others}) is not a series to show.
   */
  public List<UsagePoint> usagePoints(List<String> sourceIds) {
    if (sourceIds.isEmpty()) {
      return List.of();
    }
    List<UsagePoint> out = new ArrayList<>();
    String marks = String.join(", ", java.util.Collections.nCopies(sourceIds.size(), "?"));
    // A weekly value is for its week (valid_from), not for the check that read it with the rest of the year.
    query("SELECT s.source_id, s.provider, s.model, s.metric, COALESCE(p.valid_from, p.observed_at) AS t, p.amount "
        + "FROM series s JOIN price_point p ON p.series_id = s.id WHERE s.source_id IN (" + marks + ") "
        + "AND s.cond <> ? ORDER BY t, p.id", args(sourceIds, io.pricetide.price.Metrics.OTHERS), rs -> out.add(new UsagePoint(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5), strip(rs.getBigDecimal(6)))));
    return out;
  }

  private static List<Object> args(List<String> ids, Object last) {
    List<Object> a = new ArrayList<>(ids);
    a.add(last);
    return a;
  }

  private void query(String sql, List<Object> args, Queries.Row row) {
    try {
      Queries.each(ds, sql, args, row);
    } catch (SQLException e) {
      throw new HistoryException("web query", e);
    }
  }

  private static BigDecimal strip(BigDecimal d) {
    return d == null ? null : Decimals.price(d);
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    return Rows.instant(rs, col);
  }

}
