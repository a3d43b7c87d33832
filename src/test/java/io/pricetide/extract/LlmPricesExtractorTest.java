package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pricetide.price.Observation;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LlmPricesExtractorTest {
  private static final CatalogueFixtures LLM_PRICES = new CatalogueFixtures("llm-prices", "llm-prices");

  private static Map<String, String> on(String fixture, String day) {
    return CatalogueFixtures.byKey(LLM_PRICES.extract(CatalogueFixtures.resource(fixture), LocalDate.parse(day)));
  }

  @ParameterizedTest(name = "{1} {2} on {3}: {4}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      llm-prices.json            | acme-large   | input      | 2026-08-31 | 2.00
      llm-prices.json            | acme-large   | output     | 2026-08-31 | 10.00
      llm-prices.json            | acme-large   | cache_read | 2026-08-31 | -
      llm-prices.json            | acme-large   | input      | 2026-09-01 | 3.00
      llm-prices.json            | acme-large   | cache_read | 2026-09-01 | 0.30
      llm-prices.json            | acme-mini    | input      | 2025-02-07 | 0.14
      llm-prices.json            | acme-mini    | input      | 2025-02-08 | 0.27
      llm-prices.json            | acme-mini    | cache_read | 2025-02-08 | 0.07
      llm-prices.json            | acme-retired | input      | 2024-12-31 | 1.00
      llm-prices.json            | acme-retired | input      | 2025-01-01 | -
      llm-prices.json            | other-small  | input      | 2026-08-31 | 0.035
      llm-prices-historical.json | acme-large   | input      | 2026-08-31 | 2.00
      llm-prices-historical.json | acme-large   | input      | 2026-09-01 | 3.00
      llm-prices-historical.json | acme-large   | cache_read | 2026-09-01 | 0.30
      llm-prices-historical.json | other-small  | output     | 2026-08-31 | 0.14
      """)
  @DisplayName("The record in force is from_date <= day < to_date, in the vendor-file and the flat shape alike")
  void recordInForce(String fixture, String model, String metric, String day, String expected) {
    Map<String, String> values = on(fixture, day);
    assertEquals(expected, values.get(model + "|" + metric + "|"), values::toString);
  }

  @Test
  @DisplayName("An id listed twice is read once, the first time; provider is the vendor")
  void duplicates() {
    assertEquals("0.27", on("llm-prices.json", "2026-07-01").get("acme-mini|input|"));
    Observation o = LLM_PRICES.extract(CatalogueFixtures.resource("llm-prices.json"), LocalDate.of(2026, 7, 1))
        .stream().filter(x -> x.model().equals("other-small")).findFirst().orElseThrow();
    assertEquals("other", o.provider());
  }

  @Test
  @DisplayName("A record starting after the observed day is an announced change from 00:00 UTC of its from_date, "
      + "of the prices that differ; none once it is in force")
  void laterRecordIsAnnounced() {
    String doc = """
        [{"vendor": "acme", "models": [{"id": "acme-promo", "name": "Acme Promo", "price_history": [
          {"input": 2, "output": 10, "input_cached": null, "from_date": null, "to_date": "2026-09-01"},
          {"input": 3, "output": 10, "input_cached": 0.3, "from_date": "2026-09-01", "to_date": null}]}]}]
        """;
    java.util.List<Observation> before = LLM_PRICES.extract(doc, LocalDate.of(2026, 6, 30));
    java.util.List<String> announced = before.stream().filter(o -> o.effectiveFrom() != null)
        .map(o -> o.metric() + " " + io.pricetide.price.Decimals.money(o.value()) + " from " + o.effectiveFrom())
        .toList();
    // Output stays 10 and the cached price is new (nothing to change from): only input is announced.
    assertEquals(java.util.List.of("input 3.00 from 2026-09-01T00:00:00Z"), announced);
    assertEquals(Map.of("acme-promo|input|", "2.00", "acme-promo|output|", "10.00"), CatalogueFixtures.byKey(before));
    java.util.List<Observation> after = LLM_PRICES.extract(doc, LocalDate.of(2026, 9, 1));
    assertEquals(0, after.stream().filter(o -> o.effectiveFrom() != null).count());
    assertEquals("3.00", CatalogueFixtures.byKey(after).get("acme-promo|input|"));
  }

  @Test
  @DisplayName("One vendor file on its own is read like the merged array")
  void singleVendorFile() {
    String one = """
        {"vendor": "acme", "models": [{"id": "acme-x", "name": "Acme X", "price_history": [
          {"input": 1.25, "output": 5, "input_cached": null, "from_date": "2025-01-01", "to_date": null}]}]}
        """;
    Map<String, String> v = CatalogueFixtures.byKey(LLM_PRICES.extract(one, LocalDate.of(2026, 1, 1)));
    assertEquals(Map.of("acme-x|input|", "1.25", "acme-x|output|", "5.00"), v);
    assertNull(v.get("acme-x|cache_read|"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      truncated         | [{"vendor": "acme", "models": [                                     | malformed JSON
      wrong shape       | {"data": []}                                                        | expected llm-prices data
      no models         | [{"vendor": "acme", "models": []}]                                  | no models in the llm-prices document
      nothing in force  | [{"vendor": "a", "models": [{"id": "m", "price_history": [{"input": 1, "output": 2, "from_date": "2027-01-01", "to_date": null}]}]}] | no price in force on 2026-07-01 in 1
      """)
  @DisplayName("A document of the wrong shape is an extraction failure naming the source")
  void failsLoudly(String what, String body, String why) {
    LLM_PRICES.assertFails(body, why);
  }
}
