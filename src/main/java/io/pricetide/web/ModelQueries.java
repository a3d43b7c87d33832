package io.pricetide.web;

import io.pricetide.db.Queries;
import io.pricetide.db.Rows;
import io.pricetide.history.HistoryException;
import io.pricetide.history.HistoryStore;
import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The reads of the model and comparison pages: a model's series with their current values (no points), a few
 * numbers per series over its points (aggregated in the database, never read whole), the ids of models that may be
 * its variants, and the vendors' own current prices. A timeline's points are read through
 * {@link io.pricetide.history.HistoryQueries#eachPoint}, one series at a time. Every method blocks.
 */
final class ModelQueries {
  /** Metrics that are no token prices (exchange rates, usage counts): never on a price page. */
  static final List<String> NOT_PRICES = List.of(Metrics.FX_RATE, Metrics.WEEKLY_TOKENS, Metrics.DOWNLOADS_30D,
      Metrics.LIKES, Metrics.DERIVATIVES);

  private final DataSource ds;

  ModelQueries(DataSource ds) {
    this.ds = ds;
  }

  /**
   * One series of a model, without points.
   *
   * @param id row id
   * @param source source id
   * @param provider provider as the source names it
   * @param model the model as the source names it
   * @param canonical canonical id stored with it
   * @param metric metric
   * @param condition condition, empty for the base price
   * @param currency the source's currency
   * @param usd current USD per 1M, null once removed
   * @param firstSeen first check that saw it
   * @param lastSeen last check that saw it
   * @param lastChanged when its current value (or its removal) took effect
   * @param active false once removed
   */
  record Head(long id, String source, String provider, String model, String canonical, String metric,
      String condition, String currency, BigDecimal amount, BigDecimal usd, Instant firstSeen, Instant lastSeen,
      Instant lastChanged, boolean active) {
    /** The key of the row a series belongs to on the pages: source, the source's name, condition. */
    String rowKey() {
      return source + '|' + model + '|' + condition;
    }
  }

  /**
   * Over the points of one series: the lowest and highest USD price it ever had and how many points it has.
   *
   * @param low lowest USD per 1M, null without a price
   * @param high highest USD per 1M, null without a price
   * @param points number of points (removals included)
   */
  record Stats(BigDecimal low, BigDecimal high, int points) {}

  private static final String HEAD = "SELECT s.id, s.source_id, s.provider, s.model, s.canonical_model, s.metric, "
      + "s.cond, s.currency, s.amount, s.usd_per_1m, s.first_seen, " + HistoryStore.LAST_SEEN + ", s.last_changed, "
      + "s.active FROM series s LEFT JOIN fetch_state f ON f.source_id = s.source_id ";

  /** Every price series of one model (canonical id, or a source's exact name), across metrics. */
  List<Head> heads(String id) {
    List<Head> out = new ArrayList<>();
    List<Object> args = new ArrayList<>(List.of(id, id));
    args.addAll(NOT_PRICES);
    query(HEAD + "WHERE (s.canonical_model = LOWER(?) OR s.model = ?) AND s.metric NOT IN (" + marks(NOT_PRICES.size())
        + ") ORDER BY s.source_id, s.model, s.cond, s.metric", args, rs -> out.add(head(rs)));
    return out;
  }

  /** The current, base-condition series of the given (first-party) sources for the given metrics. */
  List<Head> currentOf(Collection<String> sources, List<String> metrics) {
    if (sources.isEmpty()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>(sources);
    args.addAll(metrics);
    List<Head> out = new ArrayList<>();
    query(HEAD + "WHERE s.active = TRUE AND s.cond = '' AND s.source_id IN (" + marks(sources.size())
        + ") AND s.metric IN (" + marks(metrics.size()) + ") ORDER BY s.source_id, s.model, s.metric", args,
        rs -> out.add(head(rs)));
    return out;
  }

  /** Lowest and highest USD price and the point count of each series, in one aggregate read. */
  Map<Long, Stats> stats(Collection<Long> seriesIds) {
    Map<Long, Stats> out = new HashMap<>();
    List<Long> ids = new ArrayList<>(seriesIds);
    for (int from = 0; from < ids.size(); from += 500) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      query("SELECT series_id, MIN(usd_per_1m), MAX(usd_per_1m), COUNT(*) FROM price_point WHERE series_id IN ("
          + marks(chunk.size()) + ") GROUP BY series_id", new ArrayList<>(chunk), rs -> out.put(rs.getLong(1),
              new Stats(price(rs.getBigDecimal(2)), price(rs.getBigDecimal(3)), rs.getInt(4))));
    }
    return out;
  }

  /** Canonical ids starting with one of the prefixes (a prefix read of {@code series_by_canonical}), at most 200. */
  List<String> modelsStartingWith(List<String> prefixes) {
    TreeSet<String> out = new TreeSet<>();
    for (String p : prefixes) {
      String like = p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      query("SELECT DISTINCT canonical_model FROM series WHERE canonical_model LIKE ? ESCAPE '\\' "
          + "ORDER BY canonical_model LIMIT 200", List.of(like), rs -> out.add(rs.getString(1)));
    }
    return new ArrayList<>(out);
  }

  private static Head head(ResultSet rs) throws SQLException {
    return new Head(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7) == null ? "" : rs.getString(7), rs.getString(8), price(rs.getBigDecimal(9)),
        price(rs.getBigDecimal(10)), Rows.instant(rs, 11), Rows.instant(rs, 12), Rows.instant(rs, 13),
        rs.getBoolean(14));
  }

  private static BigDecimal price(BigDecimal d) {
    return d == null ? null : Decimals.price(d);
  }

  private static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  private void query(String sql, List<?> args, Queries.Row row) {
    try {
      Queries.each(ds, sql, args, row);
    } catch (SQLException e) {
      throw new HistoryException("model page query", e);
    }
  }
}
