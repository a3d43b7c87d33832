package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.testing.Browser;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Prices that are not per token, retirement dates and announced prices on the pages (issues #12, #13), and
 * {@code /favicon.ico}, on a small history written here: a LiteLLM-format catalogue ({@code cat}) replayed twice,
 * with a chat model whose retirement date moves, two image models priced per image (one name hostile markup) and a
 * speech model priced per 1M characters; and a genai-prices-format catalogue ({@code gp}) that announces a cut of
 * Acme Large's input price for a date a year ahead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnitsAndLifecycleTest {
  static final String NEVER = "0 0 0 1 1 ? 2099";
  /** An image model's name as a hostile catalogue could write it. */
  static final String PIXEL = "acme/pixel-<img src=x onerror=window.__pwned=1>";
  /** When the announced cut takes effect: a year ahead, at midnight UTC. */
  static final Instant FROM = Instant.now().plus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS);

  App app;
  String base;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  static String source(String id, String kind, String unit) {
    return """
        id: %s
        name: %s catalogue
        kind: prices
        url: https://%s.invalid/data.json
        format: json
        schedule: "%s"
        currency: USD
        unit: %s
        extractor:
          kind: %s
        """.formatted(id, id, id, NEVER, unit, kind);
  }

  static String litellm(String retires) {
    return new JsonObject()
        .put("acme-large", new JsonObject().put("input_cost_per_token", 0.00001).put("output_cost_per_token", 0.00003)
            .put("litellm_provider", "acme").put("mode", "chat").put("deprecation_date", retires))
        .put(PIXEL, new JsonObject().put("output_cost_per_image", 0.04).put("litellm_provider", "acme")
            .put("mode", "image_generation"))
        .put("acme-sketch", new JsonObject().put("output_cost_per_image", 0.02).put("litellm_provider", "acme")
            .put("mode", "image_generation"))
        .put("acme-voice", new JsonObject().put("input_cost_per_character", 0.000015).put("litellm_provider", "acme")
            .put("mode", "audio_speech"))
        .encode();
  }

  static String genaiPrices() {
    return "[{\"id\": \"acme\", \"name\": \"Acme\", \"models\": [{\"id\": \"large\", \"prices\": ["
        + "{\"prices\": {\"input_mtok\": 10.00, \"output_mtok\": 30.00}}, {\"constraint\": {\"start_date\": \""
        + FROM + "\"}, \"prices\": {\"input_mtok\": 7.00, \"output_mtok\": 30.00}}]}]}]";
  }

  @BeforeAll
  void start(@TempDir Path root) throws Exception {
    app = TestApp.start(TestApp.config(root, Map.of("cat.yaml", source("cat", "litellm", "per_token"), "gp.yaml",
        source("gp", "genai-prices", "per_1m"))), true);
    base = "http://127.0.0.1:" + app.httpPort();
    Replayer r = new Replayer(app.extractors, app.store, app.archive);
    replay(r, "cat", "2026-01-05", litellm("2027-03-01"));
    replay(r, "cat", "2026-02-02", litellm("2027-06-01"));
    replay(r, "gp", "2026-02-02", genaiPrices());
  }

  private static void replay(Replayer r, String source, String day, String body) {
    CheckOutcome o = r.replay(source, Instant.parse(day + "T00:00:00Z"), body.getBytes(StandardCharsets.UTF_8),
        "json");
    assertFalse("error".equals(o.outcome()), () -> source + " " + day + ": " + o);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private HttpResponse<String> send(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private Document page(String path) throws Exception {
    HttpResponse<String> r = send(path);
    assertEquals(200, r.statusCode(), () -> path + ": " + r.body());
    return Jsoup.parse(r.body(), base);
  }

  /** The price table's row of a model as the source names it. */
  private static Element tableRow(Document d, String model) {
    return d.select("#price-table tbody tr").stream().filter(tr -> tr.selectFirst("th.model a").text().equals(model))
        .findFirst().orElseThrow(() -> new AssertionError("no row for " + model + " in " + d.select("#price-table")
            .text()));
  }

  @Test
  @DisplayName("/favicon.ico redirects permanently to the SVG icon, which is served as image/svg+xml")
  void favicon() throws Exception {
    HttpResponse<String> ico = send("/favicon.ico");
    assertEquals(301, ico.statusCode());
    assertEquals("/static/favicon.svg", ico.headers().firstValue("Location").orElse(null));
    HttpResponse<String> svg = send("/static/favicon.svg");
    assertEquals(200, svg.statusCode());
    assertTrue(svg.headers().firstValue("Content-Type").orElse("").startsWith("image/svg+xml"));
    assertTrue(svg.body().contains("<svg"));
  }

  @Test
  @DisplayName("The price table lists a model priced per image and one per 1M characters in their own units, "
      + "never as per 1M tokens; its token columns stay empty")
  void priceTableUnits() throws Exception {
    Document d = page("/");
    Element pixel = tableRow(d, PIXEL);
    assertEquals("$0.04 / image output image", pixel.selectFirst("td.other .unit-price").text());
    assertEquals(List.of("\u2013", "\u2013", "\u2013", "\u2013"), texts(pixel.select("td.num")),
        "no token price for an image model");
    Element voice = tableRow(d, "acme-voice");
    assertEquals("$15.00 / 1M characters input character", voice.selectFirst("td.other .unit-price").text());
    Element large = tableRow(d, "acme-large");
    assertEquals("$10.00", large.select("td.num").get(0).text());
    assertTrue(large.select("td.other .unit-price").isEmpty());
    assertTrue(d.selectFirst("#price-caption").text().contains("other prices in the unit they name"),
        d.selectFirst("#price-caption").text());
    assertTrue(d.selectFirst("footer").text().contains("names its unit"), d.selectFirst("footer").text());
    // Sorted by a token price, a row without one is hidden with the free rows, as before.
    assertTrue(page("/?sort=input").select("#price-table tbody th.model a").eachText().stream()
        .noneMatch(PIXEL::equals));
    // The hostile name is text, in the table and in the JSON the page links.
    assertTrue(d.select("#price-table img").isEmpty());
  }

  @Test
  @DisplayName("A per-image model's page lists its price per image under an open 'Other prices', with no per-1M "
      + "token table; compare shows per-image prices with their unit")
  void modelAndCompareUnits() throws Exception {
    Document d = page("/model?id=" + Urls.enc(canonical("cat", PIXEL)));
    Element other = d.selectFirst("details.other-prices");
    assertNotNull(other);
    assertTrue(other.hasAttr("open"));
    assertEquals(List.of("$0.04 / image"), other.select("tbody td.num").eachText());
    assertNull(d.selectFirst("table.model-prices"), "no per-1M token table for a model without token prices");
    assertTrue(d.select("img").isEmpty(), "the hostile name is text");

    Document c = page("/compare?m=" + Urls.enc(canonical("cat", PIXEL)) + "&m=" + Urls.enc(canonical("cat",
        "acme-sketch")) + "&metric=output_image");
    Element row = c.select("table.side tbody tr").stream().filter(tr -> tr.selectFirst("th").text()
        .startsWith("output image")).findFirst().orElseThrow(() -> new AssertionError(c.select("main").text()));
    assertEquals("output image (per image)", row.selectFirst("th").text());
    assertEquals(List.of("$0.04 / image", "$0.02 / image"), texts(row.select("td")));
    assertEquals("0.50\u00d7", c.selectFirst("[data-ratio] .ratio-value").text());
    assertFalse(c.selectFirst("#side-caption").text().endsWith("USD per 1M tokens"));
    assertTrue(c.selectFirst("#chart-prices").attr("aria-label").endsWith("USD per image"));
  }

  @Test
  @DisplayName("A model_deprecated event shows its retirement dates in /changes and in Atom, the moved one old "
      + "and new, the first one new only")
  void retirementDates() throws Exception {
    Document d = page("/changes?kind=model_deprecated");
    List<Element> rows = d.select("table.events tbody tr.model_deprecated");
    assertEquals(2, rows.size(), d.select("table.events").text());
    Element moved = rows.get(0);
    assertEquals("retirement date", moved.select("td").get(4).text());
    assertEquals(List.of("2027-03-01", "2027-06-01"), texts(moved.select("td.num.date")));
    assertEquals(List.of("", "2027-03-01"), texts(rows.get(1).select("td.num.date")));

    String atom = send("/feeds/changes.atom?kind=model_deprecated").body();
    assertTrue(atom.contains("<title>acme-large retires on 2027-06-01 (moved from 2027-03-01)</title>"), atom);
    assertTrue(atom.contains("<title>acme-large retires on 2027-03-01</title>"), atom);
  }

  @Test
  @DisplayName("An announced cut not yet in effect: a 'from DATE: $7.00' note in the price table cell and the model "
      + "page's cell, and the model page's Announced prices table; the current price stays")
  void announcedPrice() throws Exception {
    String from = Ui.day(FROM);
    String large = canonical("gp", "acme/large");
    Document d = page("/?source=gp");
    Element row = tableRow(d, "acme/large");
    Element input = row.select("td.num").get(0);
    assertEquals("$10.00", input.ownText());
    assertEquals("from " + from + ": $7.00", input.selectFirst(".announced-note").text());
    assertNull(row.select("td.num").get(1).selectFirst(".announced-note"), "the output price is not announced to move");

    Document m = page("/model?id=" + Urls.enc(large));
    Element cell = m.select("table.model-prices tbody tr:not(.group)").stream().filter(tr -> tr.selectFirst(
        "th.src .source").text().equals("gp")).findFirst().orElseThrow().select("td.num").get(0);
    assertEquals("from " + from + ": $7.00", cell.selectFirst(".announced-note").text());
    List<Element> announced = m.select("table.announced-prices tbody tr");
    assertEquals(1, announced.size());
    assertEquals(List.of("gp", "acme/large", "Input", "standard", Ui.minute(FROM), "$7.00", "2026-02-02"),
        texts(announced.get(0).select("td")));
    // Its event says when it takes effect.
    Document ch = page("/changes?kind=price_announced");
    assertEquals("price announced from " + Ui.minute(FROM), ch.selectFirst("table.events tbody tr td:nth-child(2)")
        .text());
  }

  @Test
  @DisplayName("In Chromium the table's unit prices and announced note show, the hostile name runs no script, and "
      + "the phone page does not scroll sideways")
  void inChromium() throws Exception {
    ChromeDriver driver = Browser.start(1280, 900);
    try {
      driver.get(base + "/");
      assertTrue(driver.findElement(By.cssSelector("#price-table td.other")).isDisplayed());
      assertEquals("from " + Ui.day(FROM) + ": $7.00", driver.findElement(By.cssSelector(".announced-note"))
          .getText());
      Path shots = Files.createDirectories(Path.of("docs/screenshots"));
      Files.write(shots.resolve("units-fixture.png"), driver.getScreenshotAs(OutputType.BYTES));
      driver.get(base + "/model?id=" + Urls.enc(canonical("gp", "acme/large")));
      assertTrue(driver.findElement(By.cssSelector("table.announced-prices")).isDisplayed());
      driver.manage().window().setSize(new Dimension(390, 844));
      driver.get(base + "/model?id=" + Urls.enc(canonical("gp", "acme/large")));
      long overflow = (Long) driver.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
      assertTrue(overflow <= 0, "the model page does not scroll sideways on a phone: " + overflow);
      driver.executeScript("document.getElementById('h-announced').scrollIntoView();");
      Files.write(shots.resolve("announced-fixture-phone.png"), driver.getScreenshotAs(OutputType.BYTES));
      assertNull(driver.executeScript("return window.__pwned;"));
      driver.get(base + "/model?id=" + Urls.enc(canonical("cat", PIXEL)));
      assertNull(driver.executeScript("return window.__pwned;"));
    } finally {
      driver.quit();
    }
  }

  private static List<String> texts(List<Element> cells) {
    return cells.stream().map(Element::text).toList();
  }

  /** The canonical id of a source's model, from /api/prices. */
  private String canonical(String source, String model) throws Exception {
    JsonObject prices = new JsonObject(send("/api/prices?limit=1000").body());
    return prices.getJsonArray("prices").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("source").equals(source) && p.getString("model").equals(model)).findFirst()
        .orElseThrow(() -> new AssertionError(model + " not in " + prices)).getString("canonical_model");
  }
}
