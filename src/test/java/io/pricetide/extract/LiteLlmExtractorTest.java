package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pricetide.price.Observation;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiteLlmExtractorTest {
  private static final CatalogueFixtures LITELLM = new CatalogueFixtures("litellm", "litellm");
  private static final List<Observation> OBS =
      LITELLM.extract(CatalogueFixtures.resource("litellm.json"), LocalDate.of(2026, 7, 1));
  private static final Map<String, String> VALUES = CatalogueFixtures.byKey(OBS);

  @ParameterizedTest(name = "{0} {1} [{2}] = {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      acme-large            | input       | -                | 2.50
      acme-large            | output      | -                | 10.00
      acme-large            | cache_read  | -                | 0.125
      acme-large            | cache_write | -                | 3.125
      acme-large            | cache_write | 1h               | 5.00
      acme-large            | input       | >200k            | 5.00
      acme-large            | output      | >200k            | 15.00
      acme-large            | cache_write | >200k; 1h        | 10.00
      acme-large            | input       | batch            | 1.25
      acme-large            | output      | batch            | 5.00
      acme-large            | input       | priority         | 4.50
      acme-large            | input       | priority; >200k  | 9.00
      acme-large            | input       | flex             | 1.25
      acme/acme-tiny        | input       | -                | 0.25
      acme/acme-tiny        | output      | -                | 1.00
      acme/acme-free        | input       | -                | 0.00
      acme/acme-free        | output      | -                | 0.00
      legacy-chat           | input       | -                | 1.50
      acme/acme-both        | cache_read  | -                | 0.028
      acme/acme-cache-hit   | cache_read  | -                | 0.014
      dashscope/acme-tiered | input       | -                | 0.05
      dashscope/acme-tiered | output      | -                | 0.40
      dashscope/acme-tiered | input       | >256k            | 0.25
      dashscope/acme-tiered | output      | >256k            | 2.00
      """)
  @DisplayName("Per-token floats become exact per-1M decimals, with suffixes and tiers as conditions")
  void readsPrices(String model, String metric, String condition, String expected) {
    assertEquals(expected, VALUES.get(model + "|" + metric + "|" + (condition == null ? "" : condition)),
        () -> "all values: " + VALUES);
  }

  @Test
  @DisplayName("Only the token prices listed in the format notes are read; the rest of acme-large is skipped")
  void skipsOtherPrices() {
    Set<String> acmeLarge = VALUES.keySet().stream().filter(k -> k.startsWith("acme-large|"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(13, acmeLarge.size(), () -> "acme-large series: " + acmeLarge);
    assertEquals(Set.of("input", "output", "cache_read", "cache_write"),
        OBS.stream().map(Observation::metric).collect(Collectors.toSet()));
  }

  @Test
  @DisplayName("sample_spec, last_updated, negative or textual prices and models without token prices yield nothing")
  void skipsNonModels() {
    Set<String> models = OBS.stream().map(Observation::model).collect(Collectors.toSet());
    assertEquals(Set.of("acme-large", "acme/acme-tiny", "acme/acme-free", "legacy-chat", "acme/acme-both",
        "acme/acme-cache-hit", "dashscope/acme-tiered"), models);
  }

  @Test
  @DisplayName("Provider comes from litellm_provider (lower-cased), else the key's prefix, else empty")
  void providers() {
    Map<String, String> providers = OBS.stream()
        .collect(Collectors.toMap(Observation::model, Observation::provider, (a, b) -> a));
    assertEquals("acme", providers.get("acme-large"));
    assertEquals("acme", providers.get("acme/acme-free"));
    assertEquals("", providers.get("legacy-chat"));
    assertEquals("dashscope", providers.get("dashscope/acme-tiered"));
    assertFalse(OBS.stream().anyMatch(o -> o.model().equals("acme-large") && !o.canonicalModel().equals("acme-large")));
    assertEquals("acme-tiny", OBS.stream().filter(o -> o.model().equals("acme/acme-tiny")).findFirst().orElseThrow()
        .canonicalModel());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      truncated            | {"acme": {"input_cost_per_token": 2.5e-06,   | malformed JSON
      array at top level   | [{"input_cost_per_token": 2.5e-06}]            | expected a JSON object keyed by model id
      only bookkeeping     | {"sample_spec": {}, "last_updated": "2026"}    | no model entries
      no token price       | {"m": {"input_cost_per_image": 0.01}}          | no token prices in 1 LiteLLM model entries
      empty document       | ''                                             | empty JSON document
      """)
  @DisplayName("A document of the wrong shape is an extraction failure naming the source")
  void failsLoudly(String what, String body, String why) {
    LITELLM.assertFails(body, why);
  }
}
