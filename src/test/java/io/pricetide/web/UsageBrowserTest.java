package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.check.Replayer;
import io.pricetide.testing.Browser;
import io.pricetide.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The usage page's views in headless Chromium: on a small history written here ({@link UsageFixture}) and on the
 * real rankings captures replayed ({@code ../shared/corpus/usage}, required when {@code CI=true}). Screenshots go
 * to {@code docs/screenshots/usage-*.png} at 1280 and 390 pixels wide.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageBrowserTest {
  static final Path SHOTS = Path.of("docs/screenshots");
  static final int WIDTH = 1280;
  static final int PHONE = 390;
  static final int HEIGHT = 900;

  ChromeDriver driver;
  WebDriverWait wait;
  UsageFixture fx;

  @BeforeAll
  void start(@TempDir Path root) throws Exception {
    driver = Browser.start(WIDTH, HEIGHT);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    fx = UsageFixture.start(root.resolve("fixture"), true);
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
  @DisplayName("Share by provider over the whole history, zoomable, overtakes marked on the chart and listed with "
      + "their stored token counts")
  void overview() throws Exception {
    open(fx.base, "/usage");
    wait.until(ExpectedConditions.attributeToBe(By.id("usage-0-providers"), "data-ready", "true"));
    assertEquals(5L, js("return window.pricetideCharts['usage-0-providers'].spec.series[0].points.length;"),
        "every recorded complete week");
    List<String> marked = strings("return window.pricetideCharts['usage-0-providers'].spec.events"
        + ".map(function (e) { return e.label; });");
    assertTrue(marked.contains("qwen passed openai") && marked.contains("openai passed qwen"), marked::toString);
    List<String> listed = texts("table.overtakes tbody th");
    assertTrue(listed.contains("qwen passed openai, week of 2025-12-22: 530 vs 480 tokens"), listed::toString);
    assertTrue(listed.contains("openai passed qwen, week of 2026-01-05: 560 vs 450 tokens"), listed::toString);
    assertTrue(driver.findElement(By.cssSelector("table.overtakes tbody")).getText()
        .contains("no: history"));
    // Zoom: the range buttons narrow the x scale; a drag zooms too (uPlot's own).
    double full = ((Number) js("var u = window.pricetideCharts['usage-0-providers'].plot; "
        + "return u.scales.x.max - u.scales.x.min;")).doubleValue();
    driver.findElement(By.cssSelector("button[data-chart='usage-0-providers'][data-range='30d']")).click();
    double zoomed = ((Number) js("var u = window.pricetideCharts['usage-0-providers'].plot; "
        + "return u.scales.x.max - u.scales.x.min;")).doubleValue();
    assertTrue(zoomed < full, zoomed + " < " + full);
    driver.findElement(By.cssSelector("button[data-chart='usage-0-providers'][data-range='all']")).click();
    shot("usage-overview", WIDTH, 1500);
    shot("usage-overview-phone", PHONE, 1500);
  }

  @Test
  @DisplayName("Provider vs provider: pick two, see both weekly token series, the ratio and their overtakes")
  void versus() throws Exception {
    open(fx.base, "/usage");
    new Select(driver.findElement(By.id("vs-a"))).selectByValue("anthropic");
    wait.until(ExpectedConditions.urlContains("a=anthropic"));
    new Select(driver.findElement(By.id("vs-b"))).selectByValue("qwen");
    wait.until(ExpectedConditions.urlContains("b=qwen"));
    wait.until(ExpectedConditions.attributeToBe(By.id("vs-ratio"), "data-ready", "true"));
    assertEquals(List.of("anthropic", "qwen"), strings("return window.pricetideCharts['vs-tokens'].spec.series"
        + ".map(function (s) { return s.label; });"));
    String ratio = (String) js("var s = window.pricetideCharts['vs-ratio'].spec.series[0].points; "
        + "return s[s.length - 1][1];");
    assertEquals("0.7333", ratio, "330 / 450 in the week of 2026-01-05");
    assertTrue(texts("ul.vs-overtakes li").contains("qwen passed anthropic, week of 2025-12-22: 530 vs 300 tokens"),
        texts("ul.vs-overtakes li")::toString);
    open(fx.base, "/usage?a=qwen&b=openai");
    wait.until(ExpectedConditions.attributeToBe(By.id("vs-tokens"), "data-ready", "true"));
    assertEquals(2L, js("return window.pricetideCharts['vs-tokens'].spec.events.length;"), "both overtakes marked");
    assertEquals(List.of("openai passed qwen, week of 2026-01-05: 560 vs 450 tokens",
        "qwen passed openai, week of 2025-12-22: 530 vs 480 tokens"), texts("ul.vs-overtakes li"));
    scrollTo("vs-h");
    shot("usage-vs", WIDTH, 1400);
  }

  @Test
  @DisplayName("Usage beside price: openai's share next to gpt-5's blended price (3:1), its cut marked, and the "
      + "share the week before the cut and two weeks after")
  void besidePrice() throws Exception {
    open(fx.base, "/usage?p=openai");
    wait.until(ExpectedConditions.attributeToBe(By.id("beside-chart"), "data-ready", "true"));
    assertEquals("gpt-5", new Select(driver.findElement(By.id("beside-pm"))).getFirstSelectedOption().getText(),
        "the provider's most used model with prices");
    List<String> blended = strings("return window.pricetideCharts['beside-chart'].spec.price.points"
        + ".map(function (p) { return p[1]; });");
    assertEquals(List.of("17.50", "8.75"), blended, "(3 × 10 + 40) / 4, then (3 × 5 + 20) / 4");
    assertEquals(2L, js("return window.pricetideCharts['beside-chart'].spec.cuts.length;"), "input and output cut");
    assertTrue((Boolean) js("var u = window.pricetideCharts['beside-chart'].plot; return u.series.length === 3 "
        + "&& u.series[1].scale === 'share' && u.series[2].scale === 'usd';"), "two axes");
    WebElement cut = driver.findElements(By.cssSelector("table.beside-cuts tbody tr")).get(0);
    String row = cut.getText();
    // The cut's week is 2025-12-22: the week before, openai had 520 of 1090 named tokens; two weeks after its
    // week, 560 of 1340 (the rest bucket is no provider).
    assertTrue(row.contains("47.71%") && row.contains("41.79%") && row.contains("-5.92 pp"), row);
    assertTrue(driver.findElement(By.cssSelector(".usage-beside .meta")).getText().contains("first-party"));
    scrollTo("beside-h");
    shot("usage-beside", WIDTH, 1100);
    shot("usage-beside-phone", PHONE, 1400);
  }

  @Test
  @DisplayName("The open-weight ecosystem: derivatives and downloads per family over time, and the latest figures")
  void ecosystem() throws Exception {
    open(fx.base, "/usage");
    wait.until(ExpectedConditions.attributeToBe(By.id("hub-derivatives"), "data-ready", "true"));
    List<String> families = texts("table.hub-families tbody th");
    assertTrue(families.containsAll(List.of("gemma", "llama", "qwen")), families::toString);
    assertTrue((Long) js("return window.pricetideCharts['hub-derivatives'].spec.series.filter(function (s) {"
        + " return s.label === 'qwen'; })[0].points.length;") >= 1);
    assertTrue(driver.findElements(By.cssSelector("[data-hub-empty]")).isEmpty());
    scrollTo("hub-h");
    shot("usage-hub", WIDTH, 1100);
  }

  @Test
  @DisplayName("On the real captures: the year of weekly shares, qwen and openai passing each other with the page's"
      + " token counts, and the Hub's honest empty state")
  void realCorpus(@TempDir Path root) throws Exception {
    Path usage = Corpus.dir("usage");
    try (UsageFixture real = UsageFixture.start(root, false)) {
      Replayer r = new Replayer(real.app.extractors, real.app.store, real.app.archive);
      for (Replayer.Snapshot s : Replayer.snapshots(usage, new java.util.ArrayList<>())) {
        r.replay("openrouter-rankings", s);
      }
      open(real.base, "/usage");
      wait.until(ExpectedConditions.attributeToBe(By.id("usage-0-providers"), "data-ready", "true"));
      long weeks = (Long) js("return Math.max.apply(null, window.pricetideCharts['usage-0-providers'].spec.series"
          + ".map(function (s) { return s.points.length; }));");
      assertTrue(weeks >= 49, "about a year of weeks: " + weeks);
      List<String> listed = texts("table.overtakes tbody th");
      assertTrue(listed.contains("qwen passed openai, week of 2025-07-28: 361.8B vs 188.0B tokens"),
          listed::toString);
      assertTrue(listed.contains("openai passed qwen, week of 2025-08-11: 331.5B vs 326.3B tokens"),
          listed::toString);
      List<String> visible = driver.findElements(By.cssSelector("table.overtakes tbody th")).stream()
          .filter(WebElement::isDisplayed).map(WebElement::getText).toList();
      assertTrue(visible.contains("qwen passed openai, week of 2025-07-28: 361.8B vs 188.0B tokens"),
          "overtakes among the leaders are not folded away: " + visible);
      assertTrue(visible.stream().noneMatch(t -> t.startsWith("mistralai passed meta-llama")), visible::toString);
      String hub = driver.findElement(By.cssSelector("[data-hub-empty]")).getText();
      assertTrue(hub.contains("huggingface-hub") && hub.contains("never checked"), hub);
      shot("usage-real", WIDTH, 1600);
      shot("usage-real-phone", PHONE, 1600);
      open(real.base, "/usage?a=qwen&b=openai");
      wait.until(ExpectedConditions.attributeToBe(By.id("vs-ratio"), "data-ready", "true"));
      assertTrue(texts("ul.vs-overtakes li").contains("qwen passed openai, week of 2025-07-28: 361.8B vs 188.0B "
          + "tokens"));
      scrollTo("vs-h");
      shot("usage-real-vs", WIDTH, 1300);
      assertFalse(driver.findElement(By.tagName("body")).getText().contains("Something went wrong"));
    }
  }

  // ---------------------------------------------------------------- helpers

  private void open(String base, String path) {
    driver.get(base + path);
    wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  private Object js(String script) {
    return driver.executeScript(script);
  }

  @SuppressWarnings("unchecked")
  private List<String> strings(String script) {
    return (List<String>) js(script);
  }

  /** The text of every match, folded-away ones (a closed {@code <details>}) included. */
  private List<String> texts(String css) {
    return driver.findElements(By.cssSelector(css)).stream().map(e -> e.getAttribute("textContent").trim())
        .toList();
  }

  private void scrollTo(String id) {
    js("document.getElementById('" + id + "').scrollIntoView();");
  }

  /** A screenshot at {@code width} × {@code height}; the charts are redrawn at the new width first. */
  private void shot(String name, int width, int height) throws Exception {
    Object y = js("return window.scrollY;");
    try {
      driver.manage().window().setSize(new Dimension(width, height));
      wait.until(d -> (Boolean) js("return window.innerWidth <= " + width + " && window.innerHeight >= "
          + (height - 200) + ";"));
      js("window.dispatchEvent(new Event('resize')); window.scrollTo(0, " + y + ");");
      Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
    }
  }
}
