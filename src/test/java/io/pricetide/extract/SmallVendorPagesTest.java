package io.pricetide.extract;

import static io.pricetide.extract.VendorSources.assertPrice;
import static io.pricetide.extract.VendorSources.assertUsd;
import static io.pricetide.extract.VendorSources.extract;
import static io.pricetide.extract.VendorSources.has;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Observation;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The vendors with one plain price table: Mistral, xAI, Moonshot and Zhipu. */
class SmallVendorPagesTest {
  @Test
  @DisplayName("Mistral HTML quoting USD and EUR: each currency is its own series, USD the base, EUR under the "
      + "condition EUR in euros with its USD normalisation beside it")
  void mistralHtml() {
    List<Observation> obs = extract("mistral", "pricing.html", "html");
    assertUsd(obs, "mistral-medium-latest", "input", "", "0.40");
    assertUsd(obs, "mistral-medium-latest", "output", "", "2.00");
    assertUsd(obs, "codestral-latest", "output", "", "0.90");
    assertPrice(obs, "mistral-medium-latest", "input", "EUR", "0.37", "EUR");
    assertPrice(obs, "mistral-medium-latest", "output", "EUR", "1.85", "EUR");
    assertPrice(obs, "codestral-latest", "output", "EUR", "0.83", "EUR");
    Observation eur = VendorSources.find(obs, "mistral-medium-latest", "output", "EUR");
    assertEquals("1.998", io.pricetide.price.Decimals.money(eur.usdPer1m()), "1.85 EUR at the fallback 1.0800");
    assertEquals("mistral-medium-latest", eur.canonicalModel(), "one model, two currencies");
    assertTrue(obs.stream().allMatch(o -> o.currency().equals(o.condition().isEmpty() ? "USD" : "EUR")));
    assertFalse(has(obs, "mistral-ocr-latest"), "per-page prices are not token prices");
    assertEquals(12, obs.size());
  }

  @Test
  @DisplayName("Mistral: a cell of an EUR column without its euro sign is not read, never taken for dollars")
  void mistralEurWithoutSign() {
    String page = VendorSources.fixture("mistral", "pricing.html").replace("<td>1.85€</td>", "<td>1.85</td>");
    List<Observation> obs = VendorSources.SET.extract("mistral", page, "html");
    assertFalse(obs.stream().anyMatch(o -> o.model().equals("mistral-medium-latest") && o.metric().equals("output")
        && o.condition().equals("EUR")));
    assertUsd(obs, "mistral-medium-latest", "output", "", "2.00");
    assertEquals(11, obs.size());
  }

  @Test
  @DisplayName("Mistral 2024 text dump: cells run together; split on price groups, named by API endpoint")
  void mistralRunTogetherText() {
    List<Observation> obs = extract("mistral", "pricing-2024.txt", "text");
    assertUsd(obs, "open-mistral-tiny", "input", "", "0.25");
    assertUsd(obs, "mistral-large-latest", "input", "", "8.00");
    assertUsd(obs, "mistral-large-latest", "output", "", "24.00");
    assertUsd(obs, "mistral-embed", "input", "", "0.10");
    assertPrice(obs, "mistral-large-latest", "output", "EUR", "22.00", "EUR");
    assertPrice(obs, "mistral-embed", "input", "EUR", "0.10", "EUR");
    assertEquals(10, obs.size());
  }

  @Test
  @DisplayName("xAI: section rows set the unit; '$3.00$15.00' is input then output; per-image rows typed")
  void xaiTable() {
    List<Observation> obs = extract("xai", "models.html", "html");
    assertUsd(obs, "grok-4-0709", "input", "", "3.00");
    assertUsd(obs, "grok-4-0709", "output", "", "15.00");
    assertUsd(obs, "grok-3-mini", "output", "", "0.50");
    assertUsd(obs, "grok-2-image-1212", "output_image", "", "0.07");
    assertUsd(obs, "Web Search", "web_search", "", "5.00");
    assertEquals(6, obs.size());
  }

  @Test
  @DisplayName("xAI: a token price cell with one amount is a layout change and fails the extraction")
  void xaiOneAmountFails() {
    String page = VendorSources.fixture("xai", "models.html").replace("<span class=\"out\">$15.00</span>", "");
    ExtractException e = assertThrows(ExtractException.class, () -> VendorSources.SET.extract("xai", page, "html"));
    assertTrue(e.getMessage().contains("grok-4-0709"), e.getMessage());
  }

  @Test
  @DisplayName("Moonshot MDX DocTable: ¥ prices per 1M tokens from the unit column; cache hit and miss")
  void moonshotDocTable() {
    List<Observation> obs = extract("moonshot", "chat-k27-code.md", "markdown");
    assertPrice(obs, "kimi-k2.7-code", "cache_read", "", "1.30", "CNY");
    assertPrice(obs, "kimi-k2.7-code", "input", "", "6.50", "CNY");
    assertPrice(obs, "kimi-k2.7-code", "output", "", "27.00", "CNY");
    assertPrice(obs, "kimi-k2.7-code-highspeed", "output", "", "54.00", "CNY");
    assertEquals(6, obs.size());
  }

  @Test
  @DisplayName("Zhipu: promotions read at the price in force, 'Free' is zero, storage and per-image tables skipped")
  void zhipuTables() {
    List<Observation> obs = extract("zhipu", "pricing.md", "markdown");
    assertUsd(obs, "GLM-4.6", "input", "", "0.60");
    assertUsd(obs, "GLM-4.6", "cache_read", "", "0.11");
    assertUsd(obs, "GLM-4.6", "output", "", "2.20");
    assertUsd(obs, "GLM-5-Flash", "input", "", "0.075");
    assertUsd(obs, "GLM-5-Flash", "output", "", "0.25");
    assertUsd(obs, "GLM-4.7-Flash", "input", "", "0.00");
    assertUsd(obs, "GLM-4.5V", "output", "", "1.80");
    assertFalse(has(obs, "CogView-4"));
    assertEquals(15, obs.size());
  }
}
