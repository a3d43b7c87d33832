package io.pricetide.extract;

import static io.pricetide.extract.VendorSources.assertPrice;
import static io.pricetide.extract.VendorSources.assertUsd;
import static io.pricetide.extract.VendorSources.extract;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeepSeekPageTest {
  private static final String BAND = "UTC 16:30-00:30";

  @Test
  @DisplayName("Transposed HTML table: models as columns, metric rows, the standard band as base and the discount band")
  void transposedWithBands() {
    List<Observation> obs = extract("deepseek-en", "pricing.html", "html");
    assertUsd(obs, "deepseek-chat", "cache_read", "", "0.07");
    assertUsd(obs, "deepseek-chat", "input", "", "0.27");
    assertUsd(obs, "deepseek-reasoner", "output", "", "2.19");
    assertUsd(obs, "deepseek-chat", "cache_read", BAND, "0.035");
    assertUsd(obs, "deepseek-reasoner", "output", BAND, "0.55");
    assertUsd(obs, "deepseek-reasoner", "input", BAND, "0.135");
    assertUsd(obs, "deepseek-chat", "input", BAND, "0.135");
    assertEquals(12, obs.size());
  }

  @Test
  @DisplayName("Chinese page: 元 prices are CNY, Beijing-time bands become UTC, converted with the fallback rate")
  void chinesePage() {
    List<Observation> obs = extract("deepseek-cn", "pricing.html", "html");
    assertPrice(obs, "deepseek-chat", "cache_read", "", "0.50", "CNY");
    assertPrice(obs, "deepseek-reasoner", "output", "", "16.00", "CNY");
    assertPrice(obs, "deepseek-chat", "input", BAND, "1.00", "CNY");
    Observation out = VendorSources.find(obs, "deepseek-chat", "output", "");
    assertEquals("1.104", Decimals.money(out.usdPer1m()), "8 CNY at 0.1380 USD");
    assertEquals(12, obs.size());
  }

  @Test
  @DisplayName("Promotion: the promotional price is the price now; the list price is announced on the same series "
      + "from the promotion's end; read after that time, the list price is the price now")
  void promotionInTextDump() {
    String page = VendorSources.fixture("deepseek-en", "pricing-promo.txt");
    List<Observation> all = VendorSources.SET.extract("deepseek-en", page, "text", Instant.parse("2025-01-23T00:00:00Z"));
    List<Observation> obs = all.stream().filter(o -> o.effectiveFrom() == null).toList();
    assertUsd(obs, "deepseek-chat", "cache_read", "", "0.014");
    assertUsd(obs, "deepseek-chat", "input", "", "0.14");
    assertUsd(obs, "deepseek-chat", "output", "", "0.28");
    assertUsd(obs, "deepseek-reasoner", "input", "", "0.55");
    List<Observation> announced = all.stream().filter(o -> o.effectiveFrom() != null).toList();
    Instant end = Instant.parse("2025-02-08T16:00:00Z");
    assertTrue(announced.stream().allMatch(o -> o.effectiveFrom().equals(end)), announced::toString);
    assertUsd(announced, "deepseek-chat", "cache_read", "", "0.07");
    assertUsd(announced, "deepseek-chat", "output", "", "1.10");
    assertEquals(6, obs.size());
    assertEquals(3, announced.size(), "deepseek-chat's three list prices");
    assertTrue(all.stream().noneMatch(o -> o.condition().startsWith("from")), "no 'from' series any more");

    List<Observation> after = VendorSources.SET.extract("deepseek-en", page, "text",
        Instant.parse("2025-02-09T00:00:00Z"));
    Observation listPrice = VendorSources.find(after, "deepseek-chat", "cache_read", "");
    assertEquals("0.07", Decimals.money(listPrice.value()), "the promotion is over");
    assertEquals(end, listPrice.effectiveFrom());
  }

  @Test
  @DisplayName("A table captioned 'Starting from <date> (UTC)' is an announced price list with that effective time")
  void announcedTable() {
    List<Observation> all = VendorSources.SET.extract("deepseek-en",
        VendorSources.fixture("deepseek-en", "pricing-announced.html"), "html", Instant.parse("2025-08-20T00:00:00Z"));
    List<Observation> obs = all.stream().filter(o -> o.effectiveFrom() == null).toList();
    List<Observation> announced = all.stream().filter(o -> o.effectiveFrom() != null).toList();
    assertUsd(obs, "deepseek-reasoner", "output", "", "2.19");
    Instant from = Instant.parse("2025-09-05T16:00:00Z");
    assertTrue(announced.stream().allMatch(o -> o.effectiveFrom().equals(from)), announced::toString);
    assertUsd(announced, "deepseek-reasoner", "output", "", "1.68");
    assertUsd(announced, "deepseek-chat", "input", "", "0.56");
    assertEquals(12, all.size());
  }

  @Test
  @DisplayName("Two prices in a cell without a date telling which applies when is ambiguous: the extraction fails")
  void promotionWithoutDateFails() {
    String page = VendorSources.fixture("deepseek-en", "pricing-promo.txt")
        .replace("Until 2025-02-08 16:00 (UTC)", "For now");
    ExtractException e = assertThrows(ExtractException.class,
        () -> VendorSources.SET.extract("deepseek-en", page, "text"));
    assertTrue(e.getMessage().contains("two prices"), e.getMessage());
  }

  @Test
  @DisplayName("A page without the pricing table fails loudly")
  void missingTableFails() {
    assertThrows(ExtractException.class, () -> VendorSources.SET.extract("deepseek-en",
        "<html><body><h1>Models &amp; Pricing</h1><p>See the console.</p></body></html>", "html"));
  }
}
