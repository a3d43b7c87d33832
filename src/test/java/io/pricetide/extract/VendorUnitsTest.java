package io.pricetide.extract;

import static io.pricetide.extract.VendorSources.extract;
import static io.pricetide.extract.VendorSources.has;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Prices that are not per token and retirement dates on vendor pages (#12 point 5): each is a typed series in the
 * unit the page states, never a token price, and a stated retirement date is a {@code deprecation_date} fact of a
 * priced model. Fixtures {@code pages/<source>/…-units.*} (ours, invented models; see {@code pages/README.md}).
 */
class VendorUnitsTest {

  /** The one price of a series, with the unit its metric is stored in. */
  private static void typed(List<Observation> obs, String model, String metric, String condition, String value,
      String unit) {
    Observation o = VendorSources.find(obs, model, metric, condition);
    assertEquals(value, Decimals.money(o.value()), () -> model + " " + metric + " [" + condition + "]");
    assertEquals(unit, o.toJson().getString("unit"), () -> model + " " + metric + " unit");
    assertEquals("USD", o.currency());
  }

  private static String retires(List<Observation> obs, String model) {
    return obs.stream().filter(o -> o.model().equals(model) && o.metric().equals(ModelFacts.DEPRECATION))
        .map(Observation::condition).findFirst().orElse(null);
  }

  private static long count(List<Observation> obs, String metric) {
    return obs.stream().filter(o -> o.metric().equals(metric)).count();
  }

  @Test
  @DisplayName("Units that are not tokens are read from the text: per image, second, 1k calls, 1K sources, 1M chars")
  void otherUnits() {
    assertEquals(Optional.of(Unit.PER_IMAGE), PageText.otherUnit("Prices per image."));
    assertEquals(Optional.of(Unit.PER_IMAGE), PageText.otherUnit("$0.134 per 1K/2K image"));
    assertEquals(Optional.of(Unit.PER_IMAGE), PageText.otherUnit("Paid Tier, per Image in USD"));
    assertEquals(Optional.of(Unit.PER_IMAGE), PageText.otherUnit("$0.040 / image"));
    assertEquals(Optional.empty(), PageText.otherUnit("$0.30 (text / image / video)"), "modalities, not a unit");
    assertEquals(Optional.of(Unit.PER_SECOND), PageText.otherUnit("Paid Tier, per second in USD"));
    assertEquals(Optional.of(Unit.PER_1K_CALLS), PageText.otherUnit("$10.00 / 1k calls"));
    assertEquals(Optional.of(Unit.PER_1K_CALLS), PageText.otherUnit("$10 per 1,000 searches"));
    assertEquals(Optional.of(Unit.PER_1K_CALLS), PageText.otherUnit("then $35 / 1,000 grounded prompts"));
    assertEquals(Optional.of(Unit.PER_1K_CALLS), PageText.otherUnit("$2.50/1k requests"));
    assertEquals(Optional.of(Unit.PER_1K_CALLS), PageText.otherUnit("Cost per 1K calls"));
    assertEquals(Optional.of(Unit.PER_1K_SOURCES), PageText.otherUnit("$25 per 1,000 sources requested"));
    assertEquals(Optional.of(Unit.PER_1M_CHARACTERS), PageText.otherUnit("$15.00 / 1M characters"));
    assertEquals(Optional.of(Unit.PER_10K_CHARACTERS), PageText.otherUnit("输入单价（每万字符）"));
    assertEquals(Optional.of(Unit.PER_10K_CHARACTERS), PageText.otherUnit("0.8元/万字符"));
    assertEquals(Optional.of(Unit.PER_10K_CHARACTERS), PageText.otherUnit("Input price (per 10,000 characters)"));
    assertEquals(Optional.of(Unit.PER_IMAGE), PageText.otherUnit("0.5元/张"));
    assertEquals(Optional.of(Unit.PER_SECOND), PageText.otherUnit("0.6 元/ 秒"));
    assertEquals(Optional.of(Unit.PER_SECOND), PageText.otherUnit("0.15元/每秒"));
    assertEquals(Optional.empty(), PageText.otherUnit("36,000秒（10小时）"), "a free quota in seconds is a count");
    assertEquals(Optional.empty(), PageText.otherUnit("各100张"), "a free quota in images is a count");
    assertEquals(new java.math.BigDecimal("80"), Unit.PER_10K_CHARACTERS.toStored(new java.math.BigDecimal("0.80")),
        "per 10,000 to per 1M characters: a decimal point move, exact");
    assertEquals(Optional.empty(), PageText.otherUnit("$0.006 / minute"), "a minute has no stored unit");
    assertEquals(Optional.empty(), PageText.otherUnit("$0.05 per hour, per container"));
    assertEquals(Optional.empty(), PageText.otherUnit("$1.25 per 1K tokens"), "tokens are the token readers'");
    assertEquals(List.of("1024x1792", "1792x1024"), PageText.sizes("1024×1792, 1792×1024"));
    assertEquals(List.of("4k"), PageText.sizes("$0.24 per 4K image"));
  }

  @Test
  @DisplayName("Retirement dates in the forms pages write, the latest of a sentence")
  void dates() {
    assertEquals(Optional.of(LocalDate.of(2026, 1, 12)), Retirements.latest("deprecated by *January 12, 2026*."));
    assertEquals(Optional.of(LocalDate.of(2026, 1, 5)), Retirements.latest("retired on Jan 5th, 2026;"));
    assertEquals(Optional.of(LocalDate.of(2025, 12, 9)), Retirements.latest("discontinued on 9 December 2025"));
    assertEquals(Optional.of(LocalDate.of(2026, 6, 30)),
        Retirements.latest("deprecated on 2026-02-01 and shut down on 2026-06-30"));
    assertEquals(Optional.of(LocalDate.of(2026, 3, 1)), Retirements.latest("将于2026年3月1日下线"));
    assertEquals(Optional.empty(), Retirements.latest("gpt-4o-2024-08-06 is deprecated"), "a dated model id is no date");
    assertEquals(Optional.empty(), Retirements.latest("February 30, 2026"));
  }

  @Test
  @DisplayName("OpenAI HTML: images by quality and size (row spans), video per second, tools per 1k calls, TTS per "
      + "1M characters; per container, storage and per minute skipped; dates from a sentence and a table")
  void openAi() {
    List<Observation> obs = extract("openai", "pricing-units.html", "html");
    typed(obs, "gpt-demo", "input", "", "1.00", null);
    typed(obs, "Picture Demo", Metrics.OUTPUT_IMAGE, "low; 1024x1024", "0.01", "image");
    typed(obs, "Picture Demo", Metrics.OUTPUT_IMAGE, "high; 1024x1536", "0.30", "image");
    typed(obs, "Sketch Demo", Metrics.OUTPUT_IMAGE, "1024x1024", "0.04", "image");
    typed(obs, "clip-demo", Metrics.OUTPUT_SECOND, "720x1280", "0.25", "second");
    typed(obs, "clip-demo", Metrics.OUTPUT_SECOND, "1280x720", "0.25", "second");
    typed(obs, "Web search", Metrics.WEB_SEARCH, "", "12.50", "1k calls");
    typed(obs, "File lookup", Metrics.TOOL_CALL, "", "3.00", "1k calls");
    typed(obs, "voice-demo", Metrics.INPUT_CHARACTER, "", "16.00", "1M characters");
    assertFalse(has(obs, "Sandbox"), "per container");
    assertFalse(has(obs, "Vector storage"), "storage is no model price");
    assertFalse(has(obs, "ears-demo"), "per minute");
    assertEquals("2026-03-03", retires(obs, "gpt-old-demo"));
    assertEquals("2027-01-15", retires(obs, "gpt-demo"));
    assertFalse(has(obs, "unpriced-demo"), "a date is kept only for a model the page prices");
    assertEquals(4, obs.stream().filter(o -> Metrics.perToken(o.metric()) && !ModelFacts.isFact(o)).count());
    assertEquals(6, count(obs, Metrics.OUTPUT_IMAGE));
  }

  @Test
  @DisplayName("Gemini markdown: grounding per 1,000 and per 1K, coming-soon prices not read, image output by size, "
      + "per-image and per-second tables by the API id their row names, dates")
  void gemini() {
    List<Observation> obs = extract("google-gemini", "pricing-units.md", "markdown");
    typed(obs, "flash-demo", Metrics.WEB_SEARCH, "", "30.00", "1k calls");
    typed(obs, "flash-demo", Metrics.TOOL_CALL, "google-maps", "20.00", "1k calls");
    assertEquals(0, count(obs, Metrics.INPUT_IMAGE), "(text / image / video) is a modality");
    typed(obs, "pro-demo", Metrics.OUTPUT_IMAGE, "1k/2k", "0.05", "image");
    typed(obs, "pro-demo", Metrics.OUTPUT_IMAGE, "4k", "0.10", "image");
    typed(obs, "pro-demo", "output", "", "9.00", null);
    typed(obs, "pro-demo", "input", "", "2.00", null);
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("pro-demo") && o.metric().equals("input")
        && o.condition().equals("image")), "a footnoted \"(image)\" amount is per image by its footnote, not per 1M");
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("pro-demo") && o.metric().equals(Metrics.WEB_SEARCH)),
        "a price coming soon is not charged yet");
    typed(obs, "painter-demo-fast-001", Metrics.OUTPUT_IMAGE, "", "0.01", "image");
    typed(obs, "painter-demo-001", Metrics.OUTPUT_IMAGE, "", "0.03", "image");
    typed(obs, "movie-demo-001", Metrics.OUTPUT_SECOND, "", "0.45", "second");
    typed(obs, "movie-demo-001", Metrics.OUTPUT_SECOND, "no-audio", "0.30", "second");
    assertEquals("2026-06-30", retires(obs, "pro-demo"), "the later of deprecation and shutdown");
    assertNull(retires(obs, "flash-demo"), "flash-demo-live is another model");
  }

  @Test
  @DisplayName("Anthropic: web search per 1,000 searches, code execution per hour skipped, the retired model only")
  void anthropic() {
    List<Observation> obs = extract("anthropic", "pricing-units.md", "markdown");
    typed(obs, "Web search", Metrics.WEB_SEARCH, "", "8.00", "1k calls");
    assertTrue(obs.stream().noneMatch(o -> o.model().toLowerCase().contains("code execution")));
    assertEquals("2026-01-05", retires(obs, "Claude Demo 3"));
    assertNull(retires(obs, "Claude Demo 5"), "the model to move to is not retired");
  }

  @Test
  @DisplayName("xAI markdown: image output, tools per 1K calls, Token-based only skipped, sources, requests, a date")
  void xai() {
    List<Observation> obs = extract("xai", "models-units.md", "markdown");
    typed(obs, "grok-demo", "output", "", "4.00", null);
    typed(obs, "grok-demo-image", Metrics.OUTPUT_IMAGE, "", "0.05", "image");
    typed(obs, "Web Search", Metrics.WEB_SEARCH, "", "4.00", "1k calls");
    typed(obs, "Repo Search", Metrics.TOOL_CALL, "", "1.50", "1k calls");
    typed(obs, "Archive Search", Metrics.TOOL_CALL, "", "2.00", "1k calls");
    typed(obs, "Live Search", Metrics.SEARCH_SOURCE, "", "20.00", "1k sources");
    assertFalse(has(obs, "View Image"));
    assertEquals("2026-03-31", retires(obs, "Live Search"));
  }
}
