package io.pricetide.history;

import io.pricetide.check.Replayer;
import io.pricetide.db.Database;
import io.pricetide.bus.CheckOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.config.AppConfig;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.testing.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replayed body is extracted as of its own time, so dated catalogue prices take effect on their day. */
class ReplayerObservedDateTest {
  @TempDir
  Path root;

  @Test
  @DisplayName("The same llm-prices document replayed on 2026-08-31 and 2026-09-01 raises acme-large 2.00 -> 3.00")
  void scheduledPriceTakesEffectOnItsDay() throws IOException {
    AppConfig cfg = TestApp.config(root, Map.of("llm-prices.yaml", """
        id: llm-prices
        url: https://catalogue.example/llm-prices.json
        format: json
        schedule: "0 0 * * * ?"
        extractor:
          kind: llm-prices
        """));
    byte[] body;
    try (InputStream in = getClass().getResourceAsStream("/catalogues/llm-prices.json")) {
      body = in.readAllBytes();
    }
    try (Database db = Database.open(cfg)) {
      Replayer r = new Replayer(App.loadSources(cfg), new HistoryStore(db.dataSource()), new RawArchive(cfg.dataDir()));
      CheckOutcome before = r.replay("llm-prices", Instant.parse("2026-08-31T12:00:00Z"), body, "json");
      CheckOutcome on = r.replay("llm-prices", Instant.parse("2026-09-01T00:00:00Z"), body, "json");
      assertEquals(CheckOutcome.NEW, before.outcome());
      List<String> events = on.events().stream()
          .map(e -> e.kind() + " " + e.model() + " " + e.metric() + " " + e.toJson().getString("old") + " -> "
              + e.toJson().getString("new"))
          .sorted().toList();
      assertEquals(List.of(
          ChangeEvent.METRIC_ADDED + " acme-large cache_read null -> 0.30",
          ChangeEvent.PRICE_INCREASE + " acme-large input 2.00 -> 3.00",
          ChangeEvent.PRICE_INCREASE + " acme-large output 10.00 -> 15.00"), events);
    }
  }
}
