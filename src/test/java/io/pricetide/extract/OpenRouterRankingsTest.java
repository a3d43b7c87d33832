package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Currencies;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.SourceLoader;
import io.pricetide.source.Sources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rankings reader on pages we wrote ({@code src/test/resources/usage/}) and on variations built here: charts
 * in any order, split over chunks, known by section id or by heading alone, decoys of the same shape in other
 * sections, fewer charts, ambiguous charts.
 */
class OpenRouterRankingsTest {
  private static Extractors set;

  @BeforeAll
  static void load() throws Exception {
    ExtractorRegistry r = ExtractorRegistry.builtIn();
    List<SourceDefinition> defs = new SourceLoader(r).loadDirectory(Path.of("sources")).orThrow();
    set = new Extractors(new Sources(defs), r, Currencies.usdOnly());
  }

  private static List<Observation> extract(String body) {
    return set.extract("openrouter-rankings", body, "html");
  }

  private static String resource(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/usage", name), StandardCharsets.UTF_8);
  }

  /** {@code metric model week → value}, for every observation. */
  private static Map<String, String> byKey(List<Observation> obs) {
    Map<String, String> m = new TreeMap<>();
    for (Observation o : obs) {
      String key = o.metric() + " " + o.model() + " " + LocalDate.ofInstant(o.effectiveFrom(), ZoneOffset.UTC);
      assertNull(m.put(key, o.value().toPlainString()), "one value per series and week: " + key);
    }
    return m;
  }

  /** A page of push chunks, one per row, each row's JSON escaped as a JavaScript string. */
  static String page(String... rows) {
    StringBuilder b = new StringBuilder("<html><body>");
    for (String row : rows) {
      String js = row.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
      b.append("<script>self.__next_f.push([1,\"").append(js).append("\\n\"])</script>\n");
    }
    return b.append("</body></html>").toString();
  }

  static String section(String rowId, String sectionId, String childRef) {
    return rowId + ":[\"$\",\"div\",null,{\"id\":\"" + sectionId + "\",\"children\":\"" + childRef + "\"}]";
  }

  static final String MODELS = "a1:[\"$\",\"$L9\",null,{\"data\":[{\"x\":\"2026-03-02\",\"ys\":{\"acme/a\":1,\"b/b\":2}},"
      + "{\"x\":\"2026-03-09\",\"ys\":{\"acme/a\":3,\"b/b\":4}},{\"x\":\"2026-03-16\",\"ys\":{\"acme/a\":5,\"b/b\":6}}]}]";
  static final String AUTHORS = "a2:[\"$\",\"$L9\",null,{\"data\":[{\"x\":\"2026-03-01\",\"ys\":{\"acme\":1,\"b\":2}},"
      + "{\"x\":\"2026-03-08\",\"ys\":{\"acme\":7,\"b\":8}},{\"x\":\"2026-03-15\",\"ys\":{\"acme\":5,\"b\":6}}]}]";

  @Test
  @DisplayName("Our small page: both weekly charts, complete weeks only, decoys in other sections ignored")
  void smallPage() throws Exception {
    List<Observation> obs = extract(resource("rankings-small.html"));
    Map<String, String> v = byKey(obs);
    assertEquals(14, obs.size(), v.toString());
    assertEquals("1000", v.get("weekly_tokens acme/rocket-1 2026-01-12"));
    assertEquals("1100", v.get("weekly_tokens acme/rocket-1 2026-01-19"));
    assertEquals("275", v.get("weekly_tokens acme/r&d-1 2026-01-19"), "JavaScript escapes decoded, split number");
    assertEquals("130", v.get("weekly_tokens others 2026-01-19"));
    assertEquals("1600", v.get("provider_weekly_tokens acme 2026-01-12"), "Sunday 2026-01-11 is the week of 01-12");
    assertEquals("1700", v.get("provider_weekly_tokens zeta 2026-01-19"));
    assertFalse(v.containsKey("weekly_tokens acme/rocket-1 2026-01-05"), "the window's first point");
    assertFalse(v.containsKey("weekly_tokens acme/rocket-1 2026-01-26"), "the week in progress");
    assertFalse(v.containsKey("provider_weekly_tokens acme 2026-01-26"), "the week in progress");
    Observation rest = obs.stream().filter(o -> o.model().equals("others")).findFirst().orElseThrow();
    assertEquals(Metrics.OTHERS, rest.condition());
    Observation rocket = obs.stream().filter(o -> o.model().equals("acme/rocket-1")).findFirst().orElseThrow();
    assertEquals("acme", rocket.provider());
    assertEquals("", rocket.condition());
    Observation zeta = obs.stream().filter(o -> o.model().equals("zeta")).findFirst().orElseThrow();
    assertEquals("zeta", zeta.provider());
  }

  @Test
  @DisplayName("Another layout: data rows before the tree, a row over three chunks, a single-quoted chunk, extra"
      + " props, ISO timestamps, the leaderboard nested deeper and the market share known by its heading alone")
  void reorderedPage() throws Exception {
    Map<String, String> v = byKey(extract(resource("rankings-reordered.html")));
    assertEquals(Map.of(
        "weekly_tokens beta/b-1 2026-02-09", "30",
        "weekly_tokens gamma/g-7 2026-02-09", "25",
        "weekly_tokens others 2026-02-09", "5",
        "provider_weekly_tokens beta 2026-02-09", "50",
        "provider_weekly_tokens gamma 2026-02-09", "60"), v, "the #images chart of the same shape is not read");
  }

  @Test
  @DisplayName("The rows as a bare flight payload (no script around them) read the same")
  void barePayload() {
    String bare = section("b1", "leaderboard", "$La1") + "\n" + section("b2", "market-share", "$La2") + "\n"
        + MODELS + "\n" + AUTHORS + "\n";
    Map<String, String> v = byKey(extract(bare));
    assertEquals("3", v.get("weekly_tokens acme/a 2026-03-09"));
    assertEquals("8", v.get("provider_weekly_tokens b 2026-03-09"));
    assertEquals(4, v.size());
    assertEquals(v, byKey(extract(page(section("b1", "leaderboard", "$La1"), section("b2", "market-share", "$La2"),
        MODELS, AUTHORS))));
  }

  @Test
  @DisplayName("Several bodies handed over together (a rendered page and the payloads it loaded): each chart from"
      + " the first body that holds it; none holding them fails with every body's reason")
  void severalBodies() {
    String rendered = page(section("b1", "leaderboard", "$L5"), section("b2", "market-share", "$L6"));
    String models = section("b1", "leaderboard", "$La1") + "\n" + MODELS + "\n";
    String authors = section("b2", "market-share", "$La2") + "\n" + AUTHORS + "\n";
    String body = io.pricetide.source.SourceBodies.join(List.of(
        new io.pricetide.source.SourceBodies.Part("https://r.example/rankings", rendered),
        new io.pricetide.source.SourceBodies.Part("https://r.example/rankings?_rsc=1", models),
        new io.pricetide.source.SourceBodies.Part("https://r.example/rankings?_rsc=2", authors)));
    Map<String, String> v = byKey(extract(body));
    assertEquals("3", v.get("weekly_tokens acme/a 2026-03-09"));
    assertEquals("8", v.get("provider_weekly_tokens b 2026-03-09"));
    String none = io.pricetide.source.SourceBodies.join(List.of(
        new io.pricetide.source.SourceBodies.Part("https://r.example/rankings", rendered),
        new io.pricetide.source.SourceBodies.Part("https://r.example/api", "{\"data\":[]}")));
    ExtractException e = assertThrows(ExtractException.class, () -> extract(none));
    assertTrue(e.getMessage().contains("none of the 2 bodies") && e.getMessage().contains("https://r.example/api: "
        + "no Next.js payload"), e.getMessage());
  }

  @Test
  @DisplayName("Fewer charts: a page without the market share fails, naming it and only it")
  void fewerCharts() {
    ExtractException e = assertThrows(ExtractException.class, () -> extract(page(
        section("b1", "leaderboard", "$La1"), MODELS)));
    assertTrue(e.getMessage().contains("weekly market share by author"), e.getMessage());
    assertTrue(e.getMessage().contains("no such section"), e.getMessage());
    assertFalse(e.getMessage().contains("token leaderboard"), e.getMessage());
  }

  @Test
  @DisplayName("A chart of the right shape outside its section does not count: the leaderboard is named missing")
  void chartOutsideItsSection() {
    ExtractException e = assertThrows(ExtractException.class, () -> extract(page(
        section("b1", "tools", "$La1"), section("b2", "market-share", "$La2"), MODELS, AUTHORS)));
    assertTrue(e.getMessage().contains("weekly token leaderboard"), e.getMessage());
    assertFalse(e.getMessage().contains("market share"), e.getMessage());
  }

  @Test
  @DisplayName("Two weekly model charts under the leaderboard: a failure, not a guess")
  void ambiguous() {
    String second = MODELS.replace("a1:", "a3:").replace("\"acme/a\":3", "\"acme/a\":33");
    String both = "b1:[\"$\",\"div\",null,{\"id\":\"leaderboard\",\"children\":[\"$La1\",\"$La3\"]}]";
    ExtractException e = assertThrows(ExtractException.class, () -> extract(page(both,
        section("b2", "market-share", "$La2"), MODELS, second, AUTHORS)));
    assertTrue(e.getMessage().contains("2 weekly charts qualify as the weekly token leaderboard"), e.getMessage());
    // The same chart twice (say, for two screen sizes) is one chart.
    String copy = MODELS.replace("a1:", "a3:");
    assertEquals("3", byKey(extract(page(both, section("b2", "market-share", "$La2"), MODELS, copy, AUTHORS)))
        .get("weekly_tokens acme/a 2026-03-09"));
  }

  @Test
  @DisplayName("A chart of two points has no complete week; a daily chart is not weekly; broken chunks and pages"
      + " without a payload fail with what is missing")
  void failures() {
    String twoPoints = "a1:[\"$\",\"$L9\",null,{\"data\":[{\"x\":\"2026-03-02\",\"ys\":{\"acme/a\":1}},"
        + "{\"x\":\"2026-03-09\",\"ys\":{\"acme/a\":3}}]}]";
    ExtractException two = assertThrows(ExtractException.class, () -> extract(page(
        section("b1", "leaderboard", "$La1"), section("b2", "market-share", "$La2"), twoPoints, AUTHORS)));
    assertTrue(two.getMessage().contains("no complete week"), two.getMessage());

    String daily = MODELS.replace("2026-03-09", "2026-03-03").replace("2026-03-16", "2026-03-04");
    ExtractException d = assertThrows(ExtractException.class, () -> extract(page(
        section("b1", "leaderboard", "$La1"), section("b2", "market-share", "$La2"), daily, AUTHORS)));
    assertTrue(d.getMessage().contains("the section is there but holds no such chart"), d.getMessage());

    ExtractException broken = assertThrows(ExtractException.class, () -> extract(
        "<script>self.__next_f.push([1,\"a1:[\\\"$\\\"</script>\n<p>x</p>"));
    assertTrue(broken.getMessage().contains("not a terminated JavaScript string"), broken.getMessage());

    ExtractException none = assertThrows(ExtractException.class, () -> extract("<html><body>Loading…</body></html>"));
    assertTrue(none.getMessage().contains("no Next.js payload"), none.getMessage());
  }

  @Test
  @DisplayName("JavaScript string escapes: \\x, four-digit and braced u escapes, quotes, line continuations")
  void jsStrings() {
    StringBuilder out = new StringBuilder();
    String lit = "'a\\x41\\u00e9\\u{1F600}\\'\\\"\\/\\n\\\nb'";
    assertEquals(lit.length(), JsStrings.decode(lit, 0, out));
    assertEquals("aAé\uD83D\uDE00'\"/\nb", out.toString());
    assertEquals(-1, JsStrings.decode("\"abc", 0, new StringBuilder()));
  }

  @Test
  @DisplayName("Weeks are named by their ISO Monday; a Sunday dates the week after it; other days are not weekly")
  void mondays() {
    assertEquals(LocalDate.parse("2025-07-28"), RankingCharts.monday("2025-07-27"));
    assertEquals(LocalDate.parse("2025-07-28"), RankingCharts.monday("2025-07-28"));
    assertEquals(LocalDate.parse("2025-07-28"), RankingCharts.monday("2025-07-28T00:00:00+00:00"));
    assertEquals(LocalDate.parse("2025-07-28"), RankingCharts.monday("2025-07-28T01:00:00+02:00"),
        "Sunday 23:00 UTC dates the week after");
    assertNull(RankingCharts.monday("2025-07-30"));
    assertNull(RankingCharts.monday("last week"));
  }

  @Test
  @DisplayName("A page rendered in a browser: the charts are read from the responses it loaded when the document has none")
  void renderedContainer() throws Exception {
    String flight = resource("rankings-small.html");
    io.vertx.core.json.JsonObject container = new io.vertx.core.json.JsonObject().put("format", "rendered")
        .put("version", 1).put("url", "https://openrouter.example/rankings").put("status", 200)
        .put("rendered", "<!doctype html><html><body><h1>LLM leaderboard</h1><div id=\"leaderboard\"></div>"
            + "</body></html>")
        .put("responses", new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject()
            .put("url", "https://openrouter.example/rankings?_rsc=1").put("status", 200)
            .put("content_type", "text/x-component").put("body", flight)));
    assertEquals(byKey(extract(flight)), byKey(extract(container.encode())),
        "the same weeks as the page itself gives");
  }
}
