package io.pricetide.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bench.Meter.Sample;
import io.pricetide.bench.Meter.Spread;
import io.pricetide.bus.Addresses;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check cycles over N (default 1,000) pricing pages served by the shared harness's {@code pricing_server.py}, one
 * source file per page with the {@code html-table} extractor over {@code table.price-table}. Three scenarios, each
 * one warm-up plus R (default 5) counted rounds; in every round the baselines, Pricetide and the peers run back to
 * back against the same server:
 * <ol>
 *   <li>first cycle (empty history) against a bare Jsoup parse of the same N bodies, held in memory;</li>
 *   <li>unchanged cycle against a bare fetch of the same N pages ({@link BareFetch});</li>
 *   <li>a cycle where 5% of the pages change 1-3 prices on every fetch ({@code /_ctl/hot?fraction=0.05}).</li>
 * </ol>
 * Pricetide runs in this JVM through the real pipeline: {@code App.start(cfg, false)} and one {@code source.check}
 * request per source on the event bus, all at once, as the CLI's {@code check} sends them; its CPU is this process's
 * CPU time over the cycle. The peers are separate processes timed by {@code /usr/bin/time}: urlwatch with the
 * harness's own job list and config (when {@code urlwatch} is installed; {@code -Dbench.peer=false} skips it), and
 * the cold {@code java -jar target/pricetide.jar check} process (when the jar is built; {@code -Dbench.cli=false}
 * skips it). Options: {@code -Dbench.pages=N}, {@code -Dbench.runs=R}, {@code -Dbench.scenarios=abc} (a subset,
 * for profiling; the first cycle always runs once, as it builds the history the others start from).
 */
class PageCycleBench {
  private static final String FIRST = "(a) first cycle";
  private static final String UNCHANGED = "(b) unchanged cycle";
  private static final String HOT = "(c) 5% of pages changed";

  private static final String JSOUP = "bare Jsoup parse (baseline)";
  private static final String FETCH = "bare fetch (baseline)";
  private static final String PRICETIDE = "Pricetide cycle, in the running service";
  private static final String URLWATCH = "urlwatch 2.25 run";
  private static final String CLI = "Pricetide `check` CLI, cold JVM with deploy/jvm.options";

  @TempDir
  Path tmp;

  private final Map<String, Map<String, List<Sample>>> results = new LinkedHashMap<>();
  private final Map<String, Map<String, List<Double>>> serverCpu = new LinkedHashMap<>();
  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private BenchReport report;
  private PeerHarness harness;
  private List<String> ids;
  private Path sourcesDir;

  @Test
  @DisplayName("Check cycles over served pricing pages: Pricetide against bare Jsoup, bare fetch and urlwatch")
  void pageCycles() throws Exception {
    int pages = Integer.getInteger("bench.pages", 1000);
    int runs = Integer.getInteger("bench.runs", 5);
    boolean peer = !"false".equals(System.getProperty("bench.peer")) && PeerHarness.onPath("urlwatch");
    Path jar = Path.of("target", "pricetide.jar").toAbsolutePath();
    boolean cli = !"false".equals(System.getProperty("bench.cli")) && Files.isRegularFile(jar);
    String scenarios = System.getProperty("bench.scenarios", "abc");
    report = new BenchReport("page-cycles");
    report.line("# Check cycles over %d served pricing pages", pages).line("");
    report.machine();
    report.line("- rounds: 1 warm-up + %d counted per scenario; urlwatch: %s; cold CLI: %s", runs,
        peer ? "yes" : "not installed or skipped", cli ? jar : "jar not built or skipped");

    try (PeerHarness h = PeerHarness.start(tmp, pages); BareFetch bare = new BareFetch()) {
      harness = h;
      sourcesDir = writeSources(pages);
      List<String> urls = new ArrayList<>();
      for (int i = 1; i <= pages; i++) {
        urls.add(h.pageUrl(i));
      }
      List<byte[]> bodies = bare.fetchAll(urls);
      long bytes = bodies.stream().mapToLong(b -> b.length).sum();
      report.line("- pages: %d, %.1f MB of HTML in all (served gzipped), page server on 127.0.0.1:%d", pages,
          bytes / 1e6, h.port);

      // (a) first cycle: a fresh data dir each round
      Path lastFirst = null;
      Path cliPrimed = tmp.resolve("cli-primed");
      for (int r = 0; r <= (scenarios.contains("a") ? runs : 0); r++) {
        boolean counted = r > 0;
        record(FIRST, JSOUP, counted, () -> jsoupParse(bodies));
        record(FIRST, FETCH, counted, () -> bare.fetchAndDrop(urls));
        lastFirst = tmp.resolve("first-" + r);
        Path dataDir = lastFirst;
        try (App app = start(dataDir)) {
          record(FIRST, PRICETIDE, counted, () -> expect(FIRST, cycle(app), Map.of("new", pages)));
        }
        if (peer) {
          Path cache = h.dir.resolve("state/first.db");
          Files.deleteIfExists(cache);
          peer(FIRST, URLWATCH, counted, h.urlwatch(cache));
        }
        if (cli) {
          Path d = r == runs ? cliPrimed : tmp.resolve("cli-first-" + r);
          peer(FIRST, CLI, counted, cliCheck(jar, d));
        }
      }

      // (b) unchanged cycle, on the history the last first cycle left
      Path steadyCache = h.dir.resolve("state/steady.db");
      if (peer) {
        h.time(h.urlwatch(steadyCache), h.dir.resolve("run/urlwatch-prime.log"));
      }
      try (App app = start(lastFirst)) {
        for (int r = 0; r <= (scenarios.contains("b") ? runs : -1); r++) {
          boolean counted = r > 0;
          record(UNCHANGED, FETCH, counted, () -> bare.fetchAndDrop(urls));
          record(UNCHANGED, PRICETIDE, counted, () -> expect(UNCHANGED, cycle(app), Map.of("unchanged", pages)));
          if (peer) {
            peer(UNCHANGED, URLWATCH, counted, h.urlwatch(steadyCache));
          }
          if (cli) {
            peer(UNCHANGED, CLI, counted, cliCheck(jar, cliPrimed));
          }
        }

        // (c) 5% of the pages change 1-3 prices on every fetch from now on
        int hot = h.ctl("hot?fraction=0.05&n=" + pages + "&seed=7").getJsonArray("hot_pages").size();
        note(HOT, hot + " hot pages (server `/_ctl/hot?fraction=0.05&n=" + pages + "&seed=7`)");
        for (int r = 0; r <= (scenarios.contains("c") ? runs : -1); r++) {
          boolean counted = r > 0;
          record(HOT, FETCH, counted, () -> bare.fetchAndDrop(urls));
          record(HOT, PRICETIDE, counted, () -> expect(HOT, cycle(app), Map.of("changed", hot,
              "unchanged", pages - hot)));
          if (peer) {
            peer(HOT, URLWATCH, counted, h.urlwatch(steadyCache));
          }
          if (cli) {
            peer(HOT, CLI, counted, cliCheck(jar, cliPrimed));
          }
        }
        h.ctl("hot?fraction=0");
      }
      if (peer) {
        note(HOT, "urlwatch notifications received over the whole session: " + h.sinkStats().encode());
      }
    }
    summarize();
  }

  // ------------------------------------------------------------------ Pricetide

  private Path writeSources(int pages) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("sources"));
    ids = new ArrayList<>();
    for (int i = 1; i <= pages; i++) {
      String id = String.format("bench-%04d", i);
      ids.add(id);
      Files.writeString(dir.resolve(id + ".yaml"), sourceYaml(id, harness.pageUrl(i)));
    }
    return dir;
  }

  /** One synthetic vendor: the html-table extractor over the harness's {@code table.price-table}. */
  static String sourceYaml(String id, String url) {
    return """
        id: %s
        name: Benchmark vendor %s
        provider: %s
        kind: prices
        url: %s
        format: html
        schedule: "0 0 0 1 1 ? 2099"
        currency: USD
        unit: per_1m
        fetch:
          allow_private: true
        extractor:
          kind: html-table
          table: table.price-table
          model_column: Model
          columns:
            Input: input
            Cached input: cache_read
            Output: output
            Batch input: batch_input
            Batch output: batch_output
        """.formatted(id, id, id, url);
  }

  private App start(Path dataDir) throws Exception {
    AppConfig cfg = ConfigLoader.load(null, dataDir, sourcesDir, Map.of("PRICETIDE_HTTP_HOST", "127.0.0.1",
        "PRICETIDE_HTTP_PORT", "0")).withScheduler(false);
    return App.start(cfg, false).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  /** What one cycle did: checks per outcome, observations and events. */
  record Tally(Map<String, Integer> outcomes, long observations, long events) {}

  /** Sends {@code source.check} for every source at once, as {@code check} does, and waits for every reply. */
  private Tally cycle(App app) throws Exception {
    List<Future<JsonObject>> fs = new ArrayList<>(ids.size());
    String now = Instant.now().toString();
    for (String id : ids) {
      fs.add(app.vertx.eventBus().<JsonObject>request(Addresses.SOURCE_CHECK, new JsonObject().put("sourceId", id)
          .put("firedAt", now), Addresses.CHECK_TIMEOUT).map(Message::body));
    }
    Future.join(fs).toCompletionStage().handle((x, e) -> null).toCompletableFuture().get(20, TimeUnit.MINUTES);
    Map<String, Integer> outcomes = new TreeMap<>();
    long obs = 0;
    long events = 0;
    for (Future<JsonObject> f : fs) {
      if (f.failed()) {
        outcomes.merge("failed: " + f.cause().getMessage(), 1, Integer::sum);
        continue;
      }
      JsonObject o = f.result();
      outcomes.merge(o.getString("outcome"), 1, Integer::sum);
      obs += o.getInteger("observations", 0);
      events += o.getJsonArray("events").size();
    }
    return new Tally(outcomes, obs, events);
  }

  private Tally expect(String scenario, Tally t, Map<String, Integer> outcomes) {
    assertEquals(new TreeMap<>(outcomes), t.outcomes(), scenario + ": outcomes of the checks");
    if (!scenario.equals(UNCHANGED)) {
      assertTrue(t.observations() > 0, scenario + ": observations extracted");
    }
    note(scenario, "Pricetide cycle: " + t.outcomes() + ", " + t.observations() + " observations, " + t.events()
        + " events");
    return t;
  }

  private List<String> cliCheck(Path jar, Path dataDir) {
    // The peer runs in the harness's directory: the archive named relatively in the options file is named again.
    return List.of("java", "@" + Path.of("deploy", "jvm.options").toAbsolutePath(),
        "-XX:SharedArchiveFile=" + jar.resolveSibling("pricetide.jsa"), "-jar", jar.toString(), "check",
        "--data", dataDir.toString(), "--sources", sourcesDir.toString());
  }

  // ------------------------------------------------------------------ baselines

  /** Parses every body with Jsoup, as a string decoded from UTF-8 bytes, and nothing else. */
  private static long jsoupParse(List<byte[]> bodies) {
    long nodes = 0;
    for (byte[] b : bodies) {
      nodes += Jsoup.parse(new String(b, StandardCharsets.UTF_8)).body().childNodeSize();
    }
    return nodes;
  }

  // ------------------------------------------------------------------ recording

  @FunctionalInterface
  interface Work {
    Object run() throws Exception;
  }

  private void record(String scenario, String what, boolean counted, Work work) throws Exception {
    double srv0 = harness.serverCpu();
    Meter.Measured<Object> m = Meter.measure(work::run);
    double srv = harness.serverCpu() - srv0;
    report.line("  - %s, %s%s: wall %.2f s, CPU %.2f s (server %.2f s)", scenario, what,
        counted ? "" : " [warm-up]", m.sample().wall(), m.sample().cpu(), srv);
    if (counted) {
      add(scenario, what, m.sample(), srv);
    }
  }

  private void peer(String scenario, String what, boolean counted, List<String> command) throws Exception {
    double srv0 = harness.serverCpu();
    Path log = harness.dir.resolve("run/" + what.replaceAll("[^A-Za-z0-9]+", "-") + ".log");
    PeerHarness.Timed t = harness.time(command, log);
    double srv = harness.serverCpu() - srv0;
    report.line("  - %s, %s%s: wall %.2f s, CPU %.2f s, max RSS %d MiB, exit %d (server %.2f s)", scenario, what,
        counted ? "" : " [warm-up]", t.wall(), t.cpu(), t.maxRssKb() >> 10, t.exit(), srv);
    if (t.exit() != 0) {
      note(scenario, what + " exited " + t.exit() + "; log tail: " + tail(log));
    }
    if (counted) {
      add(scenario, what, new Sample(t.wall(), t.cpu()), srv);
      note(scenario, what + " max RSS " + (t.maxRssKb() >> 10) + " MiB");
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (Exception e) {
      return "n/a";
    }
  }

  private void add(String scenario, String what, Sample s, double srv) {
    results.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).computeIfAbsent(what, k -> new ArrayList<>())
        .add(s);
    serverCpu.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).computeIfAbsent(what, k -> new ArrayList<>())
        .add(srv);
  }

  private void note(String scenario, String text) {
    List<String> n = notes.computeIfAbsent(scenario, k -> new ArrayList<>());
    if (!n.contains(text)) {
      n.add(text);
    }
  }

  // ------------------------------------------------------------------ summary

  private void summarize() {
    report.line("").line("- load average (1/5/15 min) at end: %s", Meter.loadAverage()).line("");
    report.line("## Medians (min–max) over the counted rounds").line("");
    report.line("| scenario | measured | wall s | CPU s | page-server CPU s |");
    report.line("|---|---|---|---|---|");
    results.forEach((scenario, byWhat) -> byWhat.forEach((what, samples) -> report.line("| %s | %s | %s | %s | %s |",
        scenario, what, spread(samples, Sample::wall).format(2), spread(samples, Sample::cpu).format(2),
        Spread.of(serverCpu.get(scenario).get(what)).format(2))));
    report.line("").line("## Ratios: median (min–max) of the per-round ratios").line("");
    report.line("| scenario | ratio | CPU | wall | goal |");
    report.line("|---|---|---|---|---|");
    ratio(FIRST, PRICETIDE, JSOUP, "≤ 1.5x CPU");
    ratio(FIRST, PRICETIDE, FETCH, "(context)");
    ratio(FIRST, URLWATCH, PRICETIDE, "≥ 5x");
    ratio(FIRST, URLWATCH, CLI, "(context)");
    ratio(UNCHANGED, PRICETIDE, FETCH, "≤ 2x");
    ratio(UNCHANGED, URLWATCH, PRICETIDE, "≥ 5x");
    ratio(UNCHANGED, URLWATCH, CLI, "(context)");
    ratio(HOT, PRICETIDE, FETCH, "(context)");
    ratio(HOT, URLWATCH, PRICETIDE, "≥ 5x");
    ratio(HOT, URLWATCH, CLI, "(context)");
    report.line("").line("## Notes").line("");
    notes.forEach((scenario, n) -> n.forEach(t -> report.line("- %s: %s", scenario, t)));
    report.line("").line("Report written to %s", report.file());
  }

  private static Spread spread(List<Sample> samples, ToDoubleFunction<Sample> f) {
    return Spread.of(samples.stream().map(f::applyAsDouble).toList());
  }

  private void ratio(String scenario, String num, String den, String goal) {
    Map<String, List<Sample>> m = results.getOrDefault(scenario, Map.of());
    List<Sample> a = m.get(num);
    List<Sample> b = m.get(den);
    if (a == null || b == null || a.size() != b.size()) {
      return;
    }
    List<Double> cpu = new ArrayList<>();
    List<Double> wall = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      cpu.add(a.get(i).cpu() / b.get(i).cpu());
      wall.add(a.get(i).wall() / b.get(i).wall());
    }
    report.line("| %s | %s / %s | %sx | %sx | %s |", scenario, num, den, Spread.of(cpu).format(2),
        Spread.of(wall).format(2), goal);
  }
}
