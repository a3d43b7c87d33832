package io.pricetide.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verbs as a user runs them: output, exit codes 0/1/2, --help. */
class CliTest {
  @TempDir
  Path root;

  record Run(int code, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  private Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path sources(String url) throws Exception {
    Path dir = Files.createDirectories(root.resolve("sources"));
    Files.writeString(dir.resolve("acme.yaml"), Pages.sourceYaml("acme", url, "0 0 0 * * ?"));
    return dir;
  }

  private static String page(String largeInput) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {largeInput, "30.00", "5.00"});
    rows.put("Acme Small", new String[] {"0.15", "0.60", null});
    return Pages.table(rows);
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "check", "sources", "extract", "replay", "reextract", "events", "export"})
  @DisplayName("Every verb answers --help with exit 0")
  void helpForEveryVerb(String verb) {
    Run r = cli(verb, "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Usage: pricetide " + verb), r.out());
  }

  @Test
  @DisplayName("Usage errors exit 2: no verb, unknown verb, unknown option, missing argument")
  void usageErrors() {
    assertEquals(2, cli().code());
    assertEquals(2, cli("fly").code());
    assertEquals(2, cli("events", "--colour", "red").code());
    assertEquals(2, cli("extract", "--source").code());
    assertEquals(2, cli("events", "--format", "xml").code());
    assertEquals(2, cli("sources", "list").code());
  }

  @Test
  @DisplayName("sources validate: 0 for valid files, 1 with file:line errors for invalid ones")
  void sourcesValidate() throws Exception {
    Path dir = sources("https://acme.example/pricing");
    Run ok = cli("sources", "validate", "--sources", dir.toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("1 source(s) valid, 0 error(s)"), ok.out());
    Files.writeString(dir.resolve("bad.yaml"), "id: bad\nurl: https://b.example/\nschedule: \"nope\"\n");
    Run bad = cli("sources", "validate", "--sources", dir.toString());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains(dir.resolve("bad.yaml") + ":3: schedule 'nope' is not a Quartz cron"), bad.err());
  }

  @Test
  @DisplayName("An invalid source file stops the service from starting (exit 1, file:line on stderr)")
  void runRefusesInvalidSources() throws Exception {
    Path dir = sources("https://acme.example/pricing");
    Files.writeString(dir.resolve("bad.yaml"), GOOD_BUT_UNKNOWN_KEY);
    Run r = cli("run", "--sources", dir.toString(), "--data", root.resolve("data").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("bad.yaml:4: unknown key 'colour'"), r.err());
  }

  @Test
  @DisplayName("run --exit-when-ready starts everything, serves, stops and exits 0 (the smoke test the build runs)")
  void runExitWhenReady() throws Exception {
    Path dir = sources("https://acme.example/pricing");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(new String[] {"run", "--exit-when-ready", "--sources", dir.toString(), "--data",
        root.resolve("data").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of("PRICETIDE_HTTP_HOST", "127.0.0.1", "PRICETIDE_HTTP_PORT", "0"));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("stopped (--exit-when-ready)"), out.toString());
    assertTrue(Files.isRegularFile(root.resolve("data").resolve("pricetide.mv.db")), "the database was opened");
  }

  static final String GOOD_BUT_UNKNOWN_KEY = """
      id: bad
      url: https://b.example/
      schedule: "0 0 * * * ?"
      colour: red
      extractor:
        kind: html-table
        columns: {Input: input}
      """;

  @Test
  @DisplayName("extract prints one observation per line in the contract's shape; a page without prices exits 1")
  void extract() throws Exception {
    Path dir = sources("https://acme.example/pricing");
    Path page = root.resolve("2026-01-01_acme.html");
    Files.writeString(page, page("2.5"));
    Run r = cli("extract", "--source", "acme", "--sources", dir.toString(), page.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(5, r.lines().size(), r.out());
    JsonObject first = new JsonObject(r.lines().get(0));
    assertEquals(new JsonObject().put("provider", "acme").put("model", "Acme Large")
        .put("canonical_model", "acme-large").put("metric", "input").put("condition", null).put("value", "2.50")
        .put("currency", "USD").put("usd_per_1m", "2.50"), first);
    Files.writeString(page, Pages.withoutTable());
    Run broken = cli("extract", "--source", "acme", "--sources", dir.toString(), page.toString());
    assertEquals(1, broken.code());
    assertTrue(broken.err().contains("source acme, stage extract"), broken.err());
    assertEquals(1, cli("extract", "--source", "nope", "--sources", dir.toString(), page.toString()).code());
  }

  @Test
  @DisplayName("extract prints each weekly usage value with its week: period is the ISO Monday (YYYY-MM-DD)")
  void extractWeeklyUsage() throws Exception {
    Path dir = Files.createDirectories(root.resolve("usage-sources"));
    Files.copy(Path.of("sources/openrouter-rankings.yaml"), dir.resolve("openrouter-rankings.yaml"));
    Run r = cli("extract", "--source", "openrouter-rankings", "--sources", dir.toString(),
        "src/test/resources/usage/rankings-small.html");
    assertEquals(0, r.code(), r.err());
    assertEquals(14, r.lines().size(), r.out());
    JsonObject first = new JsonObject(r.lines().get(0));
    assertEquals("2026-01-12", first.getString("period"), first.encode());
    assertEquals("2026-01-12T00:00:00Z", first.getString("effective_from"));
    assertEquals("weekly_tokens", first.getString("metric"));
    assertTrue(r.lines().stream().map(JsonObject::new).allMatch(j -> j.getString("period") != null
        && j.getString("effective_from").startsWith(j.getString("period"))), r.out());
  }

  @Test
  @DisplayName("replay, check, events and reextract work together on one data dir; replay never rewrites the past")
  void replayCheckEventsReextract() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00"))) {
      Path dir = sources(vendor.url("/pricing"));
      String data = root.resolve("data").toString();
      Path snaps = Files.createDirectories(root.resolve("snaps"));
      Files.writeString(snaps.resolve("2026-02-01_acme.html"), page("7.00"));
      Files.writeString(snaps.resolve("2026-03-01T120000_acme.html"), page("3.50"));
      Files.writeString(snaps.resolve("2026-04-01_acme.html"), Pages.withoutTable());
      Files.writeString(snaps.resolve("notes.txt"), "not a snapshot");
      Run replay = cli("replay", "--source", "acme", "--sources", dir.toString(), "--data", data,
          snaps.toString());
      assertEquals(1, replay.code(), "a snapshot ended in error: " + replay.err());
      assertTrue(replay.err().contains("1 of 3 snapshot(s) failed"), replay.err());
      assertEquals(List.of("new", "changed", "error"), replay.lines().stream()
          .map(l -> new JsonObject(l).getString("outcome")).toList());
      assertTrue(replay.err().contains("skipped notes.txt"), replay.err());

      Run check = cli("check", "--sources", dir.toString(), "--data", data);
      assertEquals(0, check.code(), check.err());
      assertEquals("changed", new JsonObject(check.lines().get(0)).getString("outcome"), check.out());
      assertEquals(1, cli("check", "nope", "--sources", dir.toString(), "--data", data).code());

      Run events = cli("events", "--source", "acme", "--since", "2026-03-01", "--format", "jsonl", "--data", data,
          "--sources", dir.toString());
      assertEquals(0, events.code(), events.err());
      List<JsonObject> ev = events.lines().stream().map(JsonObject::new).toList();
      assertEquals(List.of("price_cut", "source_failure", "price_increase"),
          ev.stream().map(e -> e.getString("kind")).toList(), events.out());
      assertEquals("7.00", ev.get(0).getString("old"));
      assertEquals("3.50", ev.get(0).getString("new"));
      assertEquals("-50.00", ev.get(0).getString("change_pct"));
      assertEquals("2026-03-01T12:00:00Z", ev.get(0).getString("observed_at"));
      assertEquals("185.71", ev.get(2).getString("change_pct"));
      Run cuts = cli("events", "--kind", "price_cut", "--format", "jsonl", "--data", data, "--sources",
          dir.toString());
      assertEquals(1, cuts.lines().size(), cuts.out());

      Run again = cli("replay", "--source", "acme", "--sources", dir.toString(), "--data", data, snaps.toString());
      assertEquals(1, again.code(), "snapshots older than the history are refused");
      assertTrue(again.err().contains("older than"), again.err());

      Run re = cli("reextract", "--source", "acme", "--sources", dir.toString(), "--data", data);
      assertEquals(0, re.code(), re.err());
      Run after = cli("events", "--format", "jsonl", "--data", data, "--sources", dir.toString());
      assertEquals(ev.stream().map(e -> e.getString("kind") + " " + e.getString("new")).toList(),
          after.lines().stream().map(JsonObject::new).map(e -> e.getString("kind") + " " + e.getString("new"))
              .toList(), "re-extraction with the same parser rebuilds the same events");
    }
  }
}
