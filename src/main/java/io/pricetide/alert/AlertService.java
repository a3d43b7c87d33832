package io.pricetide.alert;

import io.pricetide.config.AlertSettings;
import io.pricetide.config.AppConfig;
import io.pricetide.db.Database;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.WorkloadMarket;
import io.pricetide.metrics.Meters;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.Sources;
import io.pricetide.template.Templates;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerting as one unit: builds the stores, templates, token signer and notifiers from the configuration, syncs
 * the operator channel, frees claims a dead process left (embedded database only) and deploys the matcher and the
 * delivery workers. {@link #mount} adds the HTTP endpoints to a router.
 */
public final class AlertService {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

  final Vertx vertx;
  final AlertSettings settings;
  final String adminToken;
  final SubscriptionStore subscriptions;
  final OutboxStore outbox;
  final Messages messages;
  final WebhookGuard guard;
  final RateLimiter limiter;
  final WorkloadStore workloads;
  private final NotifierRegistry notifiers;
  private final HttpClientAgent http;
  private final DataSource ds;
  private AlertVerticle matcher;
  private DeliveryVerticle workers;

  private AlertService(Vertx vertx, AppConfig cfg, DataSource ds, Sources sources) {
    this.vertx = vertx;
    this.settings = cfg.alerts();
    this.adminToken = cfg.adminToken();
    this.ds = ds;
    Tokens tokens = new Tokens(ServerSecret.load(settings.secret(), cfg.dataDir()));
    Templates templates = Templates.files(settings.templatesDir()).check(Messages.TEMPLATES);
    this.messages = new Messages(templates, tokens, cfg.publicUrl(), Duration.ofHours(settings.confirmTtlHours()));
    this.subscriptions = new SubscriptionStore(ds);
    this.outbox = new OutboxStore(ds, Duration.ofHours(settings.giveUpHours()));
    this.guard = new WebhookGuard(vertx, settings.allowPrivateWebhooks());
    this.limiter = new RateLimiter(settings.subscribePerMinute());
    this.workloads = new WorkloadStore(ds, new WorkloadMarket(new HistoryQueries(ds), sources),
        Duration.ofHours(settings.giveUpHours()));
    this.http = HttpNotifier.client(vertx, settings.webhookConcurrency());
    this.notifiers = new NotifierRegistry()
        .register(HttpNotifier.webhook(vertx, http, guard, messages))
        .register(HttpNotifier.slack(vertx, http, guard, messages))
        .register(HttpNotifier.discord(vertx, http, guard, messages));
    if (settings.emailEnabled()) {
      notifiers.register(new EmailNotifier(vertx, settings, messages));
    }
  }

  /**
   * Starts alerting on a running Vert.x. {@code sources} are watched for staleness when {@code watchStale} (only
   * meaningful when the scheduler runs).
   */
  public static Future<AlertService> start(Vertx vertx, AppConfig cfg, Database db, Sources sources,
      boolean watchStale) {
    return start(vertx, cfg, db, sources, watchStale, null);
  }

  /** As {@link #start(Vertx, AppConfig, Database, Sources, boolean)}; {@code node} not null in cluster mode. */
  public static Future<AlertService> start(Vertx vertx, AppConfig cfg, Database db, Sources sources,
      boolean watchStale, io.pricetide.cluster.ClusterNode node) {
    AlertService a;
    try {
      a = new AlertService(vertx, cfg, db.dataSource(), sources);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    AlertSettings s = cfg.alerts();
    List<SourceDefinition> watched = watchStale
        ? sources.all().stream().filter(SourceDefinition::enabled).toList() : List.of();
    return vertx.executeBlocking(() -> {
      Instant now = Instant.now();
      a.subscriptions.syncOperators(s.operatorEmail(), s.operatorWebhook(), s.operatorWebhookSecret(), now);
      if (!db.isPostgres()) {
        int n = a.outbox.queue.releaseClaims(now);
        if (n > 0) {
          LOG.info("alerts: {} deliveries claimed by a previous process are due again", n);
        }
      }
      return null;
    }).compose(x -> {
      a.workers = new DeliveryVerticle(a.outbox, a.notifiers, s.retryBaseMs(), s.retryMaxMs(), s.pollMs(),
          s.mailPool() * 2, s.webhookConcurrency(), node);
      return vertx.deployVerticle(a.workers);
    }).compose(x -> {
      a.matcher = new AlertVerticle(a.outbox, Duration.ofMinutes(s.operatorRearmMinutes()), watched,
          Duration.ofSeconds(s.staleGraceSeconds()), a.workers::offer, a.workloads, node,
          2 * s.webhookConcurrency());
      return vertx.deployVerticle(a.matcher, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
    })
        .map(x -> {
          if (!s.emailEnabled()) {
            LOG.info("alerts: email channel off (set PRICETIDE_MAIL_HOST to enable it)");
          }
          return a;
        });
  }

  /** Adds the subscription, confirm, unsubscribe and delivery-log endpoints. */
  public void mount(Router router) {
    AlertRoutes.mount(router, this);
  }

  /** Marks events as handled without notifying anyone: history written by {@code replay} or {@code reextract}. */
  public static void suppress(DataSource ds, Collection<Long> eventIds) {
    if (!eventIds.isEmpty()) {
      new OutboxStore(ds, Duration.ofHours(24)).matching.suppress(eventIds, Instant.now());
    }
  }

  /** True once the matcher has handled the event (blocking). */
  public boolean isMatched(long eventId) {
    return outbox.matching.isMatched(eventId);
  }

  /** The delivery log, newest first (blocking); {@code status} and {@code subscription} may be null. */
  public JsonArray deliveries(String status, String subscription, int limit) {
    return outbox.log.log(new DeliveryLog.LogFilter(status, subscription, null, null, null, limit));
  }

  /** How many deliveries wait and the creation time of the oldest (blocking): the outbox gauges of /metrics. */
  /** How many deliveries are pending and since when the oldest waits (blocking), for the outbox gauges. */
  public Meters.OutboxStats outboxStats() {
    return outbox.log.pending();
  }

  /** Delivery counts by status (blocking). */
  public Map<String, Integer> deliveryCounts() {
    return outbox.log.counts();
  }

  /** Runs the digest and stale-source checks as of {@code now} (blocking); returns the deliveries queued. */
  public int housekeeping(Instant now) {
    int n = outbox.digests.queueDigests(now) + matcher.checkStale(now);
    if (n > 0) {
      wake();
    }
    return n;
  }

  void wake() {
    vertx.eventBus().send(DeliveryVerticle.WAKE, 0L);
  }

  /** Releases the notifiers' clients; the verticles stop with Vert.x. */
  public Future<Void> close() {
    return notifiers.close().compose(v -> http.close());
  }
}
