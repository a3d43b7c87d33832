package io.pricetide.app;

import io.pricetide.alert.AlertService;
import io.pricetide.archive.RawArchive;
import io.pricetide.check.CheckPipeline;
import io.pricetide.check.AnnouncedPricesVerticle;
import io.pricetide.check.CheckVerticle;
import io.pricetide.check.ExtractVerticle;
import io.pricetide.check.RecordVerticle;
import io.pricetide.cluster.ClusterBus;
import io.pricetide.cluster.ClusterNode;
import io.pricetide.cluster.HeartbeatVerticle;
import io.pricetide.config.AppConfig;
import io.pricetide.extract.ExtractorRegistry;
import io.pricetide.extract.Extractors;
import io.pricetide.db.Database;
import io.pricetide.history.FxRateStore;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryStore;
import io.pricetide.metrics.Meters;
import io.pricetide.ops.MetricsVerticle;
import io.pricetide.ops.RetentionVerticle;
import io.pricetide.ops.SourceReload;
import io.pricetide.price.Currencies;
import io.pricetide.schedule.SchedulerVerticle;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.SourceLoader;
import io.pricetide.source.Sources;
import io.pricetide.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running Pricetide: Vert.x, the database, the loaded sources and the deployed verticles. Deployment order
 * follows the flow backwards (history, extract, fetch, then scheduler and HTTP), so no stage receives work before
 * its consumer exists.
 *
 * <p>In cluster mode ({@code cluster_enabled}, serving only) Vert.x is clustered over Hazelcast before anything is
 * deployed, the node registers its incarnation and heartbeat ({@link ClusterNode}), Quartz uses the clustered JDBC
 * store and the outbox claims carry the incarnation. Off, none of it exists: the single node is as it always was.
 */
public final class App implements AutoCloseable {
  public final AppConfig config;
  public final Vertx vertx;
  public final Database db;
  public final HistoryStore store;
  public final HistoryQueries queries;
  public final RawArchive archive;
  public final Sources sources;
  public final Extractors extractors;
  /** The check pipeline the live check, replay and reextract share. */
  public final CheckPipeline pipeline;
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private WebVerticle web;
  /** Reloads sources/ in place (admin API, SIGHUP, the sources reload verb); null unless serving. */
  public volatile SourceReload reload;
  private AlertService alerts;

  public final FxRateStore fx;
  /** This node in cluster mode; null for a single node. */
  public final ClusterNode node;

  private App(AppConfig config, Vertx vertx, Database db, Extractors extractors, FxRateStore fx, ClusterNode node) {
    this.fx = fx;
    this.config = config;
    this.vertx = vertx;
    this.db = db;
    this.node = node;
    this.store = new HistoryStore(db.dataSource(), node != null);
    this.queries = new HistoryQueries(db.dataSource());
    this.archive = new RawArchive(config.dataDir());
    this.extractors = extractors;
    this.sources = extractors.sources();
    this.pipeline = new CheckPipeline(extractors, store, fx, node == null ? null : node.nodeId());
  }

  /** Loads and validates the sources; throws with every {@code file:line} error when any is invalid. */
  public static Extractors loadSources(AppConfig cfg) {
    return loadSources(cfg, new Currencies(cfg.fxRates()));
  }

  /** As {@link #loadSources(AppConfig)}, converting currencies with the given rates. */
  public static Extractors loadSources(AppConfig cfg, Currencies currencies) {
    ExtractorRegistry registry = ExtractorRegistry.builtIn();
    return new Extractors(Sources.of(new SourceLoader(registry).loadDirectory(cfg.sourcesDir())), registry, currencies);
  }

  /** Currencies at the daily rates recorded in this database, the configured rates as fallback. */
  public static Currencies currencies(AppConfig cfg, FxRateStore rates) {
    return new Currencies(cfg.fxRates(), rates);
  }

  /** Opens everything and deploys the pipeline; with {@code serve} also the scheduler (if enabled) and HTTP. */
  public static Future<App> start(AppConfig cfg, boolean serve) {
    Extractors sources;
    Database db;
    FxRateStore fx;
    // The database opens (pool, migrations) on another thread while the sources load: the two do not depend on
    // each other, and with a thousand source files each takes about half of the start. An invalid source still
    // stops the start; the database opened meanwhile is closed before the error is reported.
    java.util.concurrent.CompletableFuture<Database> opening =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> Database.open(cfg));
    try {
      ExtractorRegistry registry = ExtractorRegistry.builtIn();
      SourceLoader.Result loaded;
      List<SourceDefinition> defs;
      try {
        loaded = new SourceLoader(registry).loadDirectory(cfg.sourcesDir());
        defs = loaded.orThrow();
      } catch (RuntimeException e) {
        try {
          joined(opening).close();
        } catch (RuntimeException alsoFailed) {
          e.addSuppressed(alsoFailed);
        }
        throw e;
      }
      db = joined(opening);
      fx = new FxRateStore(db.dataSource());
      sources = new Extractors(new Sources(defs, loaded.models()), registry, currencies(cfg, fx));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Meters meters = new Meters();
    if (!serve || !cfg.clustered()) {
      return deploy(cfg, serve, meters, meters.vertx(vertxOptions()), db, sources, fx, null);
    }
    // Cluster mode: join Hazelcast first, then register this incarnation (its heartbeats start with the deployment).
    io.vertx.core.Promise<App> joined = io.vertx.core.Promise.promise();
    meters.clusteredVertx(ClusterBus.options(cfg.cluster(), vertxOptions()), ClusterBus.clusterManager(cfg.cluster()))
        .onComplete(ar -> new Thread(() -> {
          if (ar.failed()) {
            db.close();
            joined.fail(new IllegalStateException("cluster: node " + cfg.cluster().nodeId() + " cannot join "
                + cfg.cluster().members() + " from " + cfg.cluster().host() + ":" + cfg.cluster().port() + ": "
                + ar.cause().getMessage(), ar.cause()));
            return;
          }
          ClusterNode node;
          try {
            node = ClusterNode.join(db.dataSource(), cfg.cluster());
          } catch (RuntimeException e) {
            try {
              ar.result().close().toCompletionStage().toCompletableFuture().get();
            } catch (Exception closing) {
              e.addSuppressed(closing);
            }
            db.close();
            joined.fail(e);
            return;
          }
          deploy(cfg, true, meters, ar.result(), db, sources, fx, node).onComplete(joined);
        }, "pricetide-cluster-join").start());
    return joined.future();
  }

  private static Future<App> deploy(AppConfig cfg, boolean serve, Meters meters, Vertx vertx, Database db,
      Extractors sources, FxRateStore fx, ClusterNode node) {
    App app = new App(cfg, vertx, db, sources, fx, node);
    DeploymentOptions worker = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);
    Future<?> f = vertx.deployVerticle(new RecordVerticle(app.pipeline), worker)
        .compose(x -> vertx.deployVerticle(new ExtractVerticle(app.pipeline, app.archive), worker))
        .compose(x -> vertx.deployVerticle(new CheckVerticle(app.pipeline, app.archive, cfg.userAgent())));
    if (node != null) {
      f = f.compose(x -> vertx.deployVerticle(new HeartbeatVerticle(node)));
    }
    if (serve) {
      SchedulerVerticle scheduler = new SchedulerVerticle(sources.sources().all(), node == null ? null
          : new SchedulerVerticle.Clustered(db.dataSource(), cfg.cluster().name(), node.incarnation(),
              cfg.cluster().checkinMs()));
      app.reload = new SourceReload(cfg.sourcesDir(), sources, cfg.schedulerEnabled() ? scheduler::reschedule : null);
      // Before the scheduler, so that no check ends unseen; the outbox gauges read zero until alerting is up.
      f = f.compose(x -> vertx.deployVerticle(new MetricsVerticle(meters, db.dataSource(), () -> app.alerts == null
          ? new Meters.OutboxStats(0, null) : app.alerts.outboxStats(), MetricsVerticle.DEFAULT_REFRESH_MS)));
      f = f.compose(x -> vertx.deployVerticle(new RetentionVerticle(db.dataSource(), cfg.dataDir(), cfg.retention())));
      if (cfg.schedulerEnabled()) {
        f = f.compose(x -> vertx.deployVerticle(scheduler));
      }
      // The timer of announced prices, before alerting: the events it publishes at start are swept up by it too.
      f = f.compose(x -> vertx.deployVerticle(new AnnouncedPricesVerticle(app.store,
          sources.sources()::catalogueIds, AnnouncedPricesVerticle.DEFAULT_POLL), worker));
      f = f.compose(x -> AlertService.start(vertx, cfg, db, sources.sources(), cfg.schedulerEnabled(), node))
          .onSuccess(a -> app.alerts = a);
      f = f.compose(x -> {
        app.web = new WebVerticle(app.queries, sources.sources(), cfg.httpHost(), cfg.httpPort(), cfg.adminToken(), app.ready)
            .mount(app.alerts::mount).mount(app.reload.routes(vertx, cfg.adminToken()));
        return vertx.deployVerticle(app.web);
      });
    }
    // The caller's future is completed from no event loop: once start fails, Vert.x is closed, and a listener
    // dispatched to one of its event loops would be rejected and the caller would wait for ever.
    io.vertx.core.Promise<App> started = io.vertx.core.Promise.promise();
    f.onComplete(ar -> {
      if (ar.succeeded()) {
        app.ready.set(true);
        started.complete(app);
        return;
      }
      // This callback runs on an event loop, which close() would wait on for ever (Vert.x cannot finish closing
      // while one of its own threads blocks in close). A thread of our own closes it; the failure is reported once
      // Vert.x and the database are closed, so a caller that exits then leaves nothing running.
      Throwable err = ar.cause();
      new Thread(() -> {
        try {
          app.close();
        } catch (RuntimeException alsoFailed) {
          err.addSuppressed(alsoFailed);
        }
        started.fail(err);
      }, "pricetide-start-failed").start();
    });
    return started.future();
  }

  /** The value of a finished future, its own exception rethrown as it was. */
  private static <T> T joined(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Alerting (subscriptions, matcher, outbox); null unless serving. */
  public AlertService alerts() {
    return alerts;
  }

  /** The bound HTTP port, or -1 without HTTP. */
  public int httpPort() {
    return web == null ? -1 : web.actualPort();
  }

  @Override
  public void close() {
    ready.set(false);
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Thread.currentThread().interrupt();
    } finally {
      if (node != null) {
        try {
          node.leave(); // after the workers stopped: the others take over what this node still held, at once
        } catch (RuntimeException e) {
          // the heartbeat runs out instead
        }
      }
      db.close();
    }
  }

  /**
   * Vert.x's blocked-thread checker, tuned for this service: the event loop is still reported after 2 s (a bug), but
   * worker tasks legitimately run long (a catalogue replay, a page build over the whole history, a backup), so a
   * worker is reported after 5 minutes, and a stack trace is printed only for a block still going after 60 s. Under
   * load the log then says "blocked" once, in one line, instead of filling with stack traces of expected work.
   */
  static VertxOptions vertxOptions() {
    return new VertxOptions().setMaxEventLoopExecuteTime(2).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
        .setMaxWorkerExecuteTime(5).setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES)
        .setWarningExceptionTime(60).setWarningExceptionTimeUnit(TimeUnit.SECONDS);
  }
}
