package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.source.FetchSettings;
import io.pricetide.source.Guards;
import io.pricetide.source.SourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a catalogue extractor, found through the built-in registry, over a fixture or a literal body. */
final class CatalogueFixtures {
  private final String sourceId;
  private final String kind;

  CatalogueFixtures(String sourceId, String kind) {
    this.sourceId = sourceId;
    this.kind = kind;
  }

  SourceDefinition source() {
    return new SourceDefinition(sourceId, sourceId, "", "prices", "https://catalogue.example/" + sourceId, "json",
        "0 0 * * * ?", "USD", "per_1m", kind, Map.of(), FetchSettings.DEFAULTS, Guards.DEFAULTS, true,
        sourceId + ".yaml");
  }

  /** A new extractor of this kind for the fixture's source. */
  Extractor create() {
    return ExtractorRegistry.builtIn().factory(kind).orElseThrow().create(source(), Map.of());
  }

  /** Extracts {@code body} as observed at the start of {@code day} (UTC), with a new extractor. */
  List<Observation> extract(String body, LocalDate day) {
    return extract(create(), body, day);
  }

  /** Extracts {@code body} with {@code x}, which may remember earlier bodies: its prices (no model facts). */
  List<Observation> extract(Extractor x, String body, LocalDate day) {
    return ModelFacts.split(extractAll(x, body, day)).prices();
  }

  /** Everything {@code x} reads in {@code body}: prices and model facts ({@link ModelFacts}). */
  List<Observation> extractAll(Extractor x, String body, LocalDate day) {
    ExtractContext ctx = new ExtractContext(source(), "json", Currencies.usdOnly(),
        day.atStartOfDay().toInstant(ZoneOffset.UTC));
    return x.extract(body, ctx);
  }

  /** Every observation as {@code "model|metric|condition" → "value"}, failing on a repeated series. */
  static Map<String, String> byKey(List<Observation> obs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Observation o : obs) {
      if (o.effectiveFrom() != null) {
        continue; // an announced price: not in force yet (see the extractors' own announcement tests)
      }
      String prior = out.put(o.model() + "|" + o.metric() + "|" + o.condition(), Decimals.money(o.value()));
      assertEquals(null, prior, () -> "series reported twice: " + o.key());
      assertEquals("USD", o.currency());
      assertEquals(0, o.value().compareTo(o.usdPer1m()), "a USD price is its own USD value");
    }
    return out;
  }

  /** Asserts that {@code body} fails with an {@link ExtractException} naming the source and saying {@code why}. */
  void assertFails(String body, String why) {
    assertFails(create(), body, why);
  }

  /** As {@link #assertFails(String, String)}, with {@code x}. */
  void assertFails(Extractor x, String body, String why) {
    ExtractException e = assertThrows(ExtractException.class, () -> extract(x, body, LocalDate.of(2026, 7, 1)));
    assertEquals(sourceId, e.sourceId());
    assertTrue(e.getMessage().startsWith("source " + sourceId + ", stage extract: "), e.getMessage());
    assertTrue(e.getMessage().contains(why), () -> "expected '" + why + "' in: " + e.getMessage());
  }

  static String resource(String name) {
    try (InputStream in = CatalogueFixtures.class.getResourceAsStream("/catalogues/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture catalogues/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
