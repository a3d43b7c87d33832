package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.source.SourceDefinition;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

class VendorSourceFilesTest {
  /** The contract's vendor-page ids with the currency each page quotes. */
  private static final Map<String, String> CONTRACT = Map.ofEntries(
      Map.entry("openai", "USD"), Map.entry("anthropic", "USD"), Map.entry("google-gemini", "USD"),
      Map.entry("alibaba-intl", "USD"), Map.entry("alibaba-cn", "CNY"), Map.entry("deepseek-en", "USD"),
      Map.entry("deepseek-cn", "CNY"), Map.entry("mistral", "USD"), Map.entry("xai", "USD"),
      Map.entry("moonshot", "CNY"), Map.entry("zhipu", "USD"));

  @Test
  @DisplayName("Every contract vendor id has a source: https URL, provider, prices, cron, currency, named extractor")
  void contractSources() {
    CONTRACT.forEach((id, currency) -> {
      SourceDefinition d = VendorSources.SET.sources().source(id).orElseThrow(() -> new AssertionError("no source " + id));
      assertTrue(d.url().startsWith("https://"), id);
      assertFalse(d.provider().isEmpty(), id);
      assertEquals("prices", d.kind(), id);
      assertEquals(currency, d.currency(), id);
      assertTrue(CronExpression.isValidExpression(d.schedule()), id);
      assertTrue(d.extractorKind().endsWith("-pricing"), id);
      assertTrue(d.file().endsWith(id + ".yaml"), id + " lives in sources/" + id + ".yaml");
    });
  }
}
