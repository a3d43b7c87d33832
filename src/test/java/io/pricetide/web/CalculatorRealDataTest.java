package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.Browser;
import io.pricetide.app.App;
import io.pricetide.testing.ReplayedCorpus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The workload calculator on the real market (every catalogue and vendor page of the corpus replayed). */
class CalculatorRealDataTest {
  @Test
  @DisplayName("For 10M input and 2M output tokens a month, the calculator's top model costs what the cheapest "
      + "current base price in /api/prices gives by hand, $0.00 listings left out; the page shows it first")
  void cheapestByHand() throws Exception {
    try (App app = ReplayedCorpus.start()) {
      check("http://127.0.0.1:" + app.httpPort(), new io.pricetide.history.ModelAttributes(
          app.queries.dataSource()).all());
    }
  }

  private static String get(String url) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
        .newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(120)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), () -> url + ": " + r.body());
    return r.body();
  }

  private static void check(String base, Map<String, java.util.List<io.pricetide.history.ModelAttributes.Attributes>>
      attributes) throws Exception {
    Map<String, BigDecimal[]> offers = new HashMap<>();
    String cursor = null;
    do {
      JsonObject page = new JsonObject(get(base + "/api/prices?limit=5000"
          + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, "UTF-8"))));
      for (Object o : page.getJsonArray("prices")) {
        JsonObject p = (JsonObject) o;
        String metric = p.getString("metric");
        if (p.getString("condition") != null || p.getString("usd_per_1m") == null
            || !(metric.equals("input") || metric.equals("output"))) {
          continue;
        }
        // A workload with output tokens is for models that write text: leave out those every catalogue stating a
        // kind calls something else (image generation, embeddings), as the calculator says it does.
        // Likewise those whose stated outputs lack text, and those whose stated inputs lack it (speech-to-text).
        java.util.Set<String> kinds = new java.util.HashSet<>();
        java.util.Set<String> ins = new java.util.HashSet<>();
        java.util.Set<String> outs = new java.util.HashSet<>();
        attributes.getOrDefault(p.getString("canonical_model"), java.util.List.of()).forEach(a -> {
          if (a.kind() != null) {
            kinds.add(a.kind());
          }
          if (a.inputModalities() != null) {
            ins.addAll(java.util.List.of(a.inputModalities().split(",")));
          }
          if (a.outputModalities() != null) {
            outs.addAll(java.util.List.of(a.outputModalities().split(",")));
          }
        });
        if (!kinds.isEmpty() && java.util.Collections.disjoint(kinds, java.util.Set.of("chat", "completion",
            "responses")) || !ins.isEmpty() && !ins.contains("text") || !outs.isEmpty() && !outs.contains("text")) {
          continue;
        }
        BigDecimal[] io = offers.computeIfAbsent(p.getString("source") + " " + p.getString("model"),
            k -> new BigDecimal[2]);
        io[metric.equals("input") ? 0 : 1] = new BigDecimal(p.getString("usd_per_1m"));
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    BigDecimal cheapest = null;
    for (BigDecimal[] io : offers.values()) {
      if (io[0] == null || io[1] == null || io[0].signum() == 0 || io[1].signum() == 0) {
        continue;
      }
      BigDecimal month = io[0].multiply(BigDecimal.TEN).add(io[1].multiply(BigDecimal.valueOf(2)));
      cheapest = cheapest == null || month.compareTo(cheapest) < 0 ? month : cheapest;
    }
    assertTrue(offers.size() > 1000, "the real catalogues are loaded: " + offers.size() + " offers");
    BigDecimal byHand = cheapest;

    JsonObject api = new JsonObject(get(base + "/api/calculator?in=10M&out=2M&limit=5"));
    JsonArray ranking = api.getJsonArray("ranking");
    assertEquals(0, byHand.compareTo(new BigDecimal(ranking.getJsonObject(0).getString("monthly_usd"))),
        () -> "by hand " + byHand.toPlainString() + ", calculator " + ranking.getJsonObject(0));
    assertTrue(api.getInteger("left_free") > 0, "the real catalogues list $0.00 prices, left out");
    for (int i = 1; i < ranking.size(); i++) {
      assertTrue(new BigDecimal(ranking.getJsonObject(i - 1).getString("monthly_usd"))
          .compareTo(new BigDecimal(ranking.getJsonObject(i).getString("monthly_usd"))) <= 0, "ranked by cost");
    }

    ChromeDriver driver = Browser.start(1280, 1000);
    try {
      driver.get(base + "/calculator?in=10M&out=2M");
      new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector(
          "#calc-table tbody tr")).isEmpty());
      String top = driver.findElement(By.cssSelector("#calc-table tbody tr td.monthly")).getText();
      assertEquals("$" + cheapest.setScale(2, RoundingMode.HALF_UP).toPlainString(), top);
      Path shots = Files.createDirectories(Path.of("docs/screenshots"));
      Files.write(shots.resolve("calculator.png"), driver.getScreenshotAs(OutputType.BYTES));
      // The same workload on a phone: the ranking scrolls in its own container, the page does not.
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 1600));
      driver.get(base + "/calculator?in=10M&out=2M");
      new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector(
          "#calc-table tbody tr")).isEmpty());
      long overflow = (Long) driver.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
      assertTrue(overflow <= 0, "the calculator does not scroll sideways on a phone: " + overflow);
      Files.write(shots.resolve("calculator-phone.png"), driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.quit();
    }
  }
}
