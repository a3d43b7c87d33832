package io.pricetide.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.bench.Meter.Sample;
import io.pricetide.bench.Meter.Spread;
import io.pricetide.cli.Cli;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.extract.Extractors;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.db.Database;
import io.pricetide.history.HistoryStore;
import io.pricetide.check.Replayer;
import io.pricetide.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay of every LiteLLM snapshot in {@code ../shared/corpus/litellm} through extract, history and detect, against
 * a bare Jackson parse of the same files. Each round measures, back to back:
 * <ul>
 *   <li>baseline: read each file, gunzip it and {@code ObjectMapper.readTree} it (and, for context, the
 *       {@code readTree} alone over bytes already in memory);</li>
 *   <li>the {@code replay} verb run in this JVM ({@link Cli#run}) on an empty data dir: source loading, database
 *       open and migration, then every snapshot through {@link Replayer} — end to end, minus JVM start;</li>
 *   <li>the {@link Replayer} loop alone, on an opened empty database (the per-snapshot work).</li>
 * </ul>
 * One warm-up round, then R (default 5, {@code -Dbench.runs}); medians and per-round ratios. It needs the
 * {@code litellm} source in {@code sources/} with its {@code litellm} extractor; without them it is skipped and
 * says so.
 */
class ReplayBench {
  @TempDir
  Path tmp;

  @Test
  @DisplayName("Replay of the LiteLLM corpus, end to end, against a bare Jackson parse of the same files")
  void replayLiteLlm() throws Exception {
    int runs = Integer.getInteger("bench.runs", 5);
    Path corpus = Corpus.dir("litellm");
    Path sources = Path.of("sources").toAbsolutePath();
    AppConfig probe = ConfigLoader.load(null, tmp.resolve("probe"), sources, Map.of());
    Extractors set;
    try {
      set = App.loadSources(probe);
    } catch (RuntimeException e) {
      set = null;
    }
    assumeTrue(set != null && set.sources().source("litellm").isPresent(), "not yet run: no 'litellm' source (with its"
        + " 'litellm' extractor) in " + sources + " in this build");
    List<String> skipped = new ArrayList<>();
    List<Replayer.Snapshot> snaps = Replayer.snapshots(corpus, skipped);
    List<byte[]> raw = new ArrayList<>();
    long bytes = 0;
    for (Replayer.Snapshot s : snaps) {
      byte[] b = Replayer.read(s.file());
      raw.add(b);
      bytes += b.length;
    }
    BenchReport report = new BenchReport("replay-litellm");
    report.line("# Replay of %d LiteLLM snapshots", snaps.size()).line("");
    report.machine();
    report.line("- corpus: %s, %d snapshots, %.1f MB uncompressed (%.2f MB each on average); skipped names: %s",
        corpus, snaps.size(), bytes / 1e6, bytes / 1e6 / snaps.size(), skipped);

    ObjectMapper mapper = new ObjectMapper();
    Map<String, List<Sample>> results = new LinkedHashMap<>();
    String verbOutput = "";
    for (int r = 0; r <= runs; r++) {
      boolean counted = r > 0;
      record(report, results, counted, "bare Jackson: read, gunzip, readTree (baseline)", () -> {
        long n = 0;
        for (Replayer.Snapshot s : snaps) {
          n += mapper.readTree(Replayer.read(s.file())).size();
        }
        return n;
      });
      record(report, results, counted, "bare Jackson: readTree of bytes in memory", () -> {
        long n = 0;
        for (byte[] b : raw) {
          n += mapper.readTree(b).size();
        }
        return n;
      });
      Path data = tmp.resolve("verb-" + r);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int[] code = new int[1];
      record(report, results, counted, "Pricetide `replay` verb, in this JVM (end to end)", () -> {
        code[0] = Cli.run(new String[] {"replay", "--source", "litellm", "--data", data.toString(), "--sources",
            sources.toString(), corpus.toString()}, new PrintStream(out, true), new PrintStream(OutputStream
            .nullOutputStream()), Map.of());
        return code[0];
      });
      // 1 when snapshots ended in error: the default guards hold back or refuse LiteLLM's known slips (the count of
      // outcome lines below shows every snapshot was replayed).
      assertTrue(code[0] == Cli.OK || code[0] == Cli.FAILURE, "replay verb exit code " + code[0]);
      verbOutput = out.toString();
      AppConfig cfg = ConfigLoader.load(null, tmp.resolve("loop-" + r), sources, Map.of());
      Extractors loaded = App.loadSources(cfg);
      try (Database db = Database.open(cfg)) {
        Replayer replayer = new Replayer(loaded, new HistoryStore(db.dataSource()), new RawArchive(cfg.dataDir()));
        List<CheckOutcome> outcomes = new ArrayList<>();
        record(report, results, counted, "Pricetide Replayer loop alone (database already open)", () -> {
          for (Replayer.Snapshot s : snaps) {
            outcomes.add(replayer.replay("litellm", s));
          }
          return outcomes.size();
        });
        Map<Object, Long> checkAt = new java.util.HashMap<>();
        WriteFloor floor = WriteFloor.capture(db.dataSource(), floorTables(checkAt));
        AppConfig floorCfg = ConfigLoader.load(null, tmp.resolve("floor-" + r), sources, Map.of());
        try (Database empty = Database.open(floorCfg)) {
          record(report, results, counted, FLOOR, () -> floor.insertInto(empty.dataSource()));
        }
        if (r == runs) {
          report.line("- write floor: %d rows (checks, series, points, events) in %d transactions", floor.rows(),
              floor.units());
        }
        if (r == runs) {
          Map<String, Integer> tally = new LinkedHashMap<>();
          long obs = 0;
          long events = 0;
          for (CheckOutcome o : outcomes) {
            tally.merge(o.outcome(), 1, Integer::sum);
            obs += o.observations();
            events += o.events().size();
          }
          report.line("- last round: outcomes %s, %d observations, %d events", tally, obs, events);
        }
      }
    }
    long lines = verbOutput.lines().count();
    report.line("- the `replay` verb printed %d outcome lines in its last round", lines);
    report.line("- load average (1/5/15 min) at end: %s", Meter.loadAverage()).line("");
    report.line("| measured | wall s | CPU s | CPU ratio to baseline | wall ratio to baseline | goal |");
    report.line("|---|---|---|---|---|---|");
    List<Sample> base = results.get("bare Jackson: read, gunzip, readTree (baseline)");
    results.forEach((what, samples) -> {
      List<Double> cpu = new ArrayList<>();
      List<Double> wall = new ArrayList<>();
      for (int i = 0; i < samples.size(); i++) {
        cpu.add(samples.get(i).cpu() / base.get(i).cpu());
        wall.add(samples.get(i).wall() / base.get(i).wall());
      }
      report.line("| %s | %s | %s | %sx | %sx | %s |", what,
          Spread.of(samples.stream().map(Sample::wall).toList()).format(2),
          Spread.of(samples.stream().map(Sample::cpu).toList()).format(2), Spread.of(cpu).format(2),
          Spread.of(wall).format(2), what.contains("end to end") ? "≤ 2x" : what.equals(FLOOR)
              ? "baseline + floor: " + Spread.of(cpu.stream().map(x -> 1 + x).toList()).format(2) + "x" : "");
    });
    report.line("").line("Report written to %s", report.file());
  }

  static final String FLOOR = "write floor: the same rows inserted with plain JDBC batches, one transaction per "
      + "snapshot (no reads, no detection)";

  /** The history tables a replay fills, each row assigned to the snapshot's check that wrote it. */
  private static Map<String, java.util.function.Function<Map<String, Object>, Long>> floorTables(
      Map<Object, Long> checkAt) {
    Map<String, java.util.function.Function<Map<String, Object>, Long>> t = new LinkedHashMap<>();
    t.put("source_check", row -> {
      long id = ((Number) row.get("id")).longValue();
      checkAt.put(((java.time.OffsetDateTime) row.get("started_at")).toInstant(), id);
      return id;
    });
    t.put("series", row -> checkAt.get(((java.time.OffsetDateTime) row.get("first_seen")).toInstant()));
    t.put("price_point", row -> ((Number) row.get("check_id")).longValue());
    t.put("change_event", row -> ((Number) row.get("check_id")).longValue());
    return t;
  }

  @FunctionalInterface
  interface Work {
    Object run() throws Exception;
  }

  private static void record(BenchReport report, Map<String, List<Sample>> results, boolean counted, String what,
      Work work) throws Exception {
    Meter.Measured<Object> m = Meter.measure(work::run);
    report.line("  - %s%s: wall %.2f s, CPU %.2f s", what, counted ? "" : " [warm-up]", m.sample().wall(),
        m.sample().cpu());
    if (counted) {
      results.computeIfAbsent(what, k -> new ArrayList<>()).add(m.sample());
    }
  }
}
