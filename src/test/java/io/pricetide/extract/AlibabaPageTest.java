package io.pricetide.extract;

import static io.pricetide.extract.VendorSources.assertPrice;
import static io.pricetide.extract.VendorSources.assertUsd;
import static io.pricetide.extract.VendorSources.extract;
import static io.pricetide.extract.VendorSources.has;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Observation;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AlibabaPageTest {
  @Test
  @DisplayName("International HTML: row-spanned tiers per region; the lowest tier is the base, higher ones 32k-128k…")
  void intlHtmlTiersAndRegions() {
    List<Observation> obs = extract("alibaba-intl", "model-pricing.html", "html");
    assertUsd(obs, "qwen3-max", "input", "", "1.20");
    assertUsd(obs, "qwen3-max", "output", "", "6.00");
    assertUsd(obs, "qwen3-max", "input", "32k-128k", "2.40");
    assertUsd(obs, "qwen3-max", "output", "128k-252k", "15.00");
    assertUsd(obs, "qwen-max", "input", "", "1.60");
    assertUsd(obs, "qwen-flash-us", "input", "us", "0.05");
    assertUsd(obs, "qwen-flash-us", "output", "us; 256k-1m", "2.00");
    assertFalse(has(obs, "wan-image-plus"), "per-image prices are not token prices");
  }

  @Test
  @DisplayName("International HTML: a two-row header splits output into non-thinking and thinking prices")
  void intlHtmlThinking() {
    List<Observation> obs = extract("alibaba-intl", "model-pricing.html", "html");
    assertUsd(obs, "qwen-plus", "input", "", "0.40");
    assertUsd(obs, "qwen-plus", "output", "non-thinking", "1.20");
    assertUsd(obs, "qwen-plus", "output", "thinking", "4.00");
    assertUsd(obs, "qwen-plus", "output", "256k-1m; thinking", "12.00");
    assertTrue(obs.stream()
        .noneMatch(o -> o.model().equals("qwen-plus-2025-01-25") && o.condition().equals("thinking")),
        "a dash is no price");
    assertEquals(6 + 2 + 8 + 4, obs.size());
  }

  @Test
  @DisplayName("International markdown: tier rows continue the model above; a model-only row shares its prices")
  void intlMarkdown() {
    List<Observation> obs = extract("alibaba-intl", "model-pricing.md", "markdown");
    assertUsd(obs, "qwen3-max-2025-09-23", "output", "32k-128k", "12.00");
    assertUsd(obs, "qwen-plus", "output", "256k-1m; non-thinking", "3.60");
    assertUsd(obs, "qwen-plus-latest", "output", "thinking", "4.00");
    assertUsd(obs, "qwen-plus-2025-01-25", "output", "non-thinking", "1.20");
    assertEquals(6 + 6 + 6 + 6 + 2, obs.size());
  }

  @Test
  @DisplayName("China page: 元 prices per region heading (中国内地, 国际, 美国); a family note '仅支持中国内地' sets Beijing")
  void chinaRegions() {
    List<Observation> obs = extract("alibaba-cn", "model-pricing.md", "markdown");
    assertPrice(obs, "qwen3-max", "input", "", "2.50", "CNY");
    assertPrice(obs, "qwen3-max", "output", "128k-252k", "28.00", "CNY");
    assertPrice(obs, "qwen3-max", "input", "singapore", "8.807", "CNY");
    assertPrice(obs, "qwen-plus", "output", "128k-256k; thinking", "24.00", "CNY");
    assertPrice(obs, "qwen-plus-latest", "output", "non-thinking", "2.00", "CNY");
    assertPrice(obs, "qwen-plus-us", "input", "us", "0.367", "CNY");
    assertPrice(obs, "qwen-omni-turbo", "input", "", "0.40", "CNY");
    assertPrice(obs, "qwen-omni-turbo", "input", "audio", "25.00", "CNY");
    assertPrice(obs, "qwen-omni-turbo", "output", "multimodal-input", "4.50", "CNY");
    assertPrice(obs, "qwen-omni-turbo", "output", "audio", "50.00", "CNY");
    assertFalse(has(obs, "qwen3-asr-flash"), "per-second prices are not token prices");
    assertFalse(has(obs, "qwen-audio-demo"), "'limited-time free' without a number is not a price");
    assertEquals(6 + 2 + 6 + 6 + 2 + 4, obs.size());
  }
}
