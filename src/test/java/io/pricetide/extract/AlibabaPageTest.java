package io.pricetide.extract;

import static io.pricetide.extract.VendorSources.assertPrice;
import static io.pricetide.extract.VendorSources.assertUsd;
import static io.pricetide.extract.VendorSources.extract;
import static io.pricetide.extract.VendorSources.has;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Metrics;
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
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("wan-image-plus") && Metrics.perToken(o.metric())),
        "per-image prices are not token prices");
    // "Image generation" names no region: the table is in the region of the section above, as token tables are
    assertUsd(obs, "wan-image-plus", "output_image", "us", "0.03");
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
    assertEquals(6 + 2 + 8 + 4 + 1, obs.size(), "20 token prices and wan-image-plus per image");
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
    assertPrice(obs, "qwen3-asr-flash", "input_second", "", "0.00022", "CNY");
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("qwen3-asr-flash") && Metrics.perToken(o.metric())),
        "per-second prices are not token prices");
    assertFalse(has(obs, "qwen-audio-demo"), "'limited-time free' without a number is not a price");
    assertEquals(6 + 2 + 6 + 6 + 2 + 4 + 1, obs.size());
  }

  @Test
  @DisplayName("China page: 元/张, 元/秒 and 每万字符 are typed series per region, size, video type and mode")
  void chinaMedia() {
    List<Observation> obs = extract("alibaba-cn", "media-pricing.md", "markdown");
    assertPrice(obs, "pixelo-pro", "output_image", "", "0.50", "CNY");
    assertPrice(obs, "pixelo-pro", "output_image", "singapore", "0.550443", "CNY");
    assertPrice(obs, "pixelo-pro-2026-02-02", "output_image", "", "0.50", "CNY");
    assertPrice(obs, "pixelo-lite-latest", "output_image", "", "0.20", "CNY"); // a model-only row shares the price
    assertPrice(obs, "pixelo-edit", "output_image", "", "0.30", "CNY"); // "0.3 元 / 张"
    assertPrice(obs, "portrait-detect", "input_image", "", "0.004", "CNY"); // the cell says 输入图像
    assertPrice(obs, "portrait-gen", "output_image", "", "0.18", "CNY");
    // a list in one cell: each price under the condition its label states
    assertPrice(obs, "portrait-video", "output_second", "480p", "0.50", "CNY");
    assertPrice(obs, "portrait-video", "output_second", "720p", "0.90", "CNY");
    assertPrice(obs, "portrait-emote", "output_second", "1:1", "0.08", "CNY");
    assertPrice(obs, "portrait-emote", "output_second", "3:4", "0.16", "CNY");
    assertPrice(obs, "portrait-extend", "output_image", "", "0.10", "CNY");
    assertPrice(obs, "portrait-extend", "output_image", "prompt-extend", "0.20", "CNY");
    assertPrice(obs, "dressup-base", "output_image", "", "0.20", "CNY");
    assertPrice(obs, "brushy/brushy-v2-image", "output_image", "1k", "0.20", "CNY");
    assertPrice(obs, "brushy/brushy-v2-image", "output_image", "4k", "0.40", "CNY");
    assertPrice(obs, "lumo-t2v", "output_second", "480p", "0.30", "CNY");
    assertPrice(obs, "lumo-t2v", "output_second", "720p", "0.60", "CNY"); // "0.6 元/ 秒"
    assertPrice(obs, "lumo-t2v", "output_second", "no-audio; 720p", "0.15", "CNY"); // "元/每秒"
    assertPrice(obs, "lumo-t2v", "output_second", "no-audio; 1080p", "0.25", "CNY");
    assertPrice(obs, "lumo-t2v", "output_second", "singapore; 720p", "0.733924", "CNY");
    assertPrice(obs, "lumo-move", "output_second", "lumo-std", "0.40", "CNY");
    assertPrice(obs, "lumo-move", "output_second", "lumo-pro", "0.60", "CNY");
    assertPrice(obs, "earo-flash", "input_second", "", "0.00022", "CNY");
    // 0.8元 per 10,000 characters is 80元 per 1M characters, by a decimal point move
    assertPrice(obs, "voxa-flash", "input_character", "", "80.00", "CNY");
    assertPrice(obs, "voxa-flash-2026-01-01", "input_character", "", "80.00", "CNY");
    assertTrue(obs.stream().noneMatch(o -> Metrics.perToken(o.metric())), "no price here is per token");
    assertTrue(obs.stream().noneMatch(o -> o.value().compareTo(new java.math.BigDecimal("0.07")) == 0),
        "the example sentence outside the tables is no price");
    assertFalse(has(obs, "pixelo-switch"), "two prices in one cell whose labels state no size, ratio or setting");
    assertFalse(has(obs, "portrait-train"), "per training run (元/次) has no stored unit");
    assertFalse(has(obs, "dressup-fine"), "prices tiered by volume are not read");
    assertFalse(has(obs, "lumo-r2v"), "input and output priced together is no metric of its own");
    assertFalse(has(obs, "voxa-enroll"), "per voice has no stored unit");
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("earo-flash") && o.metric().startsWith("output")),
        "不计费 is no price");
    assertEquals(4 + 1 + 1 + 2 + 6 + 1 + 2 + 5 + 2 + 1 + 2, obs.size());
  }

  @Test
  @DisplayName("International page: 'Price per image', '/second', 'per 10,000 characters' and 'per second' in USD")
  void intlMedia() {
    List<Observation> obs = extract("alibaba-intl", "media-pricing.md", "markdown");
    assertUsd(obs, "pixelo-pro", "output_image", "", "0.075");
    assertUsd(obs, "pixelo-lite", "output_image", "", "0.03");
    assertUsd(obs, "earo-flash", "input_second", "", "0.000035");
    assertUsd(obs, "voxa-flash", "input_character", "", "11.50");
    assertUsd(obs, "lumo-t2v-us", "output_second", "us; 720p", "0.10");
    assertUsd(obs, "lumo-t2v-us", "output_second", "us; 1080p", "0.15");
    assertEquals(6, obs.size(), "the example sentence and free quotas are no prices");
  }

  @Test
  @DisplayName("China page: one model priced differently per image in two sections of one region is reported")
  void chinaMediaConflict() {
    String page = String.join("\n", "### 文生图", "## 中国内地", "| 模型名称 | 输出单价 |", "| --- | --- |",
        "| pixelo-pro | 0.5元/张 |", "", "### 图像编辑", "## 中国内地", "| 模型名称 | 输出单价 |", "| --- | --- |",
        "| pixelo-pro | 0.6元/张 |", "");
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> VendorSources.SET.extract("alibaba-cn", page, "markdown"));
    assertTrue(e.getMessage().contains("two different prices") && e.getMessage().contains("pixelo-pro output_image"),
        e.getMessage());
  }
}
