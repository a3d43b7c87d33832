package io.pricetide.web;

import io.pricetide.history.HistoryQueries;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of the price and series exports, built from the queries alone: {@code /api/export/*} serves them and the
 * {@code export} verb prints them, so the two give the same bytes.
 */
public final class ExportFiles {
  static final List<String> PRICE_COLUMNS = List.of("source", "provider", "model", "canonical_model", "metric",
      "condition", "value", "currency", "usd_per_1m", "unit", "last_changed", "last_seen");
  static final List<String> SERIES_COLUMNS = List.of("source", "provider", "model", "canonical_model", "metric",
      "condition", "observed_at", "value", "currency", "usd_per_1m");
  static final boolean[] PRICE_NUMERIC = {false, false, false, false, false, false, true, false, true, false,
      true, true};
  static final boolean[] SERIES_NUMERIC = {false, false, false, false, false, false, true, true, false, true};

  private ExportFiles() {}

  /** Current prices as CSV; {@code provider} and {@code model} filter as in {@code /api/prices} (null: all). */
  public static String pricesCsv(HistoryQueries queries, String provider, String model) {
    StringBuilder out = new StringBuilder();
    Csv.row(out, PRICE_COLUMNS, null);
    for (Object o : queries.currentPrices(provider, model)) {
      JsonObject p = (JsonObject) o;
      List<String> fields = new ArrayList<>();
      PRICE_COLUMNS.forEach(c -> fields.add(p.getString(c)));
      Csv.row(out, fields, PRICE_NUMERIC);
    }
    return out.toString();
  }

  /** Current prices as a JSON document {@code {"prices": [...]}}. */
  public static String pricesJson(HistoryQueries queries, String provider, String model) {
    return new JsonObject().put("prices", queries.currentPrices(provider, model)).encode();
  }

  /** The points of every matching series as CSV, one row per point. */
  public static String seriesCsv(HistoryQueries queries, String model, String metric, String condition,
      String source) {
    StringBuilder out = new StringBuilder();
    Csv.row(out, SERIES_COLUMNS, null);
    for (Object o : queries.series(model, metric, condition, source)) {
      JsonObject s = (JsonObject) o;
      for (Object po : s.getJsonArray("points")) {
        JsonObject p = (JsonObject) po;
        Csv.row(out, List.of(s.getString("source"), s.getString("provider"), s.getString("model"),
            s.getString("canonical_model"), s.getString("metric"), nz(s.getString("condition")),
            p.getString("observed_at"), nz(p.getString("value")), s.getString("currency"),
            nz(p.getString("usd_per_1m"))), SERIES_NUMERIC);
      }
    }
    return out.toString();
  }

  /** The matching series as a JSON document {@code {"model", "metric", "series": [...]}}. */
  public static String seriesJson(HistoryQueries queries, String model, String metric, String condition,
      String source) {
    return new JsonObject().put("model", model).put("metric", metric)
        .put("series", queries.series(model, metric, condition, source)).encode();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
