package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filters and baselines through the real pipeline: what a ≥30% subscriber hears, by baseline. */
class AlertBaselineTest {
  @TempDir
  Path root;

  @Test
  @DisplayName("A 10% cut reaches no ≥30% subscriber; three 12% cuts in a row reach the ≥30% subscriber on the "
      + "last-notified baseline once (−31.85%), and never the one on the previous-value baseline")
  void stepsAddUp() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15")); Receiver hook = new Receiver()) {
      try (App app = TestApp.start(AlertKit.config(root, vendor.url("/pricing"), Map.of()), true)) {
        TestApp.check(app, "acme");
        JsonObject down30 = new JsonObject().put("direction", "down").put("min_percent", 30);
        String previous = AlertKit.webhook(app, hook.url("/previous"), new JsonObject().put("filter", down30))
            .getString("id");
        String lastNotified = AlertKit.webhook(app, hook.url("/last-notified"), new JsonObject().put("filter", down30)
            .put("baseline", "last_notified")).getString("id");
        AlertKit.webhook(app, hook.url("/everything"), new JsonObject());

        // Acme Small input 0.15 -> 0.135: -10%.
        step(app, vendor, hook, AlertKit.page("10.00", "0.135"), 1);
        // Matched in the same transaction as the catch-all's delivery: no rows means no message, ever.
        assertTrue(AlertKit.deliveries(app, previous).isEmpty());
        assertTrue(AlertKit.deliveries(app, lastNotified).isEmpty());
        assertEquals("-10.00", hook.requests("/everything").get(0).json().getJsonObject("event")
            .getString("change_pct"));

        // Acme Large input 10.00 -> 8.80 -> 7.744 -> 6.81472: -12% three times, -31.85% in all.
        step(app, vendor, hook, AlertKit.page("8.80", "0.135"), 2);
        step(app, vendor, hook, AlertKit.page("7.744", "0.135"), 3);
        assertTrue(AlertKit.deliveries(app, lastNotified).isEmpty(), "-22.56% so far: not yet");
        step(app, vendor, hook, AlertKit.page("6.81472", "0.135"), 4);
        TestApp.awaitTrue("the last-notified subscriber", Duration.ofSeconds(15),
            () -> hook.requests("/last-notified").size() == 1);
        JsonObject got = hook.requests("/last-notified").get(0).json();
        assertEquals("-12.00", got.getJsonObject("event").getString("change_pct"));
        assertEquals("6.81472", got.getJsonObject("event").getString("new"));
        assertEquals("last_notified", got.getJsonObject("baseline").getString("kind"));
        assertEquals("10.00", got.getJsonObject("baseline").getString("usd_per_1m"));
        assertEquals("-31.85", got.getJsonObject("baseline").getString("change_pct"));
        assertTrue(AlertKit.deliveries(app, previous).isEmpty(), "no single step reached 30%");
        assertEquals(4, hook.requests("/everything").size());

        // Having been notified at 6.81472, the next 12% cut starts a new count.
        step(app, vendor, hook, AlertKit.page("5.9969536", "0.135"), 5);
        assertEquals(1, AlertKit.deliveries(app, lastNotified).size());
      }
    }
  }

  /** Serves a page, checks, and waits until the event is delivered to the catch-all subscriber and matched. */
  private static void step(App app, FakeVendor vendor, Receiver hook, String page, int expected) {
    vendor.serve(page);
    List<ChangeEvent> events = TestApp.check(app, "acme").events();
    assertEquals(1, events.size(), () -> "one event: " + events);
    TestApp.awaitTrue("delivery " + expected, Duration.ofSeconds(15),
        () -> hook.requests("/everything").size() == expected);
    assertTrue(app.alerts().isMatched(events.get(0).id()));
  }
}
