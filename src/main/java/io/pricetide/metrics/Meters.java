package io.pricetide.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pricetide.bus.CheckOutcome;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process's meters. {@link #vertx} builds the Vert.x instance that records into this registry (its
 * {@code vertx_http_server_*}, {@code vertx_eventbus_*} and the JVM meters); the methods below record Pricetide's
 * own. Every name is listed in docs/deploy.md (Metrics) and used by deploy/grafana-dashboard.json and deploy/alerts.yaml.
 *
 * <p>Code that holds only a {@link Vertx} finds its meters with {@link #of(Vertx)}; a Vert.x built without metrics
 * (most tests, the CLI verbs) gets meters of its own that nothing scrapes, so recording never needs a null check.
 */
public final class Meters {
  public static final String CHECKS = "pricetide_checks";
  public static final String EVENTS = "pricetide_events";
  public static final String DELIVERIES = "pricetide_deliveries";
  public static final String CLAIMS = "pricetide_outbox_claims";
  public static final String OUTBOX_DEPTH = "pricetide_outbox_pending";
  public static final String OUTBOX_OLDEST = "pricetide_outbox_oldest_pending_seconds";
  public static final String FRESHNESS = "pricetide_source_last_success_age_seconds";
  public static final String FETCH = "pricetide_fetch_seconds";
  public static final String EXTRACT = "pricetide_extract_seconds";
  /** The latency histograms' bucket bounds: a fetch is seconds (retries included), an extraction milliseconds. */
  private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private static final Map<Vertx, Meters> BY_VERTX = Collections.synchronizedMap(new WeakHashMap<>());

  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  /** Last good check per source, for the freshness gauges. */
  private final Map<String, Instant> lastGood = new ConcurrentHashMap<>();
  private volatile OutboxStats outbox = new OutboxStats(0, null);

  /** How many deliveries wait and since when; {@code oldestPending} null when none waits. */
  public record OutboxStats(long pending, Instant oldestPending) {}

  public Meters() {
    this(Clock.systemUTC());
  }

  public Meters(Clock clock) {
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Gauge.builder(OUTBOX_DEPTH, this, m -> m.outbox.pending())
        .description("Deliveries waiting in the outbox (pending, due or retrying)").register(registry);
    Gauge.builder(OUTBOX_OLDEST, this, m -> m.outbox.oldestPending() == null ? 0
            : Math.max(0, Duration.between(m.outbox.oldestPending(), m.clock.instant()).toMillis() / 1000.0))
        .description("Age of the oldest pending delivery; 0 when none waits").baseUnit("seconds")
        .register(registry);
  }

  /**
   * A Vert.x instance whose metrics (HTTP server and client, event bus, pools, JVM) go into this registry; {@code
   * options} are kept, their metrics options replaced.
   */
  public Vertx vertx(VertxOptions options) {
    Vertx vertx = Vertx.builder().with(withMetrics(options)).withMetrics(new MicrometerMetricsFactory(registry)).build();
    BY_VERTX.put(vertx, this);
    return vertx;
  }

  /** As {@link #vertx}, clustered through {@code cluster} (cluster mode). */
  public io.vertx.core.Future<Vertx> clusteredVertx(VertxOptions options,
      io.vertx.core.spi.cluster.ClusterManager cluster) {
    return Vertx.builder().with(withMetrics(options)).withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(cluster).buildClustered().onSuccess(v -> BY_VERTX.put(v, this));
  }

  private VertxOptions withMetrics(VertxOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setRegistryName("pricetide-" + System.identityHashCode(this))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return new VertxOptions(options).setMetricsOptions(metrics);
  }

  /** The meters {@code vertx} was built with by {@link #vertx}, or unscraped ones of its own. */
  public static Meters of(Vertx vertx) {
    return BY_VERTX.computeIfAbsent(vertx, v -> new Meters());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text of every meter, as {@code GET /metrics} serves it. */
  public String scrape() {
    return registry.scrape();
  }

  /** The {@code GET /metrics} handler. */
  public Handler<RoutingContext> scrapeHandler() {
    return PrometheusScrapingHandler.create(registry);
  }

  /** One check ended; a check that did not fail also resets the source's freshness. */
  public void checkEnded(CheckOutcome o) {
    String source = o.sourceId() == null ? "unknown" : o.sourceId();
    String outcome = o.outcome() == null ? "unknown" : o.outcome();
    Counter.builder(CHECKS).description("Checks that ended, by source and outcome (new, changed, unchanged, error)")
        .tag("source", source).tag("outcome", outcome).tag("stage", o.isError() && o.stage() != null ? o.stage() : "none")
        .register(registry).increment();
    if (!o.isError()) {
      goodCheck(source, clock.instant());
    }
  }

  /** Records a good check of {@code source} at {@code at} (also used to seed freshness from the check log). */
  public void goodCheck(String source, Instant at) {
    Instant before = lastGood.get(source);
    if (before == null || at.isAfter(before)) {
      lastGood.put(source, at);
    }
    if (before == null) {
      Gauge.builder(FRESHNESS, this, m -> Math.max(0,
              Duration.between(m.lastGood.get(source), m.clock.instant()).toMillis() / 1000.0))
          .description("Seconds since the last check of the source that did not fail").baseUnit("seconds")
          .tag("source", source).register(registry);
    }
  }

  /**
   * A timer of one fetch of {@code source}, started now: pass it to the fetch's future ({@code andThen}); it records
   * {@value #FETCH} by source and outcome: {@code ok}, {@code not_modified} (a 304) or {@code error} (after the
   * retries). {@code notModified} tells a 304 from the result; null when there is none to tell.
   */
  public <T> Handler<io.vertx.core.AsyncResult<T>> fetchTimer(String source,
      java.util.function.Predicate<T> notModified) {
    long t0 = System.nanoTime();
    return ar -> timer(FETCH, "Fetches of a source's page, retries included, by source and outcome", source,
        ar.failed() ? "error" : notModified != null && notModified.test(ar.result()) ? "not_modified" : "ok")
        .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** One extraction of {@code source} that began at {@code startNanos} ({@link System#nanoTime}) ended. */
  public void extracted(String source, boolean failed, long startNanos) {
    timer(EXTRACT, "Extractions of a fetched body, by source and outcome (ok, error)", source, failed ? "error" : "ok")
        .record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private io.micrometer.core.instrument.Timer timer(String name, String description, String source, String outcome) {
    return io.micrometer.core.instrument.Timer.builder(name).description(description)
        .tag("source", source == null ? "unknown" : source).tag("outcome", outcome)
        .serviceLevelObjectives(BUCKETS).register(registry);
  }

  /** A change event was detected. */
  public void event(String kind) {
    Counter.builder(EVENTS).description("Change events detected, by kind")
        .tag("kind", kind == null ? "unknown" : kind).register(registry).increment();
  }

  /**
   * One delivery attempt ended: {@code outcome} is {@code delivered}, {@code retry} (failed, will be tried again),
   * {@code dead} (failed for good) or {@code cancelled} (the subscription went away before it was sent).
   */
  public void delivery(String channel, String outcome) {
    Counter.builder(DELIVERIES).description("Delivery attempts that ended, by channel and outcome")
        .tag("channel", channel).tag("outcome", outcome).register(registry).increment();
  }

  /** A delivery lane asked the outbox for due jobs (an idle service asks about once per lane per poll). */
  public void claim(String lane) {
    Counter.builder(CLAIMS).description("Claims of due deliveries from the outbox, by lane").tag("lane", lane)
        .register(registry).increment();
  }

  /**
   * The outbox gauges show {@code stats} from now on. The gauges read this cached value on every scrape (on an event
   * loop), so whoever supplies it queries the database off the event loop and calls this.
   */
  public void outbox(OutboxStats stats) {
    this.outbox = stats;
  }
}
