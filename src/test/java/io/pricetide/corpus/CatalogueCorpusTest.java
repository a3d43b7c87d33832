package io.pricetide.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.extract.Extractors;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.db.Database;
import io.pricetide.history.HistoryStore;
import io.pricetide.check.Replayer;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.testing.Corpus;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue sources against the real, dated third-party snapshots in {@code ../shared/corpus}: every snapshot is
 * replayed in name order through extract → history → detect, as {@code pricetide replay} does, over an H2 file
 * database. For LiteLLM and OpenRouter the change events on the standard input and output prices must equal a diff
 * this test computes on its own from the JSON files, and every recorded price point must be the value the file
 * published, by the rule of issue #12 (written out here on its own, see {@link #rule}). Each replay runs once per
 * class and is shared by the tests that read it.
 */
class CatalogueCorpusTest {
  private static final Path SOURCES = Path.of("sources").toAbsolutePath();
  private static final ObjectMapper PLAIN = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final java.math.MathContext DOUBLE_DIGITS = new java.math.MathContext(15, RoundingMode.HALF_EVEN);
  private static final Set<String> PRICE_EVENTS = Set.of(ChangeEvent.PRICE_CUT, ChangeEvent.PRICE_INCREASE,
      ChangeEvent.METRIC_ADDED, ChangeEvent.METRIC_REMOVED);
  private static final Set<String> MODEL_EVENTS = Set.of(ChangeEvent.MODEL_ADDED, ChangeEvent.MODEL_REMOVED);

  @TempDir
  static Path tmp;

  /** The replays of this class, by source and guard setting: each corpus is replayed once and shared. */
  private static final Map<String, Replay> REPLAYS = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * One change on a standard input or output price. Model events carry no metric or values: which series of a new
   * model the detector names is not part of what is compared.
   */
  record Change(LocalDate date, String model, String metric, String kind, String oldValue, String newValue)
      implements Comparable<Change> {
    @Override
    public int compareTo(Change o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      String values = metric == null ? "" : " " + metric + " " + oldValue + " -> " + newValue;
      return date + " " + kind + " " + model + values;
    }
  }

  /** One recorded price point of the replayed source, as stored (amount null: a removal). */
  record Point(String model, String metric, String condition, java.time.Instant at, BigDecimal amount,
      BigDecimal usd) {}

  /** What a replay produced: the outcome of every snapshot in order, the points recorded, and the wall time. */
  record Replay(List<Replayer.Snapshot> snapshots, List<CheckOutcome> outcomes, Extractors sources, long millis,
      List<Point> points) {
    List<ChangeEvent> events() {
      return outcomes.stream().flatMap(o -> o.events().stream()).toList();
    }
  }

  // ------------------------------------------------------------------------------------------------ the tests

  @Test
  @DisplayName("LiteLLM: replaying every snapshot yields exactly the input/output changes an independent diff finds")
  void liteLlmEventsMatchIndependentDiff() throws IOException {
    Path dir = Corpus.dir("litellm");
    Replay r = replay("litellm", dir, true);
    assertNoErrors("litellm", r);
    assertSameChanges(expected(r.snapshots(), CatalogueCorpusTest::liteLlmPrices), actual(r));
  }

  @Test
  @DisplayName("LiteLLM with its default guards: unit-flip typos (x500 or more) and falls to zero are held back "
      + "and reported as source failures, never alerted as price changes")
  void liteLlmGuardsHoldTypos() throws IOException {
    Path dir = Corpus.dir("litellm");
    Replay r = replay("litellm", dir, false);
    List<String> held = new ArrayList<>();
    for (int i = 0; i < r.outcomes().size(); i++) {
      CheckOutcome o = r.outcomes().get(i);
      if (o.isError()) {
        assertEquals("detect", o.stage(), o.reason());
        // LiteLLM's wandb entries of late 2025 price outputs at up to 540,000 USD per 1M (a per-token slip): no
        // price at all, refused on their own above the ceiling (max_usd_per_1m) while the rest applies.
        assertTrue(o.reason().startsWith("held back ") || o.reason().startsWith("refused "), o.reason());
        held.add(r.snapshots().get(i).file().getFileName().toString());
      }
    }
    System.out.println("litellm snapshots with held-back changes: " + held);
    assertFalse(held.isEmpty(), "the corpus holds known unit-flip typos (e.g. Kimi-K2 at 135000 per 1M)");
    for (ChangeEvent e : r.events()) {
      if (e.kind().equals(ChangeEvent.PRICE_CUT) || e.kind().equals(ChangeEvent.PRICE_INCREASE)) {
        BigDecimal hi = e.oldValue().max(e.newValue());
        BigDecimal lo = e.oldValue().min(e.newValue());
        assertTrue(lo.signum() > 0 || e.oldValue().signum() == 0, () -> "a fall to zero was alerted: " + e.toJson());
        assertTrue(lo.signum() == 0 || hi.divide(lo, 0, RoundingMode.HALF_UP).compareTo(BigDecimal.valueOf(500)) < 0,
            () -> "a x500 jump was alerted: " + e.toJson());
      }
    }
  }

  @Test
  @DisplayName("OpenRouter: replaying every snapshot yields exactly the input/output changes an independent diff finds")
  void openRouterEventsMatchIndependentDiff() throws IOException {
    Path dir = Corpus.dir("openrouter");
    Replay r = replay("openrouter-models", dir, true);
    assertNoErrors("openrouter-models", r);
    assertSameChanges(expected(r.snapshots(), CatalogueCorpusTest::openRouterPrices), actual(r));
  }

  @Test
  @DisplayName("LiteLLM: every recorded point is a number the snapshot published, by the rule (the double to 15 "
      + "significant digits, per 1M exactly); in every snapshot the standard prices in force are the file's")
  void liteLlmPointsArePublishedValues() throws IOException {
    Path dir = Corpus.dir("litellm");
    assertPublished(replay("litellm", dir, true), CatalogueCorpusTest::liteLlmEntries,
        CatalogueCorpusTest::liteLlmCandidates, CatalogueCorpusTest::liteLlmPrices);
  }

  @Test
  @DisplayName("OpenRouter: every recorded point is a string the snapshot published, exactly, per 1M; in every "
      + "snapshot the standard prices in force are the file's")
  void openRouterPointsArePublishedValues() throws IOException {
    Path dir = Corpus.dir("openrouter");
    assertPublished(replay("openrouter-models", dir, true), CatalogueCorpusTest::openRouterEntries,
        CatalogueCorpusTest::openRouterCandidates, CatalogueCorpusTest::openRouterPrices);
  }

  @Test
  @DisplayName("models.dev: every snapshot replays without error; every recorded point is a cost the snapshot "
      + "published (per 1M, by the rule: 0.19999999999999998 is 0.2), and each snapshot's input/output are in force")
  void modelsDevPointsArePublishedValues() throws IOException {
    Path dir = Corpus.dir("models-dev");
    Replay r = replay("models-dev", dir, true);
    assertNoErrors("models-dev", r);
    assertPlausible(r, 300);
    assertPublished(r, CatalogueCorpusTest::modelsDevEntries, CatalogueCorpusTest::modelsDevCandidates,
        CatalogueCorpusTest::modelsDevPrices);
    // Resellers join the first party by canonical id: Claude Sonnet 4.5 from Anthropic and from OpenRouter.
    Map<String, String> last = values(r, "models-dev", dir, "2026-06-30");
    assertEquals("3.00", last.get("anthropic/claude-sonnet-4-5|input|"));
    assertEquals("3.00", last.get("openrouter/anthropic/claude-sonnet-4.5|input|"));
    List<Observation> obs = r.sources().extract("models-dev", new String(Replayer.read(r.snapshots()
        .get(r.snapshots().size() - 1).file()), StandardCharsets.UTF_8), "json", r.snapshots()
        .get(r.snapshots().size() - 1).at());
    assertEquals(Set.of("claude-sonnet-4.5"), obs.stream().filter(o -> o.model().equals("anthropic/claude-sonnet-4-5")
        || o.model().equals("openrouter/anthropic/claude-sonnet-4.5")).map(Observation::canonicalModel)
        .collect(Collectors.toSet()));
    // The first snapshot's inputCached is the later cache_read: the rename is no event.
    assertFalse(r.outcomes().get(1).events().stream().anyMatch(e -> ChangeEvent.METRIC_ADDED.equals(e.kind())
        && "cache_read".equals(e.metric()) && e.model().startsWith("anthropic/")), "a renamed key is no new price");
  }

  @Test
  @DisplayName("genai-prices: every snapshot replays without error; dated and off-peak prices resolve by snapshot date")
  void genAiPricesReplays() throws IOException {
    Path dir = Corpus.dir("genai-prices");
    Replay r = replay("genai-prices", dir);
    assertNoErrors("genai-prices", r);
    assertPlausible(r, 1_000);
    // 2025-07-12 lists o3's cut (from 2025-06-10) and DeepSeek's off-peak band (unconstrained = off-peak).
    Map<String, String> july = values(r, "genai-prices", dir, "2025-07-12");
    assertEquals("2.00", july.get("openai/o3|input|"), "o3 after its cut of 2025-06-10");
    assertEquals("0.27", july.get("deepseek/deepseek-chat|input|"), "DeepSeek's standard price is unconditioned");
    assertEquals("0.135", july.get("deepseek/deepseek-chat|input|UTC 16:30-00:30"), "and off-peak is a band");
    // 2026-07-06 announces Claude Sonnet 5 at 3.00 from 2026-09-01; on 2026-07-06 it costs 2.00.
    Map<String, String> summer = values(r, "genai-prices", dir, "2026-07-06");
    assertEquals("2.00", summer.get("anthropic/claude-sonnet-5|input|"), "a future-dated price is not in force");
    assertFalse(r.events().stream().anyMatch(e -> "anthropic/claude-sonnet-5".equals(e.model())
        && ChangeEvent.PRICE_INCREASE.equals(e.kind())), "no increase before the scheduled date");
    // It is announced on the series itself, once, to take effect on its day.
    assertEquals(1, r.events().stream().filter(e -> "anthropic/claude-sonnet-5".equals(e.model())
        && "input".equals(e.metric()) && e.condition().isEmpty() && ChangeEvent.PRICE_ANNOUNCED.equals(e.kind())
        && java.time.Instant.parse("2026-09-01T00:00:00Z").equals(e.effectiveFrom())).count(), "announced once");
  }

  @Test
  @DisplayName("llm-prices: every snapshot replays without error; a price dated after the snapshot is not reported")
  void llmPricesReplays() throws IOException {
    Path dir = Corpus.dir("llm-prices");
    Replay r = replay("llm-prices", dir);
    assertNoErrors("llm-prices", r);
    assertPlausible(r, 150);
    Map<String, String> last = values(r, "llm-prices", dir, "2026-08-06");
    assertEquals("2.00", last.get("claude-sonnet-5|input|"), "3.00 holds only from 2026-09-01");
    assertFalse(r.events().stream().anyMatch(e -> "claude-sonnet-5".equals(e.model())
        && ChangeEvent.PRICE_INCREASE.equals(e.kind())), "no increase before the scheduled date");
  }

  // ------------------------------------------------------------------------------------------------ the replay

  private static Replay replay(String sourceId, Path dir) throws IOException {
    return replay(sourceId, dir, false);
  }

  /** The class's one replay of a corpus folder with these guards, made on first use. */
  private static Replay replay(String sourceId, Path dir, boolean rawDiff) throws IOException {
    String key = sourceId + (rawDiff ? "-raw" : "");
    Replay r = REPLAYS.get(key);
    if (r == null) {
      r = runReplay(sourceId, dir, rawDiff);
      REPLAYS.put(key, r);
    }
    return r;
  }

  /**
   * Replays a corpus folder. With {@code rawDiff} the source's suspect-change guards (unit flip, fall to zero) are
   * and corrections turned off in a copy of the sources folder, so the events can be compared with a plain diff of the files.
   */
  private static Replay runReplay(String sourceId, Path dir, boolean rawDiff) throws IOException {
    Path sourcesDir = SOURCES;
    if (rawDiff) {
      sourcesDir = java.nio.file.Files.createDirectories(tmp.resolve("sources-" + sourceId));
      try (var files = java.nio.file.Files.list(SOURCES)) {
        for (Path f : files.toList()) {
          java.nio.file.Files.copy(f, sourcesDir.resolve(f.getFileName()));
        }
      }
      java.nio.file.Files.writeString(sourcesDir.resolve(sourceId + ".yaml"),
          "guards:\n  max_jump_ratio: 0\n  zero_is_suspect: false\n  correction_hours: 0\n  max_usd_per_1m: 1e30\n", java.nio.file.StandardOpenOption.APPEND);
    }
    AppConfig cfg = ConfigLoader.load(null, tmp.resolve("data-" + sourceId + (rawDiff ? "-raw" : "")), sourcesDir,
        Map.of());
    Extractors sources = App.loadSources(cfg);
    List<String> skipped = new ArrayList<>();
    List<Replayer.Snapshot> snapshots = Replayer.snapshots(dir, skipped);
    assertTrue(skipped.stream().allMatch(n -> n.equals("MANIFEST.tsv") || n.equals("README.md")), skipped::toString);
    List<CheckOutcome> outcomes = new ArrayList<>();
    long start = System.nanoTime();
    long millis;
    List<Point> points;
    try (Database db = Database.open(cfg)) {
      Replayer replayer = new Replayer(sources, new HistoryStore(db.dataSource()), new RawArchive(cfg.dataDir()));
      for (Replayer.Snapshot s : snapshots) {
        outcomes.add(replayer.replay(sourceId, s));
      }
      millis = (System.nanoTime() - start) / 1_000_000;
      points = points(db, sourceId);
    }
    System.out.printf("replay %s: %d snapshots, %d events, %d points, %d ms%n", sourceId, snapshots.size(),
        outcomes.stream().mapToInt(o -> o.events().size()).sum(), points.size(), millis);
    return new Replay(snapshots, outcomes, sources, millis, points);
  }

  /** Every price point the replay recorded for the source, as the database holds it (no rounding, no stripping). */
  private static List<Point> points(Database db, String sourceId) {
    List<Point> out = new ArrayList<>();
    try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
        "SELECT s.model, s.metric, s.cond, p.observed_at, p.amount, p.usd_per_1m FROM price_point p "
            + "JOIN series s ON s.id = p.series_id WHERE s.source_id = ? ORDER BY p.observed_at, p.id")) {
      ps.setString(1, sourceId);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Point(rs.getString(1), rs.getString(2), rs.getString(3), io.pricetide.db.Rows.instant(rs, 4),
              rs.getBigDecimal(5), rs.getBigDecimal(6)));
        }
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError("cannot read the recorded points of " + sourceId, e);
    }
    return out;
  }

  private static void assertNoErrors(String sourceId, Replay r) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < r.outcomes().size(); i++) {
      CheckOutcome o = r.outcomes().get(i);
      if (o.isError()) {
        errors.add(r.snapshots().get(i).file().getFileName() + ": " + o.stage() + ": " + o.reason());
      }
    }
    assertTrue(errors.isEmpty(), () -> sourceId + " snapshots ending in error:\n  " + String.join("\n  ", errors));
    assertEquals(CheckOutcome.NEW, r.outcomes().get(0).outcome(), "the first snapshot is the baseline");
  }

  /** Every snapshot yields at least {@code minObservations}, and changes are a small share of the series. */
  private static void assertPlausible(Replay r, int minObservations) {
    for (int i = 0; i < r.outcomes().size(); i++) {
      int n = r.outcomes().get(i).observations();
      String name = r.snapshots().get(i).file().getFileName().toString();
      assertTrue(n >= minObservations, () -> name + ": only " + n + " observations");
    }
    int first = r.outcomes().get(0).observations();
    int last = r.outcomes().get(r.outcomes().size() - 1).observations();
    assertTrue(last >= first / 2, "the catalogue does not shrink to less than half");
    assertTrue(r.outcomes().stream().skip(1).anyMatch(o -> !o.events().isEmpty()), "some snapshot changes a price");
  }

  /** The series values the source's extractor reads from one snapshot, as of that snapshot's date. */
  private static Map<String, String> values(Replay r, String sourceId, Path dir, String date) throws IOException {
    Replayer.Snapshot s = r.snapshots().stream().filter(x -> x.file().getFileName().toString().startsWith(date))
        .findFirst().orElseThrow(() -> new AssertionError("no snapshot " + date + " in " + dir));
    List<Observation> obs = r.sources().extract(sourceId, new String(Replayer.read(s.file()), StandardCharsets.UTF_8),
        s.format(), s.at());
    return obs.stream().collect(Collectors.toMap(o -> o.model() + "|" + o.metric() + "|" + o.condition(),
        o -> Decimals.money(o.value()), (a, b) -> a));
  }

  // ------------------------------------------------------------------------------------------------ comparing

  private static Set<Change> actual(Replay r) {
    Set<Change> out = new TreeSet<>();
    for (ChangeEvent e : r.events()) {
      LocalDate d = LocalDate.ofInstant(e.observedAt(), ZoneOffset.UTC);
      if (MODEL_EVENTS.contains(e.kind())) {
        out.add(new Change(d, e.model(), null, e.kind(), null, null));
      } else if (PRICE_EVENTS.contains(e.kind()) && Set.of("input", "output").contains(e.metric())
          && (e.condition() == null || e.condition().isEmpty())) {
        out.add(new Change(d, e.model(), e.metric(), e.kind(), text(e.oldUsd()), text(e.newUsd())));
      }
    }
    return out;
  }

  /** Diffs consecutive snapshots: a model is listed when it has a standard input or output price. */
  private static Set<Change> expected(List<Replayer.Snapshot> snapshots,
      Function<JsonNode, Map<String, Map<String, BigDecimal>>> prices) throws IOException {
    Set<Change> out = new TreeSet<>();
    Map<String, Map<String, BigDecimal>> before = null;
    for (Replayer.Snapshot s : snapshots) {
      Map<String, Map<String, BigDecimal>> now = prices.apply(PLAIN.readTree(Replayer.read(s.file())));
      LocalDate d = LocalDate.ofInstant(s.at(), ZoneOffset.UTC);
      if (before != null) {
        diff(d, before, now, out);
      }
      before = now;
    }
    return out;
  }

  private static void diff(LocalDate d, Map<String, Map<String, BigDecimal>> before,
      Map<String, Map<String, BigDecimal>> now, Set<Change> out) {
    Set<String> models = new HashSet<>(before.keySet());
    models.addAll(now.keySet());
    for (String m : models) {
      Map<String, BigDecimal> was = before.get(m);
      Map<String, BigDecimal> is = now.get(m);
      if (was == null) {
        out.add(new Change(d, m, null, ChangeEvent.MODEL_ADDED, null, null));
      } else if (is == null) {
        out.add(new Change(d, m, null, ChangeEvent.MODEL_REMOVED, null, null));
      } else {
        for (String metric : List.of("input", "output")) {
          BigDecimal a = was.get(metric);
          BigDecimal b = is.get(metric);
          if (a == null && b != null) {
            out.add(new Change(d, m, metric, ChangeEvent.METRIC_ADDED, null, text(b)));
          } else if (a != null && b == null) {
            out.add(new Change(d, m, metric, ChangeEvent.METRIC_REMOVED, text(a), null));
          } else if (a != null && a.compareTo(b) != 0) {
            String kind = b.compareTo(a) < 0 ? ChangeEvent.PRICE_CUT : ChangeEvent.PRICE_INCREASE;
            out.add(new Change(d, m, metric, kind, text(a), text(b)));
          }
        }
      }
    }
  }

  private static void assertSameChanges(Set<Change> expected, Set<Change> actual) {
    Set<Change> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    Set<Change> extra = new TreeSet<>(actual);
    extra.removeAll(expected);
    System.out.printf("compared %d expected and %d actual input/output changes%n", expected.size(), actual.size());
    if (!missing.isEmpty() || !extra.isEmpty()) {
      fail("pipeline and independent diff disagree; " + missing.size() + " expected changes missing, first: "
          + first(missing) + "\n" + extra.size() + " unexpected changes, first: " + first(extra));
    }
    assertFalse(expected.isEmpty(), "the corpus has changes to compare");
  }

  private static String first(Set<Change> s) {
    return s.stream().limit(25).map(Change::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  /**
   * Walks the snapshots in order with the recorded points: each point (written by the check of the snapshot at its
   * time) must equal one of the values the snapshot gives that model for that metric, by {@link #rule}, with the
   * same USD value; and after each snapshot, every standard input and output price of the file must be the value in
   * force in history. A price rounded to a fixed number of places matches neither.
   */
  private static void assertPublished(Replay r, Function<JsonNode, Map<String, List<JsonNode>>> entries,
      java.util.function.BiFunction<JsonNode, String, List<BigDecimal>> candidates,
      Function<JsonNode, Map<String, Map<String, BigDecimal>>> standard) throws IOException {
    List<String> bad = new ArrayList<>();
    Map<String, BigDecimal> inForce = new java.util.HashMap<>();
    int next = 0;
    int points = 0;
    int standards = 0;
    for (Replayer.Snapshot s : r.snapshots()) {
      JsonNode root = PLAIN.readTree(Replayer.read(s.file()));
      Map<String, List<JsonNode>> byModel = entries.apply(root);
      String name = s.file().getFileName().toString();
      for (; next < r.points().size() && !r.points().get(next).at().isAfter(s.at()); next++) {
        Point p = r.points().get(next);
        inForce.put(p.model() + "|" + p.metric() + "|" + p.condition(), p.amount());
        if (!p.at().equals(s.at())) {
          bad.add(name + ": a point at " + p.at() + ", which is no snapshot's time: " + p);
        }
        if (p.amount() == null) {
          continue;
        }
        points++;
        List<BigDecimal> published = byModel.getOrDefault(p.model(), List.of()).stream()
            .flatMap(e -> candidates.apply(e, p.metric()).stream()).toList();
        if (published.stream().noneMatch(v -> v.compareTo(p.amount()) == 0)) {
          bad.add(name + ": " + p.model() + " " + p.metric() + " [" + p.condition() + "] recorded "
              + p.amount().toPlainString() + ", published " + published.stream().map(BigDecimal::toPlainString)
                  .toList());
        }
        if (p.usd() == null || p.usd().compareTo(p.amount()) != 0) {
          bad.add(name + ": " + p.model() + " " + p.metric() + " usd_per_1m " + p.usd() + " is not the USD price "
              + p.amount().toPlainString());
        }
      }
      for (Map.Entry<String, Map<String, BigDecimal>> m : standard.apply(root).entrySet()) {
        for (Map.Entry<String, BigDecimal> v : m.getValue().entrySet()) {
          standards++;
          BigDecimal got = inForce.get(m.getKey() + "|" + v.getKey() + "|");
          if (got == null || got.compareTo(v.getValue()) != 0) {
            bad.add(name + ": " + m.getKey() + " " + v.getKey() + " in force " + (got == null ? null
                : got.toPlainString()) + ", published " + v.getValue().toPlainString());
          }
        }
      }
    }
    System.out.printf("checked %d recorded points and %d standard prices in force over %d snapshots%n", points,
        standards, r.snapshots().size());
    int total = bad.size();
    assertTrue(bad.isEmpty(), () -> total + " values differ from the published ones, first:\n  "
        + String.join("\n  ", bad.subList(0, Math.min(25, total))));
    assertTrue(points > 1_000 && standards > 10_000, "the corpus has values to compare");
  }

  /**
   * The rule of issue #12, written out here apart from {@link Decimals}: a number written as text is kept exactly;
   * a JSON integer is exact; a JSON float is the double it denotes (parsed from its text), rounded half-even to 15
   * significant digits, stripped; then per 1M by moving the decimal point six places.
   */
  static BigDecimal rule(JsonNode n) {
    return rule(n, 6);
  }

  /** {@link #rule(JsonNode)} for a number quoted per 10^-places of a million tokens (0: already per 1M). */
  static BigDecimal rule(JsonNode n, int places) {
    BigDecimal perToken;
    if (n.isTextual()) {
      perToken = new BigDecimal(n.asText().trim());
    } else if (n.isIntegralNumber()) {
      perToken = n.decimalValue();
    } else {
      perToken = new BigDecimal(Double.parseDouble(n.decimalValue().toString())).round(DOUBLE_DIGITS)
          .stripTrailingZeros();
    }
    return perToken.movePointRight(places);
  }

  // ------------------------------------------------------------------------------------------------ the formats

  /** LiteLLM: model key → its entry. */
  private static Map<String, List<JsonNode>> liteLlmEntries(JsonNode root) {
    Map<String, List<JsonNode>> out = new java.util.HashMap<>();
    root.properties().forEach(e -> {
      if (e.getValue().isObject()) {
        out.put(e.getKey(), List.of(e.getValue()));
      }
    });
    return out;
  }

  /**
   * Every value a LiteLLM entry gives for a metric, under any condition: each field named after the metric's
   * per-token field (with any suffix), at the top level and in {@code tiered_pricing}.
   */
  private static List<BigDecimal> liteLlmCandidates(JsonNode entry, String metric) {
    List<String> prefixes = switch (metric) {
      case "input" -> List.of("input_cost_per_token", "input_cost_per_audio_token", "input_cost_per_image_token");
      case "output" -> List.of("output_cost_per_token", "output_cost_per_audio_token", "output_cost_per_image_token",
          "output_cost_per_reasoning_token");
      case "cache_read" -> List.of("cache_read_input_token_cost", "input_cost_per_token_cache_hit",
          "cache_read_input_audio_token_cost");
      case "cache_write" -> List.of("cache_creation_input_token_cost", "cache_creation_input_audio_token_cost");
      default -> List.of();
    };
    List<JsonNode> holders = new ArrayList<>(List.of(entry));
    entry.path("tiered_pricing").forEach(holders::add);
    List<BigDecimal> out = new ArrayList<>();
    for (JsonNode h : holders) {
      h.properties().forEach(f -> {
        if (prefixes.stream().anyMatch(f.getKey()::startsWith) && (f.getValue().isNumber()
            || f.getValue().isTextual())) {
          try {
            out.add(rule(f.getValue()));
          } catch (NumberFormatException e) {
            // not a number: never a price
          }
        }
      });
    }
    LITELLM_TYPED.forEach((field, typed) -> {
      if (typed[0].equals(metric)) {
        entry.properties().forEach(f -> {
          if (f.getKey().startsWith(field) && f.getValue().isNumber()) {
            out.add(rule(f.getValue(), Integer.parseInt(typed[1])));
          }
        });
      }
    });
    if (metric.equals("web_search")) {
      entry.path("search_context_cost_per_query").forEach(v -> out.add(rule(v, 3)));
    }
    return out;
  }

  /**
   * LiteLLM's prices that are not per token, written out here apart from the extractor: field → {metric, places to
   * the stored unit} (per image and per second as they are, per pixel to per megapixel, per character to per 1M
   * characters, per query to per 1,000).
   */
  private static final Map<String, String[]> LITELLM_TYPED = Map.ofEntries(
      Map.entry("input_cost_per_image", new String[] {"input_image", "0"}),
      Map.entry("output_cost_per_image", new String[] {"output_image", "0"}),
      Map.entry("input_cost_per_pixel", new String[] {"input_megapixel", "6"}),
      Map.entry("output_cost_per_pixel", new String[] {"output_megapixel", "6"}),
      Map.entry("input_cost_per_second", new String[] {"input_second", "0"}),
      Map.entry("output_cost_per_second", new String[] {"output_second", "0"}),
      Map.entry("input_cost_per_audio_per_second", new String[] {"input_second", "0"}),
      Map.entry("input_cost_per_video_per_second", new String[] {"input_second", "0"}),
      Map.entry("output_cost_per_video_per_second", new String[] {"output_second", "0"}),
      Map.entry("input_cost_per_character", new String[] {"input_character", "6"}),
      Map.entry("output_cost_per_character", new String[] {"output_character", "6"}),
      Map.entry("input_cost_per_request", new String[] {"request", "0"}),
      Map.entry("input_cost_per_query", new String[] {"query", "3"}));

  /** Whether a LiteLLM entry has a price of another unit (so the pipeline lists the model without a token price). */
  private static boolean liteLlmTyped(JsonNode v) {
    for (String field : LITELLM_TYPED.keySet()) {
      JsonNode n = v.get(field);
      if (n != null && n.isNumber() && n.decimalValue().signum() > 0) {
        return true;
      }
    }
    for (JsonNode n : v.path("search_context_cost_per_query")) {
      if (n.isNumber() && n.decimalValue().signum() > 0) {
        return true;
      }
    }
    return false;
  }

  /** models.dev: provider/model → the model's cost object. */
  private static Map<String, List<JsonNode>> modelsDevEntries(JsonNode root) {
    Map<String, List<JsonNode>> out = new java.util.HashMap<>();
    root.properties().forEach(p -> p.getValue().path("models").properties().forEach(m -> {
      if (m.getValue().path("cost").isObject()) {
        out.put(p.getKey() + "/" + m.getKey(), List.of(m.getValue().get("cost")));
      }
    }));
    return out;
  }

  /** Every cost a models.dev model gives for a metric: base, legacy over-200k object, each tier; per 1M already. */
  private static List<BigDecimal> modelsDevCandidates(JsonNode cost, String metric) {
    List<String> fields = switch (metric) {
      case "input" -> List.of("input", "input_audio");
      case "output" -> List.of("output", "output_audio", "reasoning");
      case "cache_read" -> List.of("cache_read", "inputCached");
      case "cache_write" -> List.of("cache_write", "outputCached");
      default -> List.of();
    };
    List<JsonNode> holders = new ArrayList<>(List.of(cost, cost.path("context_over_200k")));
    cost.path("tiers").forEach(holders::add);
    List<BigDecimal> out = new ArrayList<>();
    for (JsonNode h : holders) {
      for (String f : fields) {
        JsonNode v = h.get(f);
        if (v != null && v.isNumber()) {
          out.add(rule(v, 0));
        }
      }
    }
    return out;
  }

  /** models.dev: provider/model → {input, output} per 1M, zero included (a listed price of nothing). */
  private static Map<String, Map<String, BigDecimal>> modelsDevPrices(JsonNode root) {
    Map<String, Map<String, BigDecimal>> out = new LinkedHashMap<>();
    modelsDevEntries(root).forEach((model, costs) -> {
      Map<String, BigDecimal> p = new TreeMap<>();
      for (String f : List.of("input", "output")) {
        JsonNode v = costs.get(0).get(f);
        if (v != null && v.isNumber() && v.decimalValue().signum() >= 0) {
          p.put(f, rule(v, 0));
        }
      }
      if (!p.isEmpty()) {
        out.put(model, p);
      }
    });
    return out;
  }

  /** OpenRouter: id → its model objects. */
  private static Map<String, List<JsonNode>> openRouterEntries(JsonNode root) {
    Map<String, List<JsonNode>> out = new java.util.HashMap<>();
    root.get("data").forEach(m -> out.computeIfAbsent(m.path("id").asText(), k -> new ArrayList<>()).add(m));
    return out;
  }

  /** Every value an OpenRouter model gives for a metric: its pricing fields and those of each override. */
  private static List<BigDecimal> openRouterCandidates(JsonNode model, String metric) {
    List<String> fields = switch (metric) {
      case "input" -> List.of("prompt");
      case "output" -> List.of("completion");
      case "cache_read" -> List.of("input_cache_read");
      case "cache_write" -> List.of("input_cache_write", "input_cache_write_1h");
      default -> List.of();
    };
    if (metric.equals("output")) {
      fields = List.of("completion", "internal_reasoning");
    }
    if (metric.equals("request") || metric.equals("web_search")) {
      List<BigDecimal> typed = new ArrayList<>();
      JsonNode v = model.path("pricing").get(metric);
      if (v != null && v.isTextual()) {
        typed.add(rule(v, metric.equals("web_search") ? 3 : 0));
      }
      return typed;
    }
    List<JsonNode> holders = new ArrayList<>(List.of(model.path("pricing")));
    model.path("pricing").path("overrides").forEach(holders::add);
    List<BigDecimal> out = new ArrayList<>();
    for (JsonNode h : holders) {
      for (String f : fields) {
        JsonNode v = h.get(f);
        if (v != null && (v.isTextual() || v.isNumber())) {
          try {
            out.add(rule(v));
          } catch (NumberFormatException e) {
            // not a number: never a price
          }
        }
      }
    }
    return out;
  }

  /** LiteLLM: model key → {input, output} per 1M, from the per-token numbers (tier 0 of tiered_pricing if absent). */
  private static Map<String, Map<String, BigDecimal>> liteLlmPrices(JsonNode root) {
    Map<String, Map<String, BigDecimal>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      JsonNode v = e.getValue();
      if (e.getKey().equals("sample_spec") || !v.isObject()) {
        continue;
      }
      Map<String, BigDecimal> p = new TreeMap<>();
      JsonNode firstTier = null;
      if (v.path("tiered_pricing").isArray()) {
        for (JsonNode t : v.get("tiered_pricing")) {
          if (t.path("range").isArray() && t.get("range").size() > 0 && t.get("range").get(0).isNumber()
              && t.get("range").get(0).decimalValue().signum() == 0) {
            firstTier = t;
          }
        }
      }
      perToken(v, "input_cost_per_token", firstTier).ifPresent(x -> p.put("input", x));
      perToken(v, "output_cost_per_token", firstTier).ifPresent(x -> p.put("output", x));
      if (!p.isEmpty() || liteLlmTyped(v)) { // a model priced only per image, second, … is listed without these
        out.put(e.getKey(), p);
      }
    }
    return out;
  }

  private static Optional<BigDecimal> perToken(JsonNode v, String field, JsonNode firstTier) {
    JsonNode n = v.get(field);
    if ((n == null || !n.isNumber()) && firstTier != null) {
      n = firstTier.get(field);
    }
    if (n == null || !n.isNumber() || n.decimalValue().signum() < 0) {
      return Optional.empty();
    }
    return Optional.of(rule(n));
  }

  /** OpenRouter: id → {input, output} per 1M from the prompt/completion strings; negative means variable. */
  private static Map<String, Map<String, BigDecimal>> openRouterPrices(JsonNode root) {
    Map<String, Map<String, BigDecimal>> out = new LinkedHashMap<>();
    for (JsonNode m : root.get("data")) {
      Map<String, BigDecimal> p = new TreeMap<>();
      for (String[] f : new String[][] {{"prompt", "input"}, {"completion", "output"}}) {
        JsonNode n = m.path("pricing").get(f[0]);
        if (n != null && n.isTextual()) {
          BigDecimal perToken = new BigDecimal(n.asText());
          if (perToken.signum() >= 0) {
            p.put(f[1], rule(n));
          }
        }
      }
      if (!p.isEmpty()) {
        out.put(m.get("id").asText(), p);
      }
    }
    return out;
  }

  private static String text(BigDecimal v) {
    return v == null ? null : v.stripTrailingZeros().toPlainString();
  }
}
