package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.config.AppConfig;
import io.pricetide.history.AnnouncedReads;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An announced price end to end (issue #12 part 3): a catalogue served on loopback announces a cut a few seconds
 * ahead; the check that sees it records one {@code price_announced}; no check runs after, and at the effective
 * time the timer applies the cut, records and publishes it, and a real webhook receiver is sent it.
 */
class AnnouncedPriceFlowTest {
  private static final String ADMIN = "test-admin-token";

  @TempDir
  Path root;

  /** A genai-prices document we write: Acme Large at input 10.00, and 7.00 from {@code from} when given. */
  private static String catalogue(Instant from, String padding) {
    String now = "{\"prices\": {\"input_mtok\": 10.00, \"output_mtok\": 30.00}}";
    String later = from == null ? "" : ", {\"constraint\": {\"start_date\": \"" + from
        + "\"}, \"prices\": {\"input_mtok\": 7.00, \"output_mtok\": 30.00}}";
    return "[{\"id\": \"acme\", \"name\": \"Acme\", \"models\": [{\"id\": \"large\", \"prices\": [" + now + later
        + "]}]}]" + padding;
  }

  private static String source(String url) {
    return """
        id: acme-catalogue
        name: Acme catalogue
        kind: prices
        url: %s
        format: json
        schedule: "0 0 0 1 1 ? 2099"
        currency: USD
        unit: per_1m
        fetch:
          allow_private: true
          connect_timeout_ms: 2000
          read_timeout_ms: 1500
          retries: 1
          backoff_ms: 20
          max_backoff_ms: 100
        extractor:
          kind: genai-prices
        """.formatted(url);
  }

  private AppConfig config(FakeVendor vendor) throws Exception {
    return TestApp.config(root, Map.of("acme-catalogue.yaml", source(vendor.url("/data.json"))), Map.of(
        "PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "true", "PRICETIDE_DELIVERY_POLL_MS", "100",
        "PRICETIDE_DELIVERY_RETRY_BASE_MS", "50", "PRICETIDE_DELIVERY_RETRY_MAX_MS", "300")).withScheduler(false);
  }

  @Test
  @DisplayName("Announced 5 s ahead: one price_announced at the check, none when seen again; at the effective time, "
      + "with no check, the cut is applied, recorded, published and delivered to a webhook")
  void announcedCutTakesEffectWithoutACheck() throws Exception {
    try (FakeVendor vendor = new FakeVendor().contentType("application/json").serve(catalogue(null, ""));
        Hook hook = new Hook()) {
      AppConfig cfg = config(vendor);
      try (App app = TestApp.start(cfg, true)) {
        assertEquals(CheckOutcome.NEW, TestApp.check(app, "acme-catalogue").outcome());
        subscribe(app, hook.url());
        Instant at = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        vendor.serve(catalogue(at, ""));
        CheckOutcome seen = TestApp.check(app, "acme-catalogue");
        assertEquals(1, seen.events().size(), seen::toString);
        JsonObject announced = seen.events().get(0).toJson();
        assertEquals(ChangeEvent.PRICE_ANNOUNCED, announced.getString("kind"));
        assertEquals("acme/large", announced.getString("model"));
        assertEquals("input", announced.getString("metric"));
        assertAmount("10", announced.getString("old"));
        assertAmount("7", announced.getString("new"));
        assertEquals("-30.00", announced.getString("change_pct"));
        assertEquals(at.toString(), announced.getString("effective_from"));
        // Read well before its time (on a slow machine the time may already have come: then this is skipped).
        if (Instant.now().isBefore(at.minusMillis(500))) {
          assertAmount("10", input(app), "before its time the old price is current");
          List<JsonObject> pending = new AnnouncedReads(app.db.dataSource()).pending(null);
          assertEquals(1, pending.size(), pending::toString);
          assertEquals(at.toString(), pending.get(0).getString("effective_from"));
          assertEquals("input", pending.get(0).getString("metric"));
          assertAmount("7", pending.get(0).getString("value"));
        }
        // Seen again (a body that differs, so it is read again): no new event.
        vendor.serve(catalogue(at, "\n"));
        assertTrue(TestApp.check(app, "acme-catalogue").events().isEmpty(), "an announcement seen again is no event");
        int checks = app.queries.checks("acme-catalogue", 100).size();

        TestApp.awaitTrue("the announced cut at its time", Duration.ofSeconds(30), () -> cut(app) != null);
        assertEffective(app, at, checks);
        assertTrue(new AnnouncedReads(app.db.dataSource()).pending(null).isEmpty(), "nothing pending once applied");
        TestApp.awaitTrue("the webhook to be sent the cut", Duration.ofSeconds(20),
            () -> hook.bodies.stream().anyMatch(b -> b.contains("price_cut")));
        assertTrue(hook.bodies.stream().anyMatch(b -> b.contains("price_announced")), hook.bodies::toString);
        assertEquals(1, deliveries(app, cut(app).id()), "one delivery row for the cut");
        // /api/changes lists both, each with the time it takes effect.
        JsonArray changes = get(app, "/api/changes?source=acme-catalogue").getJsonArray("changes");
        assertEquals(2, changes.size(), changes::encode);
        changes.forEach(c -> assertEquals(at.toString(), ((JsonObject) c).getString("effective_from")));
      }
    }
  }

  @Test
  @DisplayName("A restart before the effective time still applies the announced cut at its time, once")
  void restartBeforeTheTime() throws Exception {
    try (FakeVendor vendor = new FakeVendor().contentType("application/json").serve(catalogue(null, ""));
        Hook hook = new Hook()) {
      AppConfig cfg = config(vendor);
      Instant at;
      int checks;
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme-catalogue");
        subscribe(app, hook.url());
        at = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        vendor.serve(catalogue(at, ""));
        assertEquals(ChangeEvent.PRICE_ANNOUNCED, TestApp.check(app, "acme-catalogue").events().get(0).kind());
        checks = app.queries.checks("acme-catalogue", 100).size();
      }
      assertTrue(Instant.now().isBefore(at), "the service stopped before the effective time");
      try (App app = TestApp.start(cfg, true)) {
        TestApp.awaitTrue("the announced cut after the restart", Duration.ofSeconds(30), () -> cut(app) != null);
        assertEffective(app, at, checks);
        TestApp.awaitTrue("the webhook to be sent the cut", Duration.ofSeconds(20),
            () -> hook.bodies.stream().anyMatch(b -> b.contains("price_cut")));
        assertEquals(1, deliveries(app, cut(app).id()));
      }
    }
  }

  @Test
  @DisplayName("A catalogue's announced cut that leaves it off the vendor's own page starts catalogue_drift at the "
      + "effective time, with no check of either source")
  void announcedCutStartsDriftAtItsTime() throws Exception {
    try (FakeVendor catalogue = new FakeVendor().contentType("application/json").serve(catalogue(null, ""));
        FakeVendor page = new FakeVendor().serve(io.pricetide.testing.Pages.table(Map.of("Large",
            new String[] {"10.00", "30.00"})))) {
      AppConfig cfg = TestApp.config(root, Map.of("acme-catalogue.yaml", source(catalogue.url("/data.json")),
          "acme.yaml", io.pricetide.testing.Pages.sourceYaml("acme", page.url("/pricing"), "0 0 0 1 1 ? 2099")),
          Map.of()).withScheduler(false);
      try (App app = TestApp.start(cfg, true)) {
        assertEquals(CheckOutcome.NEW, TestApp.check(app, "acme").outcome());
        assertEquals(CheckOutcome.NEW, TestApp.check(app, "acme-catalogue").outcome());
        assertTrue(drift(app).isEmpty(), "both list 10: no drift");
        Instant at = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        catalogue.serve(catalogue(at, ""));
        assertEquals(ChangeEvent.PRICE_ANNOUNCED, TestApp.check(app, "acme-catalogue").events().get(0).kind());
        assertTrue(drift(app).isEmpty(), "an announcement alone is no drift");
        int checks = app.queries.checks("acme-catalogue", 100).size() + app.queries.checks("acme", 100).size();

        TestApp.awaitTrue("drift at the effective time", Duration.ofSeconds(30), () -> !drift(app).isEmpty());
        List<ChangeEvent> drift = drift(app);
        assertEquals(1, drift.size(), drift::toString);
        ChangeEvent d = drift.get(0);
        assertEquals("acme-catalogue", d.sourceId());
        assertEquals("input", d.metric());
        assertTrue(!d.observedAt().isBefore(at) && d.observedAt().isBefore(at.plusSeconds(30)),
            "drift found when the cut took effect: " + d.observedAt());
        assertTrue(d.reason().contains("acme-catalogue") && d.reason().contains("acme's own"), d.reason());
        assertEquals(checks, app.queries.checks("acme-catalogue", 100).size()
            + app.queries.checks("acme", 100).size(), "no check ran for it");
      }
    }
  }

  private static List<ChangeEvent> drift(App app) {
    return app.queries.events(new EventFilter(null, null, null, null, null, null, 0, false)).stream()
        .filter(e -> e.kind().equals("catalogue_drift")).toList();
  }

  /** The cut is dated at its time, the price is 7, the point is valid from then, and no check ran for it. */
  private static void assertEffective(App app, Instant at, int checksBefore) throws Exception {
    ChangeEvent cut = cut(app);
    assertEquals(at, cut.observedAt(), "the cut is dated at the effective time");
    assertEquals(at, cut.effectiveFrom());
    assertAmount("10", cut.toJson().getString("old"));
    assertAmount("7", cut.toJson().getString("new"));
    assertAmount("7", input(app), "after its time the new price is current");
    assertEquals(checksBefore, app.queries.checks("acme-catalogue", 100).size(), "no check ran for it");
    assertEquals(1, events(app).stream().filter(e -> e.kind().equals(ChangeEvent.PRICE_CUT)).count());
    try (Connection c = app.db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT p.valid_from FROM price_point p JOIN series s ON s.id = p.series_id WHERE s.source_id = ? "
            + "AND s.metric = 'input' AND p.amount = 7")) {
      ps.setString(1, "acme-catalogue");
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "a point of 7");
        assertEquals(at, io.pricetide.db.Rows.instant(rs, 1));
      }
    }
  }

  /** Amounts compared by value: the JSON keeps the published digits ("10", "10.00"). */
  private static void assertAmount(String expected, String actual, String... what) {
    assertEquals(0, new java.math.BigDecimal(expected).compareTo(new java.math.BigDecimal(actual)),
        () -> (what.length > 0 ? what[0] + ": " : "") + expected + " vs " + actual);
  }

  private static String input(App app) {
    return app.queries.currentPrices("acme", null).stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("metric").equals("input")).findFirst().orElseThrow().getString("value");
  }

  private static List<ChangeEvent> events(App app) {
    return app.queries.events(new EventFilter("acme-catalogue", null, null, null, null, null, 0, false));
  }

  private static ChangeEvent cut(App app) {
    return events(app).stream().filter(e -> e.kind().equals(ChangeEvent.PRICE_CUT)).findFirst().orElse(null);
  }

  private static int deliveries(App app, long eventId) throws Exception {
    try (Connection c = app.db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert_delivery WHERE event_id = ?")) {
      ps.setLong(1, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void subscribe(App app, String url) throws Exception {
    JsonObject body = new JsonObject().put("channel", "webhook").put("target", url)
        .put("filter", new JsonObject().put("kinds", List.of("price_cut", "price_announced")));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base(app) + "/api/subscriptions"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
  }

  private static JsonObject get(App app, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base(app) + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static String base(App app) {
    return "http://127.0.0.1:" + app.httpPort();
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A webhook receiver on 127.0.0.1 that answers 200 and keeps every body. */
  private static final class Hook implements AutoCloseable {
    final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    Hook() throws Exception {
      server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        bodies.add(b.toString());
        req.response().end("ok");
      })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/hooks/announced";
    }

    @Override
    public void close() throws Exception {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
