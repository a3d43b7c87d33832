package io.pricetide.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read path under load (#15 Must show): {@code wrk} with 48 connections on one endpoint and, in the same run,
 * 2 on {@code /health}, against {@code pricetide.jar run} with the shipped JVM options on a copy of a replayed data
 * dir ({@code -Dbench.data=DIR}: every catalogue corpus and the vendor pages replayed, see docs/benchmarks.md) to
 * which a 3-year hourly timeline (26,280 points, a change every 7 hours) is added. Endpoints: the timeline API,
 * {@code /api/prices} (first page), {@code /} (default view), and {@code /} cycling 60 sorted, filtered and paged
 * views (so most requests of a round's first seconds miss the cache). R rounds (default 3) of D seconds (default
 * 15) each; RSS sampled every 200 ms throughout. Rate limit off (one client, the load generator).
 */
class ReadLoadBench {
  static final int POINTS = 26_280;
  static final Pattern PCT = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$");
  static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  @TempDir
  Path tmp;

  record Run(double p50, double p99, double rps, long bad) {}

  @Test
  @DisplayName("Timeline, /api/prices and / at 50 concurrent clients, beside /health, with RSS")
  void underLoad() throws Exception {
    Path jar = Path.of("target", "pricetide.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "build the jar first: mvn -q -DskipTests package");
    String given = System.getProperty("bench.data");
    assertTrue(given != null && Files.isDirectory(Path.of(given)), "-Dbench.data=DIR: a replayed data dir");
    int rounds = Integer.getInteger("bench.rounds", 3);
    int seconds = Integer.getInteger("bench.seconds", 15);
    Path data = tmp.resolve("data");
    copy(Path.of(given), data);
    addTimeline(data);
    BenchReport report = new BenchReport("read-load");
    report.line("# The read path under load: 48 connections on the endpoint + 2 on /health (wrk)").line("");
    report.machine();
    String opts = System.getProperty("bench.jvmArgs", "@deploy/jvm.options").trim();
    List<String> jvmArgs = opts.equals("none") ? List.of() : Arrays.asList(opts.split("\\s+"));
    report.line("- service JVM options: %s; data: a copy of %s plus a %,d-point timeline", opts, given, POINTS);
    Path lua = tmp.resolve("views.lua");
    Files.writeString(lua, views());
    try (ServiceBench.Service s = ServiceBench.Service.start(jar, jvmArgs, Map.of("PRICETIDE_RATE_LIMIT", "off"),
        data, Path.of("sources").toAbsolutePath())) {
      String base = "http://127.0.0.1:" + s.port;
      report.line("- start to serving: %.2f s; RSS after start %,d KiB", s.startWall, s.rssKb("VmRSS"));
      AtomicLong maxRss = new AtomicLong();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler = new Thread(() -> {
        while (sampling.get()) {
          try {
            maxRss.accumulateAndGet(s.rssKb("VmRSS"), Math::max);
            Thread.sleep(200);
          } catch (Exception e) {
            return;
          }
        }
      });
      sampler.start();
      String[][] targets = {
          {"timeline API (26,280 points, default max_points)", base + "/api/series?model=timeline-model&metric=input",
              "20"},
          {"/api/prices (first page of 1,000)", base + "/api/prices", "50"},
          {"/ (default view)", base + "/", "50"},
          {"/ (60 sorted/filtered/paged views in turn)", base + "/", "50", lua.toString()}};
      report.line("").line("| endpoint | round | p50 ms | p99 ms | req/s | non-2xx | /health p50 ms | /health p99 ms |")
          .line("|---|---|---|---|---|---|---|---|");
      List<String> verdicts = new ArrayList<>();
      for (String[] t : targets) {
        wrk(t[1], 2, 48, 3, t.length > 3 ? t[3] : null); // warm-up
        List<Run> mine = new ArrayList<>();
        List<Run> health = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
          ProcessBuilder hb = wrkCommand(base + "/health", 1, 2, seconds, null);
          Process hp = hb.redirectErrorStream(true).start();
          Run m = parse(run(wrkCommand(t[1], 2, 48, seconds, t.length > 3 ? t[3] : null)));
          Run h = parse(new String(hp.getInputStream().readAllBytes()));
          hp.waitFor();
          mine.add(m);
          health.add(h);
          report.line("| %s | %d | %.2f | %.2f | %.0f | %d | %.2f | %.2f |", t[0], r, m.p50, m.p99, m.rps, m.bad,
              h.p50, h.p99);
        }
        double med = median(mine.stream().map(Run::p99).toList());
        double bar = Double.parseDouble(t[2]);
        verdicts.add(String.format("- %s: p99 median %.1f ms (range %.1f–%.1f), /health p99 median %.1f ms; bar %s ms: %s",
            t[0], med, mine.stream().mapToDouble(Run::p99).min().orElse(0),
            mine.stream().mapToDouble(Run::p99).max().orElse(0), median(health.stream().map(Run::p99).toList()),
            t[2], med <= bar ? "met" : "NOT met"));
      }
      sampling.set(false);
      sampler.join();
      report.line("").line("Verdicts (median of %d rounds of %d s; load average at end %s):", rounds, seconds,
          Meter.loadAverage());
      verdicts.forEach(report::line);
      long rss = maxRss.get();
      report.line("- RSS: highest sample %,d KiB (%.0f MB); bar 300 MB: %s", rss, rss / 1024.0,
          rss / 1024.0 < 300 ? "met" : "NOT met");
    }
  }

  /** wrk's Lua script that cycles through table views: every sort both ways, filters, pages. */
  static String views() {
    List<String> v = new ArrayList<>();
    for (String sort : List.of("provider", "model", "source", "input", "output", "blended", "changed")) {
      v.add("/?sort=" + sort);
      v.add("/?sort=" + sort + "&dir=desc");
      v.add("/?sort=" + sort + "&page=5");
      v.add("/?sort=" + sort + "&seller=first-party");
      v.add("/?sort=" + sort + "&seller=reseller");
      v.add("/?sort=" + sort + "&q=gpt");
    }
    for (String q : List.of("claude", "qwen", "llama", "gemini", "mistral", "deepseek")) {
      v.add("/?q=" + q + "&sort=blended");
      v.add("/?q=" + q);
      v.add("/?q=" + q + "&seller=catalogue");
    }
    StringBuilder lua = new StringBuilder("local paths = {");
    for (int i = 0; i < 60 && i < v.size(); i++) {
      lua.append(i == 0 ? "" : ", ").append('"').append(v.get(i)).append('"');
    }
    return lua.append("}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n"
        + "  return wrk.format(\"GET\", paths[i])\nend\n").toString();
  }

  static ProcessBuilder wrkCommand(String url, int threads, int conns, int seconds, String script) {
    List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + conns, "-d" + seconds + "s",
        "--timeout", "30s", "--latency"));
    if (script != null) {
      cmd.addAll(List.of("-s", script));
    }
    cmd.add(url);
    return new ProcessBuilder(cmd);
  }

  static void wrk(String url, int threads, int conns, int seconds, String script) throws Exception {
    run(wrkCommand(url, threads, conns, seconds, script));
  }

  static String run(ProcessBuilder pb) throws Exception {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  static Run parse(String out) {
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    for (String line : out.split("\n")) {
      Matcher m = PCT.matcher(line);
      if (m.matches()) {
        double v = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
          case "us" -> 0.001;
          case "s" -> 1000;
          default -> 1;
        };
        if (m.group(1).equals("50")) {
          p50 = v;
        } else {
          p99 = v;
        }
      }
    }
    Matcher r = RPS.matcher(out);
    Matcher bad = NON2XX.matcher(out);
    if (Double.isNaN(p99)) {
      throw new IllegalStateException("wrk printed no latency distribution:\n" + out);
    }
    return new Run(p50, p99, r.find() ? Double.parseDouble(r.group(1)) : 0, bad.find() ? Long.parseLong(bad.group(1))
        : 0);
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Comparator.naturalOrder());
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static void copy(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  /** A 3-year hourly timeline of one series (changing every 7 hours) in the data dir, by plain inserts. */
  static void addTimeline(Path data) throws Exception {
    try (Database db = Database.open(ConfigLoader.load(null, data, data, Map.of()));
        Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      Instant start = Instant.parse("2023-01-01T00:00:00Z");
      Instant last = start.plus(POINTS - 1, ChronoUnit.HOURS);
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO series (source_id, provider, model, "
          + "canonical_model, metric, cond, currency, amount, usd_per_1m, first_seen, last_seen, last_changed, active) "
          + "VALUES ('bench-timeline', 'bench', 'timeline-model', 'timeline-model', 'input', '', 'USD', 1, 1, ?, ?, ?, "
          + "TRUE)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setTimestamp(1, Timestamp.from(start));
        ps.setTimestamp(2, Timestamp.from(last));
        ps.setTimestamp(3, Timestamp.from(last));
        ps.executeUpdate();
        try (ResultSet rs = ps.getGeneratedKeys()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO price_point (series_id, observed_at, amount, usd_per_1m) VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < POINTS; i++) {
          BigDecimal v = new BigDecimal((i / 7) % 5 + 1 + ".00");
          ps.setLong(1, id);
          ps.setTimestamp(2, Timestamp.from(start.plus(i, ChronoUnit.HOURS)));
          ps.setBigDecimal(3, v);
          ps.setBigDecimal(4, v);
          ps.addBatch();
          if (i % 2000 == 1999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }
}
