package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import io.pricetide.source.SourceDefinition;
import io.pricetide.template.Html;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The usage page, {@code /usage}: weekly share by provider and by model over the whole recorded history (overtakes
 * marked on the chart and listed), a provider-vs-provider view ({@code ?a=&b=}), the open-weight ecosystem of the
 * Hugging Face Hub and a provider's share beside its blended price ({@code ?p=&pm=}); the last two are built by
 * {@link UsageViews}. Providers' shares come from the source's own totals by author where it publishes them
 * ({@code provider_weekly_tokens}), never from sums of its top models.
 */
final class UsagePages {
  static final int TOP_MODELS = 8;
  /** Rows of the latest week's table. */
  static final int LATEST_ROWS = 20;
  /** Overtakes among this many leading providers are listed first; the others fold away. */
  static final int LEADERS = 10;
  private static final long WEEK = 7 * 86400L;

  private final Ui ui;
  private final UsageQueries usage;

  UsagePages(Ui ui) {
    this.ui = ui;
    this.usage = new UsageQueries(ui.queries.dataSource());
  }

  /** One provider series set of a usage source: raw weekly values per provider and their shares. */
  record Providers(String source, String metric, Map<String, NavigableMap<Long, BigDecimal>> values,
      Map<String, NavigableMap<Long, BigDecimal>> shares, List<UiQueries.UsagePoint> leaderboard) {
    /** The provider's leaderboard models, most weekly tokens in their latest week first. */
    List<String> modelsOf(String provider) {
      Map<String, UiQueries.UsagePoint> last = new LinkedHashMap<>();
      leaderboard.stream().filter(p -> provider.equals(p.provider())).forEach(p -> last.put(p.model(), p));
      return last.values().stream().sorted(java.util.Comparator.comparing(UiQueries.UsagePoint::at)
          .thenComparing(UiQueries.UsagePoint::value, java.util.Comparator.nullsFirst(BigDecimal::compareTo))
          .reversed()).map(UiQueries.UsagePoint::model).toList();
    }

    /** Providers by their latest share, largest first. */
    List<String> ranked() {
      return Charts.byLatest(shares);
    }
  }

  void usage(RoutingContext ctx) {
    String a = Ui.param(ctx, "a");
    String b = Ui.param(ctx, "b");
    String p = Ui.param(ctx, "p");
    String pm = Ui.param(ctx, "pm");
    ui.page(ctx, "usage", "Usage share", "usage", () -> {
      List<SourceDefinition> usageSources = ui.sources.all().stream().filter(s -> "usage".equals(s.kind()))
          .toList();
      List<UiQueries.UsagePoint> points = ui.ui.usagePoints(usageSources.stream().map(SourceDefinition::id).toList());
      Map<String, Object> m = new HashMap<>();
      m.put("usage_sources", usageSources.stream().map(s -> Map.of("id", s.id(), "name", s.name())).toList());
      m.put("no_sources", usageSources.isEmpty());
      m.put("empty", points.isEmpty());
      // A source's own totals by author (provider_weekly_tokens) are its providers' shares; summing its top models
      // per provider would leave out everything below the leaderboard's cut.
      Map<String, List<UiQueries.UsagePoint>> authorTotals = new HashMap<>();
      java.util.Set<String> leaderboards = new java.util.HashSet<>();
      Map<String, Map<String, NavigableMap<Long, BigDecimal>>> raw = new HashMap<>(); // source·metric → name → weeks
      points.forEach(pt -> {
        raw.computeIfAbsent(pt.source() + "\u00b7" + pt.metric(), k -> new HashMap<>())
            .computeIfAbsent(pt.model(), k -> new TreeMap<>()).put(pt.at().getEpochSecond(), pt.value());
        if (pt.metric().equals(Metrics.PROVIDER_WEEKLY_TOKENS)) {
          authorTotals.computeIfAbsent(pt.source(), k -> new ArrayList<>()).add(pt);
        } else if (pt.metric().equals(Metrics.WEEKLY_TOKENS)) {
          leaderboards.add(pt.source());
        }
      });
      List<ChangeEvent> overtakeEvents = ui.queries.events(new EventFilter(null, null, ChangeEvent.OVERTAKE, null,
          null, null, 500, true));
      List<Map<String, Object>> overtakes = overtakeEvents.stream().map(e -> overtakeRow(e, raw)).toList();
      Map<String, List<UiQueries.UsagePoint>> byMetric = new TreeMap<>();
      // The leaderboards (weekly tokens); the Hub's counts have their own view below.
      points.stream().filter(pt -> pt.metric().equals(Metrics.WEEKLY_TOKENS))
          .forEach(pt -> byMetric.computeIfAbsent(pt.source() + " \u00b7 " + pt.metric(), k -> new ArrayList<>())
              .add(pt));
      List<Map<String, Object>> sections = new ArrayList<>();
      Providers main = null;
      int n = 0;
      for (Map.Entry<String, List<UiQueries.UsagePoint>> e : byMetric.entrySet()) {
        UiQueries.UsagePoint first = e.getValue().get(0);
        Providers providers = providers(first.source(), e.getValue(), authorTotals.get(first.source()));
        main = main == null ? providers : main;
        sections.add(section("usage-" + (n++), e.getKey(), e.getValue(), providers, overtakeEvents));
      }
      m.put("sections", sections);
      m.put("overtakes", overtakes);
      m.put("has_overtakes", !overtakes.isEmpty());
      List<Map<String, Object>> byProvider = overtakes.stream().filter(o -> "provider".equals(o.get("by"))).toList();
      List<Map<String, Object>> byModel = overtakes.stream().filter(o -> "model".equals(o.get("by"))).toList();
      m.put("provider_overtakes", byProvider);
      m.put("model_overtakes", byModel);
      m.put("model_overtake_count", byModel.size());
      m.put("has_model_overtakes", !byModel.isEmpty());
      // The leaders' overtakes first (both among the top providers of the latest week); the long tail folds away.
      java.util.Set<String> leaders = new java.util.HashSet<>(main == null ? List.of() : main.ranked().stream()
          .limit(LEADERS).toList());
      List<Map<String, Object>> top = byProvider.stream().filter(o -> leaders.contains(o.get("a"))
          && leaders.contains(o.get("b"))).toList();
      List<Map<String, Object>> rest = byProvider.stream().filter(o -> !top.contains(o)).toList();
      m.put("has_provider_overtakes", !byProvider.isEmpty());
      m.put("provider_overtakes_ctx", Map.of("rows", top, "caption", "Overtakes among the top " + LEADERS
          + " providers of the latest week, newest first"));
      m.put("has_older_overtakes", !rest.isEmpty());
      m.put("older_overtake_count", rest.size());
      m.put("older_overtakes_ctx", Map.of("rows", rest, "caption", "Overtakes involving the other providers, newest "
          + "first"));
      m.put("model_overtakes_ctx", Map.of("rows", byModel, "caption", "Each week one model passed another in weekly "
          + "tokens, newest first"));
      m.put("charts_page", !points.isEmpty());
      if (main != null && main.values().size() >= 2) {
        m.put("vs", versus(main, a, b, overtakes));
      }
      UsageViews views = new UsageViews(ui, usage);
      m.put("ecosystem", views.ecosystem(usageSources));
      if (main != null) {
        m.put("beside", views.besidePrice(main, p, pm));
      }
      return m;
    });
  }

  /** Providers' weekly values of one leaderboard: the source's totals by author where it has them, else sums. */
  static Providers providers(String source, List<UiQueries.UsagePoint> points,
      List<UiQueries.UsagePoint> authorTotals) {
    Map<String, NavigableMap<Long, BigDecimal>> byProvider = new LinkedHashMap<>();
    if (authorTotals != null) {
      authorTotals.forEach(p -> byProvider.computeIfAbsent(p.model(), k -> new TreeMap<>())
          .put(p.at().getEpochSecond(), p.value()));
      return new Providers(source, Metrics.PROVIDER_WEEKLY_TOKENS, byProvider, Charts.weeklyShares(byProvider),
          points);
    }
    TreeSet<Long> times = new TreeSet<>();
    Map<String, Map<String, NavigableMap<Long, BigDecimal>>> models = new LinkedHashMap<>();
    points.forEach(p -> {
      times.add(p.at().getEpochSecond());
      models.computeIfAbsent(p.provider(), k -> new LinkedHashMap<>()).computeIfAbsent(p.model(),
          k -> new TreeMap<>()).put(p.at().getEpochSecond(), p.value());
    });
    models.forEach((provider, byModel) -> {
      NavigableMap<Long, BigDecimal> sum = new TreeMap<>();
      for (long t : times) {
        BigDecimal total = BigDecimal.ZERO;
        for (NavigableMap<Long, BigDecimal> v : byModel.values()) {
          BigDecimal x = Charts.valueAt(v, t);
          total = x == null ? total : total.add(x);
        }
        sum.put(t, total);
      }
      byProvider.put(provider, sum);
    });
    return new Providers(source, Metrics.WEEKLY_TOKENS, byProvider, Charts.weeklyShares(byProvider), points);
  }

  /** One source's share charts (providers with overtakes marked, top models) and its latest week's table. */
  private static Map<String, Object> section(String id, String title, List<UiQueries.UsagePoint> points,
      Providers providers, List<ChangeEvent> overtakes) {
    Map<String, NavigableMap<Long, BigDecimal>> byModel = new LinkedHashMap<>();
    for (UiQueries.UsagePoint p : points) {
      String label = p.model().startsWith(p.provider() + "/") ? p.model() : p.provider() + " / " + p.model();
      byModel.computeIfAbsent(label, k -> new TreeMap<>()).put(p.at().getEpochSecond(), p.value());
    }
    Map<String, NavigableMap<Long, BigDecimal>> modelShare = Charts.weeklyShares(byModel);
    List<String> topModels = Charts.byLatest(modelShare).stream().limit(TOP_MODELS).toList();
    List<Charts.Line> modelLines = topModels.stream().map(k -> new Charts.Line(k, modelShare.get(k))).toList();
    List<String> ranked = providers.ranked();
    List<Charts.Line> providerLines = ranked.stream().map(k -> new Charts.Line(k, providers.shares().get(k)))
        .toList();
    // A weekly value holds for its week: draw the last week to its end.
    Long end = providers.shares().values().stream().filter(v -> !v.isEmpty()).map(NavigableMap::lastKey)
        .max(Long::compare).map(t -> t + WEEK).orElse(null);
    JsonArray marks = new JsonArray();
    for (ChangeEvent e : overtakes) {
      // Marked: overtakes among the leaders of the latest week (the table folds the others away too).
      int i = ranked.indexOf(e.provider());
      int passed = e.condition() == null ? -1 : ranked.indexOf(e.condition().replaceFirst("^passed ", ""));
      if (e.provider() == null || i < 0 || i >= LEADERS || passed < 0 || passed >= LEADERS
          || !e.sourceId().equals(providers.source())) {
        continue;
      }
      BigDecimal share = providers.shares().get(e.provider()).get(e.observedAt().getEpochSecond());
      if (share != null) {
        marks.add(new JsonObject().put("t", e.observedAt().getEpochSecond()).put("v", Decimals.money(share))
            .put("series", i).put("kind", ChangeEvent.OVERTAKE).put("label", e.provider() + " " + e.condition()));
      }
    }
    Map<String, Object> m = new HashMap<>();
    m.put("title", title);
    m.put("own_totals", providers.metric().equals(Metrics.PROVIDER_WEEKLY_TOKENS));
    m.put("providers_id", id + "-providers");
    m.put("models_id", id + "-models");
    m.put("marks", marks.size());
    m.put("providers_range", Map.of("cid", id + "-providers", "cname", "share by provider"));
    m.put("models_range", Map.of("cid", id + "-models", "cname", "share by model"));
    m.put("providers_json", Html.jsonScript(Charts.chart(id + "-providers", title + " by provider", "share", "",
        "%", providerLines, end, marks, false)));
    m.put("models_json", Html.jsonScript(Charts.chart(id + "-models", title + " by model", "share", "", "%",
        modelLines, end, null, false)));
    List<Map<String, Object>> latest = new ArrayList<>();
    int rank = 1;
    List<String> rankedModels = Charts.byLatest(modelShare);
    for (String k : rankedModels) {
      NavigableMap<Long, BigDecimal> s = modelShare.get(k);
      if (s.isEmpty() || rank > LATEST_ROWS) {
        continue;
      }
      BigDecimal raw = byModel.get(k).lastEntry().getValue();
      latest.add(Map.of("rank", rank++, "name", k, "name_html", Describe.breakable(k), "share", Decimals.money(s.lastEntry().getValue()) + "%",
          "value", raw == null ? "" : tokens(raw), "week", Ui.day(Instant.ofEpochSecond(s.lastKey()))));
    }
    m.put("latest", latest);
    m.put("latest_of", rankedModels.size() > LATEST_ROWS ? "top " + LATEST_ROWS + " of " + rankedModels.size()
        + " models" : "");
    return m;
  }

  /**
   * An overtake as the page lists it: "qwen passed openai, week of 2025-07-28: 361.8B vs 188.0B tokens", the
   * token counts read from the stored weekly values of both series (the event itself keeps shares).
   */
  static Map<String, Object> overtakeRow(ChangeEvent e,
      Map<String, Map<String, NavigableMap<Long, BigDecimal>>> raw) {
    String a = e.provider() != null ? e.provider() : e.model();
    String b = e.condition() == null ? "" : e.condition().replaceFirst("^passed ", "");
    long week = e.observedAt().getEpochSecond();
    Map<String, NavigableMap<Long, BigDecimal>> values = raw.getOrDefault(e.sourceId() + "\u00b7" + e.metric(),
        Map.of());
    BigDecimal va = values.containsKey(a) ? values.get(a).get(week) : null;
    BigDecimal vb = values.containsKey(b) ? values.get(b).get(week) : null;
    String sentence = a + " passed " + b + ", week of " + Ui.day(e.observedAt())
        + (va != null && vb != null ? ": " + tokens(va) + " vs " + tokens(vb) + " tokens" : "");
    Map<String, Object> m = new HashMap<>();
    m.put("sentence", sentence);
    m.put("a", a);
    m.put("b", b);
    m.put("by", e.provider() != null ? "provider" : "model");
    m.put("week", Ui.day(e.observedAt()));
    m.put("iso", e.observedAt().toString());
    m.put("shares", e.newValue() == null ? "" : Decimals.money(e.newValue()) + "%");
    m.put("sent", e.toSubscribers() ? "yes" : "no: history");
    m.put("source", e.sourceId());
    return m;
  }

  /** Two providers side by side: their weekly tokens, the ratio of the first to the second, their overtakes. */
  private static Map<String, Object> versus(Providers main, String a, String b, List<Map<String, Object>> overtakes) {
    List<String> ranked = main.ranked();
    String pa = pick(ranked, a, 0);
    String pb = pick(ranked, b, pa.equals(ranked.get(1)) ? 0 : 1);
    if (pa.equals(pb)) {
      pb = ranked.get(ranked.get(0).equals(pa) ? 1 : 0);
    }
    Map<String, Object> m = new HashMap<>();
    List<String> unknown = new ArrayList<>();
    if (a != null && !ranked.contains(a)) {
      unknown.add(a);
    }
    if (b != null && !ranked.contains(b)) {
      unknown.add(b);
    }
    m.put("unknown", String.join(", ", unknown));
    m.put("a", pa);
    m.put("b", pb);
    m.put("a_options", PricePages.options(ranked, pa));
    m.put("b_options", PricePages.options(ranked, pb));
    NavigableMap<Long, BigDecimal> va = main.values().get(pa);
    NavigableMap<Long, BigDecimal> vb = main.values().get(pb);
    BigDecimal max = java.util.stream.Stream.concat(va.values().stream(), vb.values().stream())
        .filter(v -> v != null).max(BigDecimal::compareTo).orElse(BigDecimal.ONE);
    Scale scale = Scale.of(max);
    Long end = Math.max(va.isEmpty() ? 0 : va.lastKey(), vb.isEmpty() ? 0 : vb.lastKey()) + WEEK;
    String fa = pa;
    String fb = pb;
    List<Map<String, Object>> between = overtakes.stream().filter(o -> "provider".equals(o.get("by"))
        && (fa.equals(o.get("a")) && fb.equals(o.get("b")) || fb.equals(o.get("a")) && fa.equals(o.get("b"))))
        .toList();
    JsonArray marks = new JsonArray();
    for (Map<String, Object> o : between) {
      long t = Instant.parse((String) o.get("iso")).getEpochSecond();
      boolean first = fa.equals(o.get("a"));
      BigDecimal v = (first ? va : vb).get(t);
      if (v != null) {
        marks.add(new JsonObject().put("t", t).put("v", Decimals.money(v.divide(scale.divisor(), 2,
            RoundingMode.HALF_UP))).put("series", first ? 0 : 1).put("kind", ChangeEvent.OVERTAKE)
            .put("label", (String) o.get("sentence")));
      }
    }
    m.put("tokens_json", Html.jsonScript(Charts.chart("vs-tokens", pa + " and " + pb + " weekly tokens", "tokens", "",
        scale.suffix(), List.of(new Charts.Line(pa, scale.apply(va)), new Charts.Line(pb, scale.apply(vb))), end, marks,
        false)));
    Charts.Line ratio = Charts.ratio(pa + " \u00f7 " + pb, new Charts.Line(pb, vb), new Charts.Line(pa, va));
    m.put("ratio_json", Html.jsonScript(Charts.chart("vs-ratio", pa + " tokens per " + pb + " token", "ratio", "",
        "\u00d7", List.of(ratio), end, null, false)));
    m.put("tokens_range", Map.of("cid", "vs-tokens", "cname", "weekly tokens"));
    m.put("ratio_range", Map.of("cid", "vs-ratio", "cname", "ratio"));
    BigDecimal lastA = va.isEmpty() ? null : va.lastEntry().getValue();
    BigDecimal lastB = vb.isEmpty() ? null : vb.lastEntry().getValue();
    m.put("latest", lastA == null || lastB == null ? "" : pa + " " + tokens(lastA) + " vs " + pb + " " + tokens(lastB)
        + " tokens, week of " + Ui.day(Instant.ofEpochSecond(Math.min(va.lastKey(), vb.lastKey())))
        + (lastB.signum() == 0 ? "" : " (" + lastA.divide(lastB, 2, RoundingMode.HALF_UP).toPlainString() + "\u00d7)"));
    m.put("overtakes", between);
    m.put("no_overtakes", between.isEmpty());
    return m;
  }

  private static String pick(List<String> ranked, String wanted, int fallback) {
    return wanted != null && ranked.contains(wanted) ? wanted : ranked.get(Math.min(fallback, ranked.size() - 1));
  }

  /** A unit for large counts on a chart axis (K, M, B, T), chosen by the largest value. */
  record Scale(BigDecimal divisor, String suffix) {
    static Scale of(BigDecimal max) {
      String[] units = {"", "K", "M", "B", "T"};
      int u = 0;
      BigDecimal d = BigDecimal.ONE;
      while (u < units.length - 1 && max.compareTo(d.multiply(BigDecimal.valueOf(1000))) >= 0) {
        d = d.multiply(BigDecimal.valueOf(1000));
        u++;
      }
      return new Scale(d, units[u]);
    }

    NavigableMap<Long, BigDecimal> apply(NavigableMap<Long, BigDecimal> in) {
      NavigableMap<Long, BigDecimal> out = new TreeMap<>();
      in.forEach((t, v) -> out.put(t, v == null ? null : v.divide(divisor, 2, RoundingMode.HALF_UP)));
      return out;
    }
  }

  /** A token count as people read it: 361.8B, 1.2T, 950.0M; below a thousand as it is. */
  static String tokens(BigDecimal n) {
    String[] units = {"", "K", "M", "B", "T"};
    BigDecimal v = n;
    int u = 0;
    while (v.abs().compareTo(BigDecimal.valueOf(1000)) >= 0 && u < units.length - 1) {
      v = v.divide(BigDecimal.valueOf(1000));
      u++;
    }
    return (u == 0 ? v.stripTrailingZeros() : v.setScale(1, RoundingMode.HALF_UP)).toPlainString() + units[u];
  }
}
