package io.pricetide.web;

import io.pricetide.history.HistoryQueries;
import io.pricetide.http.JsonReplies;
import io.pricetide.http.ReadCache;
import io.pricetide.source.Sources;
import io.pricetide.template.Templates;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web UI, feeds and exports, mounted on the API's router with one call. Pages are rendered on the server from
 * {@code templates/page/} (see {@link Templates}); charts use uPlot from its WebJar; our own script and styles are
 * under {@code /static/}. No page needs a build step in the browser, and each page works without JavaScript except
 * for the charts and the subscription forms.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code /}</td><td>current price table: filter, search, sort</td></tr>
 *   <tr><td>{@code /model?id=}</td><td>a model's timelines per metric, all-time low, changes</td></tr>
 *   <tr><td>{@code /compare?m=&m=&metric=}</td><td>models side by side and their price ratio over time</td></tr>
 *   <tr><td>{@code /usage?a=&b=&p=&pm=}</td><td>weekly usage share by provider and model, overtakes, provider vs
 *     provider, the Hub's open-weight ecosystem, usage beside price ({@link UsagePages})</td></tr>
 *   <tr><td>{@code /api/usage?history=1&provider=&model=&source=&metric=&from=&to=}</td><td>usage now, or its
 *     weekly history ({@link UsageApi})</td></tr>
 *   <tr><td>{@code /changes}</td><td>what moved (price kinds, by date) with filters</td></tr>
 *   <tr><td>{@code /drift}</td><td>catalogue drift, apart from the change feed</td></tr>
 *   <tr><td>{@code /sources}</td><td>source health: last check, outcome, freshness</td></tr>
 *   <tr><td>{@code /subscribe}, {@code /confirm}, {@code /unsubscribe}</td><td>subscription forms</td></tr>
 *   <tr><td>{@code /feeds/changes.atom}, {@code /feeds/drift.atom}, {@code /feeds/providers/P.atom}, {@code /feeds/models/M.atom}</td>
 *     <td>Atom 1.0</td></tr>
 *   <tr><td>{@code /api/export/prices.{csv,json}}, {@code /api/export/series.{csv,json}}</td><td>exports</td></tr>
 *   <tr><td>{@code /api/openapi.json}</td><td>OpenAPI 3 description of the API</td></tr>
 * </table>
 */
public final class UiRoutes {
  /** Every page template, parsed at mount so a broken one fails the start, not a request. */
  static final String[] TEMPLATES = {"prices", "model", "compare", "usage", "changes", "drift", "sources", "subscribe", "subscribe_workload",
      "confirm", "unsubscribe", "error"};

  private UiRoutes() {}

  /** Mounts the pages, feeds, exports and static assets; feed links take their base from each request. */
  public static void mount(Router router, Vertx vertx, HistoryQueries queries, Sources sources) {
    mount(router, vertx, queries, sources, null);
  }

  /**
   * Mounts the pages, feeds, exports and static assets on {@code router}.
   *
   * @param publicUrl base of absolute links in feeds ({@code PRICETIDE_PUBLIC_URL}); null or blank to use the
   *     scheme and host of each request
   */
  public static void mount(Router router, Vertx vertx, HistoryQueries queries, Sources sources,
      String publicUrl) {
    mount(router, vertx, queries, sources, publicUrl, new ReadCache(0, 0));
  }

  /** As {@link #mount(Router, Vertx, HistoryQueries, Sources, String)}, the price table cached in {@code cache}. */
  public static void mount(Router router, Vertx vertx, HistoryQueries queries, Sources sources,
      String publicUrl, ReadCache cache) {
    Templates templates = Templates.createDefault();
    templates.preload(TEMPLATES);
    Ui ui = new Ui(vertx, queries, new UiQueries(queries.dataSource()), sources, templates, publicUrl, cache);
    PricePages prices = new PricePages(ui);
    PriceTablePage table = new PriceTablePage(ui);
    ActivityPages activity = new ActivityPages(ui);
    UsagePages usage = new UsagePages(ui);
    SubscribePages subscribe = new SubscribePages(ui);
    Exports exports = new Exports(ui);
    SeriesStream series = new SeriesStream(vertx, queries);
    CalculatorPage calculator = new CalculatorPage(ui, new io.pricetide.history.WorkloadMarket(queries, sources));

    router.get("/static/*").handler(StaticHandler.create("webroot/static").setMaxAgeSeconds(3600));
    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86400));

    router.get("/").handler(table::prices);
    router.get("/model").handler(prices::model);
    router.get("/compare").handler(prices::compare);
    router.get("/calculator").handler(calculator::page);
    router.get("/api/calculator").handler(calculator::api);
    router.get("/usage").handler(usage::usage);
    router.get("/changes").handler(activity::changes);
    router.get("/drift").handler(activity::drift);
    router.get("/sources").handler(activity::sources);
    router.get("/subscribe").handler(subscribe::subscribe);
    router.get("/confirm").handler(subscribe::confirm);
    router.get("/unsubscribe").handler(subscribe::unsubscribe);

    router.get("/feeds/changes.atom").handler(exports::atom);
    router.get("/feeds/drift.atom").handler(exports::driftAtom);
    router.get("/feeds/providers/:name").handler(exports::providerAtom);
    router.get("/feeds/models/:name").handler(exports::modelAtom);
    router.get("/api/export/prices.csv").handler(exports::pricesCsv);
    router.get("/api/export/prices.json").handler(exports::pricesJson);
    router.get("/api/export/series.csv").handler(series::exportCsv);
    router.get("/api/export/series.json").handler(series::exportJson);
    router.get("/api/openapi.json").handler(exports::openApi);
    router.get("/api/usage").handler(new UsageApi(vertx, queries, sources)::handle);

    router.errorHandler(404, ctx -> {
      if (ctx.request().path().startsWith("/api/")) {
        JsonReplies.error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path());
      } else {
        ui.errorPage(ctx, 404, "There is no page at this address.");
      }
    });
    router.errorHandler(500, ctx -> {
      if (ctx.request().path().startsWith("/api/")) {
        JsonReplies.error(ctx, 500, "internal error");
      } else {
        ui.errorPage(ctx, 500, "Something went wrong on our side.");
      }
    });
  }
}
