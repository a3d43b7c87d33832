package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on its schedule, against a vendor page served on loopback. */
class PriceCutFlowTest {
  @TempDir
  Path root;

  private static Map<String, String[]> prices(String acmeInput) {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put("Acme Large", new String[] {acmeInput, "30.00", "5.00"});
    m.put("Acme Small", new String[] {"0.15", "0.60", null});
    return m;
  }

  @Test
  @DisplayName("Scheduled checks: a baseline, then a 10.00 -> 7.00 cut is exactly one price_cut of -30.00; "
      + "an unchanged re-check adds nothing; a page without its table is a source failure with no model events")
  void scheduledCutFlow() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(Pages.table(prices("10.00")))) {
      var cfg = TestApp.config(root, Map.of("acme.yaml",
          Pages.sourceYaml("acme", vendor.url("/pricing"), "0/1 * * * * ?")));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.awaitTrue("baseline check", Duration.ofSeconds(20), () -> checks(app) >= 1);
        // The first check is the baseline; the schedule fires every second, so later ones may already follow it.
        JsonArray log = app.queries.checks("acme", 1000);
        assertEquals("new", log.getJsonObject(log.size() - 1).getString("outcome"), log::encode);
        assertTrue(events(app).isEmpty(), "a baseline yields no events");

        vendor.serve(Pages.table(prices("7.00")));
        TestApp.awaitTrue("the cut to be detected", Duration.ofSeconds(20), () -> !events(app).isEmpty());
        int afterCut = checks(app);
        TestApp.awaitTrue("two unchanged re-checks", Duration.ofSeconds(20), () -> checks(app) >= afterCut + 2);
        List<ChangeEvent> events = events(app);
        assertEquals(1, events.size(), () -> "exactly one event, got " + events);
        JsonObject cut = events.get(0).toJson();
        assertEquals("price_cut", cut.getString("kind"));
        assertEquals("Acme Large", cut.getString("model"));
        assertEquals("acme-large", cut.getString("canonical_model"));
        assertEquals("input", cut.getString("metric"));
        assertEquals("10.00", cut.getString("old"));
        assertEquals("7.00", cut.getString("new"));
        assertEquals("-30.00", cut.getString("change_pct"));
        assertEquals("USD/1M tokens", cut.getString("unit"));
        assertEquals("acme", cut.getString("source"));

        // The API serves the new price and the cut.
        JsonObject prices = get(app, "/api/prices?provider=acme&model=acme-large");
        assertTrue(prices.getJsonArray("prices").stream().map(JsonObject.class::cast)
            .anyMatch(p -> p.getString("metric").equals("input") && p.getString("usd_per_1m").equals("7.00")));
        JsonArray changes = get(app, "/api/changes?source=acme").getJsonArray("changes");
        assertEquals(1, changes.size());
        assertEquals("-30.00", changes.getJsonObject(0).getString("change_pct"));
        JsonArray series = get(app, "/api/series?model=acme-large&metric=input").getJsonArray("series");
        assertEquals(2, series.getJsonObject(0).getJsonArray("points").size());

        vendor.serve(Pages.withoutTable());
        TestApp.awaitTrue("the broken page to be reported", Duration.ofSeconds(20),
            () -> events(app).stream().anyMatch(e -> e.kind().equals(ChangeEvent.SOURCE_FAILURE)));
        List<ChangeEvent> after = events(app);
        assertTrue(after.stream().filter(e -> !e.kind().equals(ChangeEvent.SOURCE_FAILURE)).count() == 1,
            () -> "no model events after the break: " + after);
        ChangeEvent failure = after.stream().filter(e -> e.kind().equals(ChangeEvent.SOURCE_FAILURE)).findFirst()
            .orElseThrow();
        assertEquals("extract", failure.stage());
        assertTrue(failure.reason().contains("source acme"), failure.reason());
        // History keeps the last good prices.
        assertEquals(5, app.queries.currentPrices("acme", null).size());
      }
    }
  }

  private static int checks(App app) {
    return app.queries.checks("acme", 1000).size();
  }

  private static List<ChangeEvent> events(App app) {
    return app.queries.events(new EventFilter("acme", null, null, null, null, null, 0, false));
  }

  static JsonObject get(App app, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }
}
