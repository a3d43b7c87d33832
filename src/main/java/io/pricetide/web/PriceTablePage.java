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

/**
 * The current price table ({@code /}): filtered and sorted over the current prices (one row per active series,
 * never history), shown {@link #PAGE_SIZE} rows a page; the latest change is read for the shown rows only, on an
 * index, unless the table is sorted by it.
 */
final class PriceTablePage {
  static final int PAGE_SIZE = 100;

  private final Ui ui;

  PriceTablePage(Ui ui) {
    this.ui = ui;
  }


  void prices(RoutingContext ctx) {
    String q = Ui.param(ctx, "q");
    String provider = Ui.param(ctx, "provider");
    String source = Ui.param(ctx, "source");
    String asked = Ui.param(ctx, "sort");
    String sort = asked != null && PriceTable.COLUMNS.contains(asked) ? asked : "provider";
    boolean desc = "desc".equals(Ui.param(ctx, "dir"));
    int page = pageNumber(Ui.param(ctx, "page"));
    ui.page(ctx, "prices", "LLM API prices", "prices", () -> {
      JsonArray prices = new JsonArray();
      for (Object o : ui.queries.currentPrices(null, null)) {
        if ("prices".equals(ui.kindOf(((JsonObject) o).getString("source")))) {
          prices.add(o);
        }
      }
      // The latest change of every row is needed only to sort by it; otherwise only the shown page's rows are read.
      boolean byChange = "changed".equals(sort);
      List<PriceTable.Row> all = PriceTable.rows(prices, byChange ? ui.ui.lastChanges() : Map.of());
      List<PriceTable.Row> matched = PriceTable.sort(PriceTable.filter(all, q, provider, source), sort, desc);
      int pages = Math.max(1, (matched.size() + PAGE_SIZE - 1) / PAGE_SIZE);
      int at = Math.min(page, pages);
      List<PriceTable.Row> shown = matched.subList((at - 1) * PAGE_SIZE, Math.min(matched.size(), at * PAGE_SIZE));
      if (!byChange) {
        Map<String, UiQueries.LastChange> changes = ui.ui.lastChanges(shown.stream()
            .map(r -> new String[] {r.source(), r.model(), r.condition()}).toList());
        shown = shown.stream().map(r -> new PriceTable.Row(r.source(), r.provider(), r.model(), r.canonical(),
            r.condition(), r.cells(), changes.get(UiQueries.key(r.source(), r.model(), r.condition())))).toList();
      }
      Map<String, Object> m = new HashMap<>();
      m.put("q", q == null ? "" : q);
      m.put("providers", PricePages.options(all.stream().map(PriceTable.Row::provider).toList(), provider));
      m.put("sources", PricePages.options(all.stream().map(PriceTable.Row::source).toList(), source));
      m.put("sort", sort);
      m.put("dir", desc ? "desc" : "asc");
      List<Map<String, Object>> cols = new ArrayList<>();
      for (String c : PriceTable.COLUMNS) {
        boolean active = c.equals(sort);
        boolean nextDesc = active && !desc;
        Map<String, Object> col = new HashMap<>();
        col.put("key", c);
        col.put("label", PricePages.LABELS.get(c));
        col.put("href", Urls.with("/", linked(q, provider, source, c, nextDesc ? "desc" : "asc")));
        col.put("aria_sort", active ? (desc ? "descending" : "ascending") : "none");
        col.put("arrow", active ? (desc ? "\u25bc" : "\u25b2") : "");
        col.put("numeric", !c.equals("provider") && !c.equals("model") && !c.equals("changed"));
        cols.add(col);
      }
      m.put("columns", cols);
      m.put("rows", shown.stream().map(PriceTablePage::row).toList());
      m.put("count", shown.size());
      m.put("total", all.size());
      m.put("matched", matched.size());
      m.put("paged", pages > 1);
      m.put("page_size", PAGE_SIZE);
      m.put("page", at);
      m.put("pages", pages);
      m.put("first_row", matched.isEmpty() ? 0 : (at - 1) * PAGE_SIZE + 1);
      m.put("last_row", (at - 1) * PAGE_SIZE + shown.size());
      Map<String, String> here = linked(q, provider, source, sort, desc ? "desc" : "asc");
      if (at > 1) {
        m.put("prev", Urls.with("/", withPage(here, at - 1)));
      }
      if (at < pages) {
        m.put("next", Urls.with("/", withPage(here, at + 1)));
      }
      m.put("empty", all.isEmpty());
      m.put("csv", Urls.with("/api/export/prices.csv", Map.of("provider", provider == null ? "" : provider)));
      m.put("json", Urls.with("/api/export/prices.json", Map.of("provider", provider == null ? "" : provider)));
      return m;
    });
  }

  private static Map<String, String> linked(String q, String provider, String source, String sort, String dir) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("q", q);
    p.put("provider", provider);
    p.put("source", source);
    p.put("sort", sort);
    p.put("dir", dir);
    return p;
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

  private static Map<String, Object> row(PriceTable.Row r) {
    Map<String, Object> m = new HashMap<>();
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
        case ChangeEvent.PRICE_CUT, ChangeEvent.PRICE_INCREASE -> c.metric() + " "
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
