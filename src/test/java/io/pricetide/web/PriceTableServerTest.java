package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.detect.EventMode;
import io.pricetide.history.CheckInfo;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryStore;
import io.pricetide.price.Observation;
import io.pricetide.source.FetchSettings;
import io.pricetide.source.Guards;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.Sources;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The price table sorted, filtered and paged in SQL over the rows each check keeps (#15, #13), its point-in-time
 * view and {@code /api/prices?at=}, and the cache of both, on a fixture history written by real checks: a vendor
 * source {@code acme} and a catalogue {@code cat} with a provider-less row, the vendor's own model, a reseller of
 * it, a $0.00 placeholder and a row whose output price is unknown.
 */
class PriceTableServerTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2025-02-01T00:00:00Z");
  static final Instant T2 = Instant.parse("2025-03-01T00:00:00Z");

  Database db;
  Vertx vertx;
  HistoryStore store;
  String base;
  final HttpClient http = HttpClient.newHttpClient();

  static SourceDefinition source(String id, String provider) {
    return new SourceDefinition(id, id, provider, "prices", "https://" + id + ".example/", "json", "0 0 * * * ?",
        "USD", "per_1m", "fixture", Map.of(), FetchSettings.DEFAULTS, Guards.DEFAULTS, true, id + ".yaml");
  }

  static Observation obs(String provider, String model, String canonical, String metric, String usd) {
    BigDecimal v = new BigDecimal(usd);
    return new Observation(provider, model, canonical, metric, "", v, "USD", v);
  }

  static List<Observation> acme(String largeInput, boolean withOld) {
    List<Observation> o = new ArrayList<>(List.of(obs("acme", "acme-large", "acme-large", "input", largeInput),
        obs("acme", "acme-large", "acme-large", "output", "8.00"),
        obs("acme", "acme-free", "acme-free", "input", "0"), obs("acme", "acme-free", "acme-free", "output", "0"),
        obs("acme", "acme-small", "acme-small", "input", "0.40"),
        obs("acme", "acme-small", "acme-small", "output", "1.60")));
    if (withOld) {
      o.add(obs("acme", "acme-old", "acme-old", "input", "3.00"));
      o.add(obs("acme", "acme-old", "acme-old", "output", "3.00"));
    }
    return o;
  }

  CheckOutcome check(String source, Instant at, List<Observation> o) {
    return store.apply(source, at, o, Guards.DEFAULTS, new CheckInfo(at, 200, null), EventMode.PRICES,
        Set.of("cat"));
  }

  @BeforeEach
  void start() throws Exception {
    Path data = Files.createTempDirectory("pricetide-table");
    db = Database.open(ConfigLoader.load(null, data, data, Map.of()));
    store = new HistoryStore(db.dataSource());
    check("acme", T0, acme("2.00", true));
    check("cat", T0, List.of(obs("", "mystery", "mystery", "input", "0.10"),
        obs("", "mystery", "mystery", "output", "0.20"),
        obs("acme", "acme/acme-large", "acme-large", "input", "2.00"),
        obs("acme", "acme/acme-large", "acme-large", "output", "8.00"),
        obs("resell", "resell/acme-large", "acme-large", "input", "2.20"),
        obs("resell", "resell/acme-large", "acme-large", "output", "8.80"),
        obs("resell", "resell/placeholder", "placeholder", "input", "0"),
        obs("resell", "resell/placeholder", "placeholder", "output", "0"),
        obs("resell", "resell/half-known", "half-known", "input", "0.05")));
    // A cut of acme-large's input, and acme-old removed.
    check("acme", T1, acme("1.50", false));
    vertx = Vertx.vertx();
    WebVerticle web = new WebVerticle(new HistoryQueries(db.dataSource()), new Sources(List.of(source("acme", "acme"),
        source("cat", ""))), "127.0.0.1", 0, null, new AtomicBoolean(true)).rateLimit(null);
    vertx.deployVerticle(web).toCompletionStage().toCompletableFuture().get();
    base = "http://127.0.0.1:" + web.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
    db.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The shown rows as "source model input" (input as printed). */
  List<String> rows(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    Document d = Jsoup.parse(r.body());
    List<String> out = new ArrayList<>();
    for (Element tr : d.select("#price-table tbody tr")) {
      out.add(tr.selectFirst("td.source").ownText() + " " + tr.selectFirst("th.model a").text() + " "
          + tr.select("td.num").get(0).ownText());
    }
    return out;
  }

  @Test
  @DisplayName("Default order: the vendor's own rows first, then rows with a provider, provider-less rows last")
  void defaultOrder() throws Exception {
    List<String> rows = rows("/");
    assertEquals(List.of("acme acme-free $0.00", "acme acme-large $1.50", "acme acme-small $0.40",
        "cat acme/acme-large $2.00", "cat resell/acme-large $2.20", "cat resell/half-known $0.05",
        "cat resell/placeholder $0.00", "cat mystery $0.10"), rows, "acme-old was removed at T1");
  }

  @Test
  @DisplayName("Sorted by blended price: cheapest real price first; $0.00 placeholders and unknowns hidden, or last")
  void blended() throws Exception {
    assertEquals(List.of("cat mystery $0.10", "acme acme-small $0.40", "acme acme-large $1.50",
        "cat acme/acme-large $2.00", "cat resell/acme-large $2.20"), rows("/?sort=blended"));
    List<String> all = rows("/?sort=blended&all=1");
    assertEquals(8, all.size());
    assertTrue(all.get(0).endsWith("$0.00") && all.get(1).endsWith("$0.00"), "free rows first when asked: " + all);
    assertEquals("cat resell/half-known $0.05", all.get(7), "an unknown blended price sorts last");
    assertEquals(List.of("cat resell/acme-large $2.20", "cat acme/acme-large $2.00", "acme acme-large $1.50",
        "acme acme-small $0.40", "cat mystery $0.10"), rows("/?sort=blended&dir=desc"));
    Document d = Jsoup.parse(get("/?sort=blended").body());
    assertTrue(d.select("a[href]").stream().anyMatch(a -> a.attr("href").contains("sort=blended")
        && a.attr("href").contains("all=1")), "a link shows the hidden rows");
  }

  @Test
  @DisplayName("Filters: seller kind, provider, source and every word of the search, each a plain URL")
  void filters() throws Exception {
    assertEquals(List.of("cat resell/acme-large $2.20"), rows("/?seller=reseller"));
    assertEquals(List.of("acme acme-free $0.00", "acme acme-large $1.50", "acme acme-small $0.40"),
        rows("/?seller=first-party"));
    List<String> catalogue = rows("/?seller=catalogue");
    assertTrue(catalogue.contains("cat acme/acme-large $2.00") && catalogue.contains("cat mystery $0.10")
        && !catalogue.contains("cat resell/acme-large $2.20"), catalogue.toString());
    assertEquals(List.of("cat resell/acme-large $2.20", "cat resell/half-known $0.05", "cat resell/placeholder $0.00"),
        rows("/?provider=RESELL"));
    assertEquals(List.of("cat acme/acme-large $2.00", "cat resell/acme-large $2.20"),
        rows("/?q=large+cat&sort=input"));
    assertEquals(List.of(), rows("/?q=100%25"), "LIKE wildcards in the search are text");
    Document d = Jsoup.parse(get("/?seller=reseller").body());
    assertEquals("reseller", d.selectFirst("td.source .seller").text());
    Element sortLink = d.selectFirst("th[data-col=input] a");
    assertTrue(sortLink.attr("href").contains("seller=reseller"), "sorting keeps the filters: " + sortLink);
  }

  @Test
  @DisplayName("As of a date: the prices valid then, removed models included; valid_from is honoured")
  void pointInTime() throws Exception {
    assertEquals(List.of("acme acme-free $0.00", "acme acme-large $2.00", "acme acme-old $3.00", "acme acme-small $0.40"),
        rows("/?seller=first-party&at=2025-01-15"));
    assertEquals(List.of(), rows("/?at=2024-12-31"), "nothing was priced before the first check");
    assertEquals(400, get("/?at=last-tuesday").statusCode());

    JsonObject jan = new JsonObject(get("/api/prices?at=2025-01-15&provider=acme").body());
    assertEquals("2025-01-15T23:59:59.999999Z", jan.getString("at"), "a date is its day's end");
    assertEquals("2.00", price(jan, "acme", "acme-large", "input"));
    assertEquals("3.00", price(jan, "acme", "acme-old", "input"));
    JsonObject feb = new JsonObject(get("/api/prices?at=2025-02-01T00:00:00Z&provider=acme").body());
    assertEquals("1.50", price(feb, "acme", "acme-large", "input"), "a point is valid from its own instant");
    assertNull(price(feb, "acme", "acme-old", "input"), "removed by then");
    assertEquals(400, get("/api/prices?at=soon").statusCode());

    // A point valid from a later time (a scheduled price) is the price only from then.
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE price_point SET valid_from = ? WHERE observed_at = ? AND series_id = (SELECT id FROM series "
            + "WHERE source_id = 'acme' AND model = 'acme-large' AND metric = 'input')")) {
      ps.setTimestamp(1, Timestamp.from(Instant.parse("2025-02-10T00:00:00Z")));
      ps.setTimestamp(2, Timestamp.from(T1));
      assertEquals(1, ps.executeUpdate());
    }
    assertEquals("2.00", price(new JsonObject(get("/api/prices?at=2025-02-05&provider=acme").body()), "acme",
        "acme-large", "input"));
    assertEquals("1.50", price(new JsonObject(get("/api/prices?at=2025-02-10&provider=acme").body()), "acme",
        "acme-large", "input"));
  }

  static String price(JsonObject answer, String source, String model, String metric) {
    JsonArray prices = answer.getJsonArray("prices");
    for (Object o : prices) {
      JsonObject p = (JsonObject) o;
      if (p.getString("source").equals(source) && p.getString("model").equals(model)
          && p.getString("metric").equals(metric)) {
        return p.getString("usd_per_1m");
      }
    }
    return null;
  }

  @Test
  @DisplayName("Cached answers are served until a check changes something, and the change shows at the next request")
  void cacheInvalidation() throws Exception {
    assertTrue(rows("/?seller=first-party").contains("acme acme-large $1.50"));
    assertEquals("1.50", price(new JsonObject(get("/api/prices?provider=acme").body()), "acme", "acme-large",
        "input"));
    CheckOutcome cut = check("acme", T2, acme("1.00", false));
    assertEquals(CheckOutcome.CHANGED, cut.outcome());
    // Written, not yet announced: both answers come from the cache.
    assertTrue(rows("/?seller=first-party").contains("acme acme-large $1.50"), "served from the cache");
    assertEquals("1.50", price(new JsonObject(get("/api/prices?provider=acme").body()), "acme", "acme-large",
        "input"));
    // The pipeline publishes every ended check; the next request sees the cut.
    vertx.eventBus().publish(Addresses.CHECK_ENDED, cut.toJson());
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!rows("/?seller=first-party").contains("acme acme-large $1.00") && System.nanoTime() < deadline) {
      Thread.sleep(20); // the publish reaches the consumer on its event loop
    }
    assertTrue(rows("/?seller=first-party").contains("acme acme-large $1.00"));
    assertEquals("1.00", price(new JsonObject(get("/api/prices?provider=acme").body()), "acme", "acme-large",
        "input"));
  }
}
