package io.pricetide.extract;

import static io.pricetide.extract.VendorSources.assertUsd;
import static io.pricetide.extract.VendorSources.extract;
import static io.pricetide.extract.VendorSources.has;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Observation;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenAiPageTest {
  @Test
  @DisplayName("Server HTML: one table per service tier (Batch, Flex, Standard, Priority); Standard is the base")
  void tiersFromHtml() {
    List<Observation> obs = extract("openai", "pricing.html", "html");
    assertUsd(obs, "gpt-4o", "input", "", "2.50");
    assertUsd(obs, "gpt-4o", "cache_read", "", "1.25");
    assertUsd(obs, "gpt-4o", "output", "", "10.00");
    assertUsd(obs, "gpt-4.1", "input", "batch", "1.00");
    assertUsd(obs, "gpt-4.1", "output", "batch", "4.00");
    assertUsd(obs, "o3", "cache_read", "flex", "0.25");
    assertUsd(obs, "gpt-4.1", "cache_read", "priority", "0.875");
    assertUsd(obs, "gpt-4o-mini", "cache_read", "", "0.075");
    assertEquals("gpt-4o", VendorSources.find(obs, "gpt-4o", "input", "").canonicalModel());
  }

  @Test
  @DisplayName("Token kinds, fine-tuning and embeddings get conditions; per-image and per-call tables typed series")
  void sectionsFromHtml() {
    List<Observation> obs = extract("openai", "pricing.html", "html");
    assertUsd(obs, "gpt-realtime", "input", "audio", "32.00");
    assertUsd(obs, "gpt-realtime", "cache_read", "audio", "0.40");
    assertUsd(obs, "gpt-4.1-mini-2025-04-14", "training", "fine-tuned", "5.00");
    assertUsd(obs, "gpt-4.1-mini-2025-04-14", "input", "fine-tuned", "0.80");
    assertUsd(obs, "o4-mini-2025-04-16", "input", "fine-tuned; data-sharing", "2.00");
    assertUsd(obs, "o4-mini-2025-04-16", "output", "fine-tuned", "16.00");
    assertUsd(obs, "text-embedding-3-small", "input", "", "0.02");
    assertUsd(obs, "text-embedding-3-small", "input", "batch", "0.01");
    assertUsd(obs, "GPT Image 1", "output_image", "low; 1024x1024", "0.011");
    assertUsd(obs, "Web search", "web_search", "", "10.00");
    assertTrue(obs.stream().noneMatch(o -> o.metric().equals("training") && o.model().startsWith("o4-mini")),
        "a training price per hour is not a price per token");
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("gpt-image-1") && o.metric().equals("output")),
        "a dash is no price");
    assertEquals(41, obs.size(), "every token price of the page, one price per image and one per 1k calls");
  }

  @Test
  @DisplayName("Reader-tool markdown: title lines after empty headings, a glued 'with data sharing', no batch training")
  void readerMarkdown() {
    List<Observation> obs = extract("openai", "pricing-reader.md", "markdown");
    assertUsd(obs, "gpt-4o", "output", "", "10.00");
    assertUsd(obs, "o4-mini-2025-04-16", "input", "batch; fine-tuned; data-sharing", "1.00");
    assertUsd(obs, "gpt-4.1-nano-2025-04-14", "cache_read", "batch; fine-tuned", "0.025");
    assertTrue(obs.stream().noneMatch(o -> o.metric().equals("training")),
        "a batch table repeats the training price, which has no batch variant");
    assertUsd(obs, "video-model-1", "output_second", "", "0.10");
    assertEquals(16, obs.size());
  }

  @Test
  @DisplayName("2024 text dump: price cards under capitalised names; fine-tuning and embedding sections")
  void textCards() {
    List<Observation> obs = extract("openai", "pricing-2024.txt", "text");
    assertUsd(obs, "gpt-4-turbo-2024-04-09", "input", "", "10.00");
    assertUsd(obs, "gpt-4-turbo-2024-04-09", "output", "", "30.00");
    assertUsd(obs, "gpt-3.5-turbo-0125", "output", "", "1.50");
    assertUsd(obs, "gpt-3.5-turbo", "training", "fine-tuned", "8.00");
    assertUsd(obs, "gpt-3.5-turbo", "input", "fine-tuned", "3.00");
    assertUsd(obs, "text-embedding-3-small", "input", "", "0.02");
    assertFalse(has(obs, "whisper"), "per-minute prices are skipped");
    assertEquals(8, obs.size());
  }

  @Test
  @DisplayName("A page without the price tables fails loudly instead of returning nothing")
  void missingTablesFail() {
    String page = "<html><body><h1>Pricing</h1><p>We are updating this page.</p></body></html>";
    ExtractException e = assertThrows(ExtractException.class, () -> VendorSources.SET.extract("openai", page, "html"));
    assertTrue(e.getMessage().contains("no prices found"), e.getMessage());
    assertEquals("openai", e.sourceId());
  }
}
