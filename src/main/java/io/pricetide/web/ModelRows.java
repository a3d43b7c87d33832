package io.pricetide.web;

import io.pricetide.history.HistoryQueries;
import io.pricetide.source.SourceDefinition;
import io.pricetide.web.ModelIdentity.Role;
import io.pricetide.web.ModelQueries.Head;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A model's series as the pages show them: read once per request ({@link ModelQueries#heads}), each series under its
 * row (source, the source's own name, condition) and role, the vendor's identity and title. Points are read one
 * series at a time, thinned ({@link StepSampler}), only for the lines a chart draws.
 */
final class ModelRows {
  /** Points per drawn line at most: changes are kept at their exact time. */
  static final int MAX_POINTS = 400;

  /**
   * One row: a source's series of one model name and condition, by metric.
   *
   * @param role vendor, catalogue or reseller
   * @param source source id
   * @param name the model as the source names it
   * @param condition condition, empty for the standard price
   * @param byMetric its series by metric
   */
  record Row(Role role, String source, String name, String condition, Map<String, Head> byMetric) {
    boolean active() {
      return byMetric.values().stream().anyMatch(Head::active);
    }

    /** What the row's prices are now, metric by metric: rows of one source that agree are shown as one. */
    String signature() {
      StringBuilder b = new StringBuilder();
      new TreeMap<>(byMetric).forEach((m, h) -> b.append(m).append('=').append(h.active() ? h.usd() : "removed")
          .append(';'));
      return b.toString();
    }

    Instant lastChanged() {
      return byMetric.values().stream().map(Head::lastChanged).max(Comparator.naturalOrder()).orElse(null);
    }
  }

  final String id;
  final String vendor;
  final String title;
  final List<Row> rows;
  final List<Head> heads;

  private ModelRows(String id, String vendor, String title, List<Row> rows, List<Head> heads) {
    this.id = id;
    this.vendor = vendor;
    this.title = title;
    this.rows = rows;
    this.heads = heads;
  }

  /** The price series of a model, or null when it has none. */
  static ModelRows read(Ui ui, ModelQueries mq, String id) {
    List<Head> heads = new ArrayList<>();
    for (Head h : mq.heads(id)) {
      // A series a newer alias file gives another id (a variant once folded in) belongs to that model's page.
      boolean mine = h.model().equals(id) || ui.sources.models().canonical(h.model()).equals(id.toLowerCase());
      if (mine && "prices".equals(ui.kindOf(h.source()))) {
        heads.add(h);
      }
    }
    if (heads.isEmpty()) {
      return null;
    }
    List<String> fpProviders = new ArrayList<>();
    List<String> fpNames = new ArrayList<>();
    List<String> catProviders = new ArrayList<>();
    List<String> catNames = new ArrayList<>();
    for (Head h : heads) {
      if (firstParty(ui, h.source())) {
        fpProviders.add(h.provider());
        fpNames.add(h.model());
      } else {
        catProviders.add(h.provider());
        catNames.add(h.model());
      }
    }
    String vendor = ModelIdentity.vendor(fpProviders, catProviders);
    Map<String, Row> byKey = new LinkedHashMap<>();
    for (Head h : heads) {
      Row r = byKey.computeIfAbsent(h.rowKey(), k -> new Row(ModelIdentity.role(firstParty(ui, h.source()),
          h.source(), h.provider(), vendor), h.source(), h.model(), h.condition(), new TreeMap<>()));
      r.byMetric().put(h.metric(), h);
    }
    List<Row> rows = new ArrayList<>(byKey.values());
    rows.sort(Comparator.comparing((Row r) -> r.role().ordinal()).thenComparing(r -> !r.condition().isEmpty())
        .thenComparing(r -> !r.active())
        .thenComparing(r -> r.byMetric().values().stream().noneMatch(h -> "USD".equals(h.currency())))
        .thenComparing(Row::source).thenComparing(Row::condition)
        .thenComparing(r -> !ModelIdentity.bare(r.name()).equalsIgnoreCase(id)).thenComparing(Row::name));
    return new ModelRows(id, vendor, ModelIdentity.title(id, fpNames, catNames), rows, heads);
  }

  static boolean firstParty(Ui ui, String source) {
    return ui.sources.source(source).map(d -> "prices".equals(d.kind()) && !d.provider().isEmpty()).orElse(false);
  }

  /** The source's display name, its id when the file is gone. */
  static String sourceName(Ui ui, String source) {
    return ui.sources.source(source).map(SourceDefinition::name).filter(n -> n != null && !n.isBlank())
        .orElse(source);
  }

  /** Metrics the model has, main ones first. */
  List<String> metrics() {
    return PricePages.metricOrder(heads.stream().map(Head::metric).distinct().toList());
  }

  /** The latest time any current series of the model was seen: where a current line ends. */
  Long end() {
    return heads.stream().filter(h -> h.active() && h.lastSeen() != null).map(h -> h.lastSeen().getEpochSecond())
        .max(Long::compare).orElse(null);
  }

  /**
   * The default series of a model for a comparison and a metric: the vendor's own current standard price (quoted in
   * USD where the vendor has a site that does), else a catalogue's current standard price, else a reseller's, else
   * the latest removed one.
   */
  Row defaultRow(String metric) {
    return rows.stream().filter(r -> r.byMetric().containsKey(metric)).min(Comparator
        .comparing((Row r) -> !r.byMetric().get(metric).active())
        .thenComparing(r -> !r.condition().isEmpty())
        .thenComparing(r -> r.role().ordinal())
        // One pick for a vendor with several sites (Alibaba's international page in USD, its China page in CNY):
        // the price quoted in USD, the currency every other price is compared in, before a converted one.
        .thenComparing(r -> !"USD".equals(r.byMetric().get(metric).currency()))
        .thenComparing(r -> !ModelIdentity.bare(r.name()).equalsIgnoreCase(id))
        .thenComparing(r -> -r.byMetric().get(metric).lastSeen().getEpochSecond())).orElse(null);
  }

  /** The row of a key ({@link Head#rowKey()}), null when the model has none such. */
  Row row(String key) {
    return key == null ? null : rows.stream().filter(r -> (r.source() + '|' + r.name() + '|' + r.condition())
        .equals(key)).findFirst().orElse(null);
  }

  /** One series' timeline for a chart, thinned to {@link #MAX_POINTS}, in USD per 1M. */
  static NavigableMap<Long, BigDecimal> points(HistoryQueries q, Head h) {
    NavigableMap<Long, BigDecimal> out = new TreeMap<>();
    long from = h.firstSeen().toEpochMilli();
    long to = Math.max(from, h.lastSeen() == null ? from : h.lastSeen().toEpochMilli());
    StepSampler s = new StepSampler(from, StepSampler.width(to - from, MAX_POINTS),
        p -> out.put(p.at().getEpochSecond(), p.usdPer1m() == null ? null : new BigDecimal(p.usdPer1m())));
    q.eachPoint(h.id(), null, null, s);
    s.finish();
    return out;
  }

  /** "gpt-4o · OpenAI pricing page (batch)": a line's label. */
  static String label(Ui ui, Row r) {
    return r.name() + " \u00b7 " + r.source() + (r.condition().isEmpty() ? "" : " (" + r.condition() + ")");
  }

  static boolean sameRow(Row a, Row b) {
    return Objects.equals(a.source(), b.source()) && Objects.equals(a.name(), b.name())
        && Objects.equals(a.condition(), b.condition());
  }
}
