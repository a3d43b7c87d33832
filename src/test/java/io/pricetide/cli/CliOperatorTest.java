package io.pricetide.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.check.Replayer;
import io.pricetide.config.ConfigLoader;
import io.pricetide.testing.Pages;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator ergonomics (#14): a busy port, --port, --version, replay's exit code and month names, every source problem, export. */
class CliOperatorTest {
  private static final Map<String, String> LOOPBACK = Map.of("PRICETIDE_HTTP_HOST", "127.0.0.1");

  @TempDir
  Path root;

  record Run(int code, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  private static Run cli(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run cli(String... args) {
    return cli(LOOPBACK, args);
  }

  private Path sources() throws Exception {
    Path dir = Files.createDirectories(root.resolve("sources"));
    Files.writeString(dir.resolve("acme.yaml"), Pages.sourceYaml("acme", "https://acme.example/pricing",
        "0 0 0 * * ?"));
    return dir;
  }

  private static String page(String largeInput) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {largeInput, "30.00", "5.00"});
    rows.put("Acme Small", new String[] {"0.15", "0.60", null});
    return Pages.table(rows);
  }

  private static Set<Thread> vertxThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vert.x-"))
        .collect(Collectors.toSet());
  }

  @Test
  @DisplayName("run on a port in use: one clear line, exit 1, and no Vert.x thread of that run left running")
  void busyPort() throws Exception {
    Path dir = sources();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Set<Thread> before = vertxThreads();
      Run r = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> cli("run", "--port", Integer.toString(port),
          "--sources", dir.toString(), "--data", root.resolve("data").toString()), "run must not hang on a busy port");
      assertEquals(Cli.FAILURE, r.code(), r.out() + r.err());
      assertTrue(r.err().contains("pricetide run: cannot listen on 127.0.0.1:" + port + ": address already in use"),
          r.err());
      assertFalse(r.err().contains("\tat "), "an expected condition prints no stack trace: " + r.err());
      for (Thread t : vertxThreads()) {
        if (!before.contains(t)) {
          t.join(30_000);
          assertFalse(t.isAlive(), "left running: " + t.getName());
        }
      }
      // The same failure through the config file's http_port.
      Path config = Files.writeString(root.resolve("pricetide.yaml"), "http_port: " + port + "\n");
      Run viaConfig = cli("run", "--config", config.toString(), "--sources", dir.toString(), "--data",
          root.resolve("data").toString());
      assertEquals(Cli.FAILURE, viaConfig.code());
      assertTrue(viaConfig.err().contains("cannot listen on 127.0.0.1:" + port + ": address already in use"),
          viaConfig.err());
    }
  }

  @Test
  @DisplayName("--port overrides PRICETIDE_HTTP_PORT and http_port; a bad --port is a usage error")
  void portFlag() throws Exception {
    Path dir = sources();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> env = new HashMap<>(LOOPBACK);
      env.put("PRICETIDE_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      Run r = cli(env, "run", "--port", "0", "--exit-when-ready", "--sources", dir.toString(), "--data",
          root.resolve("data").toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("was serving on http://127.0.0.1:"), r.out());
      assertFalse(r.out().contains(":" + taken.getLocalPort() + " "), r.out());
    }
    assertEquals(Cli.USAGE, cli("run", "--port", "eighty").code());
    assertEquals(Cli.USAGE, cli("run", "--port", "70000").code());
  }

  @Test
  @DisplayName("--version prints 'pricetide VERSION' from the build; --help names --version, --port and export")
  void version() {
    Run r = cli("--version");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().strip().matches("pricetide \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), r.out());
    Run help = cli("--help");
    assertTrue(help.out().contains("--version") && help.out().contains("run [--port N]")
        && help.out().contains("export prices|series"), help.out());
    assertTrue(cli("run", "--help").out().contains("--port N"));
    assertEquals(0, cli("export", "--help").code());
  }

  @Test
  @DisplayName("replay reads YYYY-MM names as the first of the month (00:00 UTC) and exits 1 naming how many failed")
  void replayMonthsAndExitCode() throws Exception {
    assertEquals(Instant.parse("2025-10-01T00:00:00Z"),
        Replayer.snapshot(Path.of("2025-10_pricing.html")).orElseThrow().at());
    assertEquals(Instant.parse("2025-10-01T00:00:00Z"), Replayer.snapshot(Path.of("2025-10.md.gz")).orElseThrow().at());
    assertEquals("markdown", Replayer.snapshot(Path.of("2025-10.md.gz")).orElseThrow().format());
    assertTrue(Replayer.snapshot(Path.of("2025-13_x.html")).isEmpty(), "no month 13");
    assertTrue(Replayer.snapshot(Path.of("2025-1_x.html")).isEmpty());

    Path dir = sources();
    String data = root.resolve("data").toString();
    Path snaps = Files.createDirectories(root.resolve("snaps"));
    Files.writeString(snaps.resolve("2025-10_acme.html"), page("7.00"));
    Files.writeString(snaps.resolve("2025-10-15_acme.html"), page("3.50"));
    Files.writeString(snaps.resolve("2025-11_acme.html"), Pages.withoutTable());
    Run r = cli("replay", "--source", "acme", "--sources", dir.toString(), "--data", data, snaps.toString());
    assertEquals(Cli.FAILURE, r.code(), r.err());
    assertEquals(List.of("2025-10_acme.html new", "2025-10-15_acme.html changed", "2025-11_acme.html error"),
        r.lines().stream().map(JsonObject::new).map(j -> j.getString("file") + " " + j.getString("outcome")).toList(),
        "in time order: the month's first day before the 15th");
    assertTrue(r.err().contains("1 of 3 snapshot(s) failed"), r.err());

    Run events = cli("events", "--format", "jsonl", "--data", data, "--sources", dir.toString());
    List<JsonObject> ev = events.lines().stream().map(JsonObject::new).toList();
    assertEquals("2025-11-01T00:00:00Z", ev.get(ev.size() - 1).getString("observed_at"), events.out());
    assertEquals("source_failure", ev.get(ev.size() - 1).getString("kind"));

    Path good = Files.createDirectories(root.resolve("good"));
    Files.writeString(good.resolve("2026-01_acme.html"), page("2.00"));
    Run ok = cli("replay", "--source", "acme", "--sources", dir.toString(), "--data", data, good.toString());
    assertEquals(0, ok.code(), ok.err());
  }

  @Test
  @DisplayName("sources validate reports every problem: three independent ones in a file are three lines, every file")
  void validateEveryProblem() throws Exception {
    Path dir = sources();
    Files.writeString(dir.resolve("bad.yaml"), """
        id: Bad_Id
        url: https://b.example/
        schedule: "nope"
        colour: red
        extractor:
          kind: html-table
          columns: {Input: input}
        """);
    Files.writeString(dir.resolve("worse.yaml"), """
        id: worse
        url: ftp://w.example/
        schedule: "0 0 * * * ?"
        fetch:
          retries: many
          render_later: true
        guards:
          removal_checks: 0
          max_usd_per_1m: -1
        extractor:
          kind: html-table
          shade: blue
        """);
    Run r = cli("sources", "validate", "--sources", dir.toString());
    assertEquals(Cli.FAILURE, r.code());
    String bad = dir.resolve("bad.yaml").toString();
    String worse = dir.resolve("worse.yaml").toString();
    List<String> lines = List.of(r.err().strip().split("\n"));
    assertEquals(List.of(bad + ":1: id 'Bad_Id' must be lower-case letters, digits, '-'",
        bad + ":3: schedule 'nope' is not a Quartz cron expression"),
        lines.stream().filter(l -> l.startsWith(bad)).limit(2).map(l -> l.startsWith(bad + ":3:")
            ? l.substring(0, l.indexOf("expression") + "expression".length()) : l).toList());
    assertEquals(3, lines.stream().filter(l -> l.startsWith(bad + ":")).count(), r.err());
    assertTrue(lines.contains(bad + ":4: unknown key 'colour'"), r.err());
    List<String> w = lines.stream().filter(l -> l.startsWith(worse + ":")).toList();
    assertEquals(6, w.size(), r.err());
    assertTrue(w.get(0).startsWith(worse + ":2: url must be http or https"), w.toString());
    assertTrue(w.get(1).startsWith(worse + ":5: 'retries' must be a whole number"), w.toString());
    assertTrue(w.get(2).startsWith(worse + ":6: unknown key 'render_later'"), w.toString());
    assertTrue(w.get(3).startsWith(worse + ":8: 'removal_checks' must be at least 1"), w.toString());
    assertTrue(w.get(4).startsWith(worse + ":9: 'max_usd_per_1m' must be a positive number"), w.toString());
    assertTrue(w.get(5).startsWith(worse + ":12: unknown key 'shade' for extractor 'html-table'"), w.toString());
    assertTrue(r.out().contains("1 source(s) valid, 9 error(s)"), r.out());
  }

  @Test
  @DisplayName("export prices|series prints what /api/export/prices.* and /api/export/series.* serve")
  void export() throws Exception {
    Path dir = sources();
    String data = root.resolve("data").toString();
    Path snaps = Files.createDirectories(root.resolve("snaps"));
    Files.writeString(snaps.resolve("2026-02-01_acme.html"), page("7.00"));
    Files.writeString(snaps.resolve("2026-03-01_acme.html"), page("3.50"));
    assertEquals(0, cli("replay", "--source", "acme", "--sources", dir.toString(), "--data", data,
        snaps.toString()).code());
    String[] common = {"--sources", dir.toString(), "--data", data};
    Run pricesCsv = cli(concat(new String[] {"export", "prices"}, common));
    Run pricesJson = cli(concat(new String[] {"export", "prices", "--format", "json"}, common));
    Run seriesCsv = cli(concat(new String[] {"export", "series", "--model", "acme-large", "--metric", "input"},
        common));
    Run seriesJson = cli(concat(new String[] {"export", "series", "--model", "acme-large", "--metric", "input",
        "--format", "json"}, common));
    for (Run r : List.of(pricesCsv, pricesJson, seriesCsv, seriesJson)) {
      assertEquals(0, r.code(), r.err());
    }
    assertTrue(pricesCsv.lines().get(0).startsWith("source,provider,model,canonical_model,metric"), pricesCsv.out());
    assertEquals(6, pricesCsv.lines().size(), pricesCsv.out());
    assertEquals(5, new JsonObject(pricesJson.out()).getJsonArray("prices").size());
    assertEquals(3, seriesCsv.lines().size(), seriesCsv.out());
    assertTrue(seriesCsv.lines().get(2).contains("2026-03-01T00:00:00Z,3.50"), seriesCsv.out());
    assertEquals(Cli.USAGE, cli(concat(new String[] {"export", "series", "--model", "acme-large"}, common)).code());
    assertEquals(Cli.USAGE, cli(concat(new String[] {"export", "prices", "--format", "xml"}, common)).code());
    assertEquals(Cli.USAGE, cli("export", "models").code());

    // The same bytes as the HTTP routes on the same data dir.
    Map<String, String> env = new HashMap<>(LOOPBACK);
    env.put("PRICETIDE_HTTP_PORT", "0");
    try (App app = Cli.await(App.start(ConfigLoader.load(null, Path.of(data), dir, env).withScheduler(false), true),
        "start")) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + app.httpPort() + "/api/export/";
      assertEquals(get(http, base + "prices.csv"), pricesCsv.out());
      assertEquals(get(http, base + "prices.json").strip(), pricesJson.out().strip());
      assertEquals(get(http, base + "series.csv?model=acme-large&metric=input"), seriesCsv.out());
      assertEquals(get(http, base + "series.json?model=acme-large&metric=input").strip(), seriesJson.out().strip());
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
