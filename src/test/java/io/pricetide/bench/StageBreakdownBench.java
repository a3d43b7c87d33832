package io.pricetide.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.bench.Meter.Sample;
import io.pricetide.bench.Meter.Spread;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.extract.Extractors;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.db.Database;
import io.pricetide.history.HistoryStore;
import io.pricetide.history.CheckInfo;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a check's CPU goes: each stage of the pipeline run on its own, on one thread, over the same N (default
 * 200) pages served by the harness, next to the bare Jsoup parse they are compared with. The stages are the very
 * calls the verticles make (hashing and archiving, reading the archive, extraction, the event-bus JSON of the
 * observations, the history writes of a first, an unchanged and a changed check), without Vert.x between them, so the
 * table says what each costs per page. Options: {@code -Dbench.pages=N}, {@code -Dbench.runs=R}.
 */
class StageBreakdownBench {
  @TempDir
  Path tmp;

  @Test
  @DisplayName("Per-stage CPU of a check, against a bare Jsoup parse of the same pages")
  void stages() throws Exception {
    int pages = Integer.getInteger("bench.pages", 200);
    int runs = Integer.getInteger("bench.runs", 5);
    BenchReport report = new BenchReport("stage-breakdown");
    report.line("# Per-stage CPU of a check over %d served pricing pages", pages).line("");
    report.machine();
    List<byte[]> bodies;
    Path sources = Files.createDirectories(tmp.resolve("sources"));
    List<String> ids = new ArrayList<>();
    try (PeerHarness h = PeerHarness.start(tmp, pages); BareFetch bare = new BareFetch()) {
      List<String> urls = new ArrayList<>();
      for (int i = 1; i <= pages; i++) {
        urls.add(h.pageUrl(i));
        String id = String.format("bench-%04d", i);
        ids.add(id);
        Files.writeString(sources.resolve(id + ".yaml"), PageCycleBench.sourceYaml(id, h.pageUrl(i)));
      }
      bodies = bare.fetchAll(urls);
    }
    Map<String, List<Sample>> results = new LinkedHashMap<>();
    for (int r = 0; r <= runs; r++) {
      boolean counted = r > 0;
      AppConfig cfg = ConfigLoader.load(null, tmp.resolve("data-" + r), sources, Map.of());
      Extractors set = App.loadSources(cfg);
      RawArchive archive = new RawArchive(cfg.dataDir());
      List<String> hashes = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      List<List<Observation>> extracted = new ArrayList<>();
      List<JsonArray> wire = new ArrayList<>();
      try (Database db = Database.open(cfg)) {
        HistoryStore store = new HistoryStore(db.dataSource());
        if (System.getProperty("x.sql") != null) {
          try (Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            for (String q : System.getProperty("x.sql").split(";;")) st.execute(q);
          }
        }
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Instant t1 = t0.plusSeconds(3600);
        stage(results, counted, "bare Jsoup parse (baseline)", () -> {
          for (byte[] b : bodies) {
            Jsoup.parse(new String(b, StandardCharsets.UTF_8));
          }
        });
        stage(results, counted, "SHA-256 of the body", () -> bodies.forEach(RawArchive::sha256));
        stage(results, counted, "archive put, new body compressed here (SHA-256, fastest gzip, write, move)",
            () -> bodies.forEach(b -> hashes.add(archive.put(b))));
        List<byte[]> gzipped = bodies.stream().map(b -> io.pricetide.testing.FakeVendor.gzip(
            new String(b, StandardCharsets.UTF_8))).toList();
        RawArchive asSent = new RawArchive(tmp.resolve("as-sent-" + r));
        stage(results, counted, "archive put, new body as the server gzipped it (SHA-256, write, move)", () -> {
          for (int i = 0; i < pages; i++) {
            asSent.put(RawArchive.sha256(bodies.get(i)), bodies.get(i), gzipped.get(i));
          }
        });
        stage(results, counted, "archive put, known body (SHA-256, exists)", () -> bodies.forEach(archive::put));
        stage(results, counted, "archive get (read, gunzip) + decode", () -> hashes.forEach(
            x -> texts.add(Extractors.decode(archive.get(x), "text/html; charset=utf-8"))));
        stage(results, counted, "extract (Jsoup parse, select, cells, observations)", () -> {
          for (int i = 0; i < pages; i++) {
            extracted.add(set.extract(ids.get(i), texts.get(i), null));
          }
        });
        stage(results, counted, "observations to bus JSON, copy, and back", () -> {
          for (List<Observation> obs : extracted) {
            JsonArray a = new JsonObject().put("observations", Observation.toJsonArray(obs)).copy()
                .getJsonArray("observations");
            wire.add(a);
            Observation.fromJsonArray(a);
          }
        });
        List<CheckOutcome> outcomes = new ArrayList<>();
        stage(results, counted, "fetch state read (one query)", () -> ids.forEach(store::fetchState));
        stage(results, counted, "history apply, first check (series + points + check row + fetch state)", () -> {
          for (int i = 0; i < pages; i++) {
            SourceDefinition d = set.sources().source(ids.get(i)).orElseThrow();
            outcomes.add(store.apply(d.id(), t0, extracted.get(i), d.guards(), new CheckInfo(t0, 200,
                hashes.get(i))));
          }
        });
        assertEquals(pages, outcomes.stream().filter(o -> o.outcome().equals(CheckOutcome.NEW)).count());
        WriteFloor floor = WriteFloor.capture(db.dataSource(), firstCheckTables(ids));
        try (Database empty = Database.open(ConfigLoader.load(null, tmp.resolve("floor-" + r), sources, Map.of()))) {
          stage(results, counted, "  write floor of a first check: its rows (check, series, points) inserted with "
              + "plain JDBC batches, one transaction per page", () -> floor.insertInto(empty.dataSource()));
        }
        stage(results, counted, "history, unchanged check (check row + fetch_state.seen_at, one tx)", () -> {
          for (int i = 0; i < pages; i++) {
            store.recordUnchanged(ids.get(i), t1, new CheckInfo(t1, 200, hashes.get(i)));
          }
        });
        Instant t2 = t1.plusSeconds(3600);
        stage(results, counted, "  for comparison, before #2's fix: UPDATE last_seen of every series (own tx)", () -> {
          try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
              "UPDATE series SET last_seen = ? WHERE source_id = ? AND active = TRUE")) {
            for (String id : ids) {
              ps.setObject(1, t2.atOffset(ZoneOffset.UTC));
              ps.setString(2, id);
              ps.executeUpdate();
            }
          }
        });
        stage(results, counted, "  for comparison: INSERT the check row alone (own tx)", () -> {
          try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
              "INSERT INTO source_check (source_id, started_at, finished_at, outcome, http_status, content_hash, "
              + "event_count) VALUES (?,?,?,'unchanged',200,?,0)")) {
            for (int i = 0; i < pages; i++) {
              ps.setString(1, ids.get(i));
              ps.setObject(2, t2.atOffset(ZoneOffset.UTC));
              ps.setObject(3, t2.atOffset(ZoneOffset.UTC));
              ps.setString(4, hashes.get(i));
              ps.executeUpdate();
            }
          }
        });
        stage(results, counted, "history apply, same prices again (no change)", () -> {
          for (int i = 0; i < pages; i++) {
            SourceDefinition d = set.sources().source(ids.get(i)).orElseThrow();
            store.apply(d.id(), t1, extracted.get(i), d.guards(), new CheckInfo(t1, 200, hashes.get(i)));
          }
        });
        Instant t3 = t2.plusSeconds(3600);
        stage(results, counted, "history apply, two prices changed (points, events, check row)", () -> {
          for (int i = 0; i < pages; i++) {
            SourceDefinition d = set.sources().source(ids.get(i)).orElseThrow();
            List<Observation> obs = new ArrayList<>(extracted.get(i));
            for (int k = 0; k < 2; k++) {
              Observation o = obs.get(k);
              java.math.BigDecimal f = new java.math.BigDecimal("1.1");
              obs.set(k, new Observation(o.provider(), o.model(), o.canonicalModel(), o.metric(), o.condition(),
                  o.value().multiply(f), o.currency(), o.usdPer1m().multiply(f)));
            }
            CheckOutcome o = store.apply(d.id(), t3, obs, d.guards(), new CheckInfo(t3, 200, hashes.get(i)));
            assertEquals(CheckOutcome.CHANGED, o.outcome());
          }
        });
      }
    }
    report.line("- load average (1/5/15 min) at end: %s", Meter.loadAverage()).line("");
    report.line("Process CPU (all threads) per stage, one thread driving, %d pages; median (min–max) of %d rounds.",
        pages, runs).line("");
    report.line("| stage | CPU ms per page | wall ms per page | CPU ratio to the Jsoup parse |");
    report.line("|---|---|---|---|");
    List<Sample> base = results.get("bare Jsoup parse (baseline)");
    results.forEach((stage, samples) -> {
      List<Double> ratio = new ArrayList<>();
      for (int i = 0; i < samples.size(); i++) {
        ratio.add(samples.get(i).cpu() / base.get(i).cpu());
      }
      report.line("| %s | %s | %s | %sx |", stage,
          Spread.of(samples.stream().map(s -> s.cpu() * 1000 / pages).toList()).format(2),
          Spread.of(samples.stream().map(s -> s.wall() * 1000 / pages).toList()).format(2),
          Spread.of(ratio).format(2));
    });
    report.line("").line("Report written to %s", report.file());
  }

  /** The rows of the first checks, each assigned to its source's page. */
  private static Map<String, java.util.function.Function<Map<String, Object>, Long>> firstCheckTables(
      List<String> ids) {
    Map<Long, Long> pageOfSeries = new java.util.HashMap<>();
    Map<String, java.util.function.Function<Map<String, Object>, Long>> t = new LinkedHashMap<>();
    t.put("source_check", row -> (long) ids.indexOf((String) row.get("source_id")));
    t.put("series", row -> {
      long page = ids.indexOf((String) row.get("source_id"));
      pageOfSeries.put(((Number) row.get("id")).longValue(), page);
      return page;
    });
    t.put("price_point", row -> pageOfSeries.get(((Number) row.get("series_id")).longValue()));
    return t;
  }

  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  private static void stage(Map<String, List<Sample>> results, boolean counted, String name, Step step)
      throws Exception {
    Meter.Measured<Object> m = Meter.measure(() -> {
      step.run();
      return null;
    });
    if (counted) {
      results.computeIfAbsent(name, k -> new ArrayList<>()).add(m.sample());
    }
  }
}
