package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Observation;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelsDevExtractorTest {
  private static final CatalogueFixtures MODELS_DEV = new CatalogueFixtures("models-dev", "models-dev");
  private static final Map<String, String> VALUES = CatalogueFixtures.byKey(
      MODELS_DEV.extract(CatalogueFixtures.resource("models-dev.json"), LocalDate.of(2026, 6, 30)));

  @ParameterizedTest(name = "{0} {1} [{2}] = {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      anthropic/claude-sonnet-4-5        | input       |       | 3.00
      anthropic/claude-sonnet-4-5        | cache_write |       | 3.75
      anthropic/claude-sonnet-4-5        | output      | >200k | 22.50
      anthropic/claude-sonnet-4-5        | cache_read  | >200k | 0.60
      anthropic/claude-opus-4-5          | output      |       | 25.00
      openai/gpt-5.4                     | input       |       | 2.50
      openai/gpt-5.4                     | input       | >272k | 5.00
      openai/gpt-5.4                     | cache_read  | >272k | 0.50
      openai/gpt-5.4                     | input       | >200k | -
      openai/gpt-4o-mini-tts             | output      |       | 0.20
      openai/gpt-4o-mini-tts             | cache_write |       | -
      openrouter/anthropic/claude-sonnet-4.5 | cache_read |    | 0.30
      openrouter/openai/gpt-5.4-mini     | input       |       | 0.00000075
      openrouter/acme/free-model:free    | input       |       | 0.00
      openrouter/acme/free-model:free    | cache_read  |       | -
      github-copilot/claude-opus-41      | output      |       | 0.00
      amazon-bedrock/amazon.nova-lite-v1:0 | cache_read |      | 0.015
      amazon-bedrock/amazon.nova-lite-v1:0 | cache_write |     | -
      """)
  @DisplayName("Costs per 1M as published: tiers by their own size (the legacy >200k copy only without tiers), "
      + "float noise by the 15-digit rule, zero kept for input/output and skipped for caches, a unit slip as written")
  void values(String model, String metric, String condition, String expected) {
    assertEquals(expected, VALUES.get(model + "|" + metric + "|" + (condition == null ? "" : condition)),
        () -> model + " has " + VALUES.keySet().stream().filter(k -> k.startsWith(model + "|")).toList());
  }

  @Test
  @DisplayName("Models are named provider/model with the provider as seller; no cost and non-context tiers give no "
      + "series; audio and reasoning tokens are their own conditions")
  void namesAndSkips() {
    List<Observation> obs = MODELS_DEV.extract(CatalogueFixtures.resource("models-dev.json"), LocalDate.of(2026, 6, 30));
    Observation reseller = obs.stream().filter(o -> o.model().equals("openrouter/anthropic/claude-sonnet-4.5"))
        .findFirst().orElseThrow();
    assertEquals("openrouter", reseller.provider());
    assertEquals("claude-sonnet-4.5", reseller.canonicalModel());
    assertFalse(VALUES.keySet().stream().anyMatch(k -> k.startsWith("anthropic/claude-archive-1|")),
        "no cost is not free");
    assertFalse(VALUES.keySet().stream().anyMatch(k -> k.contains("reasoning")));
    assertTrue(VALUES.keySet().stream().filter(k -> k.contains("audio") || k.contains("thinking"))
        .allMatch(k -> k.matches(".*\\|(input|output)\\|(audio|thinking)")), VALUES::toString);
    assertEquals(List.of("", ">272k"), VALUES.keySet().stream().filter(k -> k.startsWith("openai/gpt-5.4|input|"))
        .map(k -> k.substring("openai/gpt-5.4|input|".length())).sorted().toList(), "the batch tier is not a context");
    assertEquals(8 + 4 + 1 + 6 + 3 + 4 + 2 + 2 + 2 + 3, VALUES.size(), VALUES::toString); // opus thinking, tts audio
  }

  @Test
  @DisplayName("Canonical ids join models.dev's names to the other catalogues' and the vendor pages'")
  void canonicalJoin() {
    List<Observation> obs = io.pricetide.price.ModelFacts.split(VendorSources.SET.extract("models-dev",
        CatalogueFixtures.resource("models-dev.json"), "json")).prices();
    Map<String, String> canonical = new java.util.TreeMap<>();
    obs.forEach(o -> canonical.put(o.model(), o.canonicalModel()));
    assertEquals("claude-sonnet-4.5", canonical.get("anthropic/claude-sonnet-4-5"));
    assertEquals("claude-sonnet-4.5", canonical.get("openrouter/anthropic/claude-sonnet-4.5"));
    assertEquals("claude-opus-4.5", canonical.get("anthropic/claude-opus-4-5"));
    assertEquals("claude-opus-4.1", canonical.get("github-copilot/claude-opus-41"));
    assertEquals("gpt-5.4", canonical.get("openai/gpt-5.4"));
    assertEquals("gpt-5.4-mini", canonical.get("openrouter/openai/gpt-5.4-mini"));
    assertTrue(obs.stream().allMatch(o -> o.currency().equals("USD") && o.value().compareTo(o.usdPer1m()) == 0));
  }

  @Test
  @DisplayName("Bad input fails naming the source and the reason")
  void failures() {
    MODELS_DEV.assertFails("{\"anthropic\": {\"models\": ", "malformed JSON");
    MODELS_DEV.assertFails("[1, 2]", "expected a JSON object keyed by provider id, found ARRAY");
    MODELS_DEV.assertFails("{\"a\": {\"id\": \"a\"}}", "no provider with models");
    MODELS_DEV.assertFails("{\"a\": {\"models\": {\"m\": {\"id\": \"m\"}}}}", "no token prices in 1 models.dev models");
  }
}
