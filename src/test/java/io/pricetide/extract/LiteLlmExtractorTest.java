package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  @DisplayName("Only the prices listed in the format notes are read, each in its own unit; the rest of acme-large "
      + "is skipped")
  void skipsOtherPrices() {
    Set<String> acmeLarge = VALUES.keySet().stream().filter(k -> k.startsWith("acme-large|"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(19, acmeLarge.size(), () -> "acme-large series: " + acmeLarge);
    assertEquals(Set.of("input", "output", "cache_read", "cache_write", "input_image", "input_second",
        "input_character", "web_search"), OBS.stream().map(Observation::metric).collect(Collectors.toSet()));
  }

  @Test
  @DisplayName("sample_spec, last_updated, negative or textual prices and models without token prices yield nothing")
  void skipsNonModels() {
    Set<String> models = OBS.stream().map(Observation::model).collect(Collectors.toSet());
    assertEquals(Set.of("acme-large", "acme/acme-tiny", "acme/acme-free", "legacy-chat", "acme/acme-both",
        "acme/acme-cache-hit", "dashscope/acme-tiered", "acme/acme-image"), models);
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
      no price             | {"m": {"input_cost_per_pixel_x": 0.01}}        | no token prices in 1 LiteLLM model entries
      empty document       | ''                                             | empty JSON document
      """)
  @DisplayName("A document of the wrong shape is an extraction failure naming the source")
  void failsLoudly(String what, String body, String why) {
    LITELLM.assertFails(body, why);
  }

  @Test
  @DisplayName("A file read after another reuses the unchanged entries and gives what a fresh read gives")
  void incrementalReadEqualsFreshRead() {
    Extractor x = LITELLM.create();
    String first = """
        {"sample_spec": {"input_cost_per_token": 0.0},
         "a": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "acme"},
         "b": {"input_cost_per_token": 3e-06},
         "c": {"input_cost_per_token": 4e-06},
         "last_updated": "2026-01-01"}""";
    String second = """
        {"sample_spec": {"input_cost_per_token": 0.0},
         "a": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "acme"},
         "b": {"input_cost_per_token": 3.5e-06},
         "d": {"output_cost_per_token": 5e-06},
         "c": "withdrawn",
         "a": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "acme"},
         "last_updated": "2026-01-02"}""";
    String third = """
        {"a": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "ACME"},
         "c": {"input_cost_per_token": 4e-06}}""";
    for (String body : List.of(first, second, third, second, first)) {
      List<Observation> again = LITELLM.extract(x, body, LocalDate.of(2026, 7, 1));
      List<Observation> fresh = LITELLM.extract(body, LocalDate.of(2026, 7, 1));
      assertEquals(fresh, again, body);
    }
    assertEquals("input 1.00, output 2.00, input 3.50, output 5.00",
        LITELLM.extract(x, second, LocalDate.of(2026, 7, 1)).stream()
            .map(o -> o.metric() + " " + io.pricetide.price.Decimals.money(o.value()))
            .collect(Collectors.joining(", ")));
    LITELLM.assertFails(x, "{\"a\": {\"input_cost_per_token\": 1e-06,", "malformed JSON");
    assertEquals(LITELLM.extract(first, LocalDate.of(2026, 7, 1)), LITELLM.extract(x, first, LocalDate.of(2026, 7, 1)),
        "a failed read leaves the last good one to compare with");
  }

  @Test
  @DisplayName("Corpus (required when CI=true): every LiteLLM snapshot read after the one before gives what a fresh "
      + "read gives")
  void incrementalReadOverTheCorpus() throws java.io.IOException {
    java.nio.file.Path dir = io.pricetide.testing.Corpus.dir("litellm");
    Extractor x = LITELLM.create();
    int n = 0;
    for (io.pricetide.check.Replayer.Snapshot snap : io.pricetide.check.Replayer.snapshots(dir,
        new java.util.ArrayList<>())) {
      String body = new String(io.pricetide.check.Replayer.read(snap.file()), java.nio.charset.StandardCharsets.UTF_8);
      LocalDate day = LocalDate.ofInstant(snap.at(), java.time.ZoneOffset.UTC);
      assertEquals(LITELLM.extract(body, day), LITELLM.extract(x, body, day), snap.file().toString());
      n++;
    }
    assertTrue(n >= 50, "snapshots read: " + n);
  }
}
