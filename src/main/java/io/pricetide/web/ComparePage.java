package io.pricetide.web;

import io.pricetide.price.Decimals;
import io.pricetide.template.Html;
import io.pricetide.web.ModelQueries.Head;
import io.pricetide.web.ModelRows.Row;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The comparison of models: per model the series it stands for (the vendor's own current standard price unless
 * the reader picks a catalogue's), that series' prices side by side, the ratio now (from exactly the prices shown)
 * and over time. The provider-against-provider view is {@link ProviderCompare}.
 */
final class ComparePage {
  static final List<String> SIDE_METRICS = List.of("input", "output", "cache_read", "cache_write");

  private final Ui ui;
  private final ModelQueries mq;

  ComparePage(Ui ui, ModelQueries mq) {
    this.ui = ui;
    this.mq = mq;
  }

  /**
   * One compared model: its rows, the row picked for it and whether the reader picked it.
   *
   * @param id the model asked for
   * @param rows its series
   * @param row the picked row
   * @param asked the row key the reader asked for, null for the default
   */
  record Pick(String id, ModelRows rows, Row row, String asked) {
    String label() {
      return rows.title + " (" + row.source() + (row.condition().isEmpty() ? "" : ", " + row.condition()) + ")";
    }

    Head head(String metric) {
      return row.byMetric().get(metric);
    }
  }

  /**
   * Fills {@code m} for the models asked for.
   *
   * @param models ids in order
   * @param asked per model, the row key asked for ({@code source|name|condition}) or null
   * @param metric the metric of the ratio
   */
  void fill(Map<String, Object> m, List<String> models, List<String> asked, String metric) {
    List<Pick> picks = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      String id = models.get(i);
      ModelRows mr = ModelRows.read(ui, mq, id);
      Row want = mr == null ? null : mr.row(asked.get(i));
      Row row = want != null && want.byMetric().containsKey(metric) ? want : mr == null ? null : mr.defaultRow(metric);
      if (row == null) {
        missing.add(id);
      } else {
        picks.add(new Pick(id, mr, row, want == null ? null : asked.get(i)));
      }
      inputs.add(input(i, id, mr, row, metric));
    }
    for (int i = models.size(); i < Math.max(3, models.size() + 1) && i < 6; i++) {
      inputs.add(input(i, "", null, null, metric));
    }
    m.put("inputs", inputs);
    m.put("missing", missing);
    if (picks.size() < 2) {
      m.put("need_more", true);
      return;
    }
    m.put("picks", picks.stream().map(p -> {
      Map<String, Object> x = new HashMap<>();
      x.put("html", Describe.breakable(p.rows.title));
      x.put("href", "/model?id=" + Urls.enc(p.id));
      x.put("source", p.row.source());
      x.put("role", p.row.role().label);
      x.put("series_name", p.row.name());
      x.put("condition", p.row.condition().isEmpty() ? "standard" : p.row.condition());
      return x;
    }).toList());
    m.put("side", side(picks));
    Pick base = picks.get(0);
    List<Charts.Line> ratios = new ArrayList<>();
    List<Charts.Line> prices = new ArrayList<>();
    List<Map<String, Object>> ratioText = new ArrayList<>();
    Charts.Line baseLine = line(base, metric);
    prices.add(baseLine);
    for (Pick p : picks.subList(1, picks.size())) {
      Charts.Line line = line(p, metric);
      prices.add(line);
      ratios.add(Charts.ratio(p.label() + " \u00f7 " + base.label(), baseLine, line));
      ratioText.add(ratioNow(base, p, metric));
    }
    m.put("ratios", ratioText);
    Long end = picks.stream().map(p -> p.head(metric)).filter(Head::active).map(h -> h.lastSeen().getEpochSecond())
        .max(Long::compare).orElse(null);
    JsonObject pricesChart = Charts.chart("chart-prices", metric, "USD / " + Ui.unit(metric), "$", "", prices, end, null,
        false);
    JsonObject ratio = Charts.chart("chart-ratio", "ratio", "ratio", "", "\u00d7", ratios, end, null, false);
    m.put("prices_json", Html.jsonScript(pricesChart));
    m.put("ratio_json", Html.jsonScript(ratio));
    m.put("compared", true);
    m.put("charts_page", true);
    m.put("ratio_chart", Map.of("cid", "chart-ratio", "cname", "ratio"));
    m.put("prices_chart", Map.of("cid", "chart-prices", "cname", metric + " prices"));
  }

  private Charts.Line line(Pick p, String metric) {
    NavigableMap<Long, BigDecimal> pts = ModelRows.points(ui.queries, p.head(metric));
    return new Charts.Line(p.label(), pts);
  }

  /** "B costs 0.5× the input price of A today", from the two prices the table shows. */
  static Map<String, Object> ratioNow(Pick base, Pick other, String metric) {
    Head a = base.head(metric);
    Head b = other.head(metric);
    Map<String, Object> r = new HashMap<>();
    r.put("other", other.label());
    r.put("base", base.label());
    r.put("metric", ModelPage.label(metric).toLowerCase());
    if (!a.active() || !b.active()) {
      Pick gone = !a.active() ? base : other;
      r.put("note", gone.label() + " was removed on " + Ui.day(gone.head(metric).lastChanged())
          + ", so there is no price today to compare; pick a current series.");
    } else if (a.usd().signum() == 0) {
      r.put("note", base.label() + " is listed at $0.00 (free or unknown) for " + metric + "; no ratio to it.");
    } else {
      r.put("ratio", Decimals.money(b.usd().divide(a.usd(), 4, RoundingMode.HALF_UP).stripTrailingZeros())
          + "\u00d7");
    }
    return r;
  }

  private static List<Map<String, Object>> side(List<Pick> picks) {
    List<Map<String, Object>> rows = new ArrayList<>();
    // The token metrics first, then any price that is not per token (per image, second, call, …), with its unit.
    java.util.Set<String> metrics = new java.util.LinkedHashSet<>(SIDE_METRICS);
    picks.forEach(p -> p.row().byMetric().keySet().stream().filter(x -> !io.pricetide.price.Metrics.perToken(x))
        .sorted().forEach(metrics::add));
    for (String metric : metrics) {
      if (picks.stream().noneMatch(p -> p.head(metric) != null)) {
        continue;
      }
      List<Map<String, Object>> cells = new ArrayList<>();
      for (Pick p : picks) {
        cells.add(Map.of("text", cell(p.head(metric), metric)));
      }
      boolean perToken = io.pricetide.price.Metrics.perToken(metric);
      rows.add(Map.of("metric", ModelPage.label(metric), "unit", perToken ? "" : "per " + Ui.unit(metric),
          "cells", cells));
    }
    List<Map<String, Object>> blended = new ArrayList<>();
    for (Pick p : picks) {
      Head in = p.head("input");
      Head out = p.head("output");
      blended.add(Map.of("text", in != null && out != null && in.active() && out.active()
          ? Ui.usd(Decimals.price(in.usd().multiply(BigDecimal.valueOf(3)).add(out.usd())
              .divide(BigDecimal.valueOf(4), 6, RoundingMode.HALF_UP))) : "\u2013"));
    }
    rows.add(Map.of("metric", PricePages.LABELS.get("blended"), "cells", blended));
    return rows;
  }

  private static String cell(Head h, String metric) {
    return h == null ? "\u2013" : h.active() ? Ui.price(h.usd(), metric) : "removed " + Ui.day(h.lastChanged());
  }

  /** The empty model fields of the form, when the page shows the vendor view. */
  List<Map<String, Object>> inputsOnly(List<String> models, String metric) {
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (int i = 0; i < Math.max(3, models.size() + 1) && i < 6; i++) {
      inputs.add(input(i, i < models.size() ? models.get(i) : "", null, null, metric));
    }
    return inputs;
  }

  /** One model field of the form and, once the model is known, the series it may stand for. */
  private static Map<String, Object> input(int i, String id, ModelRows mr, Row picked, String metric) {
    Map<String, Object> in = new HashMap<>();
    in.put("n", i + 1);
    in.put("value", id);
    in.put("required", i < 2);
    List<Map<String, Object>> options = new ArrayList<>();
    if (mr != null) {
      options.add(Map.of("value", "", "label", "Default: the vendor's current price", "selected", false));
      for (Row r : mr.rows) {
        Head h = r.byMetric().get(metric);
        if (h == null) {
          continue;
        }
        String key = r.source() + '|' + r.name() + '|' + r.condition();
        options.add(Map.of("value", key, "selected", picked != null && ModelRows.sameRow(r, picked),
            "label", r.role().label + ": " + r.source() + " \u00b7 " + r.name()
                + (r.condition().isEmpty() ? "" : " \u00b7 " + r.condition()) + (h.active() ? " \u00b7 "
                + Ui.usd(h.usd()) : " \u00b7 removed")));
      }
    }
    in.put("options", options);
    in.put("has_options", !options.isEmpty());
    return in;
  }
}
