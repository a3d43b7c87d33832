package io.pricetide.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.config.AppConfig;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real service over a served page and two webhook receivers on loopback (one answers 200, one 500): after
 * checks and deliveries, {@code GET /metrics} shows their counters, the outbox and freshness gauges, Vert.x's HTTP
 * server meters and the JVM's; a restart on the same data dir seeds freshness from the check log.
 */
class MetricsScrapeTest {
  private static final String ADMIN = "test-admin-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir
  Path root;

  @Test
  @DisplayName("/metrics after a check, a delivered and a failing webhook: checks by source and outcome, events by "
      + "kind, deliveries by channel and outcome, outbox depth and age, freshness, vertx_http_server_*, jvm_*")
  void scrape() throws Exception {
    Vertx receivers = Vertx.vertx();
    AtomicInteger okHits = new AtomicInteger();
    HttpServer hooks = await(receivers.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      boolean ok = req.path().equals("/ok");
      if (ok) {
        okHits.incrementAndGet();
      }
      req.response().setStatusCode(ok ? 200 : 500).end(ok ? "ok" : "down");
    })).listen(0, "127.0.0.1"));
    String hookBase = "http://127.0.0.1:" + hooks.actualPort();
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00"))) {
      AppConfig cfg = config(vendor);
      try (App app = TestApp.start(cfg, true)) {
        CheckOutcome first = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.NEW, first.outcome());

        subscribe(app, hookBase + "/ok");
        subscribe(app, hookBase + "/down");
        vendor.serve(page("7.00"));
        CheckOutcome cut = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.CHANGED, cut.outcome());
        TestApp.awaitTrue("the delivered webhook", Duration.ofSeconds(20), () -> okHits.get() >= 1);

        String base = "http://127.0.0.1:" + app.httpPort();
        TestApp.awaitTrue("delivery counters and the outbox gauge", Duration.ofSeconds(30), () -> {
          String m = get(base + "/metrics");
          return value(m, "pricetide_deliveries_total", "channel", "webhook", "outcome", "delivered").orElse(0) >= 1
              && value(m, "pricetide_deliveries_total", "channel", "webhook", "outcome", "retry").orElse(0) >= 1
              && value(m, "pricetide_outbox_pending", null, null, null, null).orElse(0) >= 1;
        });
        String m = get(base + "/metrics");
        assertEquals(1.0, value(m, "pricetide_deliveries_total", "channel", "webhook", "outcome", "delivered")
            .orElseThrow(), m);
        assertEquals(1.0, value(m, "pricetide_checks_total", "source", "acme", "outcome", "new").orElseThrow(), m);
        assertEquals(1.0, value(m, "pricetide_checks_total", "source", "acme", "outcome", "changed").orElseThrow(), m);
        assertEquals(1.0, value(m, "pricetide_events_total", "kind", "price_cut", null, null).orElseThrow(), m);
        double fresh = value(m, "pricetide_source_last_success_age_seconds", "source", "acme", null, null)
            .orElseThrow(() -> new AssertionError("no freshness for acme:\n" + m));
        assertTrue(fresh >= 0 && fresh < 600, m);
        assertTrue(value(m, "pricetide_outbox_oldest_pending_seconds", null, null, null, null).isPresent(), m);
        // Fetch and extract latency by source and outcome: two fetched and extracted pages, one failed fetch below.
        assertEquals(2.0, value(m, "pricetide_fetch_seconds_count", "source", "acme", "outcome", "ok")
            .orElseThrow(), m);
        assertTrue(value(m, "pricetide_fetch_seconds_sum", "source", "acme", "outcome", "ok").orElseThrow() > 0, m);
        assertTrue(m.contains("pricetide_fetch_seconds_bucket{"), "a histogram, for quantiles: " + m);
        assertEquals(2.0, value(m, "pricetide_extract_seconds_count", "source", "acme", "outcome", "ok")
            .orElseThrow(), m);
        vendor.failNext(500, 10, 0);
        CheckOutcome down = TestApp.check(app, "acme");
        assertTrue(down.isError(), down.toString());
        String after = get(base + "/metrics");
        assertEquals(1.0, value(after, "pricetide_fetch_seconds_count", "source", "acme", "outcome", "error")
            .orElseThrow(), after);
        assertTrue(m.contains("vertx_http_server_requests_total{"), "Vert.x HTTP server meters");
        assertTrue(m.contains("jvm_memory_used_bytes{"), "JVM meters");
        assertTrue(m.contains("# TYPE pricetide_checks_total counter"), m);
      }

      // A restart on the same data dir: freshness comes from the check log before any check runs.
      try (App again = TestApp.start(cfg, true)) {
        String base = "http://127.0.0.1:" + again.httpPort();
        TestApp.awaitTrue("freshness seeded from the check log", Duration.ofSeconds(20), () ->
            value(get(base + "/metrics"), "pricetide_source_last_success_age_seconds", "source", "acme", null, null)
                .isPresent());
        String m = get(base + "/metrics");
        assertTrue(value(m, "pricetide_checks_total", "source", "acme", "outcome", "new").isEmpty(),
            "counters start from zero in a new process:\n" + m);
      }
    } finally {
      await(receivers.close());
    }
  }

  @Test
  @DisplayName("An idle service asks the outbox for due deliveries about once per lane per poll, not in a loop")
  void idleOutboxIsPolledNotSpun() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00")); App app = TestApp.start(config(vendor), true)) {
      String base = "http://127.0.0.1:" + app.httpPort();
      TestApp.awaitTrue("a first claim", Duration.ofSeconds(20),
          () -> value(get(base + "/metrics"), "pricetide_outbox_claims_total", "lane", "http", null, null)
              .orElse(0) >= 1);
      double before = claims(get(base + "/metrics"));
      long t0 = System.nanoTime();
      Thread.sleep(3_000);
      double after = claims(get(base + "/metrics"));
      double polls = (System.nanoTime() - t0) / 1e6 / 100; // PRICETIDE_DELIVERY_POLL_MS 100
      // Two lanes, one claim per poll each, and a few wake-ups: an empty outbox that was claimed again at once made
      // tens of thousands in the same seconds.
      assertTrue(after - before <= 2 * (polls + 5), (after - before) + " claims in " + polls + " polls");
    }
  }

  private static double claims(String scrape) {
    return value(scrape, "pricetide_outbox_claims_total", "lane", "http", null, null).orElse(0)
        + value(scrape, "pricetide_outbox_claims_total", "lane", "email", null, null).orElse(0);
  }

  private AppConfig config(FakeVendor vendor) throws Exception {
    return TestApp.config(root, Map.of("acme.yaml", Pages.sourceYaml("acme", vendor.url("/pricing"),
        "0 0 0 1 1 ? 2099")), Map.of("PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "true",
        "PRICETIDE_DELIVERY_RETRY_BASE_MS", "50", "PRICETIDE_DELIVERY_RETRY_MAX_MS", "300",
        "PRICETIDE_DELIVERY_POLL_MS", "100")).withScheduler(false);
  }

  private static String page(String largeInput) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {largeInput, "30.00", "5.00"});
    return Pages.table(rows);
  }

  private static void subscribe(App app, String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
        + "/api/subscriptions")).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
            .put("channel", "webhook").put("target", url).encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
  }

  private static String get(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
          r.headers().toString());
      return r.body();
    } catch (Exception e) {
      throw new AssertionError(url + ": " + e, e);
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** The value of the first sample of {@code name} whose labels include the given pairs (null: none asked). */
  static OptionalDouble value(String scrape, String name, String k1, String v1, String k2, String v2) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(scrape);
    while (m.find()) {
      String labels = m.group(1) == null ? "" : m.group(1);
      if ((k1 == null || labels.contains(k1 + "=\"" + v1 + "\"")) && (k2 == null || labels.contains(k2 + "=\"" + v2
          + "\""))) {
        return OptionalDouble.of(Double.parseDouble(m.group(2)));
      }
    }
    return OptionalDouble.empty();
  }
}
