package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pricetide.price.Observation;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenAiPricesExtractorTest {
  private static final CatalogueFixtures GENAI = new CatalogueFixtures("genai-prices", "genai-prices");
  private static final String BODY = CatalogueFixtures.resource("genai-prices.json");

  /** The prices in force on {@code day} (announced ones apart: see {@link #laterStartIsAnnounced}). */
  private static Map<String, String> on(String day) {
    return CatalogueFixtures.byKey(GENAI.extract(BODY, LocalDate.parse(day)).stream()
        .filter(o -> o.effectiveFrom() == null).toList());
  }

  @Test
  @DisplayName("A start date after the observation is an announced change of the same series, from that UTC day")
  void laterStartIsAnnounced() {
    List<Observation> announced = GENAI.extract(BODY, LocalDate.parse("2026-07-06")).stream()
        .filter(o -> o.effectiveFrom() != null).toList();
    Map<String, String> byKey = announced.stream().collect(Collectors.toMap(
        o -> o.model() + "|" + o.metric() + "|" + o.condition() + "|" + o.effectiveFrom(),
        o -> io.pricetide.price.Decimals.money(o.value())));
    assertEquals(Map.of("acme/acme-next|input||2026-09-01T00:00:00Z", "3.00",
        "acme/acme-next|output||2026-09-01T00:00:00Z", "15.00"), byKey);
    assertEquals(List.of(), GENAI.extract(BODY, LocalDate.parse("2026-09-01")).stream()
        .filter(o -> o.effectiveFrom() != null).toList(), "in force from its day: nothing announced");
  }

  @ParameterizedTest(name = "{0} {1} [{2}] = {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      acme/acme-large     | input       | -                | 3.00
      acme/acme-large     | input       | >200k            | 6.00
      acme/acme-large     | input       | >1M              | 9.00
      acme/acme-large     | output      | -                | 15.00
      acme/acme-large     | cache_read  | -                | 0.30
      acme/acme-large     | cache_write | -                | 3.75
      acme/acme-mini      | input       | -                | 0.075
      acme/acme-mini      | cache_read  | -                | 0.00
      reseller/acme-large | input       | -                | 3.30
      reseller/acme-large | output      | -                | 16.50
      offpeak/chat        | input       | -                | 0.27
      offpeak/chat        | output      | -                | 1.10
      offpeak/chat        | cache_read  | -                | 0.07
      offpeak/chat        | input       | UTC 16:30-00:30  | 0.135
      offpeak/chat        | output      | UTC 16:30-00:30  | 0.55
      offpeak/chat        | cache_read  | UTC 16:30-00:30  | 0.035
      """)
  @DisplayName("Per-1M prices, tiers as >Nk conditions, each provider its own series, off-peak as a UTC band")
  void readsPrices(String model, String metric, String condition, String expected) {
    Map<String, String> values = on("2026-07-06");
    assertEquals(expected, values.get(model + "|" + metric + "|" + (condition == null ? "" : condition)),
        values::toString);
  }

  @ParameterizedTest(name = "{0} on {1}: input {2}, output {3}")
  @CsvSource(delimiter = '|', textBlock = """
      acme/acme-next | 2026-07-06 | 2.00  | 10.00
      acme/acme-next | 2026-08-31 | 2.00  | 10.00
      acme/acme-next | 2026-09-01 | 3.00  | 15.00
      acme/acme-old  | 2025-06-09 | 10.00 | 40.00
      acme/acme-old  | 2025-06-10 | 2.00  | 8.00
      """)
  @DisplayName("A dated price is reported from its start date on, judged by the day of the observation")
  void datedPrices(String model, String day, String input, String output) {
    Map<String, String> values = on(day);
    assertEquals(input, values.get(model + "|input|"));
    assertEquals(output, values.get(model + "|output|"));
  }

  @Test
  @DisplayName("Audio prices, request counts, unknown constraints and negative or textual values are skipped")
  void skips() {
    List<Observation> obs = GENAI.extract(BODY, LocalDate.of(2026, 7, 6));
    assertEquals(Set.of("input", "output", "cache_read", "cache_write"),
        obs.stream().map(Observation::metric).collect(Collectors.toSet()));
    assertFalse(obs.stream().anyMatch(o -> o.model().equals("acme/acme-regional")));
    assertFalse(obs.stream().anyMatch(o -> o.model().equals("acme/acme-negative")));
    assertNull(on("2026-07-06").get("acme/acme-large|input|UTC 16:30-00:30"));
  }

  @Test
  @DisplayName("Provider is the provider id; the canonical model drops it")
  void providers() {
    Observation o = GENAI.extract(BODY, LocalDate.of(2026, 7, 6)).stream()
        .filter(x -> x.model().equals("reseller/acme-large")).findFirst().orElseThrow();
    assertEquals("reseller", o.provider());
    assertEquals("acme-large", o.canonicalModel());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      truncated         | [{"id": "acme", "models": [{"id": "a", "prices": {   | malformed JSON
      object at top     | {"providers": []}                                    | expected a JSON array of providers
      no models         | [{"id": "acme", "models": []}]                        | no models in the genai-prices document
      no token price    | [{"id": "acme", "models": [{"id": "a", "prices": {"requests_kcount": 1}}]}] | no token prices in 1
      """)
  @DisplayName("A document of the wrong shape is an extraction failure naming the source")
  void failsLoudly(String what, String body, String why) {
    GENAI.assertFails(body, why);
  }
}
