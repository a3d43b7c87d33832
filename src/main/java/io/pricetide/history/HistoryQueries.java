package io.pricetide.history;

import io.pricetide.db.EventRows;
import io.pricetide.price.Metrics;
import io.pricetide.db.Queries;
import io.pricetide.db.Rows;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** Read-only queries over history for the API and the CLI. Every method blocks. */
public final class HistoryQueries {
  private final DataSource ds;

  public HistoryQueries(DataSource ds) {
    this.ds = ds;
  }

  /** The database, for read-only queries of other features (the web UI's own queries). */
  public DataSource dataSource() {
    return ds;
  }

  /** A filter on change events; null fields do not filter. {@code cursor} pages backwards by id. */
  public record EventFilter(String source, String provider, String kind, String model, Instant since, Long cursor,
      int limit, boolean newestFirst) {}

  /** Current prices of active series, optionally for one provider and one model (canonical id or source name). */
  public JsonArray currentPrices(String provider, String model) {
    JsonArray out = new JsonArray();
    eachPrice(provider, model, null, 0, out::add);
    return out;
  }

  /**
   * The ordering key of a current price in {@code /api/prices}: provider, canonical model, metric, condition and
   * source; pages continue after the last key they showed.
   */
  public record PriceKey(String provider, String canonicalModel, String metric, String condition, String source) {
    /** The key of a row of {@link #eachPrice}. */
    public static PriceKey of(JsonObject p) {
      return new PriceKey(p.getString("provider"), p.getString("canonical_model"), p.getString("metric"),
          p.getString("condition") == null ? "" : p.getString("condition"), p.getString("source"));
    }
  }

  /**
   * Current prices as {@link #currentPrices}, handed on one by one in listing order (the index
   * {@code series_by_listing}), after {@code after} when given and at most {@code limit} (0: all).
   */
  public void eachPrice(String provider, String model, PriceKey after, int limit, Consumer<JsonObject> row) {
    StringBuilder sql = new StringBuilder("SELECT s.source_id, s.provider, s.model, s.canonical_model, s.metric, "
        + "s.cond, s.amount, s.currency, s.usd_per_1m, s.last_changed, " + HistoryStore.LAST_SEEN + ", "
        + Agreement.AGREEING + ", " + Agreement.LISTING + " FROM series s "
        + "LEFT JOIN fetch_state f ON f.source_id = s.source_id WHERE s.active = TRUE "
        + "AND s.metric NOT IN (?, ?, ?, ?, ?)");
    List<Object> args = new ArrayList<>(List.of(io.pricetide.price.Metrics.FX_RATE,
        io.pricetide.price.Metrics.WEEKLY_TOKENS, io.pricetide.price.Metrics.DOWNLOADS_30D,
        io.pricetide.price.Metrics.LIKES, io.pricetide.price.Metrics.DERIVATIVES));
    if (provider != null && !provider.isBlank()) {
      sql.append(" AND LOWER(s.provider) = LOWER(?)");
      args.add(provider);
    }
    if (model != null && !model.isBlank()) {
      sql.append(" AND (s.canonical_model = LOWER(?) OR s.model = ?)");
      args.add(model);
      args.add(model);
    }
    if (after != null) {
      sql.append(" AND (s.provider, s.canonical_model, s.metric, s.cond, s.source_id) > (?, ?, ?, ?, ?)");
      args.addAll(List.of(after.provider(), after.canonicalModel(), after.metric(), after.condition(),
          after.source()));
    }
    sql.append(" ORDER BY s.provider, s.canonical_model, s.metric, s.cond, s.source_id");
    if (limit > 0) {
      sql.append(" LIMIT ").append(limit);
    }
    stream(sql.toString(), args, rs -> row.accept(new JsonObject()
        .put("source", rs.getString(1))
        .put("provider", rs.getString(2))
        .put("model", rs.getString(3))
        .put("canonical_model", rs.getString(4))
        .put("metric", rs.getString(5))
        .put("condition", blankToNull(rs.getString(6)))
        .put("value", money(rs.getBigDecimal(7)))
        .put("currency", rs.getString(8))
        .put("usd_per_1m", money(rs.getBigDecimal(9)))
        .put("unit", io.pricetide.price.Metrics.usdUnit(rs.getString(5)))
        .put("last_changed", Rows.instant(rs, 10).toString())
        .put("last_seen", Rows.instant(rs, 11).toString())
        .put("sources_agree", rs.getInt(12))
        .put("sources_listing", rs.getInt(13))));
  }

  /** When a point is valid: from its {@code valid_from} where set (a scheduled or weekly value), else its check. */
  private static final String VALID = "COALESCE(q.valid_from, q.observed_at)";

  /**
   * The prices valid at {@code at}, in the order and pages of {@link #eachPrice}: per series (removed ones too) its
   * last point valid at or before {@code at}, read on the index {@code price_point_by_series_time}; a series
   * removed by then, or not yet priced, is absent. {@code last_changed} is the time that point became valid.
   */
  public void eachPriceAt(String provider, String model, Instant at, PriceKey after, int limit,
      Consumer<JsonObject> row) {
    StringBuilder sql = new StringBuilder("SELECT s.source_id, s.provider, s.model, s.canonical_model, s.metric, "
        + "s.cond, p.amount, s.currency, p.usd_per_1m, COALESCE(p.valid_from, p.observed_at) FROM series s "
        + "JOIN price_point p ON p.id = (SELECT q.id FROM price_point q WHERE q.series_id = s.id AND " + VALID
        + " <= ? ORDER BY " + VALID + " DESC, q.id DESC LIMIT 1) WHERE p.amount IS NOT NULL "
        + "AND s.metric NOT IN (?, ?, ?, ?, ?)");
    List<Object> args = new ArrayList<>(List.of(Rows.odt(at), Metrics.FX_RATE, Metrics.WEEKLY_TOKENS,
        Metrics.DOWNLOADS_30D, Metrics.LIKES, Metrics.DERIVATIVES));
    if (provider != null && !provider.isBlank()) {
      sql.append(" AND LOWER(s.provider) = LOWER(?)");
      args.add(provider);
    }
    if (model != null && !model.isBlank()) {
      sql.append(" AND (s.canonical_model = LOWER(?) OR s.model = ?)");
      args.add(model);
      args.add(model);
    }
    if (after != null) {
      sql.append(" AND (s.provider, s.canonical_model, s.metric, s.cond, s.source_id) > (?, ?, ?, ?, ?)");
      args.addAll(List.of(after.provider(), after.canonicalModel(), after.metric(), after.condition(),
          after.source()));
    }
    sql.append(" ORDER BY s.provider, s.canonical_model, s.metric, s.cond, s.source_id");
    if (limit > 0) {
      sql.append(" LIMIT ").append(limit);
    }
    stream(sql.toString(), args, rs -> row.accept(new JsonObject()
        .put("source", rs.getString(1))
        .put("provider", rs.getString(2))
        .put("model", rs.getString(3))
        .put("canonical_model", rs.getString(4))
        .put("metric", rs.getString(5))
        .put("condition", blankToNull(rs.getString(6)))
        .put("value", money(rs.getBigDecimal(7)))
        .put("currency", rs.getString(8))
        .put("usd_per_1m", money(rs.getBigDecimal(9)))
        .put("unit", io.pricetide.price.Metrics.usdUnit(rs.getString(5)))
        .put("last_changed", Rows.instant(rs, 10).toString())));
  }

  /** Current usage values of one metric (weekly_tokens, downloads_30d, …), largest first, with the source. */
  public JsonArray usage(String metric) {
    return query("SELECT source_id, provider, model, amount, last_changed FROM series WHERE active = TRUE "
        + "AND metric = ? AND cond <> ? ORDER BY amount DESC, model", List.of(metric, Metrics.OTHERS), rs -> new JsonObject()
        .put("source", rs.getString(1)).put("provider", rs.getString(2)).put("model", rs.getString(3))
        .put("value", rs.getBigDecimal(4).setScale(0, java.math.RoundingMode.HALF_UP).toPlainString())
        .put("since", Rows.instant(rs, 5).toString()));
  }

  /** The latest exchange rates: USD per one unit of each currency, with the source and when it last changed. */
  public JsonArray fxRates() {
    return query("SELECT source_id, model, amount, last_changed FROM series WHERE active = TRUE AND metric = ? "
        + "ORDER BY model, source_id", List.of(io.pricetide.price.Metrics.FX_RATE), rs -> new JsonObject()
        .put("source", rs.getString(1)).put("currency", rs.getString(2))
        .put("usd_per_unit", rs.getBigDecimal(3).stripTrailingZeros().toPlainString())
        .put("since", Rows.instant(rs, 4).toString()));
  }

  /**
   * The timeline of one model and metric: every matching series (one per source and condition) with its points,
   * oldest first. A point with null value marks a removal.
   */
  public JsonArray series(String model, String metric, String condition, String source) {
    StringBuilder sql = new StringBuilder("SELECT s.id, s.source_id, s.provider, s.model, s.canonical_model, s.metric, "
        + "s.cond, s.currency, p.observed_at, p.amount, p.usd_per_1m FROM series s JOIN price_point p ON p.series_id = s.id "
        + "WHERE (s.canonical_model = LOWER(?) OR s.model = ?) AND s.metric = ?");
    List<Object> args = seriesFilter(sql, model, metric, condition, source);
    sql.append(" ORDER BY s.id, p.observed_at, p.id");
    JsonArray out = new JsonArray();
    JsonObject[] current = {null};
    long[] currentId = {-1};
    query(sql.toString(), args, rs -> {
      long id = rs.getLong(1);
      if (id != currentId[0]) {
        currentId[0] = id;
        current[0] = new JsonObject().put("source", rs.getString(2)).put("provider", rs.getString(3))
            .put("model", rs.getString(4)).put("canonical_model", rs.getString(5)).put("metric", rs.getString(6))
            .put("condition", blankToNull(rs.getString(7))).put("currency", rs.getString(8))
            .put("unit", io.pricetide.price.Metrics.usdUnit(rs.getString(6))).put("points", new JsonArray());
        out.add(current[0]);
      }
      current[0].getJsonArray("points").add(new JsonObject()
          .put("observed_at", Rows.instant(rs, 9).toString())
          .put("value", money(rs.getBigDecimal(10)))
          .put("usd_per_1m", money(rs.getBigDecimal(11))));
      return null;
    });
    return out;
  }

  /**
   * One series of a timeline, without its points.
   *
   * @param id row id, for {@link #eachPoint}
   * @param firstSeen first check that saw it
   * @param lastSeen last check that saw it
   */
  public record SeriesHead(long id, String source, String provider, String model, String canonicalModel,
      String metric, String condition, String currency, Instant firstSeen, Instant lastSeen) {}

  /**
   * One point of a timeline, money already printed.
   *
   * @param at observation time
   * @param value the amount in the series' currency, null for a removal
   * @param usdPer1m USD per 1M tokens, null for a removal
   */
  public record Point(Instant at, String value, String usdPer1m) {}

  /** The arguments of a series query by model and metric, with the condition and source clauses it needs appended. */
  private static List<Object> seriesFilter(StringBuilder sql, String model, String metric, String condition,
      String source) {
    List<Object> args = new ArrayList<>(List.of(model, model, metric));
    if (condition != null) {
      sql.append(" AND s.cond = ?");
      args.add(condition);
    }
    if (source != null && !source.isBlank()) {
      sql.append(" AND s.source_id = ?");
      args.add(source);
    }
    return args;
  }

  /** The series {@link #series} would answer, by id, without their points. */
  public List<SeriesHead> seriesHeads(String model, String metric, String condition, String source) {
    StringBuilder sql = new StringBuilder("SELECT s.id, s.source_id, s.provider, s.model, s.canonical_model, s.metric, "
        + "s.cond, s.currency, s.first_seen, s.last_seen FROM series s "
        + "WHERE (s.canonical_model = LOWER(?) OR s.model = ?) AND s.metric = ?");
    List<Object> args = seriesFilter(sql, model, metric, condition, source);
    sql.append(" ORDER BY s.id");
    List<SeriesHead> out = new ArrayList<>();
    stream(sql.toString(), args, rs -> out.add(new SeriesHead(rs.getLong(1), rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getString(5), rs.getString(6), blankToNull(rs.getString(7)), rs.getString(8),
        Rows.instant(rs, 9), Rows.instant(rs, 10))));
    return out;
  }

  /**
   * The points of one series oldest first, within [{@code from}, {@code to}] where given, handed on one by one as
   * the index {@code price_point_by_series_time} is read: nothing is held.
   */
  public void eachPoint(long seriesId, Instant from, Instant to, Consumer<Point> row) {
    StringBuilder sql = new StringBuilder("SELECT observed_at, amount, usd_per_1m FROM price_point WHERE series_id = ?");
    List<Object> args = new ArrayList<>(List.of(seriesId));
    if (from != null) {
      sql.append(" AND observed_at >= ?");
      args.add(Rows.odt(from));
    }
    if (to != null) {
      sql.append(" AND observed_at <= ?");
      args.add(Rows.odt(to));
    }
    sql.append(" ORDER BY observed_at, id");
    stream(sql.toString(), args, rs -> row.accept(new Point(Rows.instant(rs, 1), money(rs.getBigDecimal(2)),
        money(rs.getBigDecimal(3)))));
  }

  /** The value of a series at an instant: the last point at or before it; null when absent or removed then. */
  public JsonObject priceAt(String source, String model, String metric, String condition, Instant at) {
    JsonArray r = query("SELECT p.observed_at, p.amount, p.usd_per_1m, s.currency FROM series s JOIN price_point p "
        + "ON p.series_id = s.id WHERE s.source_id = ? AND s.model = ? AND s.metric = ? AND s.cond = ? "
        + "AND p.observed_at <= ? ORDER BY p.observed_at DESC, p.id DESC LIMIT 1",
        List.of(source, model, metric, condition == null ? "" : condition, Rows.odt(at)),
        rs -> rs.getBigDecimal(2) == null ? null : new JsonObject()
            .put("observed_at", Rows.instant(rs, 1).toString())
            .put("value", money(rs.getBigDecimal(2))).put("usd_per_1m", money(rs.getBigDecimal(3)))
            .put("currency", rs.getString(4)));
    return r.isEmpty() ? null : r.getJsonObject(0);
  }

  /** Change events matching the filter. */
  public List<ChangeEvent> events(EventFilter f) {
    List<ChangeEvent> out = new ArrayList<>();
    eachEvent(f, out::add);
    return out;
  }

  /** Change events matching the filter, handed on one by one as they are read. */
  public void eachEvent(EventFilter f, Consumer<ChangeEvent> row) {
    StringBuilder sql = new StringBuilder("SELECT " + EventRows.COLUMNS + " FROM change_event e WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (f.source() != null) {
      sql.append(" AND source_id = ?");
      args.add(f.source());
    }
    if (f.provider() != null) {
      sql.append(" AND LOWER(provider) = LOWER(?)");
      args.add(f.provider());
    }
    if (f.kind() != null) {
      sql.append(" AND kind = ?");
      args.add(f.kind());
    }
    if (f.model() != null) {
      sql.append(" AND (canonical_model = LOWER(?) OR model = ?)");
      args.add(f.model());
      args.add(f.model());
    }
    if (f.since() != null) {
      sql.append(" AND observed_at >= ?");
      args.add(Rows.odt(f.since()));
    }
    if (f.cursor() != null) {
      sql.append(f.newestFirst() ? " AND id < ?" : " AND id > ?");
      args.add(f.cursor());
    }
    sql.append(f.newestFirst() ? " ORDER BY id DESC" : " ORDER BY observed_at, id");
    if (f.limit() > 0) {
      sql.append(" LIMIT ").append(f.limit());
    }
    stream(sql.toString(), args, rs -> row.accept(EventRows.read(rs, 1)));
  }

  /** The last check of every source that has been checked: time, outcome, stage and reason. */
  public JsonArray sourceHealth() {
    return query("SELECT c.source_id, c.started_at, c.outcome, c.stage, c.reason, c.http_status FROM source_check c "
        + "JOIN (SELECT source_id, MAX(id) AS id FROM source_check GROUP BY source_id) last ON last.id = c.id "
        + "ORDER BY c.source_id", List.of(), rs -> new JsonObject().put("source", rs.getString(1))
        .put("last_check", Rows.instant(rs, 2).toString()).put("outcome", rs.getString(3))
        .put("stage", rs.getString(4)).put("reason", rs.getString(5)).put("http_status", rs.getObject(6)));
  }

  /** The latest checks of one source, newest first: the check log with outcome, stage and reason. */
  public JsonArray checks(String sourceId, int limit) {
    return query("SELECT id, started_at, finished_at, outcome, stage, reason, http_status, content_hash, observations, "
        + "event_count FROM source_check WHERE source_id = ? ORDER BY id DESC LIMIT " + Math.max(1, limit),
        List.of(sourceId), rs -> new JsonObject().put("id", rs.getLong(1))
            .put("started_at", Rows.instant(rs, 2).toString())
            .put("finished_at", Rows.instant(rs, 3).toString()).put("outcome", rs.getString(4))
            .put("stage", rs.getString(5)).put("reason", rs.getString(6)).put("http_status", rs.getObject(7))
            .put("content_hash", rs.getString(8)).put("observations", rs.getObject(9))
            .put("events", rs.getObject(10)));
  }

  /** True when the database answers. */
  public boolean ping() {
    try (Connection c = ds.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @FunctionalInterface
  private interface Row {
    Object map(ResultSet rs) throws SQLException;
  }

  private JsonArray query(String sql, List<Object> args, Row row) {
    JsonArray out = new JsonArray();
    try {
      Queries.each(ds, sql, args, rs -> {
        Object o = row.map(rs);
        if (o != null) {
          out.add(o);
        }
      });
      return out;
    } catch (SQLException e) {
      throw new HistoryException("query", e);
    }
  }

  private void stream(String sql, List<Object> args, Queries.Row row) {
    try {
      Queries.stream(ds, sql, args, 500, row);
    } catch (SQLException e) {
      throw new HistoryException("query", e);
    }
  }

  private static String money(BigDecimal d) {
    return d == null ? null : Decimals.money(Decimals.price(d));
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
