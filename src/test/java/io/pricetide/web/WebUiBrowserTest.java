package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.CanonicalModels;
import io.pricetide.price.Decimals;
import io.pricetide.testing.Browser;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium over a replayed history (see {@link UiFixture}): what a person sees and does.
 * Each test writes screenshots of the pages it visits to {@code docs/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserTest {
  static final Path SHOTS = Path.of("docs/screenshots");
  static final int WIDTH = 1280;
  static final int HEIGHT = 860;

  UiFixture fx;
  ChromeDriver driver;
  WebDriverWait wait;

  @BeforeAll
  void start(@TempDir Path root) throws Exception {
    driver = Browser.start(WIDTH, HEIGHT);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    fx = UiFixture.start(root);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stop() {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (fx != null) {
        fx.close();
      }
    }
  }

  @Test
  @DisplayName("The price table lists every model with blended price and original currency; header links sort it, "
      + "the search box filters live, the provider filter on the server; it fits a phone's width")
  void priceTable() throws Exception {
    open("/");
    List<String> models = texts("#price-table tbody th.model a");
    assertTrue(models.containsAll(List.of("Acme Large", "Acme Small", "Orbit Max", UiFixture.HOSTILE)),
        models::toString);
    WebElement large = row("Acme Large");
    assertEquals("$7.00", cell(large, 4).getText());
    assertEquals("$12.25", cell(large, 7).getText(), "blended (3 x 7.00 + 28.00) / 4");
    assertTrue(row("Acme Large").getText().contains("input -41.67%"), "last change");
    WebElement orbitInput = cell(row("Orbit Max"), 4);
    assertEquals("CNY 5.80 per 1M tokens, converted to USD", orbitInput.getAttribute("title"));
    assertTrue(orbitInput.getText().startsWith("$0.8004"), orbitInput.getText());
    shot("prices");

    driver.findElement(By.cssSelector("th[data-col=input] a")).click();
    wait.until(ExpectedConditions.attributeToBe(By.cssSelector("th[data-col=input]"), "aria-sort", "ascending"));
    List<BigDecimal> asc = inputs();
    assertEquals(asc.stream().sorted().toList(), asc, "ascending by input");
    assertEquals(new BigDecimal("0.104"), asc.get(0));
    driver.findElement(By.cssSelector("th[data-col=input] a")).click();
    wait.until(ExpectedConditions.attributeToBe(By.cssSelector("th[data-col=input]"), "aria-sort", "descending"));
    List<BigDecimal> desc = inputs();
    assertEquals(desc.stream().sorted(java.util.Comparator.reverseOrder()).toList(), desc, "descending by input");
    assertEquals(new BigDecimal("7.00"), desc.get(0));

    WebElement q = driver.findElement(By.id("q"));
    q.sendKeys("orbit");
    wait.until(d -> visibleModels().equals(List.of("Orbit Max")));
    assertEquals("1", driver.findElement(By.cssSelector("[data-count]")).getText());
    q.clear();
    q.sendKeys(Keys.BACK_SPACE);
    new Select(driver.findElement(By.id("provider"))).selectByValue("acme");
    driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("provider=acme"));
    wait.until(d -> visibleModels().size() == 3);
    assertTrue(texts("#price-table tbody tr td:nth-child(2)").stream().allMatch("acme"::equals));
    assertFalse(visibleModels().contains("Orbit Max"));

    // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    open("/");
    driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
    WebElement skip = driver.switchTo().activeElement();
    assertEquals("Skip to content", skip.getText());
    skip.sendKeys(Keys.ENTER);
    wait.until(d -> "main".equals(d.switchTo().activeElement().getAttribute("id")));

    try {
      driver.manage().window().setSize(new Dimension(390, 844));
      open("/");
      long overflow = (Long) js("return document.documentElement.scrollWidth - window.innerWidth;");
      assertTrue(overflow <= 0, "the page does not scroll sideways at phone width; the table scrolls in its box");
      shot("prices-phone");
    } finally {
      driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
    }
  }

  @Test
  @DisplayName("The model page draws a stepped chart per metric whose points are exactly /api/series, with change "
      + "markers, hover values and dates, range buttons, the all-time low, and the low badge only where it was higher")
  void modelPage() throws Exception {
    open("/model?id=acme-large");
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-input"), "data-ready", "true"));
    JsonObject chart = new JsonObject((String) js("var c = window.pricetideCharts['chart-input'];"
        + "return JSON.stringify({x: c.data[0], y: c.data.slice(1), s: c.strings, events: c.spec.events.length,"
        + "labels: c.plot.series.slice(1).map(function (s) { return s.label; })});"));
    JsonArray api = new JsonObject(fx.get("/api/series?model=acme-large&metric=input")).getJsonArray("series");
    assertEquals(api.size(), chart.getJsonArray("y").size(), "one line per series");
    JsonArray xs = chart.getJsonArray("x");
    int checked = 0;
    for (int k = 0; k < api.size(); k++) {
      JsonObject s = api.getJsonObject(k);
      assertTrue(chart.getJsonArray("labels").getString(k).startsWith(s.getString("model")));
      for (Object o : s.getJsonArray("points")) {
        JsonObject p = (JsonObject) o;
        long t = Instant.parse(p.getString("observed_at")).getEpochSecond();
        int idx = -1;
        for (int i = 0; i < xs.size() && idx < 0; i++) {
          idx = xs.getLong(i) == t ? i : -1;
        }
        assertTrue(idx >= 0, "the chart has a point at " + p.getString("observed_at"));
        assertEquals(p.getString("usd_per_1m"), chart.getJsonArray("s").getJsonArray(k).getString(idx));
        assertEquals(Double.parseDouble(p.getString("usd_per_1m")),
            chart.getJsonArray("y").getJsonArray(k).getDouble(idx), 1e-9);
        checked++;
      }
    }
    assertEquals(4, checked, "10.00, 8.00, 12.00, 7.00");
    assertEquals(3, chart.getInteger("events"), "markers: a cut, an increase, a cut");
    assertTrue((Boolean) js("var c = document.querySelector('#chart-input canvas');"
        + "return c.width > 200 && c.height > 100;"));

    WebElement over = driver.findElement(By.cssSelector("#chart-input .u-over"));
    new Actions(driver).moveToElement(over, over.getSize().getWidth() / 4, 10).perform();
    wait.until(d -> d.findElement(By.cssSelector("#chart-input .u-legend .u-series:nth-child(2) .u-value")).getText()
        .startsWith("$"));
    assertTrue(driver.findElement(By.cssSelector("#chart-input .u-legend .u-series:first-child .u-value")).getText()
        .matches("\\d{4}-\\d{2}-\\d{2}.*"), "hover shows the date");

    assertTrue(vendorCell(0).startsWith("$7.00"), vendorCell(0));
    assertTrue(vendorCell(0).contains("all-time low"), "$7.00 is the lowest, and it was $12.00");

    driver.findElement(By.cssSelector("button[data-chart=chart-input][data-range='30d']")).click();
    wait.until(ExpectedConditions.attributeToBe(By.cssSelector("button[data-chart=chart-input][data-range='30d']"),
        "aria-pressed", "true"));
    Map<?, ?> scale = (Map<?, ?>) js("var u = window.pricetideCharts['chart-input'].plot;"
        + "return {min: u.scales.x.min, max: u.scales.x.max};");
    assertEquals(30 * 86400.0, ((Number) scale.get("max")).doubleValue() - ((Number) scale.get("min")).doubleValue(),
        1.0);
    driver.findElement(By.cssSelector("button[data-chart=chart-input][data-range='all']")).click();
    tallShot("model", 1180);

    open("/model?id=acme-small");
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-input"), "data-ready", "true"));
    assertEquals("$0.104", vendorCell(0), "0.104 against a low of 0.10: no badge");
    assertEquals("$0.60", vendorCell(1), "output at $0.60 from the start: its low, but never higher, so no badge");
  }

  @Test
  @DisplayName("The comparison page shows both models side by side and the price ratio now and over time")
  void comparison() throws Exception {
    open("/compare?m=orbit-max&m=acme-large&metric=input");
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-ratio"), "data-ready", "true"));
    BigDecimal acme = usd("acme-large", "input");
    BigDecimal orbit = usd("orbit-max", "input");
    String ratio = Decimals.money(acme.divide(orbit, 4, RoundingMode.HALF_UP).stripTrailingZeros());
    assertEquals(ratio + "\u00d7", driver.findElement(By.cssSelector("[data-ratio] .ratio-value")).getText());
    assertTrue(driver.findElement(By.cssSelector("[data-ratio]")).getText()
        .startsWith("Acme Large (acme) costs " + ratio + "\u00d7 the input price of Orbit Max (orbit)"));
    String last = (String) js("var c = window.pricetideCharts['chart-ratio'];"
        + "var s = c.strings[0]; return s[s.length - 1];");
    assertEquals(ratio, last, "the ratio chart ends at today's ratio");
    List<String> side = texts("table.side tbody tr:first-child td");
    assertEquals(List.of("$" + Decimals.money(orbit), "$" + Decimals.money(acme)), side);
    tallShot("compare", 1280);
  }

  @Test
  @DisplayName("The calculator's \"Tell me when this changes\" link opens the workload alert form pre-filled with "
      + "the workload, and the form subscribes it (#13)")
  void workloadAlertForm() throws Exception {
    open("/calculator?in=5M&out=1M&first_party=1");
    driver.findElement(By.id("workload-subscribe")).click();
    wait.until(ExpectedConditions.urlContains("alert=workload"));
    assertEquals("5000000", driver.findElement(By.id("in")).getAttribute("value"));
    assertEquals("0", driver.findElement(By.id("cached")).getAttribute("value"));
    assertEquals("1000000", driver.findElement(By.id("out")).getAttribute("value"));
    assertTrue(driver.findElement(By.id("first_party")).isSelected());
    assertFalse(driver.findElement(By.id("free")).isSelected());
    assertTrue(driver.findElement(By.id("cheapest_changes")).isSelected());
    driver.findElement(By.id("email")).sendKeys("workload@example.com");
    driver.findElement(By.id("falls_percent")).sendKeys("15");
    shot("subscribe-workload");
    driver.findElement(By.cssSelector("#workload-form button[type=submit]")).click();
    wait.until(d -> {
      String st = d.findElement(By.id("workload-result")).getAttribute("data-status");
      return st != null && st.startsWith("2");
    });
    HttpResponse<String> list = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create(fx.base + "/api/subscriptions?status=pending"))
            .timeout(java.time.Duration.ofSeconds(30)).header("Authorization", "Bearer test-admin-token").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, list.statusCode(), list.body());
    JsonObject sub = new JsonObject(list.body()).getJsonArray("subscriptions").stream().map(JsonObject.class::cast)
        .filter(x -> "workload@example.com".equals(x.getString("target"))).findFirst().orElseThrow();
    assertEquals("workload", sub.getString("kind"), sub.encode());
    assertEquals(new JsonObject().put("in", "5000000").put("cached", "0").put("out", "1000000")
        .put("first_party", "1"), sub.getJsonObject("workload"));
    assertEquals(new JsonObject().put("cheapest_changes", true).put("falls_percent", "15"),
        sub.getJsonObject("trigger"));
  }

  @Test
  @DisplayName("The subscribe form posts the contract's JSON to /api/subscriptions and shows the answer; confirm "
      + "and unsubscribe pages post their token")
  void subscribeForms() throws Exception {
    HttpResponse<String> probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create(fx.base + "/api/subscriptions")).timeout(java.time.Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    boolean backend = probe.statusCode() != 404;
    open("/subscribe");
    driver.findElement(By.cssSelector("#subscribe-form button[type=submit]")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("subscribe-result"), "data-status", "400"));
    assertEquals("Please enter a valid email address.", driver.findElement(By.id("subscribe-result")).getText());
    if (!backend) {
      stubFetch("{\"id\":\"sub-1\",\"status\":\"pending\"}", 201);
    }
    driver.findElement(By.id("email")).sendKeys("alice@example.com");
    driver.findElement(By.cssSelector("input[name=providers][value=acme]")).click();
    driver.findElement(By.cssSelector("input[name=metrics][value=input]")).click();
    driver.findElement(By.cssSelector("input[name=kinds][value=price_cut]")).click();
    driver.findElement(By.id("min_percent")).sendKeys("20");
    driver.findElement(By.cssSelector("#subscribe-form button[type=submit]")).click();
    wait.until(d -> d.findElement(By.id("subscribe-result")).getAttribute("data-status").startsWith("2"));
    String result = driver.findElement(By.id("subscribe-result")).getText();
    assertTrue(result.startsWith("Almost done: we sent a confirmation link to alice@example.com."), result);
    if (!backend) {
      JsonObject posted = posted();
      assertEquals("/api/subscriptions", posted.getString("url"));
      assertEquals("POST", posted.getString("method"));
      assertEquals("application/json", posted.getJsonObject("headers").getString("Content-Type"));
      assertEquals(new JsonObject().put("channel", "email").put("target", "alice@example.com")
          .put("filter", new JsonObject().put("providers", new JsonArray().add("acme"))
              .put("metrics", new JsonArray().add("input")).put("kinds", new JsonArray().add("price_cut"))
              .put("direction", "down").put("min_percent", 20)), new JsonObject(posted.getString("body")));
      assertTrue(result.endsWith("Status: pending."), result);
    }
    // The subscribe page's screenshot is taken on the real data (FeedsCorpusBrowserTest).

    for (String[] page : new String[][] {{"confirm", "/api/subscriptions/confirm", "your subscription is confirmed"},
        {"unsubscribe", "/api/subscriptions/unsubscribe", "you are unsubscribed"}}) {
      open("/" + page[0] + "?token=t0k%3Cen%3E");
      stubFetch("{\"status\":\"ok\"}", 200);
      driver.findElement(By.cssSelector("form[data-json-form=token] button")).click();
      wait.until(d -> "200".equals(d.findElement(By.cssSelector("form .result")).getAttribute("data-status")));
      assertTrue(driver.findElement(By.cssSelector("form .result")).getText().contains(page[2]));
      JsonObject posted = posted();
      assertEquals(page[1], posted.getString("url"));
      assertEquals(new JsonObject().put("token", "t0k<en>"), new JsonObject(posted.getString("body")));
      shot(page[0]);
    }
  }

  @Test
  @DisplayName("The change feed filters by event kind; source health shows each source's last check and freshness; "
      + "the usage page charts weekly shares by provider and model and lists the overtake")
  void changesSourcesAndUsage() throws Exception {
    open("/changes");
    assertTrue(texts("table.events tbody tr").size() >= 5, "cuts, increase, additions");
    new Select(driver.findElement(By.id("f-kind"))).selectByValue("price_cut");
    driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("kind=price_cut"));
    List<String> kinds = texts("table.events tbody tr td:nth-child(2)");
    assertFalse(kinds.isEmpty());
    assertTrue(kinds.stream().allMatch("price cut"::equals), kinds::toString);
    assertTrue(driver.findElement(By.cssSelector("a[type='application/atom+xml']")).getAttribute("href")
        .endsWith("/feeds/changes.atom?kind=price_cut"));
    // The change feed's screenshot is taken on the real data (FeedsCorpusBrowserTest).

    open("/sources");
    WebElement acme = driver.findElements(By.cssSelector("table.sources tbody tr")).stream()
        .filter(r -> r.getText().contains("acme")).findFirst().orElseThrow();
    assertTrue(acme.getText().contains("changed"), acme.getText());
    assertTrue(acme.getText().contains("fresh"), acme.getText());
    shot("sources");

    open("/usage");
    wait.until(ExpectedConditions.attributeToBe(By.id("usage-0-providers"), "data-ready", "true"));
    assertTrue(driver.findElement(By.id("usage-0-providers-h")).getText().contains("weekly_tokens"));
    assertTrue(driver.findElement(By.cssSelector("body")).getText().contains("the source's own totals by author"),
        "providers are charted from the page's totals by author, never as sums of the leaderboard's models");
    assertTrue(driver.findElements(By.id("usage-1-providers")).isEmpty(), "the author totals are no section of their own");
    List<String> latest = texts("table.usage-latest tbody th");
    assertEquals("qwen/qwen3-coder", latest.get(0), latest::toString);
    String share = (String) js("var c = window.pricetideCharts['usage-0-providers'];"
        + "var i = c.plot.series.findIndex(function (s) { return s.label === 'qwen'; });"
        + "var s = c.strings[i - 1]; return s[s.length - 1];");
    assertTrue(share != null && new BigDecimal(share).compareTo(new BigDecimal("40")) > 0, share);
    assertTrue(driver.findElement(By.cssSelector("table.overtakes")).getText().contains("passed openai"),
        "the overtake is listed");
    tallShot("usage", 1300);
  }

  @Test
  @DisplayName("A model name with <script> and \"onerror= from a served page is text everywhere: table, model page, "
      + "chart legend, comparison, change feed; no script of it runs")
  void hostileNameIsText() throws Exception {
    String canonical = CanonicalModels.RULES.canonical(UiFixture.HOSTILE);
    open("/");
    assertTrue(texts("#price-table tbody th.model a").contains(UiFixture.HOSTILE));
    assertHarmless();
    open("/model?id=" + Urls.enc(canonical));
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-input"), "data-ready", "true"));
    assertEquals(UiFixture.HOSTILE, driver.findElement(By.tagName("h1")).getText());
    String legend = driver.findElement(By.cssSelector("#chart-input .u-legend .u-series:nth-child(2) .u-label"))
        .getText();
    assertTrue(legend.startsWith(UiFixture.HOSTILE), legend);
    assertHarmless();
    open("/compare?m=acme-large&m=" + Urls.enc(canonical));
    wait.until(ExpectedConditions.attributeToBe(By.id("chart-ratio"), "data-ready", "true"));
    assertTrue(driver.findElement(By.cssSelector("[data-ratio]")).getText().startsWith(UiFixture.HOSTILE));
    assertHarmless();
    open("/changes");
    assertTrue(texts("table.events tbody td:nth-child(4) a").contains(UiFixture.HOSTILE));
    assertHarmless();
  }

  // ---------------------------------------------------------------- helpers

  private void open(String path) {
    driver.get(fx.base + path);
    wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  private Object js(String script) {
    return driver.executeScript(script);
  }

  private void assertHarmless() {
    wait.until(d -> "complete".equals(js("return document.readyState")));
    assertNull(js("return window.__pwned === undefined ? null : String(window.__pwned);"), "no injected script ran");
    assertEquals(0L, js("return document.querySelectorAll('img[src=x], main script:not([type])').length;"));
    try {
      driver.switchTo().alert();
      throw new AssertionError("an alert opened");
    } catch (NoAlertPresentException expected) {
      // fine
    }
  }

  private List<String> texts(String css) {
    return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).collect(Collectors.toList());
  }

  private List<String> visibleModels() {
    return driver.findElements(By.cssSelector("#price-table tbody tr")).stream().filter(WebElement::isDisplayed)
        .map(r -> r.findElement(By.cssSelector("th.model a")).getText()).toList();
  }

  private WebElement row(String model) {
    return driver.findElements(By.cssSelector("#price-table tbody tr")).stream()
        .filter(r -> r.findElement(By.cssSelector("th.model a")).getText().equals(model)).findFirst().orElseThrow();
  }

  /** Cells by column: 0 pick, 1 provider, 2 model, 3 source, 4 input, 5 output, 6 cache read, 7 blended. */
  private static WebElement cell(WebElement row, int column) {
    return row.findElements(By.cssSelector("td, th")).get(column);
  }

  private List<BigDecimal> inputs() {
    return driver.findElements(By.cssSelector("#price-table tbody tr")).stream()
        .map(r -> cell(r, 4).getAttribute("data-sort")).filter(s -> !s.isEmpty()).map(BigDecimal::new).toList();
  }

  /** A price cell of the model page's first vendor row: 0 input, 1 output, 2 cache read. */
  private String vendorCell(int column) {
    return driver.findElement(By.cssSelector("table.model-prices tbody.role-vendor tr:not(.group)"))
        .findElements(By.cssSelector("td.num")).get(column).getText();
  }

  private BigDecimal usd(String model, String metric) throws Exception {
    JsonArray prices = new JsonObject(fx.get("/api/prices?model=" + model)).getJsonArray("prices");
    return prices.stream().map(JsonObject.class::cast).filter(p -> p.getString("metric").equals(metric))
        .map(p -> new BigDecimal(p.getString("usd_per_1m"))).findFirst().orElseThrow();
  }

  private void stubFetch(String body, int status) {
    driver.executeScript("window.__posted = [];"
        + "window.fetch = function (url, opts) {"
        + "  window.__posted.push({url: String(url), method: opts.method, headers: opts.headers, body: opts.body});"
        + "  return Promise.resolve(new Response(arguments[0] === undefined ? '' : " + JsonObject.of("b", body)
        .encode() + ".b, {status: " + status + ", headers: {'Content-Type': 'application/json'}}));"
        + "};");
  }

  private JsonObject posted() {
    return new JsonObject((String) js("return JSON.stringify(window.__posted[window.__posted.length - 1]);"));
  }

  /** A screenshot of a taller window, for pages whose charts sit below the fold. */
  private void tallShot(String name, int height) throws Exception {
    try {
      driver.manage().window().setSize(new Dimension(WIDTH, height));
      wait.until(d -> (Boolean) js("return window.innerHeight >= " + (height - 150) + ";"));
      shot(name);
    } finally {
      driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
    }
  }

  private void shot(String name) throws Exception {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }
}
