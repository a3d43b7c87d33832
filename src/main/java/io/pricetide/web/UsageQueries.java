package io.pricetide.web;

import io.pricetide.db.Queries;
import io.pricetide.db.Rows;
import io.pricetide.history.HistoryException;
import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * Read-only queries of the usage page and {@code GET /api/usage?history=1}: weekly usage points with their valid
 * time, and the price points a provider's blended price is drawn from. Every method blocks.
 */
final class UsageQueries {
  private final DataSource ds;

  UsageQueries(DataSource ds) {
    this.ds = ds;
  }

  /**
   * One recorded usage point.
   *
   * @param week when the value holds: the week's Monday for weekly series ({@code valid_from}), else the check
   * @param observedAt the check that recorded it
   * @param value the amount
   */
  record Point(String source, String provider, String model, String metric, String condition, Instant week,
      Instant observedAt, BigDecimal value) {}

  /**
   * One price point in USD per 1M tokens.
   *
   * @param at when it holds ({@code valid_from} where set, else when observed)
   * @param usd null for a removal
   */
  record PricePoint(String source, String canonical, String model, String metric, Instant at, BigDecimal usd) {}

  /**
   * Usage points of the given sources, by series then time; {@code null} arguments do not filter; the rest bucket
   * ({@code others}) is left out.
   *
   * @param from first week included, or null
   * @param to last week included (its start), or null
   */
  List<Point> usage(List<String> sources, String metric, String provider, String model, Instant from, Instant to) {
    if (sources.isEmpty()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT s.source_id, s.provider, s.model, s.metric, s.cond, "
        + "COALESCE(p.valid_from, p.observed_at) AS t, p.observed_at, p.amount FROM series s JOIN price_point p "
        + "ON p.series_id = s.id WHERE s.source_id IN (" + String.join(", ", Collections.nCopies(sources.size(),
        "?")) + ") AND s.cond <> ?");
    List<Object> args = new ArrayList<>(sources);
    args.add(Metrics.OTHERS);
    if (metric != null) {
      sql.append(" AND s.metric = ?");
      args.add(metric);
    }
    if (provider != null) {
      sql.append(" AND LOWER(s.provider) = LOWER(?)");
      args.add(provider);
    }
    if (model != null) {
      sql.append(" AND (s.model = ? OR s.canonical_model = LOWER(?))");
      args.add(model);
      args.add(model);
    }
    if (from != null) {
      sql.append(" AND COALESCE(p.valid_from, p.observed_at) >= ?");
      args.add(Rows.odt(from));
    }
    if (to != null) {
      sql.append(" AND COALESCE(p.valid_from, p.observed_at) <= ?");
      args.add(Rows.odt(to));
    }
    sql.append(" ORDER BY s.source_id, s.metric, s.model, s.cond, t, p.id");
    List<Point> out = new ArrayList<>();
    query(sql.toString(), args, rs -> out.add(new Point(rs.getString(1), rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getString(5), Rows.instant(rs, 6), Rows.instant(rs, 7), strip(rs.getBigDecimal(8)))));
    return out;
  }

  /** Input and output prices (no condition: the standard tier) of one provider in the given sources, by time. */
  List<PricePoint> prices(List<String> sources, String provider) {
    if (sources.isEmpty()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>(sources);
    args.add(provider);
    List<PricePoint> out = new ArrayList<>();
    query("SELECT s.source_id, s.canonical_model, s.model, s.metric, COALESCE(p.valid_from, p.observed_at) AS t, "
        + "p.usd_per_1m FROM series s JOIN price_point p ON p.series_id = s.id WHERE s.source_id IN ("
        + String.join(", ", Collections.nCopies(sources.size(), "?")) + ") AND LOWER(s.provider) = LOWER(?) "
        + "AND s.metric IN ('input', 'output') AND COALESCE(s.cond, '') = '' ORDER BY t, p.id", args,
        rs -> out.add(new PricePoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            Rows.instant(rs, 5), strip(rs.getBigDecimal(6)))));
    return out;
  }

  /** The providers with input and output prices in each of the given sources: source id → providers (lower case). */
  java.util.Map<String, java.util.Set<String>> priceProviders(List<String> sources) {
    java.util.Map<String, java.util.Set<String>> out = new java.util.HashMap<>();
    if (sources.isEmpty()) {
      return out;
    }
    query("SELECT DISTINCT source_id, LOWER(provider) FROM series WHERE source_id IN (" + String.join(", ",
        Collections.nCopies(sources.size(), "?")) + ") AND metric = 'input' AND provider IS NOT NULL",
        new ArrayList<>(sources), rs -> out.computeIfAbsent(rs.getString(1), k -> new java.util.TreeSet<>())
            .add(rs.getString(2)));
    return out;
  }

  private void query(String sql, List<Object> args, Queries.Row row) {
    try {
      Queries.each(ds, sql, args, row);
    } catch (SQLException e) {
      throw new HistoryException("usage query", e);
    }
  }

  private static BigDecimal strip(BigDecimal d) {
    return d == null ? null : Decimals.price(d);
  }
}
