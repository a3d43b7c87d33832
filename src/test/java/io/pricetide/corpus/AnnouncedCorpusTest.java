package io.pricetide.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.db.Rows;
import io.pricetide.extract.Extractors;
import io.pricetide.history.HistoryStore;
import io.pricetide.testing.Corpus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real DeepSeek captures replayed in time order: the 2025-01-23 page's promotion ends on 2025-02-08 16:00 UTC
 * (an announced change back to the list price), which the replay of the 2025-02-26 page, already after that time,
 * applies at once and dates at its time, before reading the page itself.
 */
class AnnouncedCorpusTest {
  @TempDir
  Path tmp;

  @Test
  @DisplayName("deepseek corpus: the promotion's end is announced on the same series, then applied at its time by the "
      + "next snapshot (dated 2025-02-08 16:00 UTC), before that snapshot's own events; the off-peak band a condition")
  void promotionEndAppliesInReplayOrder() throws Exception {
    Path dir = Corpus.dir("pages").resolve("deepseek");
    AppConfig cfg = ConfigLoader.load(null, tmp.resolve("data"), Path.of("sources").toAbsolutePath(), Map.of());
    Extractors sources = App.loadSources(cfg);
    List<Replayer.Snapshot> snapshots = Replayer.snapshots(dir, new ArrayList<>());
    assertEquals(3, snapshots.size());
    Instant end = Instant.parse("2025-02-08T16:00:00Z");
    List<CheckOutcome> outcomes = new ArrayList<>();
    try (Database db = Database.open(cfg)) {
      Replayer replayer = new Replayer(sources, new HistoryStore(db.dataSource()), new RawArchive(cfg.dataDir()));
      for (Replayer.Snapshot s : snapshots) {
        outcomes.add(replayer.replay("deepseek-en", s));
      }
      outcomes.forEach(o -> assertTrue(!o.isError(), o::toString));

      // The baseline records the announcement quietly (history the first page carried).
      List<ChangeEvent> first = outcomes.get(0).events();
      assertEquals(3, first.size(), first::toString);
      assertTrue(first.stream().allMatch(e -> e.kind().equals(ChangeEvent.PRICE_ANNOUNCED) && !e.toSubscribers()
          && end.equals(e.effectiveFrom()) && e.model().equals("deepseek-chat") && e.condition().isEmpty()));

      // The next snapshot applies the list prices first, dated at the promotion's end.
      List<ChangeEvent> second = outcomes.get(1).events();
      List<ChangeEvent> increases = second.stream().filter(e -> e.kind().equals(ChangeEvent.PRICE_INCREASE)).toList();
      assertEquals(3, increases.size(), second::toString);
      for (ChangeEvent e : increases) {
        assertEquals(end, e.observedAt());
        assertEquals(end, e.effectiveFrom());
        assertTrue(e.toSubscribers());
      }
      ChangeEvent cacheRead = increases.stream().filter(e -> e.metric().equals("cache_read")).findFirst().orElseThrow();
      assertEquals("0.014", cacheRead.oldValue().toPlainString());
      assertEquals("0.07", cacheRead.newValue().toPlainString());
      assertEquals(3, second.indexOf(second.stream().filter(e -> !e.kind().equals(ChangeEvent.PRICE_INCREASE))
          .findFirst().orElseThrow()), "the applied changes come before the snapshot's own events");
      assertTrue(second.stream().noneMatch(e -> e.kind().equals(ChangeEvent.PRICE_INCREASE)
          && e.observedAt().isAfter(end)), "the page itself shows the list prices already: no second increase");

      try (Connection c = db.dataSource().getConnection()) {
        assertEquals(0, count(c, "SELECT COUNT(*) FROM series WHERE source_id = 'deepseek-en' AND cond LIKE 'from %'"));
        assertEquals(1, count(c, "SELECT COUNT(*) FROM series WHERE source_id = 'deepseek-en' "
            + "AND cond = 'UTC 16:30-00:30' AND model = 'deepseek-chat' AND metric = 'input'"));
        assertEquals(0, count(c, "SELECT COUNT(*) FROM scheduled_change WHERE status = 'pending'"));
        try (PreparedStatement ps = c.prepareStatement("SELECT p.valid_from, p.observed_at FROM price_point p "
            + "JOIN series s ON s.id = p.series_id WHERE s.source_id = 'deepseek-en' AND s.model = 'deepseek-chat' "
            + "AND s.metric = 'cache_read' AND s.cond = '' AND p.amount = 0.07")) {
          try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), "the list price's point");
            assertEquals(end, Rows.instant(rs, 1));
            assertEquals(end, Rows.instant(rs, 2));
          }
        }
      }
    }
  }

  @Test
  @DisplayName("llm-prices corpus: Claude Sonnet 5's dated record (3/15 from 2026-09-01, after its 2/10 launch price) "
      + "is announced once, by the first snapshot that lists it, and applied as an increase at its time")
  void datedCatalogueRecordIsAnnouncedThenApplied() throws Exception {
    Path dir = Corpus.dir("llm-prices");
    AppConfig cfg = ConfigLoader.load(null, tmp.resolve("llm"), Path.of("sources").toAbsolutePath(), Map.of());
    Extractors sources = App.loadSources(cfg);
    Instant from = Instant.parse("2026-09-01T00:00:00Z");
    List<ChangeEvent> announced = new ArrayList<>();
    try (Database db = Database.open(cfg)) {
      HistoryStore store = new HistoryStore(db.dataSource());
      Replayer replayer = new Replayer(sources, store, new RawArchive(cfg.dataDir()));
      for (Replayer.Snapshot s : Replayer.snapshots(dir, new ArrayList<>())) {
        CheckOutcome o = replayer.replay("llm-prices", s);
        o.events().stream().filter(e -> e.kind().equals(ChangeEvent.PRICE_ANNOUNCED)).forEach(announced::add);
      }
      List<String> got = announced.stream().map(e -> e.model() + " " + e.metric() + " " + e.oldValue().toPlainString()
          + " -> " + e.newValue().toPlainString() + " from " + e.effectiveFrom()).sorted().toList();
      assertEquals(List.of("claude-sonnet-5 input 2 -> 3 from " + from, "claude-sonnet-5 output 10 -> 15 from " + from),
          got.stream().map(g -> g.replace(".00", "").replace(".0 ", " ")).toList(), got::toString);
      // No check runs on 2026-09-01: the timer's pass applies them at their own time.
      List<ChangeEvent> applied = store.applyScheduled(from.plusSeconds(60));
      assertEquals(2, applied.size(), applied::toString);
      for (ChangeEvent e : applied) {
        assertEquals(ChangeEvent.PRICE_INCREASE, e.kind());
        assertEquals("claude-sonnet-5", e.model());
        assertEquals(from, e.observedAt());
      }
    }
  }

  private static int count(Connection c, String sql) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
