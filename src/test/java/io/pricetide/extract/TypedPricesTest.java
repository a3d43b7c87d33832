package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Prices that are not per token, and the model facts beside them, on small catalogue bodies we wrote. */
class TypedPricesTest {
  private static final LocalDate DAY = LocalDate.of(2026, 7, 1);
  private static final CatalogueFixtures LITELLM = new CatalogueFixtures("litellm", "litellm");
  private static final CatalogueFixtures OPENROUTER = new CatalogueFixtures("openrouter-models", "openrouter");
  private static final CatalogueFixtures MODELS_DEV = new CatalogueFixtures("models-dev", "models-dev");

  private static final String LITELLM_BODY = """
      {"sample_spec": {"input_cost_per_token": 0.0, "search_context_cost_per_query": {"search_context_size_low": 0.0}},
       "acme-painter": {"litellm_provider": "acme", "mode": "image_generation", "input_cost_per_image": 0.04,
         "output_cost_per_pixel": 1.9e-08, "input_cost_per_pixel": 0.0},
       "acme-voice": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": 2.5e-06,
         "output_cost_per_token": 1e-05, "input_cost_per_audio_token": 4e-05, "output_cost_per_audio_token": 8e-05,
         "output_cost_per_reasoning_token": 1.2e-05, "max_input_tokens": 128000, "max_output_tokens": 16384,
         "max_tokens": 16384, "supports_vision": true, "supports_audio_input": true, "supports_audio_output": true,
         "deprecation_date": "2026-11-04",
         "search_context_cost_per_query": {"search_context_size_low": 0.03, "search_context_size_high": 0.05}},
       "acme-ears": {"litellm_provider": "acme", "mode": "audio_transcription", "input_cost_per_second": 0.0001,
         "input_cost_per_video_per_second": 0.002},
       "acme-speaker": {"litellm_provider": "acme", "mode": "audio_speech", "input_cost_per_character": 1.5e-05},
       "acme-rerank": {"litellm_provider": "acme", "mode": "rerank", "input_cost_per_query": 0.002,
         "input_cost_per_request": 0.5},
       "acme-old": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": 1e-06,
         "deprecation_date": "soon"}}
      """;

  private static Map<String, String> byKey(List<Observation> obs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Observation o : obs) {
      out.put(o.model() + "|" + o.metric() + "|" + o.condition(), Decimals.money(o.value()));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1} [{2}] = {3} per {4}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      acme-painter | input_image      | -            | 0.04     | image
      acme-painter | output_megapixel | -            | 0.019    | megapixel
      acme-voice   | input            | -            | 2.50     | 1M tokens
      acme-voice   | input            | audio        | 40.00    | 1M tokens
      acme-voice   | output           | audio        | 80.00    | 1M tokens
      acme-voice   | output           | thinking     | 12.00    | 1M tokens
      acme-voice   | web_search       | low-context  | 30.00    | 1k calls
      acme-voice   | web_search       | high-context | 50.00    | 1k calls
      acme-ears    | input_second     | -            | 0.0001   | second
      acme-ears    | input_second     | video        | 0.002    | second
      acme-speaker | input_character  | -            | 15.00    | 1M characters
      acme-rerank  | query            | -            | 2.00     | 1k calls
      acme-rerank  | request          | -            | 0.50     | request
      """)
  @DisplayName("LiteLLM: each price keeps its own unit, scaled exactly to the stored unit of its quantity")
  void liteLlmTypedPrices(String model, String metric, String condition, String value, String unit) {
    Map<String, String> v = byKey(LITELLM.extract(LITELLM_BODY, DAY));
    assertEquals(value, v.get(model + "|" + metric + "|" + (condition == null ? "" : condition)), v::toString);
    assertEquals(unit, Metrics.quantity(metric).label());
  }

  @Test
  @DisplayName("No price of another quantity is folded into a per-token metric")
  void perTokenMetricsHoldOnlyTokenPrices() {
    List<Observation> obs = LITELLM.extract(LITELLM_BODY, DAY);
    assertEquals(List.of("acme-old|input|", "acme-voice|input|", "acme-voice|output|", "acme-voice|input|audio",
        "acme-voice|output|audio", "acme-voice|output|thinking").stream().sorted().toList(),
        obs.stream().filter(o -> Metrics.perToken(o.metric())).map(o -> o.model() + "|" + o.metric() + "|"
            + o.condition()).sorted().toList());
    assertTrue(obs.stream().filter(o -> !Metrics.perToken(o.metric()))
        .allMatch(o -> o.toJson().getString("unit") != null));
    assertTrue(obs.stream().noneMatch(o -> o.metric().equals(Metrics.INPUT_MEGAPIXEL)), "a zero per pixel is not read");
  }

  @Test
  @DisplayName("LiteLLM facts: context window, longest output, modalities, kind and a retirement date; a date "
      + "that is no ISO date is none")
  void liteLlmFacts() {
    List<Observation> all = LITELLM.extractAll(LITELLM.create(), LITELLM_BODY, DAY);
    Map<String, String> facts = facts(all, "acme-voice");
    assertEquals("128000", facts.get(ModelFacts.CONTEXT_WINDOW));
    assertEquals("16384", facts.get(ModelFacts.MAX_OUTPUT));
    assertEquals("audio,image,text", facts.get(ModelFacts.INPUT_MODALITIES));
    assertEquals("audio,text", facts.get(ModelFacts.OUTPUT_MODALITIES));
    assertEquals("chat", facts.get(ModelFacts.KIND));
    assertEquals("2026-11-04", facts.get(ModelFacts.DEPRECATION));
    assertFalse(facts(all, "acme-old").containsKey(ModelFacts.DEPRECATION));
    assertEquals("image_generation", facts(all, "acme-painter").get(ModelFacts.KIND));
    assertFalse(facts(all, "acme-painter").containsKey(ModelFacts.INPUT_MODALITIES), "no guess for an image model");
  }

  private static Map<String, String> facts(List<Observation> all, String model) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Observation o : all) {
      if (ModelFacts.isFact(o) && o.model().equals(model)) {
        out.put(o.metric(), o.condition().isEmpty() ? o.value().toPlainString() : o.condition());
      }
    }
    return out;
  }

  private static final String OPENROUTER_BODY = """
      {"data": [
        {"id": "acme/seer", "context_length": 1048576,
         "architecture": {"modality": "text+image->text", "input_modalities": ["text", "image", "file"],
           "output_modalities": ["text"]},
         "top_provider": {"context_length": 1048576, "max_completion_tokens": 65536},
         "expiration_date": "2026-09-30",
         "pricing": {"prompt": "0.000002", "completion": "0.000012", "web_search": "0.014", "request": "0.0005",
           "internal_reasoning": "0.000012", "image": "0.000002", "audio": "0.000002"}},
        {"id": "acme/forever", "context_length": 8192, "architecture": {"modality": "text->text"},
         "expiration_date": "2098-12-31", "pricing": {"prompt": "0.000001", "completion": "0.000001"}}
      ]}
      """;

  @Test
  @DisplayName("OpenRouter: web search per 1k calls, request per request, reasoning tokens as output [thinking]; "
      + "image and audio (unit not stated) are not read")
  void openRouterTypedPrices() {
    Map<String, String> v = byKey(OPENROUTER.extract(OPENROUTER_BODY, DAY));
    assertEquals("14.00", v.get("acme/seer|web_search|"));
    assertEquals("0.0005", v.get("acme/seer|request|"));
    assertEquals("12.00", v.get("acme/seer|output|thinking"));
    assertEquals(5, v.keySet().stream().filter(k -> k.startsWith("acme/seer|")).count(), v::toString);
  }

  @Test
  @DisplayName("OpenRouter facts: context length, longest completion, modalities, expiration; 2098-12-31 is no date")
  void openRouterFacts() {
    List<Observation> all = OPENROUTER.extractAll(OPENROUTER.create(), OPENROUTER_BODY, DAY);
    Map<String, String> seer = facts(all, "acme/seer");
    assertEquals("1048576", seer.get(ModelFacts.CONTEXT_WINDOW));
    assertEquals("65536", seer.get(ModelFacts.MAX_OUTPUT));
    assertEquals("file,image,text", seer.get(ModelFacts.INPUT_MODALITIES));
    assertEquals("2026-09-30", seer.get(ModelFacts.DEPRECATION));
    Map<String, String> forever = facts(all, "acme/forever");
    assertEquals("text", forever.get(ModelFacts.INPUT_MODALITIES), "from architecture.modality");
    assertFalse(forever.containsKey(ModelFacts.DEPRECATION));
  }

  @Test
  @DisplayName("models.dev: audio tokens under condition audio, reasoning as output [thinking]; limit and "
      + "modalities as facts; no facts for a model without a price")
  void modelsDev() {
    String body = """
        {"acme": {"id": "acme", "models": {
          "voice": {"id": "voice", "modalities": {"input": ["text", "audio"], "output": ["text", "audio"]},
            "limit": {"context": 128000, "output": 16384},
            "cost": {"input": 2.5, "output": 10, "input_audio": 40, "output_audio": 80, "reasoning": 0}},
          "unpriced": {"id": "unpriced", "limit": {"context": 8192, "output": 4096}}}}}
        """;
    List<Observation> all = MODELS_DEV.extractAll(MODELS_DEV.create(), body, DAY);
    Map<String, String> v = byKey(ModelFacts.split(all).prices());
    assertEquals("40.00", v.get("acme/voice|input|audio"));
    assertEquals("80.00", v.get("acme/voice|output|audio"));
    assertFalse(v.containsKey("acme/voice|output|thinking"), "a zero reasoning price is not known");
    assertEquals("128000", facts(all, "acme/voice").get(ModelFacts.CONTEXT_WINDOW));
    assertEquals("audio,text", facts(all, "acme/voice").get(ModelFacts.OUTPUT_MODALITIES));
    assertTrue(facts(all, "acme/unpriced").isEmpty());
  }

  @Test
  @DisplayName("A unit that does not count what the metric prices is refused: an extractor's mistake, never stored")
  void unitMustMatchTheMetric() {
    ExtractContext ctx = new ExtractContext(LITELLM.source(), "json", Currencies.usdOnly());
    assertThrows(IllegalArgumentException.class, () -> ctx.observation("acme", "m", "input", "",
        BigDecimal.ONE, Unit.PER_IMAGE, "USD"));
    assertThrows(IllegalArgumentException.class, () -> ctx.observation("acme", "m", Metrics.OUTPUT_IMAGE, "",
        BigDecimal.ONE, Unit.PER_TOKEN, "USD"));
    assertEquals("USD/image", Metrics.usdUnit(Metrics.OUTPUT_IMAGE));
    assertEquals("USD/1M tokens", Metrics.usdUnit("cache_write"));
  }

  @Test
  @DisplayName("An event of a typed series says its unit; a token price's event keeps USD/1M tokens")
  void eventsSayTheirUnit() {
    java.time.Instant at = java.time.Instant.parse("2026-07-01T00:00:00Z");
    io.pricetide.bus.ChangeEvent image = new io.pricetide.bus.ChangeEvent(0, "price_cut", "litellm", "openai",
        "dall-e-3", "dall-e-3", Metrics.INPUT_IMAGE, "", new BigDecimal("0.08"), new BigDecimal("0.04"),
        new BigDecimal("0.08"), new BigDecimal("0.04"), "USD", new BigDecimal("-50.00"), at, null, null);
    assertEquals("USD/image", image.toJson().getString("unit"));
    assertEquals("0.04", image.toJson().getString("new"));
    assertEquals(image.toJson(), io.pricetide.bus.ChangeEvent.fromJson(image.toJson()).toJson());
    io.pricetide.bus.ChangeEvent token = new io.pricetide.bus.ChangeEvent(0, "price_cut", "litellm", "openai",
        "gpt-4o", "gpt-4o", "input", "", new BigDecimal("5"), new BigDecimal("2.5"), new BigDecimal("5"),
        new BigDecimal("2.5"), "USD", new BigDecimal("-50.00"), at, null, null);
    assertEquals("USD/1M tokens", token.toJson().getString("unit"));
  }
}
