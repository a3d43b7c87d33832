package io.pricetide.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.history.HistoryStore;
import io.pricetide.archive.RawArchive;
import io.pricetide.testing.Corpus;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real rankings captures replayed end to end (issue #11's must-show): the 2025-11-07 page records its year of
 * weekly history and the overtakes between its weeks; the 2026-05-21 page, which carries no data, is a
 * {@code source_failure} that changes nothing. Runs where the corpus exists; required when {@code CI=true}.
 */
class UsageReplayCorpusTest {
  @TempDir
  Path root;

  @Test
  @DisplayName("Replaying the real captures records the weekly history and qwen and openai passing each other")
  void replayRecordsTheYearAndItsOvertakes() throws Exception {
    Path usage = Corpus.dir("usage");
    AppConfig cfg = ConfigLoader.load(null, root.resolve("data"), Path.of("sources"), Map.of());
    try (Database db = Database.open(cfg)) {
      HistoryStore store = new HistoryStore(db.dataSource());
      HistoryQueries queries = new HistoryQueries(db.dataSource());
      Replayer r = new Replayer(App.loadSources(cfg), store, new RawArchive(cfg.dataDir()));
      List<Replayer.Snapshot> snaps = Replayer.snapshots(usage, new java.util.ArrayList<>());
      assertEquals(2, snaps.size(), snaps.toString());

      CheckOutcome first = r.replay("openrouter-rankings", snaps.get(0));
      assertEquals(CheckOutcome.NEW, first.outcome(), first.toString());
      List<ChangeEvent> events = queries.events(new EventFilter("openrouter-rankings", null, null, null, null, null,
          0, false));
      List<String> providerOvertakes = events.stream().filter(e -> e.kind().equals(ChangeEvent.OVERTAKE)
          && e.provider() != null && (e.provider().equals("qwen") || e.provider().equals("openai"))
          && e.condition().matches("passed (qwen|openai)"))
          .map(e -> e.provider() + " " + e.condition() + " @" + e.observedAt().toString().substring(0, 10)).toList();
      assertTrue(providerOvertakes.contains("qwen passed openai @2025-07-28"), providerOvertakes.toString());
      assertTrue(providerOvertakes.contains("openai passed qwen @2025-08-11"), providerOvertakes.toString());
      assertTrue(events.stream().noneMatch(ChangeEvent::toSubscribers), "a first check's history is not sent");
      ChangeEvent qwen = events.stream().filter(e -> e.kind().equals(ChangeEvent.OVERTAKE)
          && "qwen".equals(e.provider()) && e.condition().equals("passed openai")).findFirst().orElseThrow();
      assertTrue(qwen.reason().contains("361.8B vs 188.0B tokens"), qwen.reason());

      JsonArray current = queries.usage("provider_weekly_tokens");
      assertFalse(current.isEmpty());
      assertTrue(current.stream().map(io.vertx.core.json.JsonObject.class::cast)
          .noneMatch(o -> "others".equals(o.getString("model"))), "the rest bucket is no provider");
      long points;
      try (var c = db.dataSource().getConnection(); var st = c.createStatement();
          var rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT p.valid_from) FROM price_point p JOIN series s "
              + "ON s.id = p.series_id WHERE s.source_id = 'openrouter-rankings'")) {
        rs.next();
        points = rs.getLong(1);
        assertTrue(rs.getLong(2) >= 49, "about a year of weeks: " + rs.getLong(2));
      }

      CheckOutcome empty = r.replay("openrouter-rankings", snaps.get(1));
      assertEquals(CheckOutcome.ERROR, empty.outcome());
      assertEquals("extract", empty.stage());
      try (var c = db.dataSource().getConnection(); var st = c.createStatement();
          var rs = st.executeQuery("SELECT COUNT(*) FROM price_point p JOIN series s ON s.id = p.series_id "
              + "WHERE s.source_id = 'openrouter-rankings'")) {
        rs.next();
        assertEquals(points, rs.getLong(1), "the empty page changes nothing");
      }
      assertEquals(current, queries.usage("provider_weekly_tokens"));

      // The same capture again (a second render of the same weeks): no point, no event.
      Path again = Files.createDirectories(root.resolve("again"));
      Files.copy(snaps.get(0).file(), again.resolve("2025-11-08_openrouter-rankings.html.gz"));
      int before = queries.events(new EventFilter("openrouter-rankings", null, null, null, null, null, 0, false))
          .size();
      CheckOutcome rerender = r.replay("openrouter-rankings", Replayer.snapshots(again, new java.util.ArrayList<>())
          .get(0));
      assertEquals(CheckOutcome.UNCHANGED, rerender.outcome(), rerender.toString());
      assertEquals(before, queries.events(new EventFilter("openrouter-rankings", null, null, null, null, null, 0,
          false)).size());
    }
  }
}
