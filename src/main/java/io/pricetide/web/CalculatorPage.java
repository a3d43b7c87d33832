package io.pricetide.web;

import io.pricetide.price.Decimals;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * "Cheapest for my workload": {@code /calculator} (the page, every setting in its URL, so a result is a link to
 * share) and {@code /api/calculator} (the same ranking as JSON), both ranking models by monthly cost
 * ({@link Workloads}).
 */
final class CalculatorPage {
  static final long DEFAULT_INPUT = 10_000_000;
  static final long DEFAULT_OUTPUT = 2_000_000;
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  static final Set<String> MODALITIES = Set.of("text", "image", "audio", "video", "file");

  private final Ui ui;
  private final java.util.function.Supplier<Workloads.Facts> facts;

  /** {@code facts}: what is known of the models, read afresh for each ranking. */
  CalculatorPage(Ui ui, java.util.function.Supplier<Workloads.Facts> facts) {
    this.ui = ui;
    this.facts = facts;
  }

  /** The workload a request asks for; a setting that is no number names itself. */
  static Workloads.Workload workload(RoutingContext ctx) {
    boolean asked = ctx.request().params().contains("in") || ctx.request().params().contains("out");
    long in = tokens(ctx, "in", asked ? 0 : DEFAULT_INPUT);
    long cached = tokens(ctx, "cached", 0);
    long out = tokens(ctx, "out", asked ? 0 : DEFAULT_OUTPUT);
    long context = tokens(ctx, "context", 0);
    String modality = Ui.param(ctx, "modality");
    if (modality != null && !MODALITIES.contains(modality.toLowerCase(Locale.ROOT))) {
      throw new Ui.PageException(400, "modality must be one of " + String.join(", ", MODALITIES.stream().sorted()
          .toList()) + ", not '" + modality + "'");
    }
    return new Workloads.Workload(in, cached, out, context > 0 ? context : null,
        modality == null || modality.equals("text") ? null : modality.toLowerCase(Locale.ROOT),
        "1".equals(Ui.param(ctx, "first_party")), !"1".equals(Ui.param(ctx, "free")));
  }

  /** A token count: digits, optionally with a k, M or B suffix ({@code 2.5M}); blank is {@code otherwise}. */
  static long tokens(RoutingContext ctx, String name, long otherwise) {
    String v = Ui.param(ctx, name);
    if (v == null) {
      return otherwise;
    }
    String t = v.replace(",", "").replace("_", "").trim();
    BigDecimal scale = BigDecimal.ONE;
    char last = Character.toLowerCase(t.charAt(t.length() - 1));
    if (last == 'k' || last == 'm' || last == 'b') {
      scale = BigDecimal.TEN.pow(last == 'k' ? 3 : last == 'm' ? 6 : 9);
      t = t.substring(0, t.length() - 1);
    }
    try {
      BigDecimal n = new BigDecimal(t).multiply(scale);
      if (n.signum() < 0 || n.compareTo(BigDecimal.valueOf(1_000_000_000_000_000L)) > 0) {
        throw new NumberFormatException();
      }
      return n.setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new Ui.PageException(400, "'" + name + "' must be a token count such as 2500000 or 2.5M, not '" + v
          + "'");
    }
  }

  private Workloads.Ranking rank(Workloads.Workload w) {
    List<JsonObject> prices = new ArrayList<>();
    for (Object o : ui.queries.currentPrices(null, null)) {
      JsonObject p = (JsonObject) o;
      if ("prices".equals(ui.kindOf(p.getString("source")))) {
        prices.add(p);
      }
    }
    Map<String, Boolean> vendor = new HashMap<>();
    Predicate<String> firstParty = id -> vendor.computeIfAbsent(id, k -> ui.sources.source(k)
        .map(SourceDefinition::provider).map(p -> !p.isBlank()).orElse(false));
    return Workloads.rank(prices, firstParty, facts.get(), w);
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
      List<Map<String, Object>> mods = new ArrayList<>();
      for (String mod : List.of("text", "image", "audio", "video", "file")) {
        mods.add(Map.of("value", mod, "selected", mod.equals(w.modality() == null ? "text" : w.modality())));
      }
      m.put("modalities", mods);
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
          .put("workload", new JsonObject().put("input_tokens", w.input()).put("cached_input_tokens", w.cachedInput())
              .put("output_tokens", w.output()).put("context", w.context()).put("modality", w.modality())
              .put("first_party_only", w.firstPartyOnly()).put("hide_free", w.hideFree()))
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
}
