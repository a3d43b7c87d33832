package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.price.CanonicalModels;
import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import io.pricetide.source.SourceDefinition;
import io.pricetide.template.Html;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two views of the usage page: the open-weight ecosystem (the Hugging Face Hub's derivatives, downloads and likes
 * per family over time) and a provider's usage share beside its blended price, its price cuts marked.
 *
 * <p>Blended price: {@code (3 × input + 1 × output) / 4} in USD per 1M tokens, the standard tier (no condition),
 * from the provider's own pricing page where Pricetide reads one (first-party), else from a catalogue that lists
 * the provider. Usage sources name providers as they do (OpenRouter's authors); {@link #PRICE_PROVIDER} maps the
 * names that differ from Pricetide's providers.
 */
final class UsageViews {
  /** Weights of the blended price: input, output. */
  static final BigDecimal INPUT_WEIGHT = BigDecimal.valueOf(3);
  static final BigDecimal OUTPUT_WEIGHT = BigDecimal.ONE;
  /** OpenRouter author → the provider Pricetide's price sources name; others are the same. */
  static final Map<String, String> PRICE_PROVIDER = Map.of("x-ai", "xai", "mistralai", "mistral", "qwen", "alibaba",
      "moonshotai", "moonshot", "z-ai", "zhipu");
  private static final long WEEK = 7 * 86400L;
  /** A cut's effect on usage is read this many weeks after the cut's week, against the week before it. */
  static final int AFTER_WEEKS = 2;
  private static final List<String> RELATIONS = List.of("finetune", "adapter", "quantized", "merge");

  private final Ui ui;
  private final UsageQueries usage;

  UsageViews(Ui ui, UsageQueries usage) {
    this.ui = ui;
    this.usage = usage;
  }

  // ---------------------------------------------------------------- open-weight ecosystem

  /** The Hub view, or its empty state naming the configured Hub sources and when each was last checked. */
  Map<String, Object> ecosystem(List<SourceDefinition> usageSources) {
    List<SourceDefinition> hubs = usageSources.stream().filter(s -> "huggingface-hub".equals(s.extractorKind()))
        .toList();
    List<UsageQueries.Point> points = usage.usage(hubs.stream().map(SourceDefinition::id).toList(), null, null, null,
        null, null);
    Map<String, Object> m = new HashMap<>();
    m.put("configured", !hubs.isEmpty());
    Map<String, JsonObject> health = new HashMap<>();
    ui.queries.sourceHealth().forEach(o -> health.put(((JsonObject) o).getString("source"), (JsonObject) o));
    m.put("hub_sources", hubs.stream().map(s -> {
      JsonObject h = health.get(s.id());
      Map<String, Object> r = new HashMap<>();
      r.put("id", s.id());
      r.put("name", s.name());
      r.put("url", s.url());
      r.put("checked", h == null ? Map.of() : Ui.time(Instant.parse(h.getString("last_check"))));
      r.put("never", h == null);
      r.put("outcome", h == null ? "" : h.getString("outcome"));
      r.put("reason", h == null || h.getString("reason") == null ? "" : h.getString("reason"));
      return r;
    }).toList());
    m.put("empty", points.isEmpty());
    if (points.isEmpty()) {
      return m;
    }
    // Per family: each series (base model and relation, or model) holds its value until its next point.
    Map<String, Map<String, Map<String, NavigableMap<Long, BigDecimal>>>> byMetric = new HashMap<>();
    for (UsageQueries.Point p : points) {
      byMetric.computeIfAbsent(p.metric(), k -> new TreeMap<>()).computeIfAbsent(p.provider(), k -> new TreeMap<>())
          .computeIfAbsent(p.model() + "\u0000" + p.condition(), k -> new TreeMap<>())
          .put(p.week().getEpochSecond(), p.value());
    }
    // The latest figures hold until the next check: draw them to now.
    Long now = Instant.now().getEpochSecond();
    Map<String, NavigableMap<Long, BigDecimal>> derivatives = familySums(byMetric.get(Metrics.DERIVATIVES));
    Map<String, NavigableMap<Long, BigDecimal>> downloads = familySums(byMetric.get(Metrics.DOWNLOADS_30D));
    Map<String, NavigableMap<Long, BigDecimal>> likes = familySums(byMetric.get(Metrics.LIKES));
    m.put("derivatives_json", Html.jsonScript(Charts.chart("hub-derivatives", "Derivatives per family", "models", "",
        "", lines(derivatives), now, null, false)));
    BigDecimal maxDownloads = downloads.values().stream().flatMap(v -> v.values().stream()).filter(v -> v != null)
        .max(BigDecimal::compareTo).orElse(BigDecimal.ONE);
    UsagePages.Scale scale = UsagePages.Scale.of(maxDownloads);
    Map<String, NavigableMap<Long, BigDecimal>> scaled = new TreeMap<>();
    downloads.forEach((k, v) -> scaled.put(k, scale.apply(v)));
    m.put("downloads_json", Html.jsonScript(Charts.chart("hub-downloads", "30-day downloads per family", "downloads",
        "", scale.suffix(), lines(scaled), now, null, false)));
    m.put("derivatives_range", Map.of("cid", "hub-derivatives", "cname", "derivatives"));
    m.put("downloads_range", Map.of("cid", "hub-downloads", "cname", "downloads"));
    List<Map<String, Object>> rows = new ArrayList<>();
    TreeSet<String> families = new TreeSet<>(derivatives.keySet());
    families.addAll(downloads.keySet());
    for (String f : families) {
      Map<String, Object> r = new HashMap<>();
      r.put("family", f);
      r.put("derivatives", last(derivatives.get(f)));
      Map<String, NavigableMap<Long, BigDecimal>> series = byMetric.getOrDefault(Metrics.DERIVATIVES, Map.of())
          .getOrDefault(f, Map.of());
      for (String rel : RELATIONS) {
        BigDecimal sum = series.entrySet().stream().filter(e -> e.getKey().endsWith("\u0000" + rel))
            .map(e -> e.getValue().lastEntry().getValue()).filter(v -> v != null).reduce(BigDecimal.ZERO, BigDecimal::add);
        r.put(rel, sum.toPlainString());
      }
      Map<String, BigDecimal> perBase = new HashMap<>();
      series.forEach((k, v) -> {
        BigDecimal x = v.lastEntry().getValue();
        if (x != null) {
          perBase.merge(k.substring(0, k.indexOf('\u0000')), x, BigDecimal::add);
        }
      });
      r.put("top_base", perBase.entrySet().stream().max(Map.Entry.comparingByValue())
          .map(e -> e.getKey() + " (" + e.getValue().toPlainString() + ")").orElse(""));
      r.put("downloads", downloads.containsKey(f) ? UsagePages.tokens(downloads.get(f).lastEntry().getValue()) : "");
      r.put("likes", last(likes.get(f)));
      rows.add(r);
    }
    m.put("families", rows);
    Instant newest = points.stream().map(UsageQueries.Point::week).max(Instant::compareTo).orElseThrow();
    m.put("as_of", Ui.time(newest));
    return m;
  }

  /** Family → sum over its series of the value holding at each time any of them has a point. */
  private static Map<String, NavigableMap<Long, BigDecimal>> familySums(
      Map<String, Map<String, NavigableMap<Long, BigDecimal>>> byFamily) {
    Map<String, NavigableMap<Long, BigDecimal>> out = new TreeMap<>();
    if (byFamily == null) {
      return out;
    }
    byFamily.forEach((family, series) -> {
      TreeSet<Long> times = new TreeSet<>();
      series.values().forEach(v -> times.addAll(v.keySet()));
      NavigableMap<Long, BigDecimal> sum = new TreeMap<>();
      for (long t : times) {
        BigDecimal total = BigDecimal.ZERO;
        for (NavigableMap<Long, BigDecimal> v : series.values()) {
          BigDecimal x = Charts.valueAt(v, t);
          total = x == null ? total : total.add(x);
        }
        sum.put(t, total);
      }
      out.put(family, sum);
    });
    return out;
  }

  private static List<Charts.Line> lines(Map<String, NavigableMap<Long, BigDecimal>> m) {
    return Charts.byLatest(m).stream().map(k -> new Charts.Line(k, m.get(k))).toList();
  }

  private static String last(NavigableMap<Long, BigDecimal> m) {
    return m == null || m.isEmpty() || m.lastEntry().getValue() == null ? "" : m.lastEntry().getValue()
        .toPlainString();
  }

  // ---------------------------------------------------------------- usage beside price

  /** A provider's weekly share beside one of its models' blended price, its price cuts marked and tabled. */
  Map<String, Object> besidePrice(UsagePages.Providers main, String wanted, String wantedModel) {
    List<SourceDefinition> priceSources = ui.sources.all().stream().filter(s -> "prices".equals(s.kind())).toList();
    Map<String, java.util.Set<String>> listed = usage.priceProviders(priceSources.stream().map(SourceDefinition::id)
        .toList());
    Map<String, List<SourceDefinition>> candidates = new LinkedHashMap<>();
    for (String provider : main.ranked()) {
      String priced = PRICE_PROVIDER.getOrDefault(provider, provider);
      List<SourceDefinition> own = priceSources.stream().filter(s -> priced.equalsIgnoreCase(s.provider())
          && listed.getOrDefault(s.id(), java.util.Set.of()).contains(priced)).toList();
      List<SourceDefinition> use = !own.isEmpty() ? own : priceSources.stream().filter(s -> s.provider() == null
          || s.provider().isBlank()).filter(s -> listed.getOrDefault(s.id(), java.util.Set.of()).contains(priced))
          .toList();
      if (!use.isEmpty()) {
        candidates.put(provider, use);
      }
    }
    Map<String, Object> m = new HashMap<>();
    m.put("weights", "3:1 input:output");
    m.put("none", candidates.isEmpty());
    if (candidates.isEmpty()) {
      return m;
    }
    List<String> names = new ArrayList<>(candidates.keySet());
    String provider = wanted != null && candidates.containsKey(wanted) ? wanted : names.get(0);
    m.put("unknown", wanted != null && !candidates.containsKey(wanted) ? wanted : "");
    String priced = PRICE_PROVIDER.getOrDefault(provider, provider);
    SourceDefinition source = candidates.get(provider).get(0);
    boolean firstParty = priced.equalsIgnoreCase(source.provider());
    Map<String, NavigableMap<Long, BigDecimal>> input = new TreeMap<>();
    Map<String, NavigableMap<Long, BigDecimal>> output = new TreeMap<>();
    for (UsageQueries.PricePoint p : usage.prices(List.of(source.id()), priced)) {
      (p.metric().equals("input") ? input : output).computeIfAbsent(p.canonical(), k -> new TreeMap<>())
          .put(p.at().getEpochSecond(), p.usd());
    }
    List<String> models = input.keySet().stream().filter(output::containsKey).toList();
    List<ChangeEvent> cuts = ui.queries.events(new EventFilter(source.id(), priced, ChangeEvent.PRICE_CUT, null, null,
        null, 500, false)).stream().filter(e -> "input".equals(e.metric()) || "output".equals(e.metric()))
        .filter(e -> e.condition() == null || e.condition().isEmpty()).toList();
    // Default: the provider's most used model on the leaderboard that has prices, else its latest cut's model.
    String used = main.modelsOf(provider).stream().map(n -> CanonicalModels.RULES.canonical(n.contains("/")
        ? n.substring(n.indexOf('/') + 1) : n)).filter(models::contains).findFirst().orElse(null);
    String model = wantedModel != null && models.contains(wantedModel) ? wantedModel : used != null ? used
        : cuts.stream().map(ChangeEvent::canonicalModel).filter(models::contains).reduce((x, y) -> y)
            .orElse(models.isEmpty() ? null : models.get(0));
    m.put("provider", provider);
    m.put("priced_as", priced);
    m.put("renamed", !priced.equals(provider));
    m.put("source", source.id());
    m.put("source_name", source.name());
    m.put("first_party", firstParty);
    m.put("provider_options", PricePages.options(names, provider));
    m.put("model_options", PricePages.options(models, model));
    m.put("model", model == null ? "" : model);
    NavigableMap<Long, BigDecimal> share = main.shares().getOrDefault(provider, new TreeMap<>());
    NavigableMap<Long, BigDecimal> blended = model == null ? new TreeMap<>() : blend(input.get(model),
        output.get(model));
    JsonArray marks = new JsonArray();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ChangeEvent c : cuts) {
      long t = c.observedAt().getEpochSecond();
      String label = c.model() + " " + c.metric() + " " + Describe.signed(c) + "%";
      marks.add(new JsonObject().put("t", t).put("label", label).put("own", c.canonicalModel() != null
          && c.canonicalModel().equals(model)));
      long week = Instant.ofEpochSecond(t).atZone(ZoneOffset.UTC).toLocalDate()
          .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      BigDecimal before = share.isEmpty() ? null : Charts.valueAt(share, week - WEEK);
      BigDecimal after = share.isEmpty() || week + AFTER_WEEKS * WEEK > share.lastKey() ? null
          : share.get(week + AFTER_WEEKS * WEEK);
      Map<String, Object> r = new HashMap<>();
      r.put("when", Ui.time(c.observedAt()));
      r.put("model", c.model());
      r.put("metric", c.metric());
      r.put("old", Ui.usd(c.oldUsd()));
      r.put("new", Ui.usd(c.newUsd()));
      r.put("pct", c.changePct() == null ? "" : Describe.signed(c) + "%");
      r.put("before", before == null ? "\u2014" : Decimals.money(before) + "%");
      r.put("after", after == null ? "\u2014" : Decimals.money(after) + "%");
      r.put("moved", before == null || after == null ? "\u2014" : signed(after.subtract(before)) + " pp");
      rows.add(r);
    }
    m.put("cuts", rows);
    m.put("no_cuts", rows.isEmpty());
    Long end = share.isEmpty() ? null : share.lastKey() + WEEK;
    JsonObject chart = new JsonObject().put("id", "beside-chart").put("end", end)
        .put("share", new JsonObject().put("label", provider + " share of weekly tokens").put("suffix", "%")
            .put("points", points(share)))
        .put("price", new JsonObject().put("label", (model == null ? "" : model) + " blended USD / 1M").put("prefix",
            "$").put("points", points(blended)))
        .put("cuts", marks);
    m.put("chart_json", Html.jsonScript(chart));
    m.put("range", Map.of("cid", "beside-chart", "cname", "share and price"));
    boolean overlap = !share.isEmpty() && !blended.isEmpty() && blended.firstKey() <= share.lastKey() + WEEK
        && (blended.lastKey() >= share.firstKey() || blended.lastEntry().getValue() != null);
    m.put("no_overlap", !overlap);
    return m;
  }

  /** {@code (3 × input + output) / 4} at each time either changes, while both hold; null where either is gone. */
  static NavigableMap<Long, BigDecimal> blend(NavigableMap<Long, BigDecimal> input,
      NavigableMap<Long, BigDecimal> output) {
    TreeSet<Long> times = new TreeSet<>(input.keySet());
    times.addAll(output.keySet());
    NavigableMap<Long, BigDecimal> out = new TreeMap<>();
    BigDecimal weights = INPUT_WEIGHT.add(OUTPUT_WEIGHT);
    for (long t : times) {
      BigDecimal in = Charts.valueAt(input, t);
      BigDecimal o = Charts.valueAt(output, t);
      if (in == null && o == null && out.isEmpty()) {
        continue;
      }
      out.put(t, in == null || o == null ? null : in.multiply(INPUT_WEIGHT).add(o.multiply(OUTPUT_WEIGHT))
          .divide(weights, 6, RoundingMode.HALF_UP));
    }
    return out;
  }

  private static JsonArray points(NavigableMap<Long, BigDecimal> m) {
    JsonArray a = new JsonArray();
    m.forEach((t, v) -> a.add(new JsonArray().add(t).add(v == null ? null : Decimals.money(v))));
    return a;
  }

  private static String signed(BigDecimal d) {
    return (d.signum() > 0 ? "+" : d.signum() < 0 ? "-" : "") + d.abs().setScale(2, RoundingMode.HALF_UP)
        .toPlainString();
  }
}
