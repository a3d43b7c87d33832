package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.cli.Cli;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of DeepSeek pricing pages we wrote over five dates, through the repository's own {@code deepseek-en}
 * source: a baseline, a price cut, a new off-peak band, an announced price, and a redesign without the table.
 */
class VendorReplayTest {
  private static final List<String> SNAPSHOTS = List.of("2025-01-10_pricing.html", "2025-02-01_pricing.html",
      "2025-02-26_pricing.html", "2025-08-20_pricing.html", "2025-09-01_pricing.html");

  @TempDir
  Path root;

  private record Run(int code, String out, String err) {
    List<JsonObject> json() {
      return out.isBlank() ? List.of() : out.strip().lines().map(JsonObject::new).toList();
    }
  }

  private Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("PRICETIDE_DATA_DIR",
            root.resolve("data").toString(), "PRICETIDE_SOURCES_DIR", Path.of("sources").toAbsolutePath().toString()));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path snapshots() throws IOException {
    Path dir = Files.createDirectories(root.resolve("snapshots"));
    for (String name : SNAPSHOTS) {
      try (InputStream in = getClass().getResourceAsStream("/replay/deepseek-en/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
    }
    return dir;
  }

  @Test
  @DisplayName("Replay: baseline, a cut, a new band, an announced price, a layout break: exactly these events")
  void vendorPageSequence() throws IOException {
    Run replay = cli("replay", "--source", "deepseek-en", snapshots().toString());
    assertEquals(1, replay.code(), "the layout break is an error, so replay exits 1: " + replay.err());
    assertEquals(List.of("new", "changed", "changed", "changed", "error"),
        replay.json().stream().map(o -> o.getString("outcome")).toList(), replay.out());

    Run events = cli("events", "--source", "deepseek-en", "--format", "jsonl");
    assertEquals(0, events.code(), events.err());
    List<String> kinds = events.json().stream().map(e -> e.getString("kind") + " " + e.getString("model") + " "
        + e.getString("metric") + " [" + (e.getString("condition") == null ? "" : e.getString("condition")) + "]")
        .toList();
    String band = "UTC 16:30-00:30";
    assertEquals(List.of(
        "price_cut deepseek-reasoner output []",
        "metric_added deepseek-chat cache_read [" + band + "]",
        "metric_added deepseek-reasoner cache_read [" + band + "]",
        "metric_added deepseek-chat input [" + band + "]",
        "metric_added deepseek-reasoner input [" + band + "]",
        "metric_added deepseek-chat output [" + band + "]",
        "metric_added deepseek-reasoner output [" + band + "]",
        // 2025-08-20 announces output prices from 2025-09-05 16:00 UTC on the same series: only deepseek-chat's
        // differs from its price then (deepseek-reasoner's was cut to the same 1.68 on 2025-02-01).
        "price_announced deepseek-chat output []",
        "source_failure null null []"), kinds, events.out());

    JsonObject cut = events.json().get(0);
    assertEquals("2.19", cut.getString("old"));
    assertEquals("1.68", cut.getString("new"));
    assertEquals("-23.29", cut.getString("change_pct"));
    assertEquals("2025-02-01T00:00:00Z", cut.getString("observed_at"));
    JsonObject announced = events.json().get(7);
    assertEquals("2025-09-05T16:00:00Z", announced.getString("effective_from"));
    assertTrue(events.json().get(8).getString("observed_at").startsWith("2025-09-01"));
  }
}
