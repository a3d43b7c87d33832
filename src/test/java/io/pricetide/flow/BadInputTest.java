package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, one case each: the check ends in a clear error naming source and stage, history keeps the last good
 * prices (nothing lost, nothing invented), no model events are raised, and the service keeps serving the other
 * source.
 */
class BadInputTest {
  @TempDir
  Path root;
  private FakeVendor html;
  private FakeVendor json;
  private App app;

  private static final String GOOD_JSON = """
      {"models": [
        {"id": "acme/large", "price": {"in": "0.000010", "out": "0.000030"}},
        {"id": "acme/small", "price": {"in": "0.00000015", "out": "0.0000006"}}
      ]}""";

  @BeforeEach
  void start() throws Exception {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {"10.00", "30.00", "5.00"});
    html = new FakeVendor().serve(Pages.table(rows));
    json = new FakeVendor().serve(GOOD_JSON).contentType("application/json");
    String jsonSource = """
        id: acme-json
        provider: acme
        url: %s
        format: json
        schedule: "0 0 0 * * ?"
        unit: per_token
        fetch:
          allow_private: true
          read_timeout_ms: 1000
          max_bytes: 4096
          retries: 4
          backoff_ms: 10
          max_backoff_ms: 1500
        extractor:
          kind: json
          items: models
          model: id
          provider: $prefix
          prices:
            input: price.in
            output: price.out
        """.formatted(json.url("/models.json"));
    var cfg = TestApp.config(root, Map.of(
        "acme.yaml", Pages.sourceYaml("acme", html.url("/pricing"), "0 0 0 * * ?"),
        "acme-json.yaml", jsonSource));
    app = TestApp.start(cfg, true);
    assertEquals("new", TestApp.check(app, "acme").outcome());
    assertEquals("new", TestApp.check(app, "acme-json").outcome());
  }

  @AfterEach
  void stop() {
    app.close();
    html.close();
    json.close();
  }

  @Test
  @DisplayName("Truncated JSON is an extract error naming the source and the parser position; prices are kept")
  void truncatedJson() throws Exception {
    json.serve(GOOD_JSON.substring(0, GOOD_JSON.length() / 2));
    CheckOutcome o = TestApp.check(app, "acme-json");
    assertFailure(o, "acme-json", "extract", "malformed JSON");
    assertKept("acme-json", 4);
    assertStillServing();
  }

  @Test
  @DisplayName("HTML without the price table is an extract error, not a wave of model_removed events")
  void htmlWithoutTable() throws Exception {
    html.serve(Pages.withoutTable());
    CheckOutcome o = TestApp.check(app, "acme");
    assertFailure(o, "acme", "extract", "no table matching");
    assertKept("acme", 3);
    assertStillServing();
  }

  @Test
  @DisplayName("A body over the source's size cap is a fetch error and is not parsed")
  void bodyOverCap() throws Exception {
    json.serve(GOOD_JSON.replace("]}", ", " + "{\"id\": \"acme/pad\", \"pad\": \"" + "x".repeat(8000) + "\"}]}"));
    CheckOutcome o = TestApp.check(app, "acme-json");
    assertFailure(o, "acme-json", "fetch", "larger than the cap of 4096 bytes");
    assertKept("acme-json", 4);
  }

  @Test
  @DisplayName("A gzip body that inflates past the cap (a small gzip bomb) is a fetch error and is not inflated")
  void gzipBombOverCap() throws Exception {
    byte[] bomb = FakeVendor.gzip("{\"models\": [" + " ".repeat(2_000_000) + "]}");
    assertTrue(bomb.length < 4096, "the bomb itself is under the cap: " + bomb.length);
    json.serveEncoded(bomb, "gzip");
    CheckOutcome o = TestApp.check(app, "acme-json");
    assertFailure(o, "acme-json", "fetch", "larger than the cap of 4096 bytes once decompressed");
    assertKept("acme-json", 4);
    assertStillServing();
  }

  @Test
  @DisplayName("A corrupt gzip body, or an encoding nobody asked for, is a fetch error naming it")
  void corruptGzip() throws Exception {
    byte[] gz = FakeVendor.gzip(GOOD_JSON.replace("acme/large", "acme/larger"));
    json.serveEncoded(java.util.Arrays.copyOf(gz, gz.length - 12), "gzip");
    assertFailure(TestApp.check(app, "acme-json"), "acme-json", "fetch", "corrupt gzip body");
    json.serveEncoded(GOOD_JSON.getBytes(java.nio.charset.StandardCharsets.UTF_8), "br");
    CheckOutcome o = TestApp.check(app, "acme-json");
    assertEquals("error", o.outcome());
    assertTrue(o.reason().contains("unsupported Content-Encoding 'br'"), o.reason());
    assertKept("acme-json", 4);
  }

  @Test
  @DisplayName("A server that stalls past the read timeout fails the check after its retries; others go on")
  void stallingServer() throws Exception {
    json.stall(3_000);
    CheckOutcome o = TestApp.check(app, "acme-json");
    assertFailure(o, "acme-json", "fetch", "timed out");
    assertTrue(o.reason().contains("attempts"), o.reason());
    json.stall(0);
    assertEquals("unchanged", TestApp.check(app, "acme").outcome(), "the other source is unaffected");
    assertKept("acme-json", 4);
  }

  @Test
  @DisplayName("A run of 500s and 429s (with Retry-After) is retried with backoff and then succeeds")
  void retriesThroughErrors() throws Exception {
    int before = json.requests();
    json.failNext(500, 2, -1).failNext(429, 1, 1).failNext(503, 1, -1);
    CheckOutcome o = TestApp.check(app, "acme-json");
    assertEquals("unchanged", o.outcome(), () -> "outcome " + o.toJson());
    assertEquals(5, json.requests() - before, "four failures and one success");
  }

  @Test
  @DisplayName("Errors that outlast the retries end the check as a fetch error with the last status")
  void retriesExhausted() throws Exception {
    json.failNext(500, 10, -1);
    CheckOutcome o = TestApp.check(app, "acme-json");
    assertFailure(o, "acme-json", "fetch", "500");
    assertKept("acme-json", 4);
  }

  @Test
  @DisplayName("A 404 is not retried")
  void notFoundIsNotRetried() throws Exception {
    int before = json.requests();
    json.failNext(404, 1, -1);
    CheckOutcome o = TestApp.check(app, "acme-json");
    assertFailure(o, "acme-json", "fetch", "404");
    assertEquals(1, json.requests() - before);
  }

  private void assertFailure(CheckOutcome o, String source, String stage, String reasonPart) {
    assertEquals("error", o.outcome(), () -> "outcome " + o.toJson());
    assertEquals(stage, o.stage());
    assertNotNull(o.reason());
    assertTrue(o.reason().contains("source " + source), o.reason());
    assertTrue(o.reason().contains("stage " + stage), o.reason());
    assertTrue(o.reason().contains(reasonPart), o.reason());
    List<ChangeEvent> events = app.queries.events(new EventFilter(source, null, null, null, null, null, 0, false));
    assertEquals(1, events.size(), () -> "only the source failure: " + events);
    assertEquals(ChangeEvent.SOURCE_FAILURE, events.get(0).kind());
    JsonObject last = app.queries.checks(source, 1).getJsonObject(0);
    assertEquals("error", last.getString("outcome"));
  }

  private void assertKept(String source, int prices) {
    assertEquals(prices, app.queries.currentPrices("acme", null).stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("source").equals(source)).count(), "last good prices kept");
  }

  private void assertStillServing() throws Exception {
    JsonObject health = PriceCutFlowTest.get(app, "/health");
    assertEquals("UP", health.getString("status"));
    assertEquals(7, PriceCutFlowTest.get(app, "/api/prices").getJsonArray("prices").size());
  }
}
