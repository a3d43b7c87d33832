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
