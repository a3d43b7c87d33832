package io.pricetide.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryStore;
import io.pricetide.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14's rename on the real Anthropic captures: the 2024-04-01 text dump names "Claude 3 Opus" and "Claude 3
 * Haiku", the 2025 pages "Claude Opus 3" and "Claude Haiku 3" at the same prices. Replayed in date order from a
 * directory of copies, the redesign is a quiet {@code model_renamed} per model and the series continue, not a
 * broken source. Runs where the corpus exists; required when {@code CI=true}.
 */
class AnthropicRenameCorpusTest {
  @TempDir
  Path root;

  @Test
  @DisplayName("Replaying the real Anthropic pages: Claude 3 Opus becomes Claude Opus 3 as model_renamed, no failure")
  void renameOnTheRealPages() throws Exception {
    Path pages = Corpus.dir("pages").resolve("anthropic");
    Path snaps = Files.createDirectories(root.resolve("snapshots"));
    for (String f : List.of("2024-04-01_www.anthropic.com_api_pricing_section.txt",
        "2025-05-24_docs-anthropic-com_pricing.md", "2025-10-08_docs-claude-com_pricing.md")) {
      Files.copy(pages.resolve(f), snaps.resolve(f));
    }
    AppConfig cfg = ConfigLoader.load(null, root.resolve("data"), Path.of("sources"), Map.of());
    try (Database db = Database.open(cfg)) {
      HistoryStore store = new HistoryStore(db.dataSource());
      HistoryQueries queries = new HistoryQueries(db.dataSource());
      Replayer r = new Replayer(App.loadSources(cfg), store, new RawArchive(cfg.dataDir()));
      List<Replayer.Snapshot> list = Replayer.snapshots(snaps, new ArrayList<>());
      assertEquals(3, list.size(), list.toString());
      assertEquals("text", list.get(0).format());

      CheckOutcome first = r.replay("anthropic", list.get(0));
      assertEquals(CheckOutcome.NEW, first.outcome(), first.toString());
      assertEquals("15.00", queries.priceAt("anthropic", "Claude 3 Opus", "input", "", list.get(0).at())
          .getString("value"));

      CheckOutcome redesign = r.replay("anthropic", list.get(1));
      assertEquals(CheckOutcome.CHANGED, redesign.outcome(), redesign.toString());
      List<ChangeEvent> renames = redesign.events().stream()
          .filter(e -> e.kind().equals(ChangeEvent.MODEL_RENAMED)).toList();
      assertEquals(List.of("Claude Haiku 3", "Claude Opus 3"), renames.stream().map(ChangeEvent::model).sorted()
          .toList(), redesign.events().toString());
      ChangeEvent opus = renames.stream().filter(e -> e.model().equals("Claude Opus 3")).findFirst().orElseThrow();
      assertTrue(opus.reason().contains("Claude 3 Opus"), opus.reason());
      assertEquals("claude-3-opus", opus.canonicalModel());
      assertTrue(renames.stream().noneMatch(ChangeEvent::toSubscribers), "a rename is never sent");
      assertTrue(redesign.events().stream().noneMatch(e -> e.kind().equals(ChangeEvent.SOURCE_FAILURE)),
          redesign.events().toString());
      assertTrue(redesign.events().stream().noneMatch(e -> e.kind().equals(ChangeEvent.MODEL_ADDED)
          && (e.model().equals("Claude Opus 3") || e.model().equals("Claude Haiku 3"))), "renamed, not added");

      // The series continues under the new name: the 2024 point is its history, no new point for the same price.
      assertEquals("15.00", queries.priceAt("anthropic", "Claude Opus 3", "input", "",
          Instant.parse("2024-04-02T00:00:00Z")).getString("value"));
      assertEquals(1, queries.series("Claude Opus 3", "input", "", "anthropic").getJsonObject(0)
          .getJsonArray("points").size());
      assertTrue(queries.series("Claude 3 Opus", "input", "", "anthropic").isEmpty());

      CheckOutcome later = r.replay("anthropic", list.get(2));
      assertFalse(later.outcome().equals(CheckOutcome.ERROR), later.toString());
    }
  }
}
