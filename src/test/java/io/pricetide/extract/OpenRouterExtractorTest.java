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

class OpenRouterExtractorTest {
  private static final CatalogueFixtures OPENROUTER = new CatalogueFixtures("openrouter-models", "openrouter");
  private static final List<Observation> OBS =
      OPENROUTER.extract(CatalogueFixtures.resource("openrouter.json"), LocalDate.of(2026, 7, 1));
  private static final Map<String, String> VALUES = CatalogueFixtures.byKey(OBS);

  @ParameterizedTest(name = "{0} {1} [{2}] = {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      acme/large         | input       | -                | 2.50
      acme/large         | output      | -                | 10.00
      acme/large         | cache_read  | -                | 0.125
      acme/large         | cache_write | -                | 3.125
      acme/large         | cache_write | 1h               | 5.00
      acme/large:free    | input       | -                | 0.00
      acme/large:free    | output      | -                | 0.00
      ~acme/large-latest | input       | -                | 1.00
      acme/long          | input       | >272k            | 2.00
      acme/long          | output      | >272k            | 9.00
      acme/long          | cache_read  | >272k            | 0.20
      acme/banded        | input       | -                | 0.27
      acme/banded        | input       | UTC 16:30-00:30  | 0.135
      acme/banded        | output      | UTC 16:30-00:30  | 0.55
      acme/odd           | output      | -                | 1.00
      """)
  @DisplayName("Per-token strings become exact per-1M decimals; overrides become tiers and time bands")
  void readsPrices(String model, String metric, String condition, String expected) {
    assertEquals(expected, VALUES.get(model + "|" + metric + "|" + (condition == null ? "" : condition)),
        () -> "all values: " + VALUES);
  }

  @Test
  @DisplayName("\"0\" is a price for prompt and completion but 'not offered' for the cache; \"-1\" is skipped")
  void zeroAndVariable() {
    assertNull(VALUES.get("acme/large:free|cache_read|"));
    assertNull(VALUES.get("acme/large:free|cache_write|"));
    assertFalse(OBS.stream().anyMatch(o -> o.model().equals("openrouter/auto")));
    assertNull(VALUES.get("acme/odd|input|"), "a non-numeric price is skipped");
  }

  @Test
  @DisplayName("Web search and request prices are their own typed series, reasoning tokens output [thinking]; "
      + "image prices (unit not stated) are not read")
  void skipsOtherUnits() {
    assertEquals(7, VALUES.keySet().stream().filter(k -> k.startsWith("acme/large|")).count(), VALUES::toString);
    assertEquals("10.00", VALUES.get("acme/large|web_search|"), "per search, stored per 1,000");
    assertEquals(Set.of("input", "output", "cache_read", "cache_write", "web_search"),
        OBS.stream().map(Observation::metric).collect(Collectors.toSet()));
  }

  @Test
  @DisplayName("An override with an impossible time (25:00) is skipped, not guessed")
  void impossibleBand() {
    assertEquals(Set.of("acme/banded|input|", "acme/banded|output|", "acme/banded|input|UTC 16:30-00:30",
        "acme/banded|output|UTC 16:30-00:30"), VALUES.keySet().stream().filter(k -> k.startsWith("acme/banded|"))
        .collect(Collectors.toSet()));
  }

  @Test
  @DisplayName("Provider is the id's vendor part, without the ~ of 'latest' aliases")
  void providers() {
    Map<String, String> providers = OBS.stream()
        .collect(Collectors.toMap(Observation::model, Observation::provider, (a, b) -> a));
    assertEquals("acme", providers.get("acme/large"));
    assertEquals("acme", providers.get("~acme/large-latest"));
    assertEquals("large", OBS.get(0).canonicalModel());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      truncated       | {"data": [{"id": "a/b", "pricing": {"prompt": "0.000001"  | malformed JSON
      no data array   | {"data": {"id": "a/b"}}                                  | no 'data' array
      top-level array | [{"id": "a/b"}]                                           | no 'data' array
      no models       | {"data": []}                                              | listed no models
      no token price  | {"data": [{"id": "a/b", "pricing": {"prompt": "-1"}}]}    | no token prices in 1 OpenRouter
      """)
  @DisplayName("A document of the wrong shape is an extraction failure naming the source")
  void failsLoudly(String what, String body, String why) {
    OPENROUTER.assertFails(body, why);
  }
}
