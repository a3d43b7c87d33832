package io.pricetide.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.extract.ExtractException;
import io.pricetide.extract.ExtractorRegistry;
import io.pricetide.extract.Extractors;
import io.pricetide.price.Currencies;
import io.pricetide.price.Metrics;
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
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The two real captures of the OpenRouter rankings page in {@code ../shared/corpus/usage}, read by the
 * {@code openrouter-rankings} source's extractor. Runs where the corpus exists; required when {@code CI=true}.
 */
class UsageCorpusTest {
  private static Extractors sources;
  private static Path usage;

  @BeforeAll
  static void load() {
    usage = Corpus.dir("usage");
    ExtractorRegistry registry = ExtractorRegistry.builtIn();
    sources = new Extractors(Sources.of(new SourceLoader(registry).loadDirectory(Path.of("sources"))), registry,
        Currencies.usdOnly());
  }

  private static String page(String name) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(usage.resolve(name)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot read capture " + name, e);
    }
  }

  private static LocalDate week(Observation o) {
    return LocalDate.ofInstant(o.effectiveFrom(), ZoneOffset.UTC);
  }

  private static BigDecimal value(List<Observation> obs, String metric, String model, String week) {
    List<Observation> hits = obs.stream().filter(o -> o.metric().equals(metric) && o.model().equals(model)
        && week(o).toString().equals(week)).toList();
    assertEquals(1, hits.size(), metric + " " + model + " week " + week + ": " + hits);
    return hits.get(0).value();
  }

  @Test
  @DisplayName("2025-11-07 capture: every complete week of the leaderboard and of the market share by author, the"
      + " week in progress left out, values as the page has them")
  void weeklyCharts() {
    List<Observation> obs = sources.extract("openrouter-rankings", page("2025-11-07_openrouter-rankings.html.gz"),
        "html");
    assertTrue(obs.stream().allMatch(o -> o.effectiveFrom() != null
        && week(o).getDayOfWeek() == DayOfWeek.MONDAY), "every value is valid from a Monday");
    List<Observation> models = obs.stream().filter(o -> o.metric().equals(Metrics.WEEKLY_TOKENS)).toList();
    List<Observation> authors = obs.stream().filter(o -> o.metric().equals(Metrics.PROVIDER_WEEKLY_TOKENS)).toList();
    assertEquals(obs.size(), models.size() + authors.size(), "only the two weekly charts are read");

    Set<LocalDate> modelWeeks = models.stream().map(UsageCorpusTest::week).collect(Collectors.toCollection(
        TreeSet::new));
    // The leaderboard's points run from 2024-11-11 (the window's edge) to 2025-11-03 (in progress).
    assertEquals(LocalDate.parse("2024-11-18"), ((TreeSet<LocalDate>) modelWeeks).first());
    assertEquals(LocalDate.parse("2025-10-27"), ((TreeSet<LocalDate>) modelWeeks).last());
    assertEquals(50, modelWeeks.size());
    assertEquals(new BigDecimal("1467548178445"), value(obs, Metrics.WEEKLY_TOKENS, "x-ai/grok-code-fast-1",
        "2025-10-27"));
    assertEquals(new BigDecimal("654514437058"), value(obs, Metrics.WEEKLY_TOKENS,
        "anthropic/claude-4.5-sonnet-20250929", "2025-10-27"));
    assertEquals(new BigDecimal("124323985483"), value(obs, Metrics.WEEKLY_TOKENS, "google/gemini-2.5-flash-lite",
        "2025-10-27"));
    Observation rest = models.stream().filter(o -> week(o).toString().equals("2025-10-27")
        && o.condition().equals(Metrics.OTHERS)).findFirst().orElseThrow();
    assertEquals(new BigDecimal("2062956493240"), rest.value());
    assertEquals(10, models.stream().filter(o -> week(o).toString().equals("2025-10-27")).count());
    Observation grok = models.stream().filter(o -> o.model().equals("x-ai/grok-code-fast-1")).findFirst()
        .orElseThrow();
    assertEquals("x-ai", grok.provider());
    assertEquals(Metrics.COUNT, grok.currency());

    // The market share dates weeks by the Sunday before: 2025-10-26 is the week of Monday 2025-10-27; its last
    // point (2025-11-02, the week of 2025-11-03) is in progress.
    Set<LocalDate> authorWeeks = authors.stream().map(UsageCorpusTest::week).collect(Collectors.toCollection(
        TreeSet::new));
    assertEquals(LocalDate.parse("2024-11-11"), ((TreeSet<LocalDate>) authorWeeks).first(),
        "the cut first point (2024-11-03) is left out");
    assertEquals(LocalDate.parse("2025-10-27"), ((TreeSet<LocalDate>) authorWeeks).last());
    assertEquals(new BigDecimal("1628007191904"), value(obs, Metrics.PROVIDER_WEEKLY_TOKENS, "x-ai",
        "2025-10-27"));
    assertTrue(authors.stream().noneMatch(o -> o.model().contains("/")), "authors, not models");
  }

  @Test
  @DisplayName("2025-11-07 capture: qwen's weekly total passes openai's in the week of 2025-07-27 and openai's"
      + " passes qwen's again in the week of 2025-08-10 (the page's Sundays; ISO Mondays 07-28 and 08-11)")
  void qwenAndOpenAi() {
    List<Observation> obs = sources.extract("openrouter-rankings", page("2025-11-07_openrouter-rankings.html.gz"),
        "html");
    String m = Metrics.PROVIDER_WEEKLY_TOKENS;
    assertTrue(value(obs, m, "openai", "2025-07-21").compareTo(value(obs, m, "qwen", "2025-07-21")) > 0,
        "openai leads the week before");
    assertEquals(new BigDecimal("361811992144"), value(obs, m, "qwen", "2025-07-28"));
    assertEquals(new BigDecimal("188017766229"), value(obs, m, "openai", "2025-07-28"));
    assertTrue(value(obs, m, "qwen", "2025-08-04").compareTo(value(obs, m, "openai", "2025-08-04")) > 0,
        "qwen still leads the week after");
    assertEquals(new BigDecimal("331505671697"), value(obs, m, "openai", "2025-08-11"));
    assertEquals(new BigDecimal("326292356459"), value(obs, m, "qwen", "2025-08-11"));
    // The provider totals are the page's own, not sums of the leaderboard's top models.
    BigDecimal qwenModels = obs.stream().filter(o -> o.metric().equals(Metrics.WEEKLY_TOKENS)
        && o.provider().equals("qwen") && week(o).toString().equals("2025-07-28"))
        .map(Observation::value).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertFalse(qwenModels.compareTo(new BigDecimal("361811992144")) == 0);
  }

  @Test
  @DisplayName("2026-05-21 capture (charts load in the browser): a failure naming both missing charts")
  void pageWithoutData() {
    ExtractException e = assertThrows(ExtractException.class, () -> sources.extract("openrouter-rankings",
        page("2026-05-21_openrouter-rankings.html.gz"), "html"));
    String msg = e.getMessage();
    assertTrue(msg.startsWith("source openrouter-rankings, stage extract: "), msg);
    assertTrue(msg.contains("weekly token leaderboard") && msg.contains("weekly market share by author"), msg);
    assertTrue(msg.contains("section is there but holds no such chart"), msg);
    assertTrue(msg.contains("client-side rendering"), msg);
  }
}
