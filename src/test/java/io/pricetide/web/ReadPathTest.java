package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.history.HistoryQueries;
import io.pricetide.source.Sources;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The read path at size (#15), over the embedded store as shipped, filled by plain inserts: a 20,000-point hourly
 * timeline that changes every seven hours and is removed once, 250 current prices and 250 change events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadPathTest {
  static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  static final int POINTS = 20_000;
  static final int REMOVED_AT = 10_001;
  static final int ROWS = 250;

  Database db;
  Vertx vertx;
  String base;
  final HttpClient http = HttpClient.newHttpClient();
  /** The raw timeline: time to value, null for the removal. */
  final TreeMap<Instant, String> raw = new TreeMap<>();

  @BeforeAll
  void start() throws Exception {
    Path data = Files.createTempDirectory("pricetide-reads");
    db = Database.open(ConfigLoader.load(null, data, data, Map.of()));
    fill();
    vertx = Vertx.vertx();
    WebVerticle web = new WebVerticle(new HistoryQueries(db.dataSource()), new Sources(List.of()), "127.0.0.1", 0,
        null, new AtomicBoolean(true));
    vertx.deployVerticle(web).toCompletionStage().toCompletableFuture().get();
    base = "http://127.0.0.1:" + web.actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    if (db != null) {
      db.close();
    }
  }

  private void fill() throws Exception {
    Instant last = START.plus(POINTS - 1, ChronoUnit.HOURS);
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      long big = series(c, "big", "acme", "big-model", "input", true, START, last);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO price_point (series_id, observed_at, amount, usd_per_1m) VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < POINTS; i++) {
          Instant at = START.plus(i, ChronoUnit.HOURS);
          String v = i == REMOVED_AT ? null : (i / 7) % 5 + ".00";
          raw.put(at, v);
          ps.setLong(1, big);
          ps.setTimestamp(2, Timestamp.from(at));
          ps.setBigDecimal(3, v == null ? null : new BigDecimal(v));
          ps.setBigDecimal(4, v == null ? null : new BigDecimal(v));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      for (int i = 0; i < ROWS; i++) {
        series(c, "src" + (i % 3), "prov" + (i % 7), String.format("model-%03d", i), "input", true, START, last);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_event (kind, source_id, provider, model, "
          + "canonical_model, metric, cond, observed_at, created_at) VALUES ('price_cut', ?, 'prov0', ?, ?, "
          + "'input', '', ?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          Timestamp t = Timestamp.from(START.plus(i % 40, ChronoUnit.DAYS));
          ps.setString(1, "src" + (i % 3));
          ps.setString(2, String.format("model-%03d", i));
          ps.setString(3, String.format("model-%03d", i));
          ps.setTimestamp(4, t);
          ps.setTimestamp(5, t);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      // The price table reads price_row, which checks keep; rows inserted by hand need it built.
      for (String src : List.of("big", "src0", "src1", "src2")) {
        io.pricetide.history.PriceRows.rebuild(c, src);
      }
      c.commit();
    }
  }

  private static long series(Connection c, String source, String provider, String model, String metric,
      boolean active, Instant first, Instant last) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO series (source_id, provider, model, canonical_model, "
        + "metric, cond, currency, amount, usd_per_1m, first_seen, last_seen, last_changed, active) VALUES "
        + "(?, ?, ?, ?, ?, '', 'USD', 1, 1, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, source);
      ps.setString(2, provider);
      ps.setString(3, model);
      ps.setString(4, model);
      ps.setString(5, metric);
      ps.setTimestamp(6, Timestamp.from(first));
      ps.setTimestamp(7, Timestamp.from(last));
      ps.setTimestamp(8, Timestamp.from(first));
      ps.setBoolean(9, active);
      ps.executeUpdate();
      try (var keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The Transfer-Encoding the server sent for the request of {@code r}, read off the wire: the JDK client decodes
   * chunks and does not show the header.
   */
  private String transferEncoding(HttpResponse<String> r) throws Exception {
    URI u = r.uri();
    try (java.net.Socket s = new java.net.Socket(u.getHost(), u.getPort())) {
      s.getOutputStream().write(("GET " + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
          + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
          StandardCharsets.ISO_8859_1));
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("transfer-encoding:")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
      return "";
    }
  }

  private JsonArray points(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    JsonArray series = new JsonObject(r.body()).getJsonArray("series");
    assertEquals(1, series.size());
    return series.getJsonObject(0).getJsonArray("points");
  }

  @Test
  @DisplayName("Downsampled, a step timeline keeps every bucket's first point and last change at their exact "
      + "times, the removal, and only values that were in force; the answer is chunked")
  void downsamplingKeepsChanges() throws Exception {
    int max = 200;
    HttpResponse<String> r = get("/api/series?model=big-model&metric=input&max_points=" + max);
    assertEquals("chunked", transferEncoding(r));
    JsonArray pts = points(r);
    JsonObject s = new JsonObject(r.body()).getJsonArray("series").getJsonObject(0);
    assertEquals(POINTS, s.getLong("points_read"));
    assertTrue(s.getBoolean("downsampled"));
    assertTrue(pts.size() <= max + 1, "at most two points a bucket and the removal: " + pts.size());
    long width = StepSampler.width(raw.lastKey().toEpochMilli() - START.toEpochMilli(), max);
    TreeMap<Long, List<JsonObject>> byBucket = new TreeMap<>();
    boolean removal = false;
    for (Object o : pts) {
      JsonObject p = (JsonObject) o;
      Instant at = Instant.parse(p.getString("observed_at"));
      assertTrue(raw.containsKey(at), "a point that exists: " + at);
      assertEquals(raw.get(at), p.getString("value"), "its value at " + at);
      removal |= p.getString("value") == null;
      byBucket.computeIfAbsent((at.toEpochMilli() - START.toEpochMilli()) / width, k -> new ArrayList<>()).add(p);
    }
    assertTrue(removal, "the removal is kept");
    TreeMap<Long, List<Map.Entry<Instant, String>>> rawBuckets = new TreeMap<>();
    String before = "unset";
    Map<Long, Instant> lastChange = new TreeMap<>();
    for (Map.Entry<Instant, String> e : raw.entrySet()) {
      long b = (e.getKey().toEpochMilli() - START.toEpochMilli()) / width;
      rawBuckets.computeIfAbsent(b, k -> new ArrayList<>()).add(e);
      if (!java.util.Objects.equals(before, e.getValue())) {
        lastChange.put(b, e.getKey());
      }
      before = e.getValue();
    }
    assertEquals(rawBuckets.keySet(), byBucket.keySet(), "every bucket with points has points in the answer");
    for (long b : rawBuckets.keySet()) {
      List<Map.Entry<Instant, String>> in = rawBuckets.get(b);
      List<JsonObject> kept = byBucket.get(b);
      assertEquals(in.get(0).getKey().toString(), kept.get(0).getString("observed_at"), "bucket " + b + " first");
      assertEquals(in.get(in.size() - 1).getValue(), kept.get(kept.size() - 1).getString("value"),
          "bucket " + b + " ends on the value in force");
      Set<String> times = new HashSet<>();
      kept.forEach(p -> times.add(p.getString("observed_at")));
      assertTrue(times.contains(lastChange.get(b).toString()), "bucket " + b + " keeps its last change");
    }
  }

  @Test
  @DisplayName("from and to bound the timeline; with room for every point, nothing is dropped")
  void rangeBounds() throws Exception {
    JsonArray pts = points(get("/api/series?model=big-model&metric=input&from=2024-03-01&to=2024-03-31"
        + "&max_points=10000"));
    List<String> expected = raw.subMap(Instant.parse("2024-03-01T00:00:00Z"), true,
        Instant.parse("2024-04-01T00:00:00Z"), false).keySet().stream().map(Instant::toString).toList();
    assertEquals(31 * 24, expected.size());
    assertEquals(expected, pts.stream().map(o -> ((JsonObject) o).getString("observed_at")).toList());
    JsonArray instants = points(get("/api/series?model=big-model&metric=input&from=2024-03-01T05:00:00Z"
        + "&to=2024-03-01T07:00:00Z"));
    assertEquals(3, instants.size());
    assertEquals(400, get("/api/series?model=big-model&metric=input&max_points=10001").statusCode());
    assertEquals(400, get("/api/series?model=big-model&metric=input&max_points=x").statusCode());
    assertEquals(400, get("/api/series?model=big-model&metric=input&from=yesterday").statusCode());
    assertEquals(400, get("/api/series?model=big-model&metric=input&from=2024-03-02&to=2024-03-01").statusCode());
  }

  @Test
  @DisplayName("The full-resolution exports stream every point")
  void exportsStreamEveryPoint() throws Exception {
    HttpResponse<String> csv = get("/api/export/series.csv?model=big-model&metric=input");
    assertEquals(200, csv.statusCode());
    assertEquals("chunked", transferEncoding(csv));
    assertEquals(POINTS + 1, csv.body().split("\r?\n").length);
    HttpResponse<String> json = get("/api/export/series.json?model=big-model&metric=input");
    assertEquals(POINTS, points(json).size());
  }

  @Test
  @DisplayName("/api/prices pages by cursor: every current price exactly once, in listing order")
  void pricesPaged() throws Exception {
    List<String> all = keys(new JsonObject(get("/api/prices?limit=5000").body()).getJsonArray("prices"));
    assertEquals(ROWS + 1, all.size());
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<String> r = get("/api/prices?limit=40" + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("chunked", transferEncoding(r));
      JsonObject page = new JsonObject(r.body());
      assertTrue(page.getJsonArray("prices").size() <= 40);
      walked.addAll(keys(page.getJsonArray("prices")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertEquals(all, walked);
    assertEquals(7, pages);
    JsonObject one = new JsonObject(get("/api/prices?provider=prov3&limit=5").body());
    assertEquals(5, one.getJsonArray("prices").size());
    assertNotNull(one.getString("next_cursor"));
    assertEquals(400, get("/api/prices?cursor=not-a-cursor").statusCode());
    assertEquals(400, get("/api/prices?limit=5001").statusCode());
  }

  private static List<String> keys(JsonArray prices) {
    return prices.stream().map(o -> ((JsonObject) o).getString("source") + "/" + ((JsonObject) o).getString("model"))
        .toList();
  }

  @Test
  @DisplayName("/api/changes pages newest first: every event exactly once")
  void changesPaged() throws Exception {
    Set<Long> ids = new HashSet<>();
    long previous = Long.MAX_VALUE;
    String cursor = null;
    do {
      JsonObject page = new JsonObject(get("/api/changes?limit=30" + (cursor == null ? "" : "&cursor=" + cursor))
          .body());
      for (Object o : page.getJsonArray("changes")) {
        long id = Long.parseLong(String.valueOf(((JsonObject) o).getValue("id")));
        assertTrue(id < previous, "newest first");
        previous = id;
        assertTrue(ids.add(id), "once: " + id);
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertEquals(ROWS, ids.size());
    assertEquals(400, get("/api/changes?limit=0").statusCode());
  }

  @Test
  @DisplayName("The price table shows 100 rows a page; its pages list every row exactly once; last changes show")
  void tablePaged() throws Exception {
    List<String> models = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      Document d = Jsoup.parse(get("/?sort=model&page=" + page).body());
      d.select("#price-table tbody tr").forEach(tr -> models.add(tr.selectFirst("th.model a").text()));
      assertEquals(page < 3, d.selectFirst("a[rel=next]") != null, "next link on page " + page);
      assertEquals(page > 1, d.selectFirst("a[rel=prev]") != null, "previous link on page " + page);
    }
    assertEquals(ROWS + 1, models.size());
    assertEquals(ROWS + 1, new HashSet<>(models).size());
    Document first = Jsoup.parse(get("/?sort=model").body());
    assertFalse(first.select("#price-table tbody .chg.cut").isEmpty(), "last changes are shown");
    Document byChange = Jsoup.parse(get("/?sort=changed&dir=desc").body());
    assertEquals(100, byChange.select("#price-table tbody tr").size());
    assertFalse(byChange.select("#price-table tbody .chg.cut").isEmpty());
    Document beyond = Jsoup.parse(get("/?sort=model&page=99").body());
    assertNull(beyond.selectFirst("a[rel=next]"), "a page past the end shows the last page");
  }
}
