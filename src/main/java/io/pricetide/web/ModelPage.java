package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.price.Decimals;
import io.pricetide.template.Html;
import io.pricetide.web.ModelIdentity.Role;
import io.pricetide.web.ModelQueries.Head;
import io.pricetide.web.ModelQueries.Stats;
import io.pricetide.web.ModelRows.Row;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The model page: titled with the vendor's own name, the vendor's prices first, then the catalogues' copies, then
 * resellers; one table row per source, condition and set of prices (a source's names that agree share a row); a
 * chart per main metric whose vendor lines are drawn and whose catalogue lines wait behind a toggle; the model's
 * variants linked.
 */
final class ModelPage {
  /** Catalogue lines a chart carries at most (behind the toggle); the table has them all. */
  static final int MAX_CATALOGUE_LINES = 12;
  /** Names a table row lists before "+N more". */
  static final int NAMES_SHOWN = 3;

  private final Ui ui;
  private final ModelQueries mq;

  ModelPage(Ui ui, ModelQueries mq) {
    this.ui = ui;
    this.mq = mq;
  }

  Map<String, Object> build(String id) {
    ModelRows mr = ModelRows.read(ui, mq, id);
    if (mr == null) {
      throw new Ui.PageException(404, "No price history for a model called \u201c" + id + "\u201d.");
    }
    Map<Long, Stats> stats = mq.stats(mr.heads.stream().map(Head::id).toList());
    List<String> metrics = mr.metrics();
    List<String> columns = metrics.stream().filter(PricePages.MAIN_METRICS::contains).toList();
    List<String> others = metrics.stream().filter(m -> !PricePages.MAIN_METRICS.contains(m)).toList();

    Map<String, Object> m = new HashMap<>();
    m.put("title", mr.title);
    m.put("name", mr.title);
    m.put("name_html", Describe.breakable(mr.title));
    m.put("canonical", id);
    m.put("vendor", mr.vendor);
    m.put("columns", columns.stream().map(c -> Map.of("label", label(c))).toList());
    // Prices a source announced for later, not yet in effect: a note in their cell and a table of their own.
    List<JsonObject> pending = new io.pricetide.history.AnnouncedReads(ui.queries.dataSource()).pending(id);
    Map<String, List<JsonObject>> announced = new HashMap<>();
    pending.forEach(a -> announced.computeIfAbsent(announcedKey(a.getString("source"), a.getString("model"),
        a.getString("condition"), a.getString("metric")), k -> new ArrayList<>()).add(a));
    m.put("groups", groups(mr, columns, stats, announced));
    m.put("has_token_prices", !columns.isEmpty());
    List<Map<String, Object>> ann = pending.stream().map(ModelPage::announcedRow).toList();
    m.put("announced", ann);
    m.put("has_announced", !ann.isEmpty());
    List<Map<String, Object>> other = otherPrices(mr, others);
    m.put("others", other);
    m.put("has_others", !other.isEmpty());
    List<Map<String, Object>> variants = variants(id);
    m.put("variants", variants);
    m.put("has_variants", !variants.isEmpty());
    List<ChangeEvent> events = ui.queries.events(new EventFilter(null, null, null, id, null, null, 300, true));
    m.put("charts", charts(mr, columns, events));
    m.put("charts_page", true);
    m.put("has_events", !events.isEmpty());
    m.put("events", events.stream().limit(50).map(ActivityPages::eventRow).toList());
    m.put("feed", "/feeds/models/" + Urls.enc(id) + ".atom");
    m.put("compare", "/compare?m=" + Urls.enc(id));
    return m;
  }

  static String label(String metric) {
    return PricePages.LABELS.getOrDefault(metric, metric.replace('_', ' '));
  }

  /** The table, as sections by role, rows of one source and condition whose prices agree merged. */
  static String announcedKey(String source, String model, String condition, String metric) {
    return source + '|' + model + '|' + (condition == null ? "" : condition) + '|' + metric;
  }

  /** "from 2026-03-01: $7.00" (the time too when it is not midnight UTC), in the price's own unit. */
  static String announcedNote(JsonObject a) {
    Instant from = Instant.parse(a.getString("effective_from"));
    String when = from.equals(from.truncatedTo(java.time.temporal.ChronoUnit.DAYS)) ? Ui.day(from) : Ui.minute(from);
    return "from " + when + ": " + Ui.price(new BigDecimal(a.getString("usd_per_1m")), a.getString("metric"));
  }

  private static Map<String, Object> announcedRow(JsonObject a) {
    Map<String, Object> r = new HashMap<>();
    r.put("source", a.getString("source"));
    r.put("name", a.getString("model"));
    r.put("name_html", Describe.breakable(a.getString("model")));
    r.put("metric", label(a.getString("metric")));
    r.put("condition", a.getString("condition") == null ? "standard" : a.getString("condition"));
    r.put("price", Ui.price(new BigDecimal(a.getString("usd_per_1m")), a.getString("metric")));
    r.put("orig", "USD".equals(a.getString("currency")) ? "" : a.getString("currency") + " " + a.getString("value"));
    r.put("from", Ui.time(Instant.parse(a.getString("effective_from"))));
    r.put("announced_at", Ui.time(Instant.parse(a.getString("announced_at"))));
    return r;
  }

  private List<Map<String, Object>> groups(ModelRows mr, List<String> columns, Map<Long, Stats> stats,
      Map<String, List<JsonObject>> announced) {
    Map<Role, Map<String, List<Row>>> merged = new LinkedHashMap<>();
    for (Row r : mr.rows) {
      if (columns.stream().noneMatch(r.byMetric()::containsKey)) {
        continue;
      }
      merged.computeIfAbsent(r.role(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.source() + '|' + r.condition() + '|' + r.signature(), k -> new ArrayList<>()).add(r);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    merged.forEach((role, rows) -> {
      List<Map<String, Object>> trs = new ArrayList<>();
      rows.values().forEach(same -> trs.add(tableRow(same, columns, stats, announced)));
      out.add(Map.of("role", role.key, "label", sectionLabel(role), "rows", trs, "count", trs.size(),
          "span", columns.size() + 3));
    });
    return out;
  }

  private static String sectionLabel(Role role) {
    return switch (role) {
      case VENDOR -> "The vendor's own price";
      case CATALOGUE -> "Catalogues (copies of the vendor's price)";
      case RESELLER -> "Resellers and gateways (their own prices)";
    };
  }

  private Map<String, Object> tableRow(List<Row> same, List<String> columns, Map<Long, Stats> stats,
      Map<String, List<JsonObject>> announced) {
    Row first = same.get(0);
    Map<String, Object> tr = new HashMap<>();
    tr.put("source", first.source());
    tr.put("source_name", ModelRows.sourceName(ui, first.source()));
    List<String> names = same.stream().map(Row::name).distinct().toList();
    tr.put("names", names.stream().limit(NAMES_SHOWN).map(n -> Map.of("html", Describe.breakable(n))).toList());
    tr.put("more", names.size() > NAMES_SHOWN ? "+" + (names.size() - NAMES_SHOWN) + " more" : "");
    tr.put("all_names", String.join(", ", names));
    tr.put("condition", first.condition().isEmpty() ? "standard" : first.condition());
    tr.put("removed", !first.active());
    List<Map<String, Object>> cells = new ArrayList<>();
    for (String c : columns) {
      Head h = first.byMetric().get(c);
      Map<String, Object> cell = new HashMap<>();
      if (h == null) {
        cell.put("text", "\u2013");
      } else if (!h.active()) {
        cell.put("text", "removed");
        cell.put("removed", true);
      } else {
        cell.put("text", Ui.usd(h.usd()));
        if (!"USD".equals(h.currency()) && h.amount() != null) {
          cell.put("orig", h.currency() + " " + Decimals.money(h.amount()));
        }
        Stats st = stats.get(h.id());
        boolean low = st != null && st.low() != null && h.usd().compareTo(st.low()) == 0 && st.high() != null
            && st.high().compareTo(h.usd()) > 0;
        cell.put("deal", low);
        if (low) {
          cell.put("deal_title", "At its all-time low, down from " + Ui.usd(st.high()));
        }
      }
      List<String> notes = new ArrayList<>();
      for (Row r : same) {
        announced.getOrDefault(announcedKey(r.source(), r.name(), r.condition(), c), List.of()).stream()
            .map(ModelPage::announcedNote).filter(n -> !notes.contains(n)).forEach(notes::add);
      }
      cell.put("announced", notes);
      cells.add(cell);
    }
    tr.put("cells", cells);
    Instant since = first.lastChanged();
    tr.put("since", Ui.time(since));
    return tr;
  }

  /** Metrics beyond the main four (audio, image, …): a plain list of current vendor and catalogue prices. */
  private static List<Map<String, Object>> otherPrices(ModelRows mr, List<String> others) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : mr.rows) {
      if (r.role() == Role.RESELLER) {
        continue;
      }
      for (String o : others) {
        Head h = r.byMetric().get(o);
        if (h != null && h.active()) {
          out.add(Map.of("metric", label(o), "source", r.source(), "name", r.name(), "name_html",
              Describe.breakable(r.name()), "condition",
              r.condition().isEmpty() ? "standard" : r.condition(), "price", Ui.usd(h.usd()) + " / " + Ui.unit(o)));
        }
      }
    }
    return out;
  }

  /** Other models that are variants of this one, or the model it is a variant of, linked. */
  private List<Map<String, Object>> variants(String id) {
    return mq.modelsStartingWith(ModelIdentity.variantPrefixes(id)).stream()
        .filter(c -> ModelIdentity.related(id, c)).limit(30)
        .map(c -> Map.<String, Object>of("id", c, "href", "/model?id=" + Urls.enc(c), "html", Describe.breakable(c),
            "base", c.equals(ModelIdentity.base(id)))).toList();
  }

  private List<Map<String, Object>> charts(ModelRows mr, List<String> columns, List<ChangeEvent> events) {
    List<Map<String, Object>> charts = new ArrayList<>();
    Long end = mr.end();
    for (String metric : columns) {
      List<Charts.Line> lines = new ArrayList<>();
      Map<String, Integer> index = new HashMap<>();
      List<Map<String, Object>> data = new ArrayList<>();
      int catalogues = 0;
      List<String> seen = new ArrayList<>();
      for (Row r : mr.rows) {
        Head h = r.byMetric().get(metric);
        // One line per source and condition whose prices agree (the table's rows); resellers stay in the table.
        String dedupe = r.source() + '|' + r.condition() + '|' + r.signature();
        if (h == null || r.role() == Role.RESELLER || seen.contains(dedupe)) {
          continue;
        }
        if (r.role() == Role.CATALOGUE && ++catalogues > MAX_CATALOGUE_LINES) {
          continue;
        }
        seen.add(dedupe);
        NavigableMap<Long, BigDecimal> pts = ModelRows.points(ui.queries, h);
        String label = ModelRows.label(ui, r);
        index.put(UiQueries.key(r.source(), r.name(), r.condition()), lines.size());
        lines.add(new Charts.Line(label, pts, r.role().key));
        pts.forEach((t, v) -> data.add(Map.of("series", label, "when", Ui.time(Instant.ofEpochSecond(t)), "value",
            v == null ? "removed" : "$" + Decimals.money(v))));
      }
      if (lines.isEmpty()) {
        continue;
      }
      JsonArray marks = new JsonArray();
      for (ChangeEvent e : events) {
        Integer i = index.get(UiQueries.key(e.sourceId(), e.model(), e.condition()));
        if (i != null && metric.equals(e.metric()) && "vendor".equals(lines.get(i).role())) {
          BigDecimal v = e.newUsd() != null ? e.newUsd() : e.oldUsd();
          marks.add(new JsonObject().put("t", e.observedAt().getEpochSecond()).put("series", i)
              .put("v", v == null ? null : Decimals.money(v)).put("kind", e.kind())
              .put("label", Describe.headline(e)));
        }
      }
      String chartId = "chart-" + metric.replaceAll("[^a-z0-9_]", "_");
      JsonObject chart = Charts.chart(chartId, metric, "USD / 1M tokens", "$", "", lines, end, marks, true);
      long hidden = lines.stream().filter(l -> !"vendor".equals(l.role())).count();
      Map<String, Object> c = new HashMap<>();
      c.put("id", chartId);
      c.put("cid", chartId);
      c.put("cname", metric);
      c.put("metric", metric);
      c.put("metric_label", label(metric));
      c.put("json", Html.jsonScript(chart));
      c.put("data", data);
      c.put("toggle", hidden > 0 && hidden < lines.size() ? Map.of("count", hidden) : null);
      c.put("csv", Urls.with("/api/export/series.csv", Map.of("model", mr.id, "metric", metric)));
      c.put("json_export", Urls.with("/api/export/series.json", Map.of("model", mr.id, "metric", metric)));
      charts.add(c);
    }
    return charts;
  }
}
