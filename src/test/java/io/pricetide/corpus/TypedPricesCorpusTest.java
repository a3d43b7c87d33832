package io.pricetide.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.extract.ExtractorRegistry;
import io.pricetide.extract.Extractors;
import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceLoader;
import io.pricetide.source.Sources;
import io.pricetide.testing.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Prices that are not per token, model facts and retirement dates on the real catalogue files: every snapshot of
 * LiteLLM, OpenRouter and models.dev reads them without failing, in units that match their metrics, and the last
 * snapshots give the values the files publish. Runs where the corpus exists; required when {@code CI=true}.
 */
class TypedPricesCorpusTest {
  private static Extractors sources;

  @BeforeAll
  static void load() {
    ExtractorRegistry registry = ExtractorRegistry.builtIn();
    sources = new Extractors(Sources.of(new SourceLoader(registry).loadDirectory(Path.of("sources"))), registry,
        Currencies.usdOnly());
  }

  private static String read(Path file) throws IOException {
    try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
        : Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<Path> snapshots(String dir) throws IOException {
    try (Stream<Path> s = Files.list(Corpus.dir(dir))) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}.*\\.json(\\.gz)?")).sorted()
          .toList();
    }
  }

  private static List<Observation> extract(String sourceId, Path file) throws IOException {
    Instant at = java.time.LocalDate.parse(file.getFileName().toString().substring(0, 10))
        .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    return sources.extract(sourceId, read(file), "json", at);
  }

  private static Map<String, String> byKey(List<Observation> obs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Observation o : obs) {
      String key = o.model() + "|" + o.metric() + "|" + (ModelFacts.isFact(o) ? "" : o.condition());
      out.put(key, !ModelFacts.isFact(o) ? Decimals.money(o.value())
          : o.condition().isEmpty() ? o.value().toPlainString() : o.condition());
    }
    return out;
  }

  /** Every typed price is a positive-or-zero value in USD; every fact well formed. */
  private static void assertWellFormed(String name, List<Observation> obs) {
    for (Observation o : obs) {
      if (ModelFacts.isFact(o)) {
        assertEquals(Metrics.COUNT, o.currency(), name + " " + o);
        if (o.metric().equals(ModelFacts.DEPRECATION)) {
          java.time.LocalDate.parse(o.condition());
        }
      } else {
        assertTrue(o.value().signum() >= 0 && o.currency().equals("USD"), name + " " + o);
        assertTrue(o.toJson().containsKey("unit") != Metrics.perToken(o.metric()), name + " " + o);
      }
    }
  }

  @Test
  @DisplayName("LiteLLM, every snapshot: typed prices and facts read; the last one gives the published values")
  void liteLlm() throws IOException {
    int typed = 0;
    int dated = 0;
    Map<String, String> last = Map.of();
    for (Path f : snapshots("litellm")) {
      List<Observation> obs = extract("litellm", f);
      assertWellFormed(f.getFileName().toString(), obs);
      typed += (int) obs.stream().filter(o -> !ModelFacts.isFact(o) && !Metrics.perToken(o.metric())).count();
      dated += (int) obs.stream().filter(o -> o.metric().equals(ModelFacts.DEPRECATION)).count();
      last = byKey(obs);
    }
    System.out.printf("LiteLLM: %d typed prices and %d retirement dates over the snapshots%n", typed, dated);
    assertTrue(typed > 1_000 && dated > 50, "the corpus has typed prices and dates");
    assertEquals("0.04", last.get("dall-e-3|input_image|"));
    assertEquals("0.0001", last.get("whisper-1|input_second|"));
    assertEquals("0.0001", last.get("whisper-1|output_second|"));
    assertEquals("15.00", last.get("tts-1|input_character|"));
    assertEquals("40.00", last.get("gpt-4o-audio-preview|input|audio"));
    assertEquals("80.00", last.get("gpt-4o-audio-preview|output|audio"));
    assertEquals("25.00", last.get("gpt-4o-mini-search-preview|web_search|low-context"));
    assertEquals("27.50", last.get("gpt-4o-mini-search-preview|web_search|medium-context"));
    assertEquals("2.50", last.get("gpt-4o|input|"), "the text price is untouched");
    assertEquals("128000", last.get("gpt-4o|context_window|"));
    assertEquals("16384", last.get("gpt-4o|max_output_tokens|"));
    assertEquals("chat", last.get("gpt-4o|model_kind|"));
    assertEquals("2026-02-27", last.get("azure/eu/gpt-4o-2024-08-06|deprecation_date|"));
    assertEquals(null, last.get("sample_spec|deprecation_date|"));
  }

  @Test
  @DisplayName("OpenRouter, every snapshot: web search per 1k calls and facts; the last one gives grok-4.6's")
  void openRouter() throws IOException {
    Map<String, String> last = Map.of();
    int searches = 0;
    for (Path f : snapshots("openrouter")) {
      List<Observation> obs = extract("openrouter-models", f);
      assertWellFormed(f.getFileName().toString(), obs);
      searches += (int) obs.stream().filter(o -> o.metric().equals(Metrics.WEB_SEARCH)).count();
      last = byKey(obs);
    }
    assertTrue(searches > 100, "the corpus prices web searches");
    assertEquals("5.00", last.get("x-ai/grok-4.6|web_search|"), "0.005 per search is 5.00 per 1,000");
    assertEquals("2.00", last.get("x-ai/grok-4.6|input|"));
    assertEquals("500000", last.get("x-ai/grok-4.6|context_window|"));
    assertEquals("file,image,text", last.get("x-ai/grok-4.6|input_modalities|"));
    assertEquals("text", last.get("x-ai/grok-4.6|output_modalities|"));
    assertEquals("2026-09-30", last.get("dots-studio/dots-3-note-preview:free|deprecation_date|"));
    assertEquals(null, last.get("z-ai/glm-5.3|deprecation_date|"), "2098-12-31 is OpenRouter's 'no date'");
  }

  @Test
  @DisplayName("models.dev, every snapshot: audio tokens and limits read; unit slips stay per 1M tokens")
  void modelsDev() throws IOException {
    int facts = 0;
    for (Path f : snapshots("models-dev")) {
      List<Observation> obs = extract("models-dev", f);
      assertWellFormed(f.getFileName().toString(), obs);
      assertTrue(obs.stream().allMatch(o -> ModelFacts.isFact(o) || Metrics.perToken(o.metric())),
          "models.dev has token prices only");
      facts += (int) obs.stream().filter(o -> o.metric().equals(ModelFacts.CONTEXT_WINDOW)).count();
    }
    assertTrue(facts > 10_000, "context windows over the snapshots: " + facts);
  }

  @Test
  @DisplayName("No catalogue snapshot mixes quantities: a typed metric holds only its own unit's prices")
  void quantitiesPerMetric() throws IOException {
    List<Path> files = snapshots("litellm");
    List<Observation> obs = extract("litellm", files.get(files.size() - 1));
    Map<String, BigDecimal> max = new LinkedHashMap<>();
    obs.stream().filter(o -> !ModelFacts.isFact(o)).forEach(o -> max.merge(o.metric(), o.value(), BigDecimal::max));
    assertTrue(max.keySet().containsAll(List.of(Metrics.INPUT_IMAGE, Metrics.OUTPUT_IMAGE, Metrics.INPUT_SECOND,
        Metrics.INPUT_CHARACTER, Metrics.WEB_SEARCH, Metrics.QUERY)), max::toString);
  }
}
