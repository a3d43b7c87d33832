package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.CliRunner;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vendor page whose copy loses a sub-table's column headers still lists the model: its per-image prices cannot be
 * placed that time, and history keeps them as they were instead of reporting the model removed (the corpus's
 * 2025-11 OpenAI capture does this to its DALL·E rows). A model that really leaves the page is still removed.
 */
class UnreadRowsTest {
  @TempDir
  Path root;

  /** Our own OpenAI-style page: a text table, then per-image prices in two sub-tables of different sizes. */
  private static String page(boolean sketchHeader, boolean sketch) {
    return """
        ## Text tokens

        Prices per 1M tokens.

        |Model|Input|Output|
        |---|---|---|
        |gpt-demo|$1.00|$4.00|

        ## Image generation

        Prices per image.

        |Model|Quality|1024 x 1024|1024 x 1536|
        |---|---|---|---|
        |Picture Demo|Low|$0.01|$0.015|
        |High|$0.2|$0.3|
        ||
        """ + (!sketch ? "" : (sketchHeader ? "|Model|Quality|256 x 256|512 x 512|\n" : "")
        + "|Sketch Demo|Standard|$0.016|$0.018|\n");
  }

  @Test
  @DisplayName("Rows under a lost sub-table header: the model's per-image series stay, no event; once the model is "
      + "gone from the page it is removed")
  void lostHeaderIsNoRemoval() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.copy(Path.of("sources", "openai.yaml"), sources.resolve("openai.yaml"));
    Path pages = Files.createDirectories(root.resolve("pages"));
    Files.writeString(pages.resolve("2026-01-01_openai.md"), page(true, true));
    Files.writeString(pages.resolve("2026-02-01_openai.md"), page(false, true));
    Files.writeString(pages.resolve("2026-03-01_openai.md"), page(false, true) + "\n");
    CliRunner cli = new CliRunner(root);
    cli.run("replay", "--source", "openai", pages.toString());
    String prices = String.join("\n", cli.run("export", "prices", "--format", "csv"));
    assertEquals(2, prices.lines().filter(l -> l.contains("Sketch Demo") && l.contains("output_image")).count(),
        () -> "Sketch Demo's two sizes still current, at the values first read: " + prices);
    assertTrue(prices.contains("0.018"), prices);
    List<JsonObject> events = events(cli);
    assertTrue(events.stream().noneMatch(e -> "Sketch Demo".equals(e.getString("model"))), () -> "no event for "
        + "Sketch Demo while its rows are unreadable: " + events);

    Path last = Files.createDirectories(root.resolve("last"));
    Files.writeString(last.resolve("2026-04-01_openai.md"), page(false, false));
    cli.run("replay", "--source", "openai", last.toString());
    assertTrue(events(cli).stream().anyMatch(e -> e.getString("kind").equals("model_removed")
        && e.getString("model").equals("Sketch Demo")), () -> "removed once gone: " + events(cli));
  }

  private static List<JsonObject> events(CliRunner cli) {
    return cli.run("events", "--source", "openai", "--format", "jsonl").stream().filter(l -> l.startsWith("{"))
        .map(JsonObject::new).toList();
  }
}
