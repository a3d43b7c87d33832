package io.pricetide.alert;

import static io.pricetide.testing.RankingsPages.week;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.RankingsPages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overtakes are subscribable like price events: a subscription to kind {@code overtake} and a provider hears of a
 * live overtake (a week that completed after the source's first check) by webhook and Slack, whichever side of the
 * overtake the provider was on, and never of the overtakes a first check found in the page's history.
 */
class UsageAlertTest {
  @TempDir
  Path root;

  @Test
  @DisplayName("A live overtake reaches the webhook and Slack subscribers of the provider passed; the history "
      + "overtake of the first check is matched and sent to no one")
  void liveOvertakeIsSentHistoryIsNot() throws Exception {
    // Weeks relative to today: the first check (replayed) happened nine days ago, in the week before last.
    LocalDate monday = LocalDate.now(ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    String w5 = monday.minusWeeks(5).toString();
    String w4 = monday.minusWeeks(4).toString();
    String w3 = monday.minusWeeks(3).toString();
    String w2 = monday.minusWeeks(2).toString();
    String w1 = monday.minusWeeks(1).toString();
    // openai, anthropic, qwen: qwen passes openai in week w3 (history), openai takes the lead back in w2 (live).
    String first = RankingsPages.page(week(w5, 500, 300, 200), week(w4, 500, 300, 200), week(w3, 480, 300, 530),
        week(w2, 40, 30, 50));
    String later = RankingsPages.page(week(w4, 500, 300, 200), week(w3, 480, 300, 530), week(w2, 600, 310, 450),
        week(w1, 590, 320, 440), week(monday.toString(), 30, 20, 10));
    try (FakeVendor vendor = new FakeVendor().serve(later); Receiver hook = new Receiver()) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of());
      Files.writeString(root.resolve("sources/openrouter-rankings.yaml"), """
          id: openrouter-rankings
          provider: openrouter
          kind: usage
          url: %s
          schedule: "0 0 0 1 1 ? 2099"
          fetch:
            allow_private: true
          extractor:
            kind: openrouter-rankings
          """.formatted(vendor.url("/rankings")));
      try (App app = TestApp.start(cfg, true)) {
        JsonObject filter = new JsonObject().put("kinds", List.of("overtake")).put("providers", List.of("qwen"));
        AlertKit.webhook(app, hook.url("/hook"), new JsonObject().put("filter", filter));
        assertEquals(201, AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "slack")
            .put("target", hook.url("/slack")).put("filter", filter), AlertKit.ADMIN).statusCode());

        Replayer r = new Replayer(app.extractors, app.store, app.archive);
        CheckOutcome history = r.replay("openrouter-rankings", monday.minusDays(9).atStartOfDay(ZoneOffset.UTC)
            .toInstant(), first.getBytes(StandardCharsets.UTF_8), "html");
        assertEquals(CheckOutcome.NEW, history.outcome(), history.toString());
        ChangeEvent passed = overtake(app, "qwen", "passed openai");
        assertFalse(passed.toSubscribers(), "a week that completed before the first check is history");

        CheckOutcome live = TestApp.check(app, "openrouter-rankings");
        assertEquals(CheckOutcome.CHANGED, live.outcome(), live.toString());
        ChangeEvent back = overtake(app, "openai", "passed qwen");
        assertTrue(back.toSubscribers(), back.toString());

        TestApp.awaitTrue("the live overtake by webhook and Slack", Duration.ofSeconds(20),
            () -> hook.requests("/hook").size() == 1 && hook.requests("/slack").size() == 1);
        // The sweep matches the replayed history too; once it has, nobody got a message about it.
        TestApp.awaitTrue("the history overtake matched", Duration.ofSeconds(20), () -> matched(app, passed.id()));
        assertEquals(0, deliveries(app, passed.id()));
        assertEquals(1, hook.requests("/hook").size());
        assertEquals(1, hook.requests("/slack").size());
        String webhook = hook.requests("/hook").get(0).body();
        assertTrue(webhook.contains("\"overtake\"") && webhook.contains("openai passed qwen in weekly tokens"),
            webhook);
        assertFalse(webhook.contains("passed openai"), webhook);
        String slack = hook.requests("/slack").get(0).json().getString("text");
        // Slack's text is the event's own sentence: who passed whom, in which measure, the week and the numbers.
        assertTrue(slack.contains("openai passed qwen in weekly tokens, week of ") && slack.contains(" tokens ("),
            slack);
        assertFalse(slack.contains("overtake:"), "not the kind's raw name: " + slack);
      }
    }
  }

  private static ChangeEvent overtake(App app, String provider, String condition) {
    return app.queries.events(new EventFilter("openrouter-rankings", null, ChangeEvent.OVERTAKE, null, null, null,
        0, false)).stream().filter(e -> provider.equals(e.provider()) && condition.equals(e.condition())).findFirst()
        .orElseThrow(() -> new AssertionError("no overtake " + provider + " " + condition));
  }

  private static boolean matched(App app, long eventId) {
    return deliveries(app, eventId) >= 0;
  }

  /** The deliveries the match of one event wrote, or -1 before it was matched. */
  private static int deliveries(App app, long eventId) {
    try (var c = app.db.dataSource().getConnection(); var ps = c.prepareStatement(
        "SELECT deliveries FROM alert_matched WHERE event_id = ?")) {
      ps.setLong(1, eventId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : -1;
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
