package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.price.Decimals;
import io.pricetide.template.Html;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The price pages: a model's timelines and the comparison of models (the price table is {@link PriceTablePage}). */
final class PricePages {
  static final List<String> MAIN_METRICS = List.of("input", "output", "cache_read", "cache_write");
  static final Map<String, String> LABELS = Map.of("provider", "Provider", "model", "Model", "input",
      "Input", "output", "Output", "cache_read", "Cache read", "blended", "Blended 3:1", "changed", "Last change");

  private final Ui ui;

  PricePages(Ui ui) {
    this.ui = ui;
  }

  /** Options of a select, sorted and distinct, the {@code selected} one marked. */
  static List<Map<String, Object>> options(List<String> values, String selected) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String v : new TreeSet<>(values)) {
      if (v == null || v.isBlank()) {
        continue; // a series without a provider (a usage chart's rest bucket) is no option, and never preselected
      }
      out.add(Map.of("value", v, "selected", v.equalsIgnoreCase(selected == null ? "" : selected)));
    }
    return out;
  }

  // ---------------------------------------------------------------- model page

  void model(RoutingContext ctx) {
    String id = Ui.param(ctx, "id");
    if (id == null) {
      ui.errorPage(ctx, 400, "Which model? Add ?id=MODEL to the address, or pick one from the price table.");
      return;
    }
    ui.page(ctx, "model", id, "prices", () -> {
      List<UiQueries.SeriesMeta> metas = ui.ui.seriesOf(id);
      metas = metas.stream().filter(s -> "prices".equals(ui.kindOf(s.source()))).toList();
      if (metas.isEmpty()) {
        throw new Ui.PageException(404, "No price history for a model called \u201c" + id + "\u201d.");
      }
      List<ChangeEvent> events = ui.queries.events(new EventFilter(null, null, null, id, null, null, 1000, true));
      List<Map<String, Object>> charts = new ArrayList<>();
      List<Map<String, Object>> summary = new ArrayList<>();
      String provider = null;
      for (String metric : metricOrder(metas.stream().map(UiQueries.SeriesMeta::metric).toList())) {
        JsonArray series = ui.queries.series(id, metric, null, null);
        List<Charts.Line> lines = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        List<Map<String, Object>> data = new ArrayList<>();
        for (Object o : series) {
          JsonObject s = (JsonObject) o;
          if (!"prices".equals(ui.kindOf(s.getString("source")))) {
            continue;
          }
          provider = provider == null ? s.getString("provider") : provider;
          String cond = s.getString("condition") == null ? "" : s.getString("condition");
          String label = s.getString("model") + " \u00b7 " + s.getString("source") + (cond.isEmpty() ? "" : " \u00b7 "
              + cond);
          Charts.Line line = Charts.priceLine(label, s.getJsonArray("points"));
          index.put(UiQueries.key(s.getString("source"), s.getString("model"), cond), lines.size());
          lines.add(line);
          summary.add(summaryRow(metric, s, cond, line));
          for (Object p : s.getJsonArray("points")) {
            JsonObject pt = (JsonObject) p;
            Instant at = Instant.parse(pt.getString("observed_at"));
            data.add(Map.of("series", label, "when", Ui.time(at), "value", pt.getString("usd_per_1m") == null
                ? "removed" : "$" + pt.getString("usd_per_1m")));
          }
        }
        JsonArray marks = new JsonArray();
        for (ChangeEvent e : events) {
          Integer i = index.get(UiQueries.key(e.sourceId(), e.model(), e.condition()));
          if (i != null && metric.equals(e.metric())) {
            BigDecimal v = e.newUsd() != null ? e.newUsd() : e.oldUsd();
            marks.add(new JsonObject().put("t", e.observedAt().getEpochSecond()).put("series", i)
                .put("v", v == null ? null : Decimals.money(v)).put("kind", e.kind())
                .put("label", Describe.headline(e)));
          }
        }
        long end = metas.stream().filter(s -> s.metric().equals(metric) && s.active() && s.lastSeen() != null)
            .mapToLong(s -> s.lastSeen().getEpochSecond()).max().orElse(0);
        String chartId = "chart-" + metric.replaceAll("[^a-z0-9_]", "_");
        JsonObject chart = Charts.chart(chartId, metric, "USD / 1M tokens", "$", "", lines, end == 0 ? null : end,
            marks, true);
        Map<String, Object> c = new HashMap<>();
        c.put("id", chartId);
        c.put("cid", chartId);
        c.put("cname", metric);
        c.put("metric", metric);
        c.put("json", Html.jsonScript(chart));
        c.put("data", data);
        c.put("csv", Urls.with("/api/export/series.csv", Map.of("model", id, "metric", metric)));
        c.put("json_export", Urls.with("/api/export/series.json", Map.of("model", id, "metric", metric)));
        charts.add(c);
      }
      Map<String, Object> m = new HashMap<>();
      m.put("title", metas.get(0).model());
      m.put("name", metas.get(0).model());
      m.put("canonical", id);
      m.put("provider", provider);
      m.put("summary", summary);
      m.put("charts", charts);
      m.put("charts_page", true);
      m.put("has_events", !events.isEmpty());
      m.put("any_near_low", summary.stream().anyMatch(s -> Boolean.TRUE.equals(s.get("near_low"))));
      m.put("events", events.stream().limit(50).map(ActivityPages::eventRow).toList());
      m.put("feed", "/feeds/models/" + Urls.enc(id) + ".atom");
      m.put("compare", "/compare?m=" + Urls.enc(id));
      return m;
    });
  }

  private static Map<String, Object> summaryRow(String metric, JsonObject s, String cond, Charts.Line line) {
    Map<String, Object> m = new HashMap<>();
    m.put("metric", metric);
    m.put("source", s.getString("source"));
    m.put("model", s.getString("model"));
    m.put("condition", cond);
    BigDecimal cur = line.current();
    BigDecimal low = line.low();
    m.put("current", cur == null ? "removed" : Ui.usd(cur));
    JsonArray pts = s.getJsonArray("points");
    JsonObject last = pts.isEmpty() ? null : pts.getJsonObject(pts.size() - 1);
    if (last != null && last.getString("value") != null && !"USD".equals(s.getString("currency"))) {
      m.put("orig", s.getString("currency") + " " + last.getString("value"));
    }
    m.put("low", low == null ? "\u2013" : Ui.usd(low));
    m.put("low_when", line.lowAt() == null ? Map.of() : Ui.time(Instant.ofEpochSecond(line.lowAt())));
    m.put("at_low", cur != null && low != null && cur.compareTo(low) == 0);
    m.put("near_low", Charts.nearLow(cur, low));
    m.put("points", pts.size());
    return m;
  }

  static List<String> metricOrder(List<String> metrics) {
    Set<String> out = new LinkedHashSet<>();
    MAIN_METRICS.stream().filter(metrics::contains).forEach(out::add);
    metrics.stream().sorted().forEach(out::add);
    return new ArrayList<>(out);
  }

  // ---------------------------------------------------------------- comparison

  void compare(RoutingContext ctx) {
    List<String> models = ctx.queryParam("m").stream().map(String::trim).filter(s -> !s.isEmpty()).distinct()
        .limit(6).toList();
    String metric = Ui.param(ctx, "metric") == null ? "input" : Ui.param(ctx, "metric");
    ui.page(ctx, "compare", "Compare models", "compare", () -> {
      Map<String, Object> m = new HashMap<>();
      List<UiQueries.ModelRef> known = ui.ui.models();
      m.put("known", known.stream().map(k -> Map.of("canonical", k.canonical(), "name", k.name(), "provider",
          k.provider())).toList());
      List<Map<String, Object>> inputs = new ArrayList<>();
      for (int i = 0; i < Math.max(3, models.size() + 1) && i < 6; i++) {
        inputs.add(Map.of("n", i + 1, "value", i < models.size() ? models.get(i) : "", "required", i < 2));
      }
      m.put("inputs", inputs);
      m.put("metrics", metricOptions(metric));
      m.put("metric", metric);
      if (models.size() < 2) {
        m.put("need_more", true);
        return m;
      }
      List<Pick> picks = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (String model : models) {
        Pick p = pick(model, metric);
        if (p == null) {
          missing.add(model);
        } else {
          picks.add(p);
        }
      }
      m.put("missing", missing);
      if (picks.size() < 2) {
        m.put("need_more", true);
        return m;
      }
      m.put("picks", picks.stream().map(p -> Map.of("label", p.label(), "source", p.source(), "href", "/model?id="
          + Urls.enc(p.model()), "condition", p.condition())).toList());
      m.put("side", sideBySide(picks));
      Pick base = picks.get(0);
      List<Charts.Line> ratios = new ArrayList<>();
      List<Map<String, Object>> ratioText = new ArrayList<>();
      for (Pick p : picks.subList(1, picks.size())) {
        Charts.Line r = Charts.ratio(p.label() + " \u00f7 " + base.label(), base.line(), p.line());
        ratios.add(r);
        BigDecimal now = r.current();
        ratioText.add(Map.of("other", p.label(), "base", base.label(), "ratio", now == null ? "n/a"
            : Decimals.money(now.stripTrailingZeros()) + "\u00d7", "metric", metric));
      }
      m.put("ratios", ratioText);
      long end = Instant.now().getEpochSecond();
      JsonObject prices = Charts.chart("chart-prices", metric, "USD / 1M tokens", "$", "",
          picks.stream().map(Pick::line).toList(), end, null, false);
      JsonObject ratio = Charts.chart("chart-ratio", "ratio", "ratio", "", "\u00d7", ratios, end, null, false);
      m.put("prices_json", Html.jsonScript(prices));
      m.put("ratio_json", Html.jsonScript(ratio));
      m.put("compared", true);
      m.put("charts_page", true);
      m.put("ratio_chart", Map.of("cid", "chart-ratio", "cname", "ratio"));
      m.put("prices_chart", Map.of("cid", "chart-prices", "cname", metric + " prices"));
      return m;
    });
  }

  /**
   * The series that stands for a model in a comparison.
   *
   * @param model canonical id asked for
   * @param label display name (the source's name of the model)
   * @param source source id
   * @param condition condition, empty for the base price
   * @param line its timeline
   */
  record Pick(String model, String label, String source, String condition, Charts.Line line) {}

  /** For one model and metric: the base-price series (no condition) with the longest history. */
  Pick pick(String model, String metric) {
    JsonArray series = ui.queries.series(model, metric, null, null);
    JsonObject best = null;
    for (Object o : series) {
      JsonObject s = (JsonObject) o;
      if (!"prices".equals(ui.kindOf(s.getString("source")))) {
        continue;
      }
      if (best == null || rank(s).compareTo(rank(best)) > 0) {
        best = s;
      }
    }
    if (best == null) {
      return null;
    }
    String cond = best.getString("condition") == null ? "" : best.getString("condition");
    String label = best.getString("model");
    return new Pick(model, label, best.getString("source"), cond, Charts.priceLine(label, best.getJsonArray("points")));
  }

  private static String rank(JsonObject s) {
    return (s.getString("condition") == null ? "1" : "0") + String.format("%09d", s.getJsonArray("points").size())
        + s.getString("source");
  }

  private List<Map<String, Object>> sideBySide(List<Pick> picks) {
    List<Map<String, Object>> rows = new ArrayList<>();
    List<List<PriceTable.Row>> perPick = new ArrayList<>();
    for (Pick p : picks) {
      perPick.add(PriceTable.rows(ui.queries.currentPrices(null, p.model()), Map.of()).stream()
          .filter(r -> r.source().equals(p.source()) && r.condition().equals(p.condition())).toList());
    }
    for (String metric : List.of("input", "output", "cache_read", "blended")) {
      List<Map<String, Object>> cells = new ArrayList<>();
      for (List<PriceTable.Row> r : perPick) {
        BigDecimal v = r.isEmpty() ? null : metric.equals("blended") ? r.get(0).blended() : r.get(0).usd(metric);
        cells.add(Map.of("text", v == null ? "\u2013" : Ui.usd(v)));
      }
      rows.add(Map.of("metric", LABELS.get(metric), "cells", cells));
    }
    return rows;
  }

  static List<Map<String, Object>> metricOptions(String selected) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String x : List.of("input", "output", "cache_read", "cache_write", "batch_input", "batch_output")) {
      out.add(Map.of("value", x, "selected", x.equals(selected)));
    }
    return out;
  }
}
