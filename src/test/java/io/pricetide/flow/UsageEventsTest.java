package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.CliRunner;
import static io.pricetide.testing.RankingsPages.page;
import static io.pricetide.testing.RankingsPages.week;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage statistics over several weeks: overtakes fire when one provider passes another, never on a reset. */
class UsageEventsTest {
  @TempDir
  Path root;

  private List<String> cli(String... args) {
    return new CliRunner(root).run(args);
  }

  @Test
  @DisplayName("Qwen passing OpenAI in weekly tokens is an overtake; a partial week and an endpoint change are not")
  void overtakeAndGuards() throws Exception {
    Files.createDirectories(root.resolve("sources"));
    Files.writeString(root.resolve("sources/openrouter-rankings.yaml"), """
        id: openrouter-rankings
        provider: openrouter
        kind: usage
        url: https://openrouter.example/rankings
        schedule: "0 40 6 * * ?"
        extractor:
          kind: openrouter-rankings
        """);
    Path snaps = Files.createDirectories(root.resolve("snaps"));
    // Each page's complete week is its middle point.
    Files.writeString(snaps.resolve("2026-01-05_rankings.html"), page(week("2025-12-22", 480, 310, 190),
        week("2025-12-29", 500, 300, 200), week("2026-01-05", 40, 30, 20)));
    Files.writeString(snaps.resolve("2026-01-12_rankings.html"), page(week("2025-12-29", 500, 300, 200),
        week("2026-01-05", 400, 250, 450), week("2026-01-12", 35, 25, 30)));
    // The week in progress moved on: the last complete week is unchanged.
    Files.writeString(snaps.resolve("2026-01-13_rankings.html"), page(week("2025-12-29", 500, 300, 200),
        week("2026-01-05", 400, 250, 450), week("2026-01-12", 30, 20, 10)));
    // An endpoint change: the page now reports a handful of tokens; ranks flip but nothing is believed.
    Files.writeString(snaps.resolve("2026-01-19_rankings.html"), page(week("2026-01-05", 2, 1, 1),
        week("2026-01-12", 1, 1, 0), week("2026-01-19", 1, 1, 1)).replace("\\\"Others\\\":100", "\\\"Others\\\":1"));
    // The endpoint change is an error outcome, so replay exits 1 (#14).
    List<String> outcomes = new CliRunner(root).run(1, "replay", "--source", "openrouter-rankings", snaps.toString());
    assertEquals(List.of("new", "changed", "unchanged", "error"), outcomes.stream()
        .map(l -> new JsonObject(l).getString("outcome")).toList(), outcomes::toString);

    List<JsonObject> events = cli("events", "--format", "jsonl").stream().map(JsonObject::new).toList();
    List<JsonObject> overtakes = events.stream().filter(e -> e.getString("kind").equals("overtake")).toList();
    assertTrue(overtakes.stream().anyMatch(e -> "qwen".equals(e.getString("provider"))
        && "passed openai".equals(e.getString("condition"))
        && e.getString("reason").startsWith("qwen passed openai in weekly tokens")), events::toString);
    JsonObject qwen = overtakes.stream().filter(e -> "passed openai".equals(e.getString("condition"))
        && "qwen".equals(e.getString("provider"))).findFirst().orElseThrow();
    // Shares of each week's whole total, the rest bucket included: 200 of 1,100, then 450 of 1,200.
    assertEquals("18.18", qwen.getString("old"));
    assertEquals("37.50", qwen.getString("new"));
    assertEquals("percent share", qwen.getString("unit"));
    assertEquals("2026-01-05T00:00:00Z", qwen.getString("observed_at"), "dated at the week it happened");
    assertEquals(null, qwen.getString("to_subscribers"), "a week completed after the first check is news");
    assertTrue(overtakes.stream().noneMatch(e -> e.getString("model") != null), "model overtakes that only repeat "
        + "their provider's say nothing more");
    assertTrue(events.stream().anyMatch(e -> e.getString("kind").equals("rank_change")
        && "qwen".equals(e.getString("provider")) && "3".equals(e.getString("old")) && "1".equals(e.getString("new"))));
    assertTrue(events.stream().noneMatch(e -> e.getString("observed_at").startsWith("2026-01-12")
        && !e.getString("kind").equals("source_failure")), "neither the partial week nor a second render raised anything");
    List<JsonObject> failures = events.stream().filter(e -> e.getString("kind").equals("source_failure")).toList();
    assertEquals(1, failures.size(), failures::toString);
    assertTrue(failures.get(0).getString("reason").contains("week of 2026-01-12"), failures.get(0).getString("reason"));
    assertTrue(failures.get(0).getString("reason").contains("broken page"), failures.get(0).getString("reason"));
    assertTrue(events.stream().noneMatch(e -> e.getString("kind").startsWith("price_")), "no price events");
  }
}
