package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Unit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PageTextTest {
  private static List<String> amounts(String text) {
    return PageText.amounts(text).stream().map(a -> a.value().toPlainString() + " " + a.currency()).toList();
  }

  @Test
  @DisplayName("Amounts carry the currency their sign shows: $ prefix, ¥ and 元, € and $ suffixes; run-together prices")
  void amountsAndCurrencies() {
    assertEquals(List.of("1.25 USD"), amounts("$1.25 / MTok"));
    assertEquals(List.of("0.20 USD", "0.50 USD"), amounts("$0.20$0.50"));
    assertEquals(List.of("2.5 CNY"), amounts("2.5元"));
    assertEquals(List.of("1.30 CNY"), amounts("¥1.30"));
    assertEquals(List.of("0.2 EUR", "0.25 USD"), amounts("0.2€ / 1M tokens 0.25$ / 1M tokens"));
    assertEquals(List.of("1234.5 USD"), amounts("US$1,234.5"));
  }

  @Test
  @DisplayName("Token counts, percentages and bare numbers are not amounts")
  void notAmounts() {
    assertEquals(List.of("1.25 USD", "2.50 USD"), amounts("$1.25, prompts <= 200k tokens $2.50, prompts > 200k"));
    assertEquals(List.of("0.035 USD"), amounts("$0.035（50% OFF）"));
    assertEquals(List.of(), amounts("128K context, 8K output, 1M tokens"));
    assertEquals(1, PageText.amounts("0.75", true).size(), "bare numbers only when the caller allows them");
  }

  @Test
  @DisplayName("Units come from the words: per 1M, MTok, million, 百万, 1,000,000 tokens, per 1K; never from magnitude")
  void units() {
    assertEquals(Optional.of(Unit.PER_1M), PageText.unit("Paid Tier, per 1M tokens in USD"));
    assertEquals(Optional.of(Unit.PER_1M), PageText.unit("$15 / MTok"));
    assertEquals(Optional.of(Unit.PER_1M), PageText.unit("Per million tokens"));
    assertEquals(Optional.of(Unit.PER_1M), PageText.unit("输入单价（每百万Token）"));
    assertEquals(Optional.of(Unit.PER_1M), PageText.unit("$0.025 / 1,000,000 tokens"));
    assertEquals(Optional.of(Unit.PER_1K), PageText.unit("$0.0015 / 1K tokens"));
    assertEquals(Optional.of(Unit.PER_1K), PageText.unit("0.05 元 / 千tokens"));
    assertEquals(Optional.empty(), PageText.unit("$0.039 per image"));
    assertTrue(PageText.foreignUnit("$4.50 / 1,000,000 tokens per hour (storage price)"));
    assertTrue(PageText.foreignUnit("0.00022元/秒"));
    assertFalse(PageText.foreignUnit("$1.25 / MTok"));
  }

  @Test
  @DisplayName("Context tiers: the lowest is the base (''); bounded higher tiers 32k-128k; open ones >200k")
  void contextTiers() {
    assertEquals(Optional.of(""), PageText.contextTier("0 < Tokens ≤ 32K"));
    assertEquals(Optional.of("32k-128k"), PageText.contextTier("32K < Tokens ≤ 128K"));
    assertEquals(Optional.of("128k-252k"), PageText.contextTier("128K<Token≤252K"));
    assertEquals(Optional.of("256k-1m"), PageText.contextTier("256K < Tokens ≤ 1M"));
    assertEquals(Optional.of(">200k"), PageText.contextTier(", prompts > 200k tokens"));
    assertEquals(Optional.of(""), PageText.contextTier("≤ 200K input tokens"));
    assertEquals(Optional.of(""), PageText.contextTier("No tiered pricing"));
    assertEquals(Optional.empty(), PageText.contextTier("qwen3-max"));
  }

  @Test
  @DisplayName("Time bands are written in UTC; Beijing time (UTC+8) is shifted")
  void timeBands() {
    assertEquals(Optional.of("UTC 16:30-00:30"), PageText.timeBand("（UTC 16:30-00:30）"));
    assertEquals(Optional.of("UTC 16:30-00:30"), PageText.timeBand("优惠时段（北京时间 00:30-08:30）"));
    assertEquals(Optional.empty(), PageText.timeBand("between 9:00-17:00"), "a band without a time zone is not read");
  }

  @Test
  @DisplayName("Model names lose '(deprecated)'-style notes and footnote stars")
  void modelNames() {
    assertEquals("Claude Sonnet 3.7", PageText.modelName("Claude Sonnet 3.7 (deprecated)"));
    assertEquals("Claude Opus 3", PageText.modelName("Claude Opus 3  (Legacy)"));
    assertEquals("gpt-4o-realtime-preview", PageText.modelName("gpt-4o-realtime-preview"));
    assertEquals("qwen-max", PageText.modelName("qwen-max*"));
  }
}
