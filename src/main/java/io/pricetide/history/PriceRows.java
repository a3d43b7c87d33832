package io.pricetide.history;

import io.pricetide.detect.ChangePlan;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps {@code price_row} (migrations V21, V23), the current price table, in step with the series: one row per
 * source, model and condition of the active input, output and cache-read series, or of a price that is not per
 * token (per image, second, character, request or call: {@link Metrics#NOT_PER_TOKEN}; its token columns are then
 * empty and the page lists the row's prices in their own units), rewritten for the rows a check touched, in that
 * check's transaction. The table page reads it sorted, filtered and paged in SQL.
 */
public final class PriceRows {
  /** Above this many touched rows a source's rows are rebuilt in one statement rather than row by row. */
  static final int REBUILD_AT = 1000;

  private static final String COLUMNS = "source_id, model, cond, provider, canonical_model, currency, input_usd, "
      + "output_usd, cache_read_usd, blended_usd, input_amount, output_amount, cache_read_amount, last_changed, search";
  /** The metrics that make a row: the three token columns and every price that is not per token. */
  static final String METRICS = "metric IN ('input', 'output', 'cache_read'" + Metrics.NOT_PER_TOKEN.stream()
      .map(m -> ", '" + m + "'").collect(java.util.stream.Collectors.joining()) + ")";
  /** The same metrics as a set. */
  static final Set<String> ROW_METRICS = java.util.stream.Stream.concat(java.util.stream.Stream.of("input",
      "output", "cache_read"), Metrics.NOT_PER_TOKEN.stream()).collect(java.util.stream.Collectors.toSet());
  private static final String IN = "MAX(CASE WHEN metric = 'input' THEN usd_per_1m END)";
  private static final String OUT = "MAX(CASE WHEN metric = 'output' THEN usd_per_1m END)";
  /** The statement of V21's first fill, for the series a {@code WHERE} clause appended to it names. */
  static final String SELECT = "INSERT INTO price_row (" + COLUMNS + ") SELECT source_id, model, cond, MAX(provider), "
      + "MAX(canonical_model), MAX(currency), " + IN + ", " + OUT + ", "
      + "MAX(CASE WHEN metric = 'cache_read' THEN usd_per_1m END), (3 * " + IN + " + " + OUT + ") * 0.25, "
      + "MAX(CASE WHEN metric = 'input' THEN amount END), MAX(CASE WHEN metric = 'output' THEN amount END), "
      + "MAX(CASE WHEN metric = 'cache_read' THEN amount END), MAX(last_changed), "
      + "LOWER(CONCAT(MAX(provider), ' ', model, ' ', MAX(canonical_model), ' ', source_id, ' ', cond)) "
      + "FROM series WHERE active = TRUE AND " + METRICS + " AND source_id = ?";

  private PriceRows() {}

  /**
   * Rewrites the rows of {@code sourceId} whose series are among {@code touchedSeries} (ids), and drops the
   * source's rows left without an active series (a removal, or a rename's old name). Runs on the check's connection.
   */
  public static void refresh(Connection c, String sourceId, Set<Long> touchedSeries) throws SQLException {
    if (touchedSeries.isEmpty()) {
      return;
    }
    Set<List<String>> keys = new LinkedHashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT model, cond FROM series WHERE id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("BIGINT", touchedSeries.toArray(Long[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(List.of(rs.getString(1), rs.getString(2)));
        }
      }
    }
    rewrite(c, sourceId, keys, false);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM price_row r WHERE r.source_id = ? AND NOT EXISTS "
        + "(SELECT 1 FROM series s WHERE s.source_id = r.source_id AND s.model = r.model AND s.cond = r.cond "
        + "AND s.active = TRUE AND s." + METRICS + ")")) {
      ps.setString(1, sourceId);
      ps.executeUpdate();
    }
  }

  /**
   * The rows (model and condition) whose content a check's plan changes: those of series added, changed,
   * reactivated or removed, and both names of a renamed series, of the metrics that make a row. Series only held
   * back, missing or recovered keep their value and activity, so their rows stay as they are (and a check that
   * changes no price writes no row).
   */
  static Set<List<String>> keysOf(ChangePlan plan) {
    Set<List<String>> keys = new LinkedHashSet<>();
    for (List<Observation> list : List.of(plan.added, plan.changed, plan.reactivated)) {
      for (Observation o : list) {
        add(keys, o.model(), o.metric(), o.condition());
      }
    }
    for (SeriesKey k : plan.removed) {
      add(keys, k.model(), k.metric(), k.condition());
    }
    plan.renamed.forEach((was, now) -> {
      add(keys, was.model(), was.metric(), was.condition());
      add(keys, now.model(), now.metric(), now.condition());
    });
    return keys;
  }

  private static void add(Set<List<String>> keys, String model, String metric, String cond) {
    if (ROW_METRICS.contains(metric)) {
      keys.add(List.of(model, cond));
    }
  }

  /**
   * Rewrites the source's rows of these keys from its active series (a key left without one loses its row); with
   * {@code whole} (a source's first check, or a new baseline: every row is new) or above {@link #REBUILD_AT} keys
   * the source's rows are rebuilt in one statement instead.
   */
  static void rewrite(Connection c, String sourceId, Set<List<String>> keys, boolean whole) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    if (whole || keys.size() > REBUILD_AT) {
      rebuild(c, sourceId);
      return;
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM price_row WHERE source_id = ? AND model = ? "
        + "AND cond = ?"); PreparedStatement ins = c.prepareStatement(SELECT + " AND model = ? AND cond = ? "
        + "GROUP BY source_id, model, cond")) {
      for (List<String> k : keys) {
        bind(del, sourceId, k);
        del.addBatch();
        bind(ins, sourceId, k);
        ins.addBatch();
      }
      del.executeBatch();
      ins.executeBatch();
    }
  }

  /** Rewrites every row of one source. */
  public static void rebuild(Connection c, String sourceId) throws SQLException {
    forget(c, sourceId);
    try (PreparedStatement ps = c.prepareStatement(SELECT + " GROUP BY source_id, model, cond")) {
      ps.setString(1, sourceId);
      ps.executeUpdate();
    }
  }

  /** Deletes every row of one source (its history is being reset). */
  public static void forget(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM price_row WHERE source_id = ?")) {
      ps.setString(1, sourceId);
      ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, String sourceId, List<String> k) throws SQLException {
    List<Object> args = new ArrayList<>(List.of(sourceId, k.get(0), k.get(1)));
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }
}
