package io.pricetide.extract;

import io.pricetide.source.Sources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The repository's own {@code sources/} loaded as the service loads them (fallback FX rates CNY 0.1380 and EUR
 * 1.0800 USD), and helpers to run a source's extractor over a fixture page from {@code src/test/resources/pages}.
 */
final class VendorSources {
  static final Currencies FX = new Currencies(Map.of("CNY", new BigDecimal("0.1380"), "EUR", new BigDecimal("1.0800")));
  static final Extractors SET = load();

  private VendorSources() {}

  private static Extractors load() {
    ExtractorRegistry registry = ExtractorRegistry.builtIn();
    return new Extractors(Sources.of(new SourceLoader(registry).loadDirectory(Path.of("sources"))), registry, FX);
  }

  /** The fixture {@code pages/<sourceId>/<name>} as text. */
  static String fixture(String sourceId, String name) {
    String path = "/pages/" + sourceId + "/" + name;
    try (InputStream in = VendorSources.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the source's extractor over one of its fixtures in {@code format}. */
  static List<Observation> extract(String sourceId, String fixture, String format) {
    return SET.extract(sourceId, fixture(sourceId, fixture), format);
  }

  /** The one observation of a series; fails listing what the model has when it is missing. */
  static Observation find(List<Observation> obs, String model, String metric, String condition) {
    List<Observation> hits = obs.stream().filter(o -> o.model().equals(model) && o.metric().equals(metric)
        && o.condition().equals(condition)).toList();
    if (hits.size() != 1) {
      fail("expected one " + model + " " + metric + " [" + condition + "], found " + hits.size() + "; the model has: "
          + obs.stream().filter(o -> o.model().equals(model)).map(o -> o.metric() + " [" + o.condition() + "] "
          + o.value()).collect(Collectors.joining(", ")));
    }
    return hits.get(0);
  }

  /** Asserts a price as the page's own currency and amount per 1M tokens ("2.50", "CNY"). */
  static void assertPrice(List<Observation> obs, String model, String metric, String condition, String value,
      String currency) {
    Observation o = find(obs, model, metric, condition);
    assertEquals(value, Decimals.money(o.value()), () -> model + " " + metric + " [" + condition + "]");
    assertEquals(currency, o.currency(), () -> model + " " + metric + " [" + condition + "] currency");
  }

  static void assertUsd(List<Observation> obs, String model, String metric, String condition, String value) {
    assertPrice(obs, model, metric, condition, value, "USD");
  }

  static boolean has(List<Observation> obs, String model) {
    return obs.stream().anyMatch(o -> o.model().equals(model));
  }
}
