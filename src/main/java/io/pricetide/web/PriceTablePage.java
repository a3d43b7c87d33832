package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The current price table ({@code /}): sorted, filtered and paged in SQL over {@code price_row} (one row per source,
 * model and condition, kept by each check), {@link #PAGE_SIZE} rows a page; the latest change is read for the shown
 * rows only, on an index. Every sort and filter is a plain link or GET form, so the URL is the view. Sorted by a
 * price, rows without a positive price there (free, placeholder $0.00, unknown) are hidden unless {@code all=1}.
 * {@code at=DATE} (or an instant) shows the table as of then: the prices valid at that time, pivoted here.
 * Answers are cached until the next check that changed something.
 */
final class PriceTablePage {
  static final int PAGE_SIZE = 100;

  /** Column headings, by column. */
  static final Map<String, String> LABELS = Map.of("provider", "Provider", "model", "Model", "source", "Source",
      "input", "Input", "output", "Output", "cache_read", "Cache read", "blended", "Blended 3:1", "changed",
      "Last change");

  private final Ui ui;
  private final PriceTableQuery query;

  PriceTablePage(Ui ui) {
    this.ui = ui;
    this.query = new PriceTableQuery(ui.queries.dataSource());
  }


  void prices(RoutingContext ctx) {
    String q = Ui.param(ctx, "q");
    String provider = Ui.param(ctx, "provider");
    String source = Ui.param(ctx, "source");
    String askedSeller = Ui.param(ctx, "seller");
    String seller = askedSeller != null && PriceTableQuery.SELLERS.contains(askedSeller) ? askedSeller : null;
    String asked = Ui.param(ctx, "sort");
    String sort = asked != null && PriceTable.COLUMNS.contains(asked) ? asked : "provider";
    boolean desc = "desc".equals(Ui.param(ctx, "dir"));
    boolean all = "1".equals(Ui.param(ctx, "all"));
    int page = pageNumber(Ui.param(ctx, "page"));
    Instant at;
    try {
      at = SeriesStream.time(Ui.param(ctx, "at"), true);
    } catch (DateTimeParseException e) {
      ui.errorPage(ctx, 400, "'as of' must be a date (2025-06-01) or an instant (2025-06-01T12:00:00Z), not '"
          + Ui.param(ctx, "at") + "'.");
      return;
    }
    Instant asOf = at;
    PriceTableQuery.Ask ask = new PriceTableQuery.Ask(q, provider, source, seller, sort, desc, all, page, PAGE_SIZE);
    ui.cachedPage(ctx, ui.cache, "prices", "LLM API prices", "prices", () -> {
      Set<String> firstParty = ui.firstParty();
      PriceTableQuery.Page read = asOf == null ? query.read(ask, firstParty) : asOf(ask, asOf, firstParty);
      int pages = Math.max(1, (read.matched() + PAGE_SIZE - 1) / PAGE_SIZE);
      int current = Math.min(page, pages);
      List<PriceTable.Row> shown = read.rows();
      // The latest change of each shown row, read on an index; an "as of" view shows none (they may be later).
      Map<String, UiQueries.LastChange> changes = asOf != null ? Map.of() : ui.ui.lastChanges(shown.stream()
          .map(r -> new String[] {r.source(), r.model(), r.condition()}).toList());
      Map<String, String> sellers = query.sellers(shown, firstParty);
      // Prices that are not per token, in their own units; an "as of" view has them in its rows' cells already.
      Map<String, Map<String, PriceTable.Cell>> typed = asOf != null ? Map.of() : ui.ui.notPerToken(shown.stream()
          .map(r -> new String[] {r.source(), r.model(), r.condition()}).toList());
      // Announced prices not yet in effect, as a note in the cell of the price they replace (not in an "as of" view).
      Map<String, List<String>> announced = new HashMap<>();
      if (asOf == null) {
        for (JsonObject a : new io.pricetide.history.AnnouncedReads(ui.queries.dataSource()).pending(null)) {
          announced.computeIfAbsent(ModelPage.announcedKey(a.getString("source"), a.getString("model"),
              a.getString("condition"), a.getString("metric")), k -> new ArrayList<>()).add(ModelPage.announcedNote(a));
        }
      }
      Map<String, Object> m = new HashMap<>();
      m.put("q", q == null ? "" : q);
      m.put("providers", PricePages.options(read.providers(), provider));
      m.put("sources", PricePages.options(read.sources(), source));
      m.put("sellers", PriceTableQuery.SELLERS.stream().map(s -> Map.of("value", s, "selected", s.equals(seller)))
          .toList());
      m.put("all", all);
      m.put("at", asOf == null ? "" : Ui.param(ctx, "at"));
      m.put("as_of", asOf == null ? null : Map.of("minute", Ui.minute(asOf), "iso", asOf.toString()));
      m.put("sort", sort);
      m.put("dir", desc ? "desc" : "asc");
      Map<String, String> base = linked(q, provider, source, seller, all, Ui.param(ctx, "at"));
      List<Map<String, Object>> cols = new ArrayList<>();
      for (String c : PriceTable.COLUMNS) {
        boolean active = c.equals(sort);
        boolean nextDesc = active && !desc;
        Map<String, Object> col = new HashMap<>();
        col.put("key", c);
        col.put("label", LABELS.get(c));
        col.put("href", Urls.with("/", sorted(base, c, nextDesc ? "desc" : "asc")));
        col.put("aria_sort", active ? (desc ? "descending" : "ascending") : "none");
        col.put("arrow", active ? (desc ? "\u25bc" : "\u25b2") : "");
        col.put("numeric", PriceTableQuery.PRICE_COLUMNS.containsKey(c));
        // On a phone the provider column gives way to the prices (the model's page and the filter still name it).
        col.put("narrow_hidden", "provider".equals(c));
        cols.add(col);
      }
      m.put("columns", cols);
      List<Map<String, Object>> rows = shown.stream().map(r -> {
        String k = UiQueries.key(r.source(), r.model(), r.condition());
        Map<String, PriceTable.Cell> cells = new LinkedHashMap<>(r.cells());
        cells.putAll(typed.getOrDefault(k, Map.of()));
        Map<String, Object> row = row(new PriceTable.Row(r.source(), r.provider(), r.model(), r.canonical(),
            r.condition(), cells, changes.get(k)), sellers.get(k));
        for (String metric : List.of("input", "output", "cache_read")) {
          List<String> notes = announced.get(ModelPage.announcedKey(r.source(), r.model(), r.condition(), metric));
          if (notes != null) {
            Map<String, Object> cell = new HashMap<>(castMap(row.get(metric)));
            cell.put("announced", notes);
            row.put(metric, cell);
          }
        }
        return row;
      }).toList();
      m.put("rows", rows);
      m.put("has_other", rows.stream().anyMatch(r -> !((List<?>) r.get("other")).isEmpty()));
      m.put("count", shown.size());
      m.put("total", read.total());
      m.put("matched", read.matched());
      m.put("hidden_free", PriceTableQuery.PRICE_COLUMNS.containsKey(sort) && !all);
      m.put("show_free", Urls.with("/", withPage(withAll(sorted(base, sort, desc ? "desc" : "asc")), 1)));
      m.put("paged", pages > 1);
      m.put("page_size", PAGE_SIZE);
      m.put("page", current);
      m.put("pages", pages);
      m.put("first_row", read.matched() == 0 ? 0 : (current - 1) * PAGE_SIZE + 1);
      m.put("last_row", (current - 1) * PAGE_SIZE + shown.size());
      Map<String, String> here = sorted(base, sort, desc ? "desc" : "asc");
      if (current > 1) {
        m.put("prev", Urls.with("/", withPage(here, current - 1)));
      }
      if (current < pages) {
        m.put("next", Urls.with("/", withPage(here, current + 1)));
      }
      m.put("empty", read.total() == 0);
      m.put("csv", Urls.with("/api/export/prices.csv", Map.of("provider", provider == null ? "" : provider)));
      m.put("json", Urls.with("/api/export/prices.json", Map.of("provider", provider == null ? "" : provider)));
      return m;
    });
  }

  /** The table as of {@code at}: the prices valid then, pivoted, filtered, sorted and paged here. */
  private PriceTableQuery.Page asOf(PriceTableQuery.Ask a, Instant at, Set<String> firstParty) {
    JsonArray prices = new JsonArray();
    ui.queries.eachPriceAt(null, null, at, null, 0, p -> {
      if ("prices".equals(ui.kindOf(p.getString("source")))) {
        prices.add(p);
      }
    });
    List<PriceTable.Row> all = PriceTable.rows(prices, Map.of()).stream().filter(r -> r.cells().keySet().stream()
        .anyMatch(k -> PriceTableQuery.PRICE_COLUMNS.containsKey(k)
            || io.pricetide.price.Metrics.NOT_PER_TOKEN.contains(k))).toList();
    Map<String, String> sellers = a.seller() == null ? Map.of() : query.sellers(all, firstParty);
    List<PriceTable.Row> matched = PriceTable.sort(PriceTable.filter(all, a.q(), a.provider(), a.source()).stream()
        .filter(r -> a.seller() == null || a.seller().equals(sellers.get(UiQueries.key(r.source(), r.model(),
            r.condition()))))
        .filter(r -> a.all() || !PriceTableQuery.PRICE_COLUMNS.containsKey(a.sort()) || positive(r, a.sort()))
        .toList(), a.sort(), a.desc(), firstParty);
    int pages = Math.max(1, (matched.size() + a.pageSize() - 1) / a.pageSize());
    int at2 = Math.min(a.page(), pages);
    return new PriceTableQuery.Page(matched.subList((at2 - 1) * a.pageSize(), Math.min(matched.size(),
        at2 * a.pageSize())), matched.size(), all.size(), all.stream().map(PriceTable.Row::provider).toList(),
        all.stream().map(PriceTable.Row::source).toList());
  }

  private static boolean positive(PriceTable.Row r, String column) {
    BigDecimal v = "blended".equals(column) ? r.blended() : r.usd(column);
    return v != null && v.signum() > 0;
  }

  private static Map<String, String> linked(String q, String provider, String source, String seller, boolean all,
      String at) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("q", q);
    p.put("provider", provider);
    p.put("source", source);
    p.put("seller", seller);
    p.put("all", all ? "1" : null);
    p.put("at", at);
    return p;
  }

  private static Map<String, String> sorted(Map<String, String> p, String sort, String dir) {
    Map<String, String> out = new LinkedHashMap<>(p);
    out.put("sort", sort);
    out.put("dir", dir);
    return out;
  }

  private static Map<String, String> withAll(Map<String, String> p) {
    Map<String, String> out = new LinkedHashMap<>(p);
    out.put("all", "1");
    return out;
  }

  private static Map<String, String> withPage(Map<String, String> p, int page) {
    Map<String, String> out = new LinkedHashMap<>(p);
    out.put("page", String.valueOf(page));
    return out;
  }

  /** The asked page, from 1; anything else is the first page. */
  static int pageNumber(String s) {
    try {
      return s == null ? 1 : Math.max(1, Integer.parseInt(s.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> row(PriceTable.Row r, String seller) {
    Map<String, Object> m = new HashMap<>();
    m.put("model_html", Describe.breakable(r.model()));
    // Prices per image, second, character, request or call: each in its own unit, never as "per 1M tokens".
    List<Map<String, Object>> other = new ArrayList<>();
    r.cells().forEach((metric, c) -> {
      if (!io.pricetide.price.Metrics.perToken(metric) && c.usd() != null) {
        String foreign = c.currency() != null && !"USD".equals(c.currency()) ? c.currency() + " "
            + Decimals.money(c.value()) : "";
        other.add(Map.of("metric", ModelPage.label(metric), "price", Ui.price(c.usd(), metric), "orig", foreign));
      }
    });
    m.put("other", other);
    m.put("seller", seller == null ? "" : seller);
    m.put("provider", r.provider());
    m.put("model", r.model());
    m.put("canonical", r.canonical());
    m.put("href", "/model?id=" + Urls.enc(r.canonical()));
    m.put("source", r.source());
    m.put("condition", r.condition());
    m.put("search", PriceTable.searchText(r));
    m.put("input", cell(r.cells().get("input")));
    m.put("output", cell(r.cells().get("output")));
    m.put("cache_read", cell(r.cells().get("cache_read")));
    BigDecimal b = r.blended();
    m.put("blended", b == null ? Map.of("text", "\u2013", "missing", true, "sort", "", "title", "")
        : Map.of("text", Ui.usd(b), "sort", b.toPlainString()));
    UiQueries.LastChange c = r.lastChange();
    if (c != null) {
      String what = switch (c.kind()) {
        case ChangeEvent.PRICE_CUT, ChangeEvent.PRICE_INCREASE -> (io.pricetide.price.Metrics.perToken(c.metric())
            ? c.metric() : ModelPage.label(c.metric())) + " "
            + (c.changePct() != null && !c.changePct().startsWith("-") ? "+" : "") + c.changePct() + "%";
        default -> "added";
      } + (c.others() > 0 && !ChangeEvent.MODEL_ADDED.equals(c.kind()) ? " (+" + c.others() + " more)" : "");
      m.put("change", Map.of("text", what, "cut", ChangeEvent.PRICE_CUT.equals(c.kind()), "up",
          ChangeEvent.PRICE_INCREASE.equals(c.kind()), "when", Ui.time(c.observedAt())));
    }
    return m;
  }

  static Map<String, Object> cell(PriceTable.Cell c) {
    if (c == null || c.usd() == null) {
      return Map.of("text", "\u2013", "missing", true, "sort", "", "title", "");
    }
    Map<String, Object> m = new HashMap<>();
    m.put("text", Ui.usd(c.usd()));
    m.put("sort", c.usd().toPlainString());
    if (c.currency() != null && !"USD".equals(c.currency())) {
      String orig = c.currency() + " " + Decimals.money(c.value());
      m.put("foreign", true);
      m.put("orig", orig);
      m.put("title", orig + " per 1M tokens, converted to USD");
    } else {
      m.put("title", "USD " + Decimals.money(c.usd()) + " per 1M tokens");
    }
    return m;
  }

}
