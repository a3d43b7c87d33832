package io.pricetide.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.detect.EventMode;
import io.pricetide.price.Observation;
import io.pricetide.source.Guards;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #12 part 4: a held-back value is judged by the other sources of its model. */
class WitnessesTest {
  @TempDir
  Path root;

  private static Observation obs(String value) {
    BigDecimal v = new BigDecimal(value);
    return new Observation("acme", "Acme Large", "acme-large", "input", "", v, "USD", v);
  }

  private static Instant day(int n) {
    return Instant.parse("2026-03-01T00:00:00Z").plusSeconds(86_400L * n);
  }

  private static CheckOutcome apply(HistoryStore store, String source, int day, String value) {
    return store.apply(source, day(day), List.of(obs(value)), Guards.DEFAULTS, new CheckInfo(day(day), 200, null),
        EventMode.PRICES, Set.of("cat"));
  }

  private static List<String> kinds(CheckOutcome o) {
    return o.events().stream().map(ChangeEvent::kind).toList();
  }

  @Test
  @DisplayName("A catalogue's unit slip corrected while the vendor's page shows the right price: a correction at once")
  void confirmedAtTheFirstCheck() {
    AppConfig cfg = ConfigLoader.load(null, root.resolve("data"), root.resolve("sources"), Map.of());
    try (Database db = Database.open(cfg)) {
      HistoryStore store = new HistoryStore(db.dataSource());
      apply(store, "acme", 0, "2.50");
      apply(store, "cat", 0, "2500");
      CheckOutcome o = apply(store, "cat", 1, "2.50");
      assertEquals(List.of(ChangeEvent.PRICE_CORRECTION), kinds(o), o.toString());
      assertEquals(CheckOutcome.CHANGED, o.outcome());
    }
  }

  @Test
  @DisplayName("A catalogue's unit flip the vendor's page contradicts is never accepted, however often repeated")
  void contradictedStaysHeld() {
    AppConfig cfg = ConfigLoader.load(null, root.resolve("data"), root.resolve("sources"), Map.of());
    try (Database db = Database.open(cfg)) {
      HistoryStore store = new HistoryStore(db.dataSource());
      apply(store, "acme", 0, "2.50");
      apply(store, "cat", 0, "2.50");
      for (int d = 1; d <= 5; d++) {
        CheckOutcome o = apply(store, "cat", d, "2500");
        assertEquals(List.of(ChangeEvent.SOURCE_FAILURE), kinds(o), "check " + d + ": " + o);
        assertTrue(o.reason().contains("another source still shows 2.50"), o.reason());
      }
    }
  }

  @Test
  @DisplayName("With no other source of the model, the suspect rule is as it was: accepted after suspect_checks")
  void unknownKeepsTheRule() {
    AppConfig cfg = ConfigLoader.load(null, root.resolve("data"), root.resolve("sources"), Map.of());
    try (Database db = Database.open(cfg)) {
      HistoryStore store = new HistoryStore(db.dataSource());
      apply(store, "cat", 0, "2.50");
      assertEquals(List.of(ChangeEvent.SOURCE_FAILURE), kinds(apply(store, "cat", 1, "2500")));
      assertEquals(List.of(ChangeEvent.SOURCE_FAILURE), kinds(apply(store, "cat", 2, "2500")));
      assertEquals(List.of(ChangeEvent.PRICE_CORRECTION), kinds(apply(store, "cat", 3, "2500")));
    }
  }
}
