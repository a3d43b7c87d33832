package io.pricetide.web;

import static io.pricetide.http.JsonReplies.error;
import static io.pricetide.http.JsonReplies.internalError;
import static io.pricetide.http.JsonReplies.json;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckRequest;
import io.pricetide.source.Sources;
import io.pricetide.history.HistoryQueries;
import io.pricetide.http.AdminAuth;
import io.pricetide.http.RateLimit;
import io.pricetide.http.ReadCache;
import io.pricetide.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: current prices, timelines, the change feed, health and readiness, and the admin "check now".
 * Every database read runs off the event loop. Errors answer JSON {@code {"error": …}} with a 4xx/5xx status.
 */
public final class WebVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  public static final int MAX_LIMIT = 1000;

  private final HistoryQueries queries;
  private final Sources sources;
  private final String host;
  private final int port;
  private final AdminAuth admin;
  private final AtomicBoolean ready;
  private HttpServer server;
  private final List<Consumer<Router>> mounts = new ArrayList<>();
  /** The routes the rate limit covers: every public read (pages, feeds, exports, the read API). */
  static final List<String> PUBLIC_READS = List.of("/", "/model", "/compare", "/usage", "/changes", "/sources",
      "/feeds/*", "/api/prices", "/api/series", "/api/usage", "/api/fx", "/api/changes", "/api/sources",
      "/api/export/*", "/api/openapi.json");
  private final ReadCache cache = new ReadCache(256, 24L * 1024 * 1024);
  private RateLimit limit = RateLimit.fromEnv();

  public WebVerticle(HistoryQueries queries, Sources sources, String host, int port, String adminToken,
      AtomicBoolean ready) {
    this.queries = queries;
    this.sources = sources;
    this.host = host;
    this.port = port;
    this.admin = new AdminAuth(adminToken);
    this.ready = ready;
  }

  /** Adds routes owned by another feature (such as alerts); call before deployment. */
  public WebVerticle mount(Consumer<Router> routes) {
    mounts.add(routes);
    return this;
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Sets the per-client rate limit of the public read endpoints (null: none); call before deployment. */
  public WebVerticle rateLimit(RateLimit limit) {
    this.limit = limit;
    return this;
  }

  /** The cache of the hot read answers, emptied on each check that changed something. */
  public ReadCache cache() {
    return cache;
  }

  @Override
  public Future<?> start() {
    Router r = Router.router(vertx);
    r.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    r.get("/ready").handler(this::ready);
    r.get("/metrics").handler(Meters.of(vertx).scrapeHandler());
    // Public reads are limited per client; health, readiness, metrics (above) and the admin routes are not.
    if (limit != null) {
      for (String path : PUBLIC_READS) {
        r.get(path).handler(limit);
      }
    }
    ReadCaches.invalidateOnChange(vertx, cache);
    ApiStreams streams = new ApiStreams(vertx, queries, cache);
    r.get("/api/prices").handler(streams::prices);
    r.get("/api/series").handler(new SeriesStream(vertx, queries, cache)::api);
    // GET /api/usage is mounted with the pages (UiRoutes, UsageApi).
    r.get("/api/fx").handler(ctx -> blocking(ctx, () -> new JsonObject().put("rates", queries.fxRates())));
    r.get("/api/changes").handler(streams::changes);
    r.get("/api/sources").handler(ctx -> blocking(ctx, this::sourceList));
    r.get("/api/sources/:id/checks").handler(ctx -> blocking(ctx, () -> new JsonObject()
        .put("checks", queries.checks(ctx.pathParam("id"), 100))));
    r.post("/api/sources/:id/check").handler(this::checkNow);
    r.post("/api/sources/:id/accept-baseline").handler(this::acceptBaseline);
    mounts.forEach(m -> m.accept(r));
    UiRoutes.mount(r, vertx, queries, sources, null, cache);
    return vertx.createHttpServer().requestHandler(r).listen(port, host).onSuccess(s -> {
      server = s;
      LOG.info("HTTP API listening on {}:{}", host, s.actualPort());
    }).recover(e -> Future.failedFuture(listenFailure(host, port, e)));
  }

  /** A failed bind as one line an operator can act on: {@code cannot listen on HOST:PORT: address already in use}. */
  static IllegalStateException listenFailure(String host, int port, Throwable cause) {
    String reason = cause instanceof java.net.BindException || String.valueOf(cause.getMessage()).contains("in use")
        ? "address already in use" : String.valueOf(cause.getMessage());
    return new IllegalStateException("cannot listen on " + host + ":" + port + ": " + reason, cause);
  }

  private void ready(RoutingContext ctx) {
    vertx.executeBlocking(queries::ping).onComplete(ar -> {
      boolean ok = ready.get() && ar.succeeded() && ar.result();
      json(ctx, ok ? 200 : 503, new JsonObject().put("status", ok ? "READY" : "NOT_READY")
          .put("database", ar.succeeded() && ar.result()).put("pipeline", ready.get()));
    });
  }

  private JsonObject sourceList() {
    JsonArray health = queries.sourceHealth();
    JsonArray out = new JsonArray();
    sources.all().forEach(s -> {
      JsonObject h = health.stream().map(JsonObject.class::cast).filter(x -> x.getString("source").equals(s.id()))
          .findFirst().orElse(new JsonObject());
      out.add(new JsonObject().put("id", s.id()).put("name", s.name()).put("kind", s.kind()).put("url", s.url())
          .put("schedule", s.schedule()).put("enabled", s.enabled()).put("last_check", h.getString("last_check"))
          .put("outcome", h.getString("outcome")).put("reason", h.getString("reason")));
    });
    return new JsonObject().put("sources", out);
  }

  /** The source an admin request names, or null once the request is answered (no token, unknown source). */
  private String adminSource(RoutingContext ctx) {
    if (!admin.require(ctx)) {
      return null;
    }
    String id = ctx.pathParam("id");
    if (sources.source(id).isEmpty()) {
      error(ctx, 404, "unknown source '" + id + "'");
      return null;
    }
    return id;
  }

  private void checkNow(RoutingContext ctx) {
    String id = adminSource(ctx);
    if (id == null) {
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.SOURCE_CHECK, CheckRequest.now(id).toJson(), Addresses.CHECK_TIMEOUT)
        .onSuccess((Message<JsonObject> m) -> json(ctx, 200, m.body()))
        .onFailure(err -> error(ctx, err instanceof ReplyException re && re.failureCode() == 409 ? 409 : 502,
            err.getMessage()));
  }

  /** Admin: the source's next check is its new baseline (recorded in its check log), without events. */
  private void acceptBaseline(RoutingContext ctx) {
    String id = adminSource(ctx);
    if (id == null) {
      return;
    }
    blocking(ctx, () -> new JsonObject().put("source", id).put("outcome", "baseline").put("check_id",
        new io.pricetide.history.HistoryStore(queries.dataSource(), 0).acceptBaseline(id, java.time.Instant.now())));
  }

  private void blocking(RoutingContext ctx, Callable<JsonObject> work) {
    vertx.executeBlocking(work).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result());
      } else {
        internalError(ctx, LOG, ar.cause());
      }
    });
  }
}
