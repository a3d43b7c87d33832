package io.pricetide.extract;

import static io.pricetide.extract.VendorSources.assertPrice;
import static io.pricetide.extract.VendorSources.assertUsd;
import static io.pricetide.extract.VendorSources.extract;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
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
  @DisplayName("Promotion: the promotional price is today's; the list price is recorded as announced from its date")
  void promotionInTextDump() {
    List<Observation> obs = extract("deepseek-en", "pricing-promo.txt", "text");
    assertUsd(obs, "deepseek-chat", "cache_read", "", "0.014");
    assertUsd(obs, "deepseek-chat", "input", "", "0.14");
    assertUsd(obs, "deepseek-chat", "output", "", "0.28");
    String from = "from 2025-02-08 16:00 UTC";
    assertUsd(obs, "deepseek-chat", "cache_read", from, "0.07");
    assertUsd(obs, "deepseek-chat", "output", from, "1.10");
    assertUsd(obs, "deepseek-reasoner", "input", "", "0.55");
    assertEquals(9, obs.size());
  }

  @Test
  @DisplayName("A table captioned 'Starting from <date> (UTC)' is an announced price list with that effective time")
  void announcedTable() {
    List<Observation> obs = extract("deepseek-en", "pricing-announced.html", "html");
    assertUsd(obs, "deepseek-reasoner", "output", "", "2.19");
    String from = "from 2025-09-05 16:00 UTC";
    assertUsd(obs, "deepseek-reasoner", "output", from, "1.68");
    assertUsd(obs, "deepseek-chat", "input", from, "0.56");
    assertEquals(12, obs.size());
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
