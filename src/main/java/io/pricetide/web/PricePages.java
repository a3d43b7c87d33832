package io.pricetide.web;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The price pages' routes: a model ({@link ModelPage}) and the comparison of models or vendors ({@link ComparePage},
 * {@link ProviderCompare}); the price table is {@link PriceTablePage}.
 */
final class PricePages {
  static final List<String> MAIN_METRICS = List.of("input", "output", "cache_read", "cache_write");
  static final Map<String, String> LABELS = Map.of("provider", "Provider", "model", "Model", "input",
      "Input", "output", "Output", "cache_read", "Cache read", "cache_write", "Cache write", "blended", "Blended 3:1",
      "changed", "Last change");

  private final Ui ui;
  private final ModelQueries models;

  PricePages(Ui ui) {
    this.ui = ui;
    this.models = new ModelQueries(ui.queries.dataSource());
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
    ui.page(ctx, "model", id, "prices", () -> new ModelPage(ui, models).build(id));
  }

  static List<String> metricOrder(List<String> metrics) {
    Set<String> out = new LinkedHashSet<>();
    MAIN_METRICS.stream().filter(metrics::contains).forEach(out::add);
    metrics.stream().sorted().forEach(out::add);
    return new ArrayList<>(out);
  }

  // ---------------------------------------------------------------- comparison

  /**
   * {@code /compare?m=A&s=SERIES&m=B&s=&metric=input}: models, each with the series asked for ({@code s} in the same
   * order, {@code source|name|condition}, empty for the default); {@code p=VENDOR&p=VENDOR}: one vendor against
   * another by price band.
   */
  void compare(RoutingContext ctx) {
    List<String> rawModels = ctx.queryParam("m");
    List<String> rawSeries = ctx.queryParam("s");
    List<String> models = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    for (int i = 0; i < rawModels.size() && models.size() < 6; i++) {
      String id = rawModels.get(i).trim();
      if (!id.isEmpty() && !models.contains(id)) {
        models.add(id);
        String s = i < rawSeries.size() ? rawSeries.get(i).trim() : "";
        asked.add(s.isEmpty() ? null : s);
      }
    }
    List<String> vendors = ctx.queryParam("p").stream().map(String::trim).filter(v -> !v.isEmpty()).distinct()
        .limit(2).toList();
    String metric = Ui.param(ctx, "metric") == null ? "input" : Ui.param(ctx, "metric");
    ui.page(ctx, "compare", "Compare models", "compare", () -> {
      Map<String, Object> m = new HashMap<>();
      List<UiQueries.ModelRef> known = ui.ui.models();
      m.put("known", known.stream().map(k -> Map.of("canonical", k.canonical(), "name", k.name(), "provider",
          k.provider())).toList());
      m.put("metrics", metricOptions(metric));
      m.put("metric", metric);
      m.put("metric_label", ModelPage.label(metric));
      m.put("metric_unit", "USD per " + Ui.unit(metric));
      m.put("metric_word", ModelPage.label(metric).toLowerCase(java.util.Locale.ROOT));
      ProviderCompare pc = new ProviderCompare(ui, models());
      List<String> all = pc.vendors();
      String va = vendors.size() > 0 ? vendors.get(0) : "alibaba";
      String vb = vendors.size() > 1 ? vendors.get(1) : "openai";
      m.put("vendors_a", options(all, va));
      m.put("vendors_b", options(all, vb));
      if (vendors.size() == 2) {
        pc.fill(m, va, vb);
        m.put("title", vendors.get(0) + " against " + vendors.get(1));
        m.put("inputs", new ComparePage(ui, models()).inputsOnly(models, metric));
        return m;
      }
      new ComparePage(ui, models()).fill(m, models, asked, metric);
      return m;
    });
  }

  private ModelQueries models() {
    return models;
  }

  static List<Map<String, Object>> metricOptions(String selected) {
    List<Map<String, Object>> out = new ArrayList<>();
    // Token metrics, then the prices that are not per token (image models, speech, search), compared in their unit.
    for (String x : List.of("input", "output", "cache_read", "cache_write", "batch_input", "batch_output",
        io.pricetide.price.Metrics.OUTPUT_IMAGE, io.pricetide.price.Metrics.INPUT_IMAGE,
        io.pricetide.price.Metrics.INPUT_SECOND, io.pricetide.price.Metrics.OUTPUT_SECOND,
        io.pricetide.price.Metrics.INPUT_CHARACTER, io.pricetide.price.Metrics.WEB_SEARCH,
        io.pricetide.price.Metrics.TOOL_CALL, io.pricetide.price.Metrics.SEARCH_SOURCE,
        io.pricetide.price.Metrics.REQUEST)) {
      out.add(Map.of("value", x, "selected", x.equals(selected)));
    }
    return out;
  }
}
