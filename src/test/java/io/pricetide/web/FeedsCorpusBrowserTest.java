package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.alert.AlertService;
import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.extract.Extractors;
import io.pricetide.history.FxRateStore;
import io.pricetide.history.HistoryStore;
import io.pricetide.testing.Browser;
import io.pricetide.testing.Corpus;
import io.pricetide.testing.ReplayedCorpus;
import io.pricetide.testing.TestApp;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The change feed, the drift view and the subscribe form in headless Chromium on the real corpus (issue #13's
 * must-show), replayed once for the suite as {@code pricetide replay} does it: every catalogue, the usage captures
 * and the vendor pages of {@code ../shared/corpus}. Runs where the corpus exists; required when {@code CI=true}.
 * Writes screenshots of the three pages at 1280 and 390 pixels wide to {@code docs/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedsCorpusBrowserTest {
  static final Set<String> PRICE_KINDS = Set.of("price_cut", "price_increase", "model_added", "model_removed",
      "price_announced", "model_deprecated", "overtake");
  static final Path SHOTS = Path.of("docs/screenshots");

  GreenMail smtp;
  App app;
  String base;
  ChromeDriver driver;

  @BeforeAll
  void start(@TempDir Path root) throws Exception {
    Corpus.dir("litellm");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    Map<String, String> env = new HashMap<>();
    env.put("PRICETIDE_HTTP_PORT", String.valueOf(port));
    env.put("PRICETIDE_HTTP_HOST", "127.0.0.1");
    env.put("PRICETIDE_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("PRICETIDE_MAIL_HOST", "127.0.0.1");
    env.put("PRICETIDE_MAIL_PORT", String.valueOf(smtp.getSmtp().getPort()));
    env.put("PRICETIDE_MAIL_STARTTLS", "disabled");
    env.put("PRICETIDE_MAIL_FROM", "alerts@pricetide.test");
    app = TestApp.start(ReplayedCorpus.config(ReplayedCorpus.root(), env), true);
    base = "http://127.0.0.1:" + app.httpPort();
    driver = Browser.start(1280, 1000);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stop() {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      try {
        if (app != null) {
          app.close();
        }
      } finally {
        if (smtp != null) {
          smtp.stop();
        }
      }
    }
  }

  private void open(String path) {
    driver.get(base + path);
    new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> d.findElements(By.tagName("footer")).size() > 0);
  }

  private void shots(String path, String name) throws Exception {
    shots(path, name, null);
  }

  /** As {@link #shots(String, String)}, the phone shot scrolled to the first {@code scrollTo} (a CSS selector). */
  private void shots(String path, String name, String scrollTo) throws Exception {
    try {
      driver.manage().window().setSize(new Dimension(1280, 1000));
      open(path);
      Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
      driver.manage().window().setSize(new Dimension(390, 844));
      open(path);
      long overflow = (Long) driver.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
      assertTrue(overflow <= 0, name + " does not scroll sideways on a phone: " + overflow);
      if (scrollTo != null) {
        driver.executeScript("document.querySelector(arguments[0]).scrollIntoView();", scrollTo);
      }
      Files.write(SHOTS.resolve(name + "-phone.png"), driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.manage().window().setSize(new Dimension(1280, 1000));
    }
  }

  /** Kind and ISO date of each row of the event table. */
  private List<String[]> rows() {
    List<String[]> out = new ArrayList<>();
    for (WebElement tr : driver.findElements(By.cssSelector("table.events tbody tr"))) {
      out.add(new String[] {tr.getAttribute("class"), tr.findElement(By.tagName("time")).getAttribute("datetime")});
    }
    return out;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("/changes on the real data lists price changes newest first by date, and no drift or operator rows")
  void changesByDate() throws Exception {
    open("/changes");
    List<String[]> rows = rows();
    assertEquals(100, rows.size(), "a full first page");
    for (int i = 0; i < rows.size(); i++) {
      assertTrue(PRICE_KINDS.contains(rows.get(i)[0]), "row " + i + " is a " + rows.get(i)[0]);
      if (i > 0) {
        assertTrue(Instant.parse(rows.get(i - 1)[1]).compareTo(Instant.parse(rows.get(i)[1])) >= 0,
            "newest first: " + rows.get(i - 1)[1] + " before " + rows.get(i)[1]);
      }
    }
    // History has both: drift and failures exist, they are just not here.
    assertTrue(get(base + "/api/changes?kind=catalogue_drift&limit=1").body().contains("catalogue_drift"));
    assertTrue(get(base + "/api/changes?kind=source_failure&limit=1").body().contains("source_failure"));
    String atom = get(base + "/feeds/changes.atom").body();
    assertFalse(atom.contains("term=\"catalogue_drift\"") || atom.contains("term=\"source_failure\""));
    assertTrue(atom.contains("term=\"price_cut\"") || atom.contains("term=\"price_increase\""));
    // A kind filter narrows it; operator kinds are on /sources.
    open("/changes?kind=price_cut");
    assertTrue(rows().stream().allMatch(r -> r[0].equals("price_cut")) && !rows().isEmpty());
    open("/changes?kind=source_failure");
    assertTrue(driver.getCurrentUrl().endsWith("/sources"), driver.getCurrentUrl());
    assertTrue(driver.findElements(By.cssSelector("#failures ~ .table-wrap tr.source_failure")).size() > 0);
    // Vendors by their canonical names: one Zhipu, no reseller slugs.
    open("/changes");
    List<String> vendors = driver.findElements(By.cssSelector("#f-provider option")).stream()
        .map(WebElement::getText).toList();
    assertEquals(1, vendors.stream().filter(v -> v.toLowerCase().contains("zhipu") || v.toLowerCase()
        .contains("z.ai")).count(), vendors.toString());
    assertFalse(vendors.contains("openrouter") || vendors.contains("z-ai") || vendors.contains(""), vendors.toString());
    shots("/changes", "changes");
  }

  @Test
  @DisplayName("Deprecations on the real data show their retirement dates in /changes and in Atom, not empty cells")
  void deprecationsShowDates() throws Exception {
    open("/changes?kind=model_deprecated");
    List<WebElement> rows = driver.findElements(By.cssSelector("table.events tbody tr.model_deprecated"));
    assertFalse(rows.isEmpty(), "the catalogues announce retirements");
    for (WebElement tr : rows) {
      List<WebElement> dates = tr.findElements(By.cssSelector("td.num.date"));
      assertEquals(2, dates.size(), tr.getText());
      assertTrue(dates.get(1).getText().matches("\\d{4}-\\d{2}-\\d{2}"), "a retirement date: " + tr.getText());
      assertTrue(dates.get(0).getText().isEmpty() || dates.get(0).getText().matches("\\d{4}-\\d{2}-\\d{2}"));
    }
    String atom = get(base + "/feeds/changes.atom?kind=model_deprecated").body();
    assertTrue(atom.contains(" retires on 20"), atom.substring(0, Math.min(atom.length(), 2000)));
    shots("/changes?kind=model_deprecated", "changes-deprecated", "table.events");
  }

  @Test
  @DisplayName("The drift view on the real data lists catalogue drift, newest first, and its own Atom feed")
  void driftView() throws Exception {
    open("/drift");
    List<String[]> rows = rows();
    assertFalse(rows.isEmpty());
    assertTrue(rows.stream().allMatch(r -> r[0].equals("catalogue_drift")));
    String atom = get(base + "/feeds/drift.atom").body();
    assertTrue(atom.contains("term=\"catalogue_drift\""));
    assertFalse(atom.contains("term=\"price_cut\""));
    shots("/drift", "drift");
  }

  @Test
  @DisplayName("The subscribe form, submitted untouched but for the address, subscribes and sends a confirmation")
  void subscribeUntouched() throws Exception {
    open("/subscribe");
    assertTrue(driver.findElements(By.cssSelector("input[name=providers]:checked")).isEmpty(), "nothing pre-ticked");
    List<String> vendors = driver.findElements(By.cssSelector("input[name=providers]")).stream()
        .map(e -> e.getAttribute("value")).toList();
    assertTrue(vendors.containsAll(List.of("openai", "anthropic", "alibaba", "zhipu")), vendors.toString());
    assertFalse(vendors.contains("z-ai") || vendors.contains("zai") || vendors.contains("zhipuai")
        || vendors.contains("openrouter") || vendors.contains(""), vendors.toString());
    assertTrue(vendors.size() < 60, "vendors, not catalogue slugs: " + vendors.size());
    List<String> kinds = driver.findElements(By.cssSelector("input[name=kinds]")).stream()
        .map(e -> e.getAttribute("value")).toList();
    assertTrue(kinds.contains("overtake"), kinds.toString());
    assertEquals(4, driver.findElements(By.cssSelector("input[name=baseline]")).size());
    assertEquals(3, driver.findElements(By.cssSelector("input[name=mode]")).size());
    assertTrue(driver.findElements(By.id("target_below")).size() == 1);
    shots("/subscribe", "subscribe");
    open("/subscribe");
    driver.findElement(By.id("email")).sendKeys("reader@example.test");
    driver.findElement(By.cssSelector("#subscribe-form button[type=submit]")).click();
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !d.findElement(By.id("subscribe-result"))
        .getText().isEmpty());
    WebElement result = driver.findElement(By.id("subscribe-result"));
    assertEquals("201", result.getAttribute("data-status"), result.getText());
    assertTrue(smtp.waitForIncomingEmail(20_000, 1));
    String body = GreenMailUtil.getBody(smtp.getReceivedMessages()[0]);
    assertTrue(body.contains("/confirm?token="), body);
    assertEquals("reader@example.test", smtp.getReceivedMessages()[0].getAllRecipients()[0].toString());
  }
}
