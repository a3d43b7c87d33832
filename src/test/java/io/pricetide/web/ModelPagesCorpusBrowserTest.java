package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.price.Decimals;
import io.pricetide.testing.Browser;
import io.pricetide.testing.ReplayedCorpus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The model and comparison pages in headless Chromium over the real corpus, replayed once per JVM
 * ({@link ReplayedCorpus}); required under {@code CI=true}. Writes the pages' screenshots on the real data, desktop
 * and phone, to {@code docs/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelPagesCorpusBrowserTest {
  static final Path SHOTS = Path.of("docs/screenshots");
  static final int WIDTH = 1280;
  static final int PHONE = 390;

  App app;
  String base;
  ChromeDriver driver;
  WebDriverWait wait;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  void start() throws Exception {
    app = ReplayedCorpus.start();
    base = "http://127.0.0.1:" + app.httpPort();
    driver = Browser.start(WIDTH, 900);
    wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stop() {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (app != null) {
        app.close();
      }
    }
  }

  @Test
  @DisplayName("gpt-4o's page is titled gpt-4o, lists OpenAI's own price first, draws only the vendor's lines until "
      + "asked, keeps chatgpt-4o-latest a linked variant, and badges a low only where the price was once higher")
  void gpt4oPage() throws Exception {
    open("/model?id=gpt-4o");
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-input"), "data-ready", "true"));
    assertEquals("gpt-4o", driver.findElement(By.tagName("h1")).getText());
    WebElement first = driver.findElement(By.cssSelector("table.model-prices tbody.role-vendor tr:not(.group)"));
    assertEquals("openai", first.findElement(By.cssSelector("th.src .source")).getText());
    assertEquals("gpt-4o", first.findElement(By.cssSelector("th.src .names")).getText());
    assertEquals("standard", first.findElement(By.cssSelector("td.cond")).getText());
    assertEquals(vendorUsd("gpt-4o", "openai", "input"), first.findElements(By.cssSelector("td.num")).get(0).getText(),
        "the vendor's own input price");
    String table = driver.findElement(By.cssSelector("table.model-prices")).getText();
    assertFalse(table.contains("chatgpt-4o-latest"), "chatgpt-4o-latest is not folded into gpt-4o");
    assertTrue(driver.findElements(By.cssSelector("nav.variants a")).stream()
        .anyMatch(a -> a.getText().equals("chatgpt-4o-latest")), "but linked as a variant");

    List<Map<String, Object>> lines = lines("chart-input");
    List<Map<String, Object>> shown = lines.stream().filter(l -> Boolean.TRUE.equals(l.get("show"))).toList();
    assertFalse(shown.isEmpty());
    assertTrue(shown.stream().allMatch(l -> "vendor".equals(l.get("role"))), "only the vendor's lines: " + shown);
    assertTrue(((String) shown.get(0).get("label")).startsWith("gpt-4o \u00b7 openai"), shown.toString());
    assertTrue(lines.size() <= 3 + ModelPage.MAX_CATALOGUE_LINES, "no 40 overplotted lines: " + lines.size());
    driver.findElement(By.cssSelector("#chart-input .u-legend .u-series:nth-child(2)")).click();
    wait.until(d -> Boolean.FALSE.equals(lines("chart-input").get(0).get("show")));
    driver.findElement(By.cssSelector("#chart-input .u-legend .u-series:nth-child(2)")).click();
    wait.until(d -> Boolean.TRUE.equals(lines("chart-input").get(0).get("show")));
    WebElement toggle = driver.findElement(By.cssSelector("button.toggle-catalogues[data-chart=chart-input]"));
    toggle.click();
    wait.until(ExpectedConditions.attributeToBe(toggle, "aria-pressed", "true"));
    assertEquals(lines.size(), lines("chart-input").stream().filter(l -> Boolean.TRUE.equals(l.get("show"))).count(),
        "the toggle draws the catalogues");

    // Every "all-time low" badge sits on a price at its lowest that was once higher, by the API's own points.
    JsonArray api = series("gpt-4o", "input");
    int badges = 0;
    for (WebElement tr : driver.findElements(By.cssSelector("table.model-prices tbody tr:not(.group)"))) {
      List<WebElement> cells = tr.findElements(By.cssSelector("td.num"));
      if (cells.isEmpty() || cells.get(0).findElements(By.cssSelector(".badge.low")).isEmpty()) {
        continue;
      }
      badges++;
      String source = tr.findElement(By.cssSelector("th.src .source")).getText();
      String name = tr.findElement(By.cssSelector("th.src .names .name")).getText();
      JsonObject s = api.stream().map(JsonObject.class::cast).filter(o -> o.getString("source").equals(source)
          && o.getString("model").equals(name) && o.getString("condition") == null).findFirst().orElseThrow();
      List<BigDecimal> values = s.getJsonArray("points").stream().map(JsonObject.class::cast)
          .map(p -> p.getString("usd_per_1m")).filter(v -> v != null).map(BigDecimal::new).toList();
      BigDecimal now = values.get(values.size() - 1);
      assertEquals(now, values.stream().min(BigDecimal::compareTo).orElseThrow(), source + " " + name);
      assertTrue(values.stream().anyMatch(v -> v.compareTo(now) > 0), source + " " + name + " was once higher");
    }
    assertTrue(badges > 0, "litellm's gpt-4o came down from $5.00");
    assertTrue(first.findElements(By.cssSelector(".badge")).isEmpty(), "OpenAI's one recorded price is no deal");
    shots("model-gpt-4o", 2400);
  }

  @Test
  @DisplayName("/compare?m=gpt-4o&m=qwen-max compares the vendors' own current series: exactly their prices, and "
      + "their ratio now and over time")
  void compareGpt4oQwenMax() throws Exception {
    open("/compare?m=gpt-4o&m=qwen-max");
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-ratio"), "data-ready", "true"));
    List<String> heads = driver.findElements(By.cssSelector("table.side thead th .meta")).stream()
        .map(WebElement::getText).toList();
    assertEquals(List.of("Vendor: openai \u00b7 gpt-4o \u00b7 standard",
        "Vendor: alibaba-intl \u00b7 qwen-max \u00b7 standard"), heads);
    String gpt = vendorUsd("gpt-4o", "openai", "input");
    String qwen = vendorUsd("qwen-max", "alibaba-intl", "input");
    assertEquals(List.of(gpt, qwen), driver.findElements(By.cssSelector("table.side tbody tr:first-child td"))
        .stream().map(WebElement::getText).toList(), "the picked series' own prices");
    String ratio = Decimals.money(new BigDecimal(qwen.substring(1)).divide(new BigDecimal(gpt.substring(1)), 4,
        RoundingMode.HALF_UP).stripTrailingZeros());
    assertEquals(ratio + "\u00d7", driver.findElement(By.cssSelector("[data-ratio] .ratio-value")).getText());
    assertFalse(driver.findElement(By.cssSelector("main")).getText().contains("n/a"));
    String last = (String) js("var s = window.pricetideCharts['chart-ratio'].strings[0]; return s[s.length - 1];");
    assertEquals(ratio, last, "the ratio chart ends at today's ratio");
    shots("compare-gpt-4o-qwen-max", 1900);

    // A catalogue's series picked for gpt-4o: its own prices, and the ratio from them.
    open("/compare?m=gpt-4o&s=" + Urls.enc("litellm|gpt-4o|") + "&m=qwen-max&s=");
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-ratio"), "data-ready", "true"));
    assertEquals("Catalogue: litellm \u00b7 gpt-4o \u00b7 standard",
        driver.findElement(By.cssSelector("table.side thead th .meta")).getText());
    assertEquals("litellm|gpt-4o|", new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("s1")))
        .getFirstSelectedOption().getAttribute("value"), "the form keeps the pick");

    open("/compare?p=alibaba&p=openai");
    assertTrue(driver.findElements(By.cssSelector("table.vs tbody tr")).size() >= 2, "price bands");
    shots("compare-alibaba-openai", 1900);
  }

  @Test
  @DisplayName("A removed model's line lasts until its removal, not until its last price")
  void removedModelLastsUntilRemoval() throws Exception {
    JsonObject vendor = series("claude-2.1", "input").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("source").equals("anthropic") && s.getString("condition") == null).findFirst()
        .orElseThrow();
    JsonArray pts = vendor.getJsonArray("points");
    JsonObject removal = pts.getJsonObject(pts.size() - 1);
    assertEquals(null, removal.getString("usd_per_1m"), "the corpus removes Claude 2.1");
    String lastPrice = pts.getJsonObject(pts.size() - 2).getString("usd_per_1m");
    long removedAt = Instant.parse(removal.getString("observed_at")).getEpochSecond();
    long pricedAt = Instant.parse(pts.getJsonObject(pts.size() - 2).getString("observed_at")).getEpochSecond();
    assertTrue(removedAt > pricedAt + 86400 * 30, "a long last step");

    open("/model?id=claude-2.1");
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-input"), "data-ready", "true"));
    Map<?, ?> end = (Map<?, ?>) js("var c = window.pricetideCharts['chart-input'];"
        + "var i = c.spec.series.findIndex(function (s) { return s.role === 'vendor'; });"
        + "var xs = c.data[0], ys = c.data[i + 1], last = -1;"
        + "for (var k = 0; k < xs.length; k++) { if (ys[k] != null) { last = k; } }"
        + "return {x: xs[last], y: ys[last], shown: c.plot.series[i + 1].show,"
        + " max: c.plot.scales.x.max};");
    assertEquals(removedAt, ((Number) end.get("x")).longValue(), "the line reaches the removal");
    assertEquals(Double.parseDouble(lastPrice), ((Number) end.get("y")).doubleValue(), 1e-9, "at the last price");
    assertEquals(Boolean.TRUE, end.get("shown"));
    assertTrue(((Number) end.get("max")).longValue() >= removedAt, "and the axis shows it");
    shots("model-removed-claude-2.1", 1500);
  }

  @Test
  @DisplayName("A series with a single point is drawn: a marker of its colour at its point")
  void singlePointIsVisible() throws Exception {
    JsonObject vendor = series("chatgpt-4o-latest", "input").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("source").equals("openai") && s.getString("condition") == null).findFirst()
        .orElseThrow();
    assertEquals(1, vendor.getJsonArray("points").size(), "OpenAI's page has one chatgpt-4o-latest price");
    open("/model?id=chatgpt-4o-latest");
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-input"), "data-ready", "true"));
    List<?> px = (List<?>) js("var c = window.pricetideCharts['chart-input'], u = c.plot;"
        + "var i = c.spec.series.findIndex(function (s) { return s.role === 'vendor'; });"
        + "var p = c.spec.series[i].points[0];"
        + "var x = Math.round(u.valToPos(p[0], 'x', true)), y = Math.round(u.valToPos(parseFloat(p[1]), 'y', true));"
        + "var d = u.ctx.getImageData(x, y, 1, 1).data; return [d[0], d[1], d[2], d[3], c.colors[i]];");
    assertNotNull(px);
    assertTrue(((Number) px.get(3)).intValue() > 200, "an opaque marker at the point: " + px);
    String stroke = (String) px.get(4);
    int r = Integer.parseInt(stroke.substring(1, 3), 16);
    int b = Integer.parseInt(stroke.substring(5, 7), 16);
    assertEquals(r, ((Number) px.get(0)).intValue(), 40, "of the line's colour " + stroke + ": " + px);
    assertEquals(b, ((Number) px.get(2)).intValue(), 40, "of the line's colour " + stroke + ": " + px);
  }

  @Test
  @DisplayName("The price table on the real data: an image model's row shows its price per image as /api/prices has "
      + "it, never as per 1M tokens; names keep their tokens whole; desktop and phone shots of /, /sources and /usage")
  void priceTableAndOtherPagesOnRealData() throws Exception {
    // A per-image price of the corpus, as the API states it (LiteLLM lists aiml/dall-e-3 at so much an image).
    JsonObject image = new JsonObject(get("/api/prices?model=dall-e-3")).getJsonArray("prices").stream()
        .map(JsonObject.class::cast).filter(p -> p.getString("metric").equals("output_image")
            && p.getString("unit").equals("USD/image")).findFirst().orElseThrow();
    open("/?q=" + Urls.enc(image.getString("model")) + "&source=" + image.getString("source"));
    WebElement row = driver.findElements(By.cssSelector("#price-table tbody tr")).stream().filter(tr -> tr
        .findElement(By.cssSelector("th.model a")).getText().equals(image.getString("model"))).findFirst()
        .orElseThrow();
    assertTrue(row.findElement(By.cssSelector("td.other")).getText().startsWith("$" + image.getString("usd_per_1m")
        + " / image"), row.getText());
    assertTrue(driver.findElement(By.id("price-caption")).getText().contains("other prices in the unit they name"));

    // Every model link wraps only at the <wbr> the page puts between parts: no line of a name ends in a hyphen
    // inside a short part (as "deepseek-" over "r1" did).
    driver.manage().window().setSize(new Dimension(PHONE, 2400));
    try {
      open("/");
      assertTrue((Long) js("return document.querySelectorAll('#price-table th.model a .nb').length;") > 20,
          "the table's names are breakable()");
      Object broken = js("var out = [];"
          + "document.querySelectorAll('#price-table th.model a .nb').forEach(function (s) {"
          + "  var r = s.getClientRects(); if (r.length > 1) { out.push(s.textContent); } });"
          + "return out;");
      assertEquals(List.of(), broken, "pieces with a hyphen are kept on one line");
    } finally {
      driver.manage().window().setSize(new Dimension(WIDTH, 900));
    }
    shots("prices-real", 2000);
    // The image model's row and page on the real data, in their own units.
    open("/?q=dall-e-3");
    shots("prices-real-dall-e-3", 1300);
    open("/model?id=dall-e-3");
    List<String> others = driver.findElements(By.cssSelector("details.other-prices tbody td.num")).stream()
        .map(e -> e.getAttribute("textContent")).toList();
    // LiteLLM prices Azure's dall-e-3 per pixel: per megapixel here, never per 1M tokens.
    assertFalse(others.isEmpty(), "dall-e-3 has prices that are not per token");
    assertTrue(others.stream().allMatch(t -> t.matches("\\$[0-9.]+ / (image|megapixel|1k calls|second)")),
        others.toString());
    assertTrue(others.contains("$0.07629 / megapixel"), others.toString());
    // Desktop and phone, the other prices unfolded and in view.
    for (int width : new int[] {WIDTH, PHONE}) {
      driver.manage().window().setSize(new Dimension(width, width == WIDTH ? 1000 : 844));
      open("/model?id=dall-e-3");
      js("var d = document.querySelector('details.other-prices'); d.open = true; d.scrollIntoView();");
      long overflow = (Long) js("return document.documentElement.scrollWidth - window.innerWidth;");
      assertTrue(overflow <= 0, "dall-e-3's page does not scroll sideways (" + overflow + "px)");
      Files.write(SHOTS.resolve("model-dall-e-3-other" + (width == WIDTH ? "" : "-phone") + ".png"),
          driver.getScreenshotAs(OutputType.BYTES));
    }
    driver.manage().window().setSize(new Dimension(WIDTH, 900));
    open("/sources");
    shots("sources-real", 1500);
    open("/usage");
    shots("usage-corpus", 1700);
  }

  // ---------------------------------------------------------------- helpers

  private void open(String path) {
    driver.get(base + path);
    wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  private Object js(String script) {
    return driver.executeScript(script);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> lines(String chart) {
    return (List<Map<String, Object>>) js("var c = window.pricetideCharts['" + chart + "'];"
        + "return c.spec.series.map(function (s, i) { return {label: s.label, role: s.role || null,"
        + " show: c.plot.series[i + 1].show}; });");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  private JsonArray series(String model, String metric) throws Exception {
    return new JsonObject(get("/api/series?model=" + model + "&metric=" + metric)).getJsonArray("series");
  }

  /** The vendor's current standard price of a model, "$2.50", from the API. */
  private String vendorUsd(String model, String source, String metric) throws Exception {
    JsonArray prices = new JsonObject(get("/api/prices?model=" + model)).getJsonArray("prices");
    return "$" + prices.stream().map(JsonObject.class::cast).filter(p -> p.getString("source").equals(source)
        && p.getString("metric").equals(metric) && p.getString("condition") == null
        && p.getString("model").equalsIgnoreCase(model)).findFirst().orElseThrow().getString("usd_per_1m");
  }

  /** Desktop and phone screenshots of the page open now; the phone page must not scroll sideways. */
  private void shots(String name, int height) throws Exception {
    String url = driver.getCurrentUrl();
    try {
      driver.manage().window().setSize(new Dimension(WIDTH, height));
      open(url.substring(base.length()));
      awaitCharts();
      Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
      driver.manage().window().setSize(new Dimension(PHONE, Math.max(height, 2400)));
      open(url.substring(base.length()));
      awaitCharts();
      long overflow = (Long) js("return document.documentElement.scrollWidth - window.innerWidth;");
      assertTrue(overflow <= 0, name + ": the page does not scroll sideways on a phone (" + overflow + "px)");
      Files.write(SHOTS.resolve(name + "-phone.png"), driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.manage().window().setSize(new Dimension(WIDTH, 900));
    }
  }

  private void awaitCharts() {
    wait.until(d -> (Boolean) js("return Array.prototype.every.call(document.querySelectorAll('.chart'),"
        + " function (c) { return c.getAttribute('data-ready') === 'true'; });"));
  }
}
