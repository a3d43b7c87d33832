package io.pricetide.web;

import io.pricetide.history.WorkloadMarket;
import io.pricetide.price.Decimals;
import io.pricetide.workload.Workloads;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Cheapest for my workload": {@code /calculator} (the page, every setting in its URL, so a result is a link to
 * share) and {@code /api/calculator} (the same ranking as JSON), both ranking models by monthly cost
 * ({@link Workloads}), with a link that subscribes to changes of the ranking's first place.
 */
final class CalculatorPage {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final Ui ui;
  private final WorkloadMarket market;

  CalculatorPage(Ui ui, WorkloadMarket market) {
    this.ui = ui;
    this.market = market;
  }

  /** The workload a request asks for ({@link Workloads.Workload#parse}); a bad setting is a 400 naming it. */
  static Workloads.Workload workload(RoutingContext ctx) {
    try {
      return Workloads.Workload.parse(name -> Ui.param(ctx, name));
    } catch (IllegalArgumentException e) {
      throw new Ui.PageException(400, e.getMessage());
    }
  }

  private Workloads.Ranking rank(Workloads.Workload w) {
    return market.snapshot().rank(w);
  }
  void page(RoutingContext ctx) {
    ui.page(ctx, "calculator", "Cheapest for my workload", "calculator", () -> {
      Workloads.Workload w = workload(ctx);
      int limit = limit(ctx);
      Workloads.Ranking r = rank(w);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("in", plain(w.input()));
      m.put("cached", plain(w.cachedInput()));
      m.put("out", plain(w.output()));
      m.put("context", w.context() == null ? "" : plain(w.context()));
      m.put("modalities", modalityOptions(w));
      m.put("first_party", w.firstPartyOnly());
      m.put("free", !w.hideFree());
      List<Map<String, Object>> rows = new ArrayList<>();
      int rank = 0;
      for (Workloads.Offer o : r.offers().subList(0, Math.min(limit, r.offers().size()))) {
        Map<String, Object> row = new HashMap<>();
        row.put("rank", ++rank);
        row.put("canonical", o.canonical());
        row.put("href", "/model?id=" + Urls.enc(o.canonical()));
        row.put("source", o.source());
        row.put("model", o.model());
        row.put("canonical_html", Describe.breakable(o.canonical()));
        row.put("model_html", Describe.breakable(o.model()));
        row.put("first_party", o.firstParty());
        row.put("monthly", Ui.usd(o.monthly().setScale(2, RoundingMode.HALF_UP)));
        row.put("input", o.input() == null ? "" : Ui.usd(o.input()));
        row.put("cached", o.cachedInput() == null ? "" : Ui.usd(o.cachedInput()));
        row.put("output", o.output() == null ? "" : Ui.usd(o.output()));
        row.put("others", o.offers() > 1 ? Integer.toString(o.offers() - 1) : "");
        row.put("context", o.context() == null ? "" : plain(o.context()));
        rows.add(row);
      }
      m.put("rows", rows);
      m.put("empty", rows.isEmpty());
      m.put("models", r.offers().size());
      m.put("shown", rows.size());
      m.put("left_free", r.leftFree());
      m.put("left_unpriced", r.leftUnpriced());
      m.put("left_filters", r.leftFilters());
      m.put("api", "/api/calculator?" + query(ctx));
      m.put("subscribe", "/subscribe?alert=workload&" + w.query());
      return m;
    });
  }

  void api(RoutingContext ctx) {
    ui.download(ctx, "application/json; charset=utf-8", null, () -> {
      Workloads.Workload w = workload(ctx);
      int limit = limit(ctx);
      Workloads.Ranking r = rank(w);
      JsonArray out = new JsonArray();
      for (Workloads.Offer o : r.offers().subList(0, Math.min(limit, r.offers().size()))) {
        out.add(new JsonObject().put("canonical_model", o.canonical()).put("source", o.source())
            .put("provider", o.provider()).put("model", o.model()).put("first_party", o.firstParty())
            .put("monthly_usd", o.monthly().stripTrailingZeros().toPlainString())
            .put("input", money(o.input())).put("cached_input", money(o.cachedInput()))
            .put("output", money(o.output())).put("offers", o.offers()).put("context_window", o.context()));
      }
      return new JsonObject()
          .put("workload", w.toJson())
          .put("unit", "USD per month; prices USD per 1M tokens")
          .put("models", r.offers().size()).put("left_free", r.leftFree()).put("left_unpriced", r.leftUnpriced())
          .put("left_filters", r.leftFilters()).put("ranking", out).encode();
    });
  }

  private static String money(BigDecimal d) {
    return d == null ? null : Decimals.money(d);
  }

  private static int limit(RoutingContext ctx) {
    String v = Ui.param(ctx, "limit");
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > MAX_LIMIT) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Ui.PageException(400, "'limit' must be a whole number from 1 to " + MAX_LIMIT + ", not '" + v + "'");
    }
  }

  private static String plain(long n) {
    return Long.toString(n);
  }

  private static String query(RoutingContext ctx) {
    String q = ctx.request().query();
    return q == null ? "" : q;
  }

  /** The modality select's options with the workload's own selected (text when it names none). */
  static List<Map<String, Object>> modalityOptions(Workloads.Workload w) {
    List<Map<String, Object>> mods = new ArrayList<>();
    for (String mod : Workloads.MODALITIES) {
      mods.add(Map.of("value", mod, "selected", mod.equals(w.modality() == null ? "text" : w.modality())));
    }
    return mods;
  }
}
