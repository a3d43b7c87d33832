package io.pricetide.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Feeds and downloads: Atom feeds of changes, CSV and JSON exports of prices and series, the OpenAPI document. */
final class Exports {
  static final int FEED_SIZE = 100;
  static final List<String> PRICE_COLUMNS = ExportFiles.PRICE_COLUMNS;
  static final List<String> SERIES_COLUMNS = ExportFiles.SERIES_COLUMNS;
  private static final boolean[] PRICE_NUMERIC = ExportFiles.PRICE_NUMERIC;
  static final boolean[] SERIES_NUMERIC = ExportFiles.SERIES_NUMERIC;

  private final Ui ui;
  private final String openApi;
  private final FeedQueries feeds;

  Exports(Ui ui) {
    this.ui = ui;
    this.feeds = new FeedQueries(ui.queries.dataSource());
    try (InputStream in = Exports.class.getResourceAsStream("openapi.json")) {
      this.openApi = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).encodePrettily();
    } catch (IOException e) {
      throw new UncheckedIOException("reading openapi.json", e);
    }
  }

  void openApi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Access-Control-Allow-Origin", "*").end(openApi);
  }

  // ---------------------------------------------------------------- Atom

  /**
   * {@code /feeds/changes.atom?provider=&model=&kind=&source=}: what moved (the price kinds unless {@code kind} names
   * another public one), by the date it happened. Operator kinds are never in a public feed.
   */
  void atom(RoutingContext ctx) {
    feed(ctx, Ui.param(ctx, "provider"), Ui.param(ctx, "model"), Ui.param(ctx, "kind"), Ui.param(ctx, "source"));
  }

  /** {@code /feeds/drift.atom?provider=&model=&source=}: catalogue drift, apart from the price feed. */
  void driftAtom(RoutingContext ctx) {
    feed(ctx, Ui.param(ctx, "provider"), Ui.param(ctx, "model"), FeedQueries.DRIFT, Ui.param(ctx, "source"));
  }

  /** {@code /feeds/providers/NAME.atom}. */
  void providerAtom(RoutingContext ctx) {
    feed(ctx, stripAtom(ctx.pathParam("name")), null, null, null);
  }

  /** {@code /feeds/models/ID.atom}. */
  void modelAtom(RoutingContext ctx) {
    feed(ctx, null, stripAtom(ctx.pathParam("name")), null, null);
  }

  private static String stripAtom(String s) {
    return s.endsWith(".atom") ? s.substring(0, s.length() - 5) : s;
  }

  private void feed(RoutingContext ctx, String provider, String model, String kind, String source) {
    if (kind != null && FeedQueries.OPERATOR_KINDS.contains(kind)) {
      ui.errorPage(ctx, 404, "Source failures are for the operator: see /sources.");
      return;
    }
    boolean drift = FeedQueries.DRIFT.equals(kind);
    String base = ui.base(ctx);
    Map<String, String> f = new LinkedHashMap<>();
    f.put("provider", provider);
    f.put("model", model);
    if (!drift) {
      f.put("kind", kind);
    }
    f.put("source", source);
    String title = "Pricetide: " + (drift ? "catalogue drift" + (model != null ? " of " + model : provider != null
        ? " at " + provider : "") : model != null ? "changes of " + model : provider != null ? "changes at " + provider
        : "LLM API price changes") + (kind != null && !drift ? " (" + kind + ")" : "")
        + (source != null ? " from " + source : "");
    String self = ctx.request().uri();
    List<String> kinds = kind == null ? FeedQueries.PRICE_KINDS : List.of(kind);
    ui.download(ctx, "application/atom+xml; charset=utf-8", null, () -> {
      List<FeedQueries.Dated> events = feeds.events(new FeedQueries.Query(kinds, provider, model, source, null, null,
          FEED_SIZE));
      return AtomFeed.render(base, title, self, Urls.with(drift ? "/drift" : "/changes", f), events);
    });
  }

  // ---------------------------------------------------------------- prices

  /** Streamed as read: one row of current prices at a time. Timelines stream from {@link SeriesStream}. */
  void pricesCsv(RoutingContext ctx) {
    String provider = Ui.param(ctx, "provider");
    String model = Ui.param(ctx, "model");
    Chunks.answer(ui.vertx, ctx, "text/csv; charset=utf-8", "pricetide-prices.csv", out -> {
      StringBuilder row = new StringBuilder();
      Csv.row(row, PRICE_COLUMNS, null);
      out.add(row.toString());
      ui.queries.eachPrice(provider, model, null, 0, p -> {
        List<String> fields = new ArrayList<>();
        PRICE_COLUMNS.forEach(c -> fields.add(p.getString(c)));
        row.setLength(0);
        Csv.row(row, fields, PRICE_NUMERIC);
        out.add(row.toString());
      });
    });
  }

  void pricesJson(RoutingContext ctx) {
    String provider = Ui.param(ctx, "provider");
    String model = Ui.param(ctx, "model");
    Chunks.answer(ui.vertx, ctx, "application/json; charset=utf-8", "pricetide-prices.json", out -> {
      out.add("{\"prices\":[");
      boolean[] first = {true};
      ui.queries.eachPrice(provider, model, null, 0, p -> {
        out.add(first[0] ? "" : ",").add(p.encode());
        first[0] = false;
      });
      out.add("]}");
    });
  }
}
