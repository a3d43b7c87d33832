package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16, cases 3 and 4: a value no price could be is refused on its own while the rest of the check applies,
 * and a page whose prices turned to text is a broken source that no subscriber hears of.
 */
class HostileValuesTest {
  @TempDir
  Path root;

  private static String catalogue(String largeIn, String smallIn) {
    return """
        {"models": [
          {"id": "acme/large", "price": {"in": %s, "out": 0.000030}},
          {"id": "acme/small", "price": {"in": %s, "out": 0.0000006}}
        ]}""".formatted(largeIn, smallIn);
  }

  private static final String JSON_SOURCE = """
      id: acme-json
      url: %s
      format: json
      schedule: "0 0 0 * * ?"
      unit: per_token
      fetch:
        allow_private: true
      extractor:
        kind: json
        items: models
        model: id
        provider: $prefix
        prices:
          input: price.in
          output: price.out
      """;

  /** An HTML price table of our own: a row per model, the cells as given. */
  private static String page(Map<String, String[]> rows) {
    String body = rows.entrySet().stream().map(e -> "<tr><td>" + e.getKey() + "</td><td>" + e.getValue()[0]
        + "</td><td>" + e.getValue()[1] + "</td></tr>").collect(Collectors.joining("\n"));
    return "<!doctype html><html><body><h1>Acme prices</h1><p>Prices are per 1M tokens.</p>"
        + "<table class=\"pricing\"><thead><tr><th>Model</th><th>Input (per 1M tokens)</th>"
        + "<th>Output (per 1M tokens)</th></tr></thead><tbody>" + body + "</tbody></table></body></html>";
  }

  private static final String HTML_SOURCE = """
      id: acme
      provider: acme
      url: %s
      format: html
      schedule: "0 0 0 * * ?"
      currency: USD
      unit: per_1m
      fetch:
        allow_private: true
      extractor:
        kind: html-table
        table: table.pricing
        model_column: Model
        columns:
          Input: input
          Output: output
      """;

  private static Map<String, String[]> rows(String... cells) {
    Map<String, String[]> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < cells.length; i += 3) {
      m.put(cells[i], new String[] {cells[i + 1], cells[i + 2]});
    }
    return m;
  }

  private static List<String> kinds(App app, String source) {
    return app.queries.events(new EventFilter(source, null, null, null, null, null, 0, false)).stream()
        .map(ChangeEvent::kind).toList();
  }

  private static String get(App app, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
        + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  @DisplayName("case3: 1e20 per token is refused on its own; the genuine cut in the same check applies; no SQL shown")
  void case3_absurdValueIsRefusedAloneAndTheCutApplies() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(catalogue("0.000010", "0.00000015"))
        .contentType("application/json")) {
      var cfg = TestApp.config(root, Map.of("acme-json.yaml", JSON_SOURCE.formatted(vendor.url("/m.json"))));
      try (App app = TestApp.start(cfg, true)) {
        assertEquals(CheckOutcome.NEW, TestApp.check(app, "acme-json").outcome());
        vendor.serve(catalogue("1e20", "0.0000001"));
        CheckOutcome o = TestApp.check(app, "acme-json");
        assertEquals(CheckOutcome.ERROR, o.outcome(), o.toString());
        assertEquals("detect", o.stage());
        assertTrue(o.reason().contains("acme/large") && o.reason().contains("no price"), o.reason());
        ChangeEvent cut = o.events().stream().filter(e -> e.kind().equals(ChangeEvent.PRICE_CUT)).findFirst()
            .orElseThrow(() -> new AssertionError("the small model's cut is applied: " + o.events()));
        assertEquals("acme/small", cut.model());
        assertEquals("0.10", io.pricetide.price.Decimals.money(cut.newValue()));
        JsonArray prices = app.queries.currentPrices(null, "acme/large");
        assertEquals("10.00", prices.stream().map(JsonObject.class::cast)
            .filter(p -> p.getString("metric").equals("input")).findFirst().orElseThrow().getString("value"),
            "the large model keeps its last good price");
        assertFalse(kinds(app, "acme-json").contains(ChangeEvent.METRIC_REMOVED), "a refused value is no removal");
        for (String path : List.of("/api/sources", "/sources", "/api/sources/acme-json/checks")) {
          String answer = get(app, path);
          for (String leak : List.of("INSERT", "SELECT", "SQLException", "at io.pricetide")) {
            assertFalse(answer.contains(leak), path + " shows " + leak);
          }
        }
      }
    }
  }

  @Test
  @DisplayName("case3: a 38-digit price in a page cell is refused on its own; the other rows apply")
  void case3_longNumberInACellIsRefusedAlone() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page(rows("Acme Large", "$10.00", "$30.00",
        "Acme Small", "$1.00", "$2.00")))) {
      var cfg = TestApp.config(root, Map.of("acme.yaml", HTML_SOURCE.formatted(vendor.url("/pricing"))));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        vendor.serve(page(rows("Acme Large", "$12345678901234567890123456789012345678", "$30.00",
            "Acme Small", "$0.80", "$2.00")));
        CheckOutcome o = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.ERROR, o.outcome());
        assertTrue(o.reason().contains("Acme Large"), o.reason());
        assertTrue(o.events().stream().anyMatch(e -> e.kind().equals(ChangeEvent.PRICE_CUT)
            && e.model().equals("Acme Small")), o.events().toString());
      }
    }
  }

  @Test
  @DisplayName("case4: every input 'Free' and every output 'contact us' is a broken source: no model events at all")
  void case4_pricesTurnedToTextAreABrokenSource() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page(rows("Acme Large", "$10.00", "$30.00",
        "Acme Medium", "$3.00", "$9.00", "Acme Small", "$1.00", "$2.00", "Acme Tiny", "$0.10", "$0.40")))) {
      var cfg = TestApp.config(root, Map.of("acme.yaml", HTML_SOURCE.formatted(vendor.url("/pricing"))));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        vendor.serve(page(rows("Acme Large", "Free", "contact us", "Acme Medium", "Free", "contact us",
            "Acme Small", "Free", "contact us", "Acme Tiny", "Free", "contact us")));
        CheckOutcome o = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.ERROR, o.outcome());
        assertEquals(List.of(ChangeEvent.SOURCE_FAILURE), o.events().stream().map(ChangeEvent::kind).toList());
        assertTrue(o.reason().contains("8 of 8"), o.reason());
        assertEquals(List.of(ChangeEvent.SOURCE_FAILURE), kinds(app, "acme"), "nothing a subscriber hears of");
        assertEquals(8, app.queries.currentPrices("acme", null).size(), "every price stays as it was");
      }
    }
  }

  @Test
  @DisplayName("case4 edge: exactly half of the prices gone (max_row_loss_pct 50) still applies, as documented")
  void case4_exactlyHalfGoneStillApplies() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page(rows("Acme Large", "$10.00", "$30.00",
        "Acme Small", "$1.00", "$2.00")))) {
      var cfg = TestApp.config(root, Map.of("acme.yaml", HTML_SOURCE.formatted(vendor.url("/pricing"))));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        vendor.serve(page(rows("Acme Large", "$10.00", "contact us", "Acme Small", "$1.00", "N/A")));
        CheckOutcome o = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.CHANGED, o.outcome(), o.toString());
        assertEquals(List.of(ChangeEvent.METRIC_REMOVED, ChangeEvent.METRIC_REMOVED),
            o.events().stream().map(ChangeEvent::kind).toList());
      }
    }
  }

  @Test
  @DisplayName("case7: a model name with bytes that are not text moves no series: no phantom add or remove")
  void case7_undecodableNameMakesNoPhantomEvents() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page(rows("Modèle Large", "$10.00", "$30.00",
        "Acme Small", "$1.00", "$2.00"))).contentType("text/html; charset=utf-8")) {
      var cfg = TestApp.config(root, Map.of("acme.yaml", HTML_SOURCE.formatted(vendor.url("/pricing"))));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        // The same UTF-8 bytes declared as US-ASCII: "è" is two bytes that are not text, read as U+FFFD.
        vendor.contentType("text/html; charset=us-ascii");
        CheckOutcome same = TestApp.check(app, "acme");
        assertEquals(List.of(), same.events(), "the same page under a broken encoding moves nothing");
        vendor.serve(page(rows("Modèle Large", "$8.00", "$30.00", "Acme Small", "$1.00", "$2.00",
            "Nouveauté", "$5.00", "$6.00")));
        CheckOutcome cut = TestApp.check(app, "acme");
        assertEquals(List.of("price_cut:Modèle Large", "source_failure:null"), cut.events().stream()
            .map(e -> e.kind() + ":" + e.model()).toList(), "the known model's cut, and the unreadable new name refused");
        assertTrue(cut.reason().contains("Nouveaut??"), cut.reason());
        assertFalse(kinds(app, "acme").contains(ChangeEvent.MODEL_REMOVED));
        assertFalse(kinds(app, "acme").contains(ChangeEvent.MODEL_ADDED));
      }
    }
  }
}
