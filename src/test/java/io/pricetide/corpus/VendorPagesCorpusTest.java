package io.pricetide.corpus;

import io.pricetide.source.Sources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pricetide.extract.ExtractorRegistry;
import io.pricetide.extract.Extractors;
import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceLoader;
import io.pricetide.testing.Corpus;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every capture of a first-party vendor page in {@code ../shared/corpus/pages}, read by the extractor of its source
 * in the capture's own format, as {@code extract --source ID --format F FILE} would: named prices (input, output and,
 * where the page has it, cached input) and the size of the full price list. Runs where the corpus exists; required
 * when {@code CI=true}.
 */
class VendorPagesCorpusTest {
  private static Extractors sources;
  private static Path pages;

  @BeforeAll
  static void load() {
    pages = Corpus.dir("pages");
    ExtractorRegistry registry = ExtractorRegistry.builtIn();
    sources = new Extractors(Sources.of(new SourceLoader(registry).loadDirectory(Path.of("sources"))), registry, 
        new Currencies(Map.of("CNY", new BigDecimal("0.1380"), "EUR", new BigDecimal("1.0800"))));
  }

  private static List<Observation> extract(String sourceId, String format, String capture) {
    try {
      String body = Files.readString(pages.resolve(capture), StandardCharsets.UTF_8);
      List<Observation> obs = sources.extract(sourceId, body, format);
      assertTrue(obs.stream().noneMatch(o -> o.model().toLowerCase().contains("deprecated")), capture);
      assertTrue(obs.stream().allMatch(o -> o.value().signum() >= 0), capture);
      return obs;
    } catch (IOException e) {
      throw new AssertionError("cannot read capture " + capture, e);
    }
  }

  private static void price(List<Observation> obs, String model, String metric, String condition, String value,
      String currency) {
    List<Observation> hits = obs.stream().filter(o -> o.model().equals(model) && o.metric().equals(metric)
        && o.condition().equals(condition)).toList();
    if (hits.size() != 1) {
      fail(model + " " + metric + " [" + condition + "]: found " + hits.size() + "; the model has "
          + obs.stream().filter(o -> o.model().equals(model)).map(o -> o.metric() + " [" + o.condition() + "] "
          + o.value()).collect(Collectors.joining(", ")));
    }
    assertEquals(value, Decimals.money(hits.get(0).value()), () -> model + " " + metric + " [" + condition + "]");
    assertEquals(currency, hits.get(0).currency(), () -> model + " " + metric + " currency");
  }

  private static void usd(List<Observation> obs, String model, String metric, String condition, String value) {
    price(obs, model, metric, condition, value, "USD");
  }

  /** A price that is not per token: its value in USD and the unit it is stored in ({@code image}, {@code 1k calls}). */
  private static void other(List<Observation> obs, String model, String metric, String condition, String value,
      String unit) {
    usd(obs, model, metric, condition, value);
    assertEquals(unit, io.pricetide.price.Metrics.quantity(metric).label(), () -> model + " " + metric + " unit");
  }

  /** A price that is not per token in the page's own currency (CNY) and the unit it is stored in. */
  private static void typed(List<Observation> obs, String model, String metric, String condition, String value,
      String unit) {
    price(obs, model, metric, condition, value, "CNY");
    assertEquals(unit, io.pricetide.price.Metrics.quantity(metric).label(), () -> model + " " + metric + " unit");
  }

  /** The retirement date the page states for a model ({@code deprecation_date} fact), or null. */
  private static String retires(List<Observation> obs, String model) {
    return obs.stream().filter(o -> o.model().equals(model) && o.metric().equals(ModelFacts.DEPRECATION))
        .map(Observation::condition).findFirst().orElse(null);
  }

  private static List<Observation> tokenPrices(List<Observation> obs) {
    return obs.stream().filter(o -> !ModelFacts.isFact(o) && io.pricetide.price.Metrics.perToken(o.metric())).toList();
  }

  private static boolean has(List<Observation> obs, String model) {
    return obs.stream().anyMatch(o -> o.model().equals(model));
  }

  // ------------------------------------------------------------------ OpenAI

  @Test
  @DisplayName("openai/2024-04-01_openai.com_pricing.txt: text dump of price cards")
  void openai20240401Text() {
    List<Observation> obs = extract("openai", "text", "openai/2024-04-01_openai.com_pricing.txt");
    usd(obs, "gpt-4-0125-preview", "input", "", "10.00");
    usd(obs, "gpt-4-0125-preview", "output", "", "30.00");
    usd(obs, "gpt-3.5-turbo-0125", "input", "", "0.50");
    usd(obs, "gpt-3.5-turbo", "training", "fine-tuned", "8.00");
    usd(obs, "gpt-3.5-turbo", "input", "fine-tuned", "3.00");
    usd(obs, "text-embedding-3-large", "input", "", "0.13");
    assertFalse(has(obs, "whisper"), "per-minute prices are not token prices");
    assertEquals(38, obs.size());
  }

  @Test
  @DisplayName("openai/2025-10_platform-openai-com_docs_pricing.jina.md: Batch/Flex/Standard/Priority tables")
  void openai202510Jina() {
    List<Observation> obs = extract("openai", "markdown", "openai/2025-10_platform-openai-com_docs_pricing.jina.md");
    usd(obs, "gpt-5", "input", "", "1.25");
    usd(obs, "gpt-5", "cache_read", "", "0.125");
    usd(obs, "gpt-5", "output", "", "10.00");
    usd(obs, "gpt-5", "input", "batch", "0.625");
    usd(obs, "o4-mini", "cache_read", "flex", "0.138");
    usd(obs, "gpt-4o", "cache_read", "priority", "2.125");
    usd(obs, "gpt-image-1", "output", "image", "40.00");
    usd(obs, "gpt-realtime", "input", "audio", "32.00");
    usd(obs, "gpt-4o-2024-08-06", "input", "fine-tuned", "3.75");
    usd(obs, "o4-mini-2025-04-16", "input", "batch; fine-tuned; data-sharing", "1.00");
    usd(obs, "text-embedding-3-large", "input", "batch", "0.065");
    usd(obs, "gpt-4-32k", "output", "", "120.00");
    assertTrue(tokenPrices(obs).stream().noneMatch(o -> o.model().equals("sora-2")), "per-second prices are no token prices");
    other(obs, "sora-2-pro", "output_second", "1792x1024", "0.50", "second");
    other(obs, "GPT Image 1", "output_image", "high; 1024x1536", "0.25", "image");
    other(obs, "GPT Image 1 Mini", "output_image", "low; 1024x1024", "0.005", "image");
    other(obs, "DALL·E 3", "output_image", "hd; 1792x1024", "0.12", "image");
    other(obs, "DALL·E 3", "output_image", "1024x1024", "0.04", "image");
    other(obs, "DALL·E 2", "output_image", "256x256", "0.016", "image");
    other(obs, "Web search (all models)", "web_search", "", "10.00", "1k calls");
    other(obs, "Web search preview (non-reasoning models)", "web_search", "", "25.00", "1k calls");
    other(obs, "File search tool call", "tool_call", "", "2.50", "1k calls");
    other(obs, "TTS HD", "input_character", "", "30.00", "1M characters");
    assertFalse(has(obs, "Whisper"), "per-minute prices have no stored unit");
    assertFalse(has(obs, "Code Interpreter"), "per-container prices have no stored unit");
    assertFalse(has(obs, "File search storage"), "storage is no model price");
    assertEquals("dall-e-3", obs.stream().filter(o -> o.model().equals("DALL·E 3")).findFirst().orElseThrow()
        .canonicalModel());
    assertEquals(347, tokenPrices(obs).size());
    assertEquals(39, obs.size() - 347);
  }

  @Test
  @DisplayName("openai/2025-11_platform-openai-com_docs_pricing.md: gpt-5.1 era, titles on the line after the heading")
  void openai202511Markdown() {
    List<Observation> obs = extract("openai", "markdown", "openai/2025-11_platform-openai-com_docs_pricing.md");
    usd(obs, "gpt-5.1", "input", "", "1.25");
    usd(obs, "gpt-5.1", "cache_read", "", "0.125");
    usd(obs, "gpt-5.1", "output", "", "10.00");
    usd(obs, "gpt-5.1", "output", "priority", "20.00");
    usd(obs, "gpt-5.1-codex-mini", "input", "", "0.25");
    usd(obs, "gpt-4o-transcribe-diarize", "input", "audio", "6.00");
    usd(obs, "o4-mini-2025-04-16", "cache_read", "fine-tuned; data-sharing", "0.50");
    other(obs, "GPT Image 1", "output_image", "medium; 1536x1024", "0.063", "image");
    other(obs, "sora-2", "output_second", "720x1280", "0.10", "second");
    other(obs, "Web search preview (reasoning models, including gpt-5, o-series)", "web_search", "", "10.00",
        "1k calls");
    // This copy lost the header of the DALL·E sub-tables, so their sizes are unknown: no price, but still listed.
    assertFalse(obs.stream().anyMatch(o -> o.model().equals("DALL·E 3") && !ModelFacts.isFact(o)), obs::toString);
    for (String dalle : List.of("DALL·E 3", "DALL·E 2")) {
      assertTrue(obs.stream().anyMatch(o -> o.model().equals(dalle) && o.metric().equals(ModelFacts.UNREAD)
          && o.condition().equals("output_image")), dalle + " listed, unread");
    }
    assertEquals(380, tokenPrices(obs).size());
    assertEquals(32, obs.size() - 380);
  }

  // ------------------------------------------------------------------ Anthropic

  @Test
  @DisplayName("anthropic/2024-04-01_www.anthropic.com_api_pricing_section.txt: Claude 3 cards and legacy models")
  void anthropic20240401Text() {
    List<Observation> obs = extract("anthropic", "text",
        "anthropic/2024-04-01_www.anthropic.com_api_pricing_section.txt");
    usd(obs, "Claude 3 Haiku", "input", "", "0.25");
    usd(obs, "Claude 3 Haiku", "output", "", "1.25");
    usd(obs, "Claude 3 Opus", "output", "", "75.00");
    usd(obs, "Claude Instant", "input", "", "0.80");
    assertEquals(12, obs.size());
  }

  @Test
  @DisplayName("anthropic/2025-05-24_docs-anthropic-com_pricing.md: Claude 4 launch, glued tables, anchor headings")
  void anthropic20250524Markdown() {
    List<Observation> obs = extract("anthropic", "markdown", "anthropic/2025-05-24_docs-anthropic-com_pricing.md");
    usd(obs, "Claude Opus 4", "input", "", "15.00");
    usd(obs, "Claude Opus 4", "cache_read", "", "1.50");
    usd(obs, "Claude Opus 4", "output", "", "75.00");
    usd(obs, "Claude Opus 4", "cache_write", "5m", "18.75");
    usd(obs, "Claude Opus 4", "cache_write", "1h", "30.00");
    usd(obs, "Claude Haiku 3", "input", "batch", "0.125");
    assertEquals(49, obs.size());
  }

  @Test
  @DisplayName("anthropic/2025-10-08_docs-claude-com_pricing.html: server HTML, Sonnet 4.5 era, long context")
  void anthropic20251008Html() {
    List<Observation> obs = extract("anthropic", "html", "anthropic/2025-10-08_docs-claude-com_pricing.html");
    usd(obs, "Claude Sonnet 4.5", "input", "", "3.00");
    usd(obs, "Claude Sonnet 4.5", "cache_read", "", "0.30");
    usd(obs, "Claude Sonnet 4.5", "output", "", "15.00");
    usd(obs, "Claude Sonnet 4.5", "input", ">200k", "6.00");
    usd(obs, "Claude Sonnet 4", "output", ">200k", "22.50");
    usd(obs, "Claude Sonnet 3.5", "cache_write", "1h", "6.00");
    other(obs, "Web search", "web_search", "", "10.00", "1k calls");
    assertNull(retires(obs, "Claude Opus 3"), "\"(deprecated)\" with no date is no retirement date");
    assertEquals(67, tokenPrices(obs).size());
    assertEquals(68, obs.size());
  }

  @Test
  @DisplayName("anthropic/2025-10-08_docs-claude-com_pricing.md: the same capture as markdown reads the same prices")
  void anthropic20251008Markdown() {
    List<Observation> md = extract("anthropic", "markdown", "anthropic/2025-10-08_docs-claude-com_pricing.md");
    List<Observation> html = extract("anthropic", "html", "anthropic/2025-10-08_docs-claude-com_pricing.html");
    usd(md, "Claude Haiku 3.5", "input", "", "0.80");
    usd(md, "Claude Haiku 3.5", "cache_read", "", "0.08");
    usd(md, "Claude Haiku 3.5", "output", "", "4.00");
    usd(md, "Claude Opus 4.1", "output", "batch", "37.50");
    assertEquals(html, md, "markdown and HTML of one capture give one price list");
  }

  @Test
  @DisplayName("anthropic/2025-10_docs-claude-com_models-overview.jina.md: the pricing table of the models overview")
  void anthropic202510ModelsOverview() {
    List<Observation> obs = extract("anthropic", "markdown",
        "anthropic/2025-10_docs-claude-com_models-overview.jina.md");
    usd(obs, "Claude Opus 4.1", "input", "", "15.00");
    usd(obs, "Claude Opus 4.1", "cache_read", "", "1.50");
    usd(obs, "Claude Opus 4.1", "output", "", "75.00");
    usd(obs, "Claude Haiku 3", "cache_write", "5m", "0.30");
    assertEquals(45, obs.size());
  }

  @Test
  @DisplayName("anthropic/2025-11_docs-claude-com_pricing.md: Mintlify markdown, Haiku 4.5, notes between tables")
  void anthropic202511Markdown() {
    List<Observation> obs = extract("anthropic", "markdown", "anthropic/2025-11_docs-claude-com_pricing.md");
    usd(obs, "Claude Haiku 4.5", "input", "", "1.00");
    usd(obs, "Claude Haiku 4.5", "cache_read", "", "0.10");
    usd(obs, "Claude Haiku 4.5", "output", "", "5.00");
    usd(obs, "Claude Haiku 4.5", "output", "batch", "2.50");
    usd(obs, "Claude Sonnet 4.5", "output", ">200k", "22.50");
    usd(obs, "Claude Sonnet 3.7", "input", "", "3.00");
    other(obs, "Web search", "web_search", "", "10.00", "1k calls");
    assertFalse(obs.stream().anyMatch(o -> o.metric().contains("second") || o.model().contains("Code execution")),
        "code execution per container-hour has no stored unit");
    assertEquals(68, obs.size());
  }

  // ------------------------------------------------------------------ Google

  @Test
  @DisplayName("google/2025-10-08_ai-google-dev_pricing.jina.md: most model headings lost; only named tables are read")
  void google20251008Jina() {
    List<Observation> obs = extract("google-gemini", "markdown", "google/2025-10-08_ai-google-dev_pricing.jina.md");
    String model = "gemini-2.5-computer-use-preview-10-2025";
    usd(obs, model, "input", "", "1.25");
    usd(obs, model, "input", ">200k", "2.50");
    usd(obs, model, "output", "", "10.00");
    usd(obs, model, "output", ">200k", "15.00");
    assertTrue(tokenPrices(obs).stream().allMatch(o -> o.model().equals(model)),
        "tables whose model heading the reader tool dropped are not given to another model");
    other(obs, "veo-3.0-generate-001", "output_second", "", "0.40", "second");
    other(obs, "veo-3.0-fast-generate-001", "output_second", "", "0.15", "second");
    assertEquals(6, obs.size());
  }

  @Test
  @DisplayName("google/2025-11_ai-google-dev_gemini-api_docs_pricing.md: Standard/Batch per model, tiers inside cells")
  void google202511Markdown() {
    List<Observation> obs = extract("google-gemini", "markdown",
        "google/2025-11_ai-google-dev_gemini-api_docs_pricing.md");
    usd(obs, "gemini-2.5-pro", "input", "", "1.25");
    usd(obs, "gemini-2.5-pro", "input", ">200k", "2.50");
    usd(obs, "gemini-2.5-pro", "cache_read", "", "0.125");
    usd(obs, "gemini-2.5-pro", "output", "", "10.00");
    usd(obs, "gemini-2.5-pro", "output", "batch; >200k", "7.50");
    usd(obs, "gemini-3-pro-preview", "input", ">200k", "4.00");
    usd(obs, "gemini-2.5-flash", "input", "audio", "1.00");
    usd(obs, "gemini-2.5-flash", "cache_read", "", "0.03");
    usd(obs, "gemini-2.5-flash", "input", "free-tier", "0.00");
    usd(obs, "gemini-2.0-flash-lite", "output", "batch", "0.15");
    assertTrue(tokenPrices(obs).stream().noneMatch(o -> o.model().startsWith("veo")), "per-second prices are no token prices");
    other(obs, "veo-3.1-fast-generate-preview", "output_second", "", "0.15", "second");
    other(obs, "veo-2.0-generate-001", "output_second", "", "0.35", "second");
    other(obs, "imagen-4.0-ultra-generate-001", "output_image", "", "0.06", "image");
    other(obs, "imagen-4.0-generate-001", "output_image", "", "0.04", "image");
    other(obs, "imagen-3.0-generate-002", "output_image", "", "0.03", "image");
    other(obs, "gemini-2.5-flash-image", "output_image", "", "0.039", "image");
    other(obs, "gemini-2.5-flash-image", "output_image", "batch", "0.0195", "image");
    other(obs, "gemini-3-pro-image-preview", "output_image", "1k/2k", "0.134", "image");
    other(obs, "gemini-3-pro-image-preview", "output_image", "4k", "0.24", "image");
    other(obs, "gemini-2.0-flash", "output_image", "", "0.039", "image");
    other(obs, "gemini-2.5-flash", "web_search", "", "35.00", "1k calls");
    other(obs, "gemini-2.5-flash", "tool_call", "google-maps", "25.00", "1k calls");
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("gemini-3-pro-preview") && o.metric().equals("web_search")),
        "\"(Coming soon) $14 / 1,000 search queries\" is not charged yet");
    assertTrue(obs.stream().noneMatch(o -> o.metric().equals("input_image")),
        "\"(text / image / video)\" names modalities, not a price per image");
    // "$0.0011 (image)^*^" under "per 1M tokens": its footnote makes it a price per image, not read as per 1M tokens.
    assertTrue(tokenPrices(obs).stream().noneMatch(o -> o.model().equals("gemini-3-pro-image-preview")
        && o.metric().equals("input") && o.condition().contains("image")), () -> tokenPrices(obs).toString());
    usd(obs, "gemini-3-pro-image-preview", "input", "", "2.00");
    assertEquals(133, tokenPrices(obs).size());
    assertEquals(34, obs.size() - 133);
  }

  // ------------------------------------------------------------------ DeepSeek

  @Test
  @DisplayName("deepseek/2025-01-23_api-docs_copy-paste_v3-promo.txt: promotional price now, list price announced "
      + "on the same series from the promotion's end (2025-02-08 16:00 UTC)")
  void deepseek20250123Text() throws IOException {
    String body = Files.readString(pages.resolve("deepseek/2025-01-23_api-docs_copy-paste_v3-promo.txt"),
        StandardCharsets.UTF_8);
    List<Observation> all = sources.extract("deepseek-en", body, "text", java.time.Instant.parse("2025-01-23T00:00:00Z"));
    List<Observation> obs = all.stream().filter(o -> o.effectiveFrom() == null).toList();
    List<Observation> announced = all.stream().filter(o -> o.effectiveFrom() != null).toList();
    usd(obs, "deepseek-chat", "input", "", "0.14");
    usd(obs, "deepseek-chat", "cache_read", "", "0.014");
    usd(obs, "deepseek-chat", "output", "", "0.28");
    usd(announced, "deepseek-chat", "input", "", "0.27");
    usd(announced, "deepseek-chat", "output", "", "1.10");
    assertTrue(announced.stream().allMatch(o -> o.effectiveFrom().toString().equals("2025-02-08T16:00:00Z")));
    assertEquals(3, announced.size(), "R1 is not in the promotion");
    usd(obs, "deepseek-reasoner", "output", "", "2.19");
    assertEquals(6, obs.size());
  }

  @Test
  @DisplayName("deepseek/2025-02-26_api-docs_copy-paste_with-offpeak.txt: transposed table with an off-peak band")
  void deepseek20250226Text() {
    List<Observation> obs = extract("deepseek-en", "text", "deepseek/2025-02-26_api-docs_copy-paste_with-offpeak.txt");
    usd(obs, "deepseek-chat", "input", "", "0.27");
    usd(obs, "deepseek-chat", "cache_read", "", "0.07");
    usd(obs, "deepseek-chat", "output", "", "1.10");
    usd(obs, "deepseek-reasoner", "cache_read", "UTC 16:30-00:30", "0.035");
    usd(obs, "deepseek-reasoner", "output", "UTC 16:30-00:30", "0.55");
    assertEquals(12, obs.size());
  }

  @Test
  @DisplayName("deepseek/2025-10_api-docs_quick_start_pricing_v32exp.crawl.md: one price spanning both models")
  void deepseek202510Crawl() {
    List<Observation> obs = extract("deepseek-en", "markdown",
        "deepseek/2025-10_api-docs_quick_start_pricing_v32exp.crawl.md");
    usd(obs, "deepseek-chat", "input", "", "0.28");
    usd(obs, "deepseek-chat", "cache_read", "", "0.028");
    usd(obs, "deepseek-chat", "output", "", "0.42");
    usd(obs, "deepseek-reasoner", "output", "", "0.42");
    assertEquals(6, obs.size());
  }

  // ------------------------------------------------------------------ Mistral, Moonshot, xAI

  @Test
  @DisplayName("mistral/2024-04-01_docs.mistral.ai_platform_pricing.txt: run-together table cells, USD and EUR kept")
  void mistral20240401Text() {
    List<Observation> obs = extract("mistral", "text", "mistral/2024-04-01_docs.mistral.ai_platform_pricing.txt");
    usd(obs, "mistral-large-latest", "input", "", "8.00");
    usd(obs, "mistral-large-latest", "output", "", "24.00");
    usd(obs, "open-mixtral-8x7b", "input", "", "0.70");
    usd(obs, "mistral-embed", "input", "", "0.10");
    price(obs, "mistral-large-latest", "input", "EUR", "7.30", "EUR");
    assertTrue(obs.stream().allMatch(o -> o.currency().equals(o.condition().isEmpty() ? "USD" : "EUR")));
    assertEquals(22, obs.size());
  }

  @Test
  @DisplayName("moonshot/2026_platform-kimi-com_docs_pricing_chat-k27-code.mdx.md: MDX DocTable in CNY")
  void moonshot2026Mdx() {
    List<Observation> obs = extract("moonshot", "markdown",
        "moonshot/2026_platform-kimi-com_docs_pricing_chat-k27-code.mdx.md");
    price(obs, "kimi-k2.7-code", "input", "", "6.50", "CNY");
    price(obs, "kimi-k2.7-code", "cache_read", "", "1.30", "CNY");
    price(obs, "kimi-k2.7-code", "output", "", "27.00", "CNY");
    Observation o = obs.stream().filter(x -> x.model().equals("kimi-k2.7-code") && x.metric().equals("output"))
        .findFirst().orElseThrow();
    assertEquals("3.726", Decimals.money(o.usdPer1m()), "27 CNY at the fallback 0.1380");
    assertEquals(6, obs.size());
  }

  @Test
  @DisplayName("xai/2025-12_docs-x-ai_docs_models.scraped.md: '$0.20$0.50' pricing cells, per-image rows skipped")
  void xai202512Scraped() {
    List<Observation> obs = extract("xai", "markdown", "xai/2025-12_docs-x-ai_docs_models.scraped.md");
    usd(obs, "grok-4-1-fast-reasoning", "input", "", "0.20");
    usd(obs, "grok-4-1-fast-reasoning", "output", "", "0.50");
    usd(obs, "grok-4-0709", "output", "", "15.00");
    usd(obs, "grok-code-fast-1", "output", "", "1.50");
    other(obs, "grok-2-image-1212", "output_image", "", "0.07", "image");
    other(obs, "Web Search", "web_search", "", "5.00", "1k calls");
    other(obs, "X Search", "tool_call", "", "5.00", "1k calls");
    other(obs, "Collections Search", "tool_call", "", "2.50", "1k calls");
    other(obs, "Documents Search", "tool_call", "", "2.50", "1k calls");
    other(obs, "Live Search", "search_source", "", "25.00", "1k sources");
    assertFalse(has(obs, "View Image"), "\"Token-based only\" is no price of its own");
    assertEquals("2026-01-12", retires(obs, "Live Search"), "\"will be deprecated by January 12, 2026\"");
    assertEquals(18, tokenPrices(obs).size());
    assertEquals(27, obs.size(), "18 token prices, 8 per image, call or source, 1 retirement date");
  }

  // ------------------------------------------------------------------ Alibaba

  @Test
  @DisplayName("alibaba/2025-12-10_alibabacloud-intl_model-studio_models.excerpt.md: Singapore tiers, thinking output")
  void alibaba20251210Intl() {
    List<Observation> obs = extract("alibaba-intl", "markdown",
        "alibaba/2025-12-10_alibabacloud-intl_model-studio_models.excerpt.md");
    usd(obs, "qwen3-max", "input", "", "1.20");
    usd(obs, "qwen3-max", "output", "", "6.00");
    usd(obs, "qwen3-max", "input", "32k-128k", "2.40");
    usd(obs, "qwen3-max", "output", "128k-252k", "15.00");
    usd(obs, "qwen-max", "input", "", "1.60");
    usd(obs, "qwen-plus", "output", "non-thinking", "1.20");
    usd(obs, "qwen-plus", "output", "thinking", "4.00");
    usd(obs, "qwen-plus", "input", "256k-1m", "1.20");
    usd(obs, "qwen-flash", "output", "256k-1m", "2.00");
    assertEquals(70, tokenPrices(obs).size());
    assertEquals(70, obs.size(), "the excerpt prices tokens only");
  }

  @Test
  @DisplayName("alibaba/2026-04_help-aliyun-com_model-studio_models.cn.md: CNY per region, modalities, third parties")
  void alibaba202604Cn() {
    List<Observation> obs = extract("alibaba-cn", "markdown",
        "alibaba/2026-04_help-aliyun-com_model-studio_models.cn.md");
    price(obs, "qwen3-max", "input", "", "2.50", "CNY");
    price(obs, "qwen3-max", "output", "32k-128k", "16.00", "CNY");
    price(obs, "qwen3-max", "input", "singapore", "8.807", "CNY");
    price(obs, "qwen3-max", "input", "global", "2.50", "CNY");
    price(obs, "qwen3.6-plus", "output", "thinking", "12.00", "CNY");
    price(obs, "qwen-plus", "output", "256k-1m; thinking", "64.00", "CNY");
    price(obs, "qwen-flash-us", "input", "us", "0.367", "CNY");
    price(obs, "qwen3-omni-flash", "input", "audio", "15.80", "CNY");
    price(obs, "deepseek-v3.2", "output", "", "3.00", "CNY");
    price(obs, "glm-4.6", "input", "32k-166k", "4.00", "CNY");
    price(obs, "qwen2.5-vl-embedding", "input", "image/video", "1.80", "CNY");
    assertTrue(tokenPrices(obs).stream().noneMatch(o -> o.model().equals("qwen3-asr-flash")),
        "per-second prices are not token prices");
    // prices per image (元/张), second (元/秒) and 10,000 characters (每万字符): typed series in their own units
    typed(obs, "qwen-image-2.0-pro", "output_image", "", "0.50", "image");
    typed(obs, "qwen-image-2.0-pro", "output_image", "singapore", "0.550443", "image");
    typed(obs, "qwen-image-edit", "output_image", "", "0.30", "image");
    typed(obs, "kling/kling-v3-omni-image-generation", "output_image", "4k", "0.40", "image");
    typed(obs, "wan2.2-s2v-detect", "input_image", "", "0.004", "image");
    typed(obs, "wan2.6-i2v-flash", "output_second", "720p", "0.30", "second");
    typed(obs, "wan2.6-i2v-flash", "output_second", "no-audio; 1080p", "0.25", "second");
    typed(obs, "wan2.6-i2v-flash", "output_second", "singapore; no-audio; 720p", "0.183481", "second");
    typed(obs, "kling/kling-v3-omni-video-generation", "output_second", "reference-video; no-audio; 720p", "0.90",
        "second");
    typed(obs, "vidu/viduq3-pro_text2video", "output_second", "540p", "0.3125", "second");
    typed(obs, "wan2.2-animate-move", "output_second", "wan-pro", "0.60", "second");
    typed(obs, "qwen3-asr-flash", "input_second", "", "0.00022", "second");
    typed(obs, "qwen3-asr-flash-us", "input_second", "us", "0.000035", "second");
    typed(obs, "qwen3-tts-flash", "input_character", "", "80.00", "1M characters");
    typed(obs, "qwen3-tts-flash", "input_character", "singapore", "73.3924", "1M characters");
    // lists in one cell: "关闭提示词改写（prompt_extend=false）：0.1元/张 开启…（prompt_extend=true）：0.2元/张", "480P：0.5元/秒"
    typed(obs, "z-image-turbo", "output_image", "", "0.10", "image");
    typed(obs, "z-image-turbo", "output_image", "singapore; prompt-extend", "0.220177", "image");
    typed(obs, "wan2.2-s2v", "output_second", "720p", "0.90", "second");
    typed(obs, "emo-v1", "output_second", "3:4", "0.16", "second");
    assertFalse(has(obs, "aitryon-refiner"), "prices tiered by volume");
    assertFalse(has(obs, "wan2.7-r2v"), "input and output priced together");
    Map<String, Long> byMetric = obs.stream().filter(o -> !io.pricetide.price.Metrics.perToken(o.metric()))
        .collect(Collectors.groupingBy(Observation::metric, Collectors.counting()));
    assertEquals(Map.of("output_image", 75L, "input_image", 5L, "output_second", 200L, "input_second", 48L,
        "input_character", 44L), byMetric);
    assertEquals(1380, tokenPrices(obs).size());
    assertEquals(1380 + 372, obs.size());
  }
}
