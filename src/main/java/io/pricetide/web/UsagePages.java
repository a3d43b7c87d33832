package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import io.pricetide.source.SourceDefinition;
import io.pricetide.template.Html;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The usage page: weekly share by provider and model, and the overtakes. */
final class UsagePages {
  static final int TOP_MODELS = 8;

  private final Ui ui;

  UsagePages(Ui ui) {
    this.ui = ui;
  }

  void usage(RoutingContext ctx) {
    ui.page(ctx, "usage", "Usage share", "usage", () -> {
      List<SourceDefinition> usageSources = ui.sources.all().stream().filter(s -> "usage".equals(s.kind()))
          .toList();
      List<UiQueries.UsagePoint> points = ui.ui.usagePoints(usageSources.stream().map(SourceDefinition::id).toList());
      Map<String, Object> m = new HashMap<>();
      m.put("usage_sources", usageSources.stream().map(s -> Map.of("id", s.id(), "name", s.name())).toList());
      m.put("no_sources", usageSources.isEmpty());
      m.put("empty", points.isEmpty());
      List<Map<String, Object>> sections = new ArrayList<>();
      // A source's own totals by author (provider_weekly_tokens) are its providers' shares; summing its top models
      // per provider would leave out everything below the leaderboard's cut.
      Map<String, List<UiQueries.UsagePoint>> authorTotals = new HashMap<>();
      Set<String> leaderboards = new HashSet<>();
      points.forEach(p -> {
        if (p.metric().equals(Metrics.PROVIDER_WEEKLY_TOKENS)) {
          authorTotals.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(p);
        } else if (p.metric().equals(Metrics.WEEKLY_TOKENS)) {
          leaderboards.add(p.source());
        }
      });
      Map<String, List<UiQueries.UsagePoint>> byMetric = new TreeMap<>();
      points.stream().filter(p -> !(p.metric().equals(Metrics.PROVIDER_WEEKLY_TOKENS) && leaderboards.contains(
          p.source()))).forEach(p -> byMetric.computeIfAbsent(usageOrder(p.metric()) + p.source() + " \u00b7 "
              + p.metric(), k -> new ArrayList<>()).add(p));
      int n = 0;
      for (Map.Entry<String, List<UiQueries.UsagePoint>> e : byMetric.entrySet()) {
        UiQueries.UsagePoint first = e.getValue().get(0);
        List<UiQueries.UsagePoint> totals = first.metric().equals(Metrics.WEEKLY_TOKENS)
            ? authorTotals.get(first.source()) : null;
        sections.add(usageSection("usage-" + (n++), e.getKey().substring(1), e.getValue(), totals));
      }
      m.put("sections", sections);
      List<ChangeEvent> overtakes = ui.queries.events(new EventFilter(null, null, "overtake", null, null, null, 50,
          true));
      List<Map<String, Object>> rows = overtakes.stream().map(ActivityPages::eventRow).toList();
      m.put("overtakes", rows);
      m.put("has_overtakes", !rows.isEmpty());
      m.put("overtakes_ctx", Map.of("events", rows));
      m.put("charts_page", !points.isEmpty());
      return m;
    });
  }

  /** Share metrics (weekly tokens, downloads) first, then the other usage counts. */
  private static char usageOrder(String metric) {
    int i = Metrics.SHARE_METRICS.indexOf(metric);
    return (char) ('0' + (i < 0 ? 9 : i));
  }

  /**
   * One usage chart pair; {@code authorTotals}, when the source publishes them, are the providers' own weekly
   * totals, charted as they are instead of sums of the models shown.
   */
  private static Map<String, Object> usageSection(String id, String title, List<UiQueries.UsagePoint> points,
      List<UiQueries.UsagePoint> authorTotals) {
    Map<String, NavigableMap<Long, BigDecimal>> byModel = new LinkedHashMap<>();
    Map<String, List<String>> modelsOf = new LinkedHashMap<>();
    for (UiQueries.UsagePoint p : points) {
      String label = p.model().startsWith(p.provider() + "/") ? p.model() : p.provider() + " / " + p.model();
      if (!byModel.containsKey(label)) {
        modelsOf.computeIfAbsent(p.provider(), x -> new ArrayList<>()).add(label);
      }
      byModel.computeIfAbsent(label, k -> new TreeMap<>()).put(p.at().getEpochSecond(), p.value());
    }
    Map<String, NavigableMap<Long, BigDecimal>> byProvider = new LinkedHashMap<>();
    TreeSet<Long> times = new TreeSet<>();
    byModel.values().forEach(v -> times.addAll(v.keySet()));
    if (authorTotals != null) {
      authorTotals.forEach(p -> byProvider.computeIfAbsent(p.model(), k -> new TreeMap<>())
          .put(p.at().getEpochSecond(), p.value()));
    }
    modelsOf.forEach((provider, keys) -> {
      if (authorTotals != null) {
        return;
      }
      NavigableMap<Long, BigDecimal> sum = new TreeMap<>();
      for (long t : times) {
        BigDecimal total = BigDecimal.ZERO;
        for (String k : keys) {
          BigDecimal v = Charts.valueAt(byModel.get(k), t);
          total = v == null ? total : total.add(v);
        }
        sum.put(t, total);
      }
      byProvider.put(provider, sum);
    });
    Map<String, NavigableMap<Long, BigDecimal>> modelShare = Charts.weeklyShares(byModel);
    Map<String, NavigableMap<Long, BigDecimal>> providerShare = Charts.weeklyShares(byProvider);
    List<String> topModels = Charts.byLatest(modelShare).stream().limit(TOP_MODELS).toList();
    List<Charts.Line> modelLines = topModels.stream().map(k -> new Charts.Line(k, modelShare.get(k))).toList();
    List<Charts.Line> providerLines = Charts.byLatest(providerShare).stream()
        .map(k -> new Charts.Line(k, providerShare.get(k))).toList();
    // A weekly value holds for its week: draw the last week to its end.
    Long end = providerShare.values().stream().filter(v -> !v.isEmpty()).map(NavigableMap::lastKey)
        .max(Long::compare).map(t -> t + 7 * 86400L).orElse(null);
    Map<String, Object> m = new HashMap<>();
    m.put("title", title);
    m.put("own_totals", authorTotals != null);
    m.put("providers_id", id + "-providers");
    m.put("models_id", id + "-models");
    m.put("providers_json", Html.jsonScript(Charts.chart(id + "-providers", title + " by provider", "share", "",
        "%", providerLines, end, null, false)));
    m.put("models_json", Html.jsonScript(Charts.chart(id + "-models", title + " by model", "share", "", "%",
        modelLines, end, null, false)));
    List<Map<String, Object>> latest = new ArrayList<>();
    int rank = 1;
    for (String k : Charts.byLatest(modelShare)) {
      NavigableMap<Long, BigDecimal> s = modelShare.get(k);
      if (s.isEmpty()) {
        continue;
      }
      BigDecimal raw = byModel.get(k).lastEntry().getValue();
      latest.add(Map.of("rank", rank++, "name", k, "share", Decimals.money(s.lastEntry().getValue()) + "%",
          "value", raw == null ? "" : raw.setScale(Math.max(0, raw.stripTrailingZeros().scale()),
              java.math.RoundingMode.UNNECESSARY).toPlainString(), "week", Ui.day(Instant.ofEpochSecond(s.lastKey()))));
    }
    m.put("latest", latest);
    return m;
  }

}
