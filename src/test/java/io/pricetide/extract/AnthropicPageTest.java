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

class AnthropicPageTest {
  @Test
  @DisplayName("Markdown endpoint: base input, cache writes 5m and 1h, cache hits, output; '(deprecated)' dropped")
  void modelTable() {
    List<Observation> obs = extract("anthropic", "pricing.md", "markdown");
    assertUsd(obs, "Claude Sonnet 4.5", "input", "", "3.00");
    assertUsd(obs, "Claude Sonnet 4.5", "cache_write", "5m", "3.75");
    assertUsd(obs, "Claude Sonnet 4.5", "cache_write", "1h", "6.00");
    assertUsd(obs, "Claude Sonnet 4.5", "cache_read", "", "0.30");
    assertUsd(obs, "Claude Sonnet 4.5", "output", "", "15.00");
    assertUsd(obs, "Claude Haiku 3", "cache_read", "", "0.03");
    assertFalse(obs.stream().anyMatch(o -> o.model().contains("deprecated")));
    // sources/_model-aliases.yaml joins the page's "Claude Haiku 3" to the catalogues' claude-3-haiku.
    assertEquals("claude-3-haiku", VendorSources.find(obs, "Claude Haiku 3", "input", "").canonicalModel());
  }

  @Test
  @DisplayName("Batch table gives batch prices; the long-context table applies to the models the text above it names")
  void batchAndLongContext() {
    List<Observation> obs = extract("anthropic", "pricing.md", "markdown");
    assertUsd(obs, "Claude Opus 4.1", "input", "batch", "7.50");
    assertUsd(obs, "Claude Haiku 3", "output", "batch", "0.625");
    assertUsd(obs, "Claude Sonnet 4.5", "input", ">200k", "6.00");
    assertUsd(obs, "Claude Sonnet 4.5", "output", ">200k", "22.50");
    assertUsd(obs, "Claude Sonnet 4", "input", ">200k", "6.00");
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("Claude Haiku 4.5") && o.condition().equals(">200k")));
    assertTrue(obs.stream().noneMatch(o -> o.value().toPlainString().startsWith("999")), "code blocks are not read");
    assertEquals(5 * 5 + 3 * 2 + 2 * 2, obs.size());
  }

  @Test
  @DisplayName("Server HTML reads like the markdown: scripts ignored, spans of text before the long-context table")
  void serverHtml() {
    List<Observation> obs = extract("anthropic", "pricing.html", "html");
    assertUsd(obs, "Claude Sonnet 4", "cache_write", "1h", "6.00");
    assertUsd(obs, "Claude Opus 3", "output", "", "75.00");
    assertUsd(obs, "Claude Sonnet 4.5", "input", "batch", "1.50");
    assertUsd(obs, "Claude Sonnet 4.5", "output", ">200k", "22.50");
    assertFalse(obs.stream().anyMatch(o -> o.model().equals("Claude Sonnet 4") && o.condition().equals(">200k")),
        "only the model the text names gets long-context prices");
    assertFalse(has(obs, "Claude Opus 4.1"), "the script payload is not read");
    assertEquals(3 * 5 + 2 + 2, obs.size());
  }

  @Test
  @DisplayName("2024 text dump: family heading plus card name make the model ('Claude 3 Haiku'); legacy cards")
  void textCards() {
    List<Observation> obs = extract("anthropic", "pricing-2024.txt", "text");
    assertUsd(obs, "Claude 3 Haiku", "input", "", "0.25");
    assertUsd(obs, "Claude 3 Opus", "output", "", "75.00");
    assertUsd(obs, "Claude 2.1", "input", "", "8.00");
    assertEquals(6, obs.size());
  }

  @Test
  @DisplayName("A long-context table whose text names no known model is a layout change: the extraction fails")
  void longContextWithoutModelFails() {
    String page = VendorSources.fixture("anthropic", "pricing.md")
        .replace("Claude Sonnet 4 and Sonnet 4.5 charge", "some models charge");
    ExtractException e = assertThrows(ExtractException.class,
        () -> VendorSources.SET.extract("anthropic", page, "markdown"));
    assertTrue(e.getMessage().contains("long-context"), e.getMessage());
  }
}
