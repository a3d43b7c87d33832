package io.pricetide.extract;

import static io.pricetide.extract.VendorSources.assertUsd;
import static io.pricetide.extract.VendorSources.extract;
import static io.pricetide.extract.VendorSources.has;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Observation;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GeminiPageTest {
  @Test
  @DisplayName("Tiers inside a cell: '$1.25, prompts <= 200k … $2.50, prompts > 200k' are a base and a >200k price")
  void tiersInsideCells() {
    List<Observation> obs = extract("google-gemini", "pricing.md.txt", "markdown");
    assertUsd(obs, "gemini-2.5-pro", "input", "", "1.25");
    assertUsd(obs, "gemini-2.5-pro", "input", ">200k", "2.50");
    assertUsd(obs, "gemini-2.5-pro", "output", ">200k", "15.00");
    assertUsd(obs, "gemini-2.5-pro", "cache_read", "", "0.125");
    assertUsd(obs, "gemini-2.5-pro", "cache_read", ">200k", "0.25");
    assertUsd(obs, "gemini-2.5-pro", "input", "batch", "0.625");
    assertUsd(obs, "gemini-2.5-pro", "output", "batch; >200k", "7.50");
    assertTrue(obs.stream().noneMatch(o -> o.value().toPlainString().equals("4.50")), "storage per hour is skipped");
  }

  @Test
  @DisplayName("Modalities inside a cell, free tier as zero under free-tier, per-image prices typed")
  void modalitiesAndFreeTier() {
    List<Observation> obs = extract("google-gemini", "pricing.md.txt", "markdown");
    assertUsd(obs, "gemini-2.0-flash", "input", "", "0.10");
    assertUsd(obs, "gemini-2.0-flash", "input", "audio", "0.70");
    assertUsd(obs, "gemini-2.0-flash", "cache_read", "", "0.025");
    assertUsd(obs, "gemini-2.0-flash", "cache_read", "audio", "0.175");
    assertUsd(obs, "gemini-2.0-flash", "input", "free-tier", "0.00");
    assertUsd(obs, "gemini-2.5-pro", "output", "free-tier", "0.00");
    assertUsd(obs, "Gemma 3", "input", "free-tier", "0.00");
    assertUsd(obs, "imagen-4.0-generate-001", "output_image", "", "0.04");
    assertUsd(obs, "gemini-2.0-flash", "output_image", "", "0.039");
    assertUsd(obs, "gemini-2.5-pro", "web_search", "", "35.00");
    assertTrue(obs.stream().filter(o -> o.value().toPlainString().equals("0.039"))
        .allMatch(o -> o.metric().equals("output_image")), "a price per image is never a token price");
    assertEquals(25, obs.size());
  }

  @Test
  @DisplayName("A capture that lost model headings: unnamed tables are not handed to a neighbouring model")
  void lostHeadings() {
    List<Observation> obs = extract("google-gemini", "pricing-headings-lost.md", "markdown");
    assertUsd(obs, "gemini-2.5-computer-use-preview-10-2025", "input", "", "1.25");
    assertUsd(obs, "gemini-2.5-computer-use-preview-10-2025", "output", ">200k", "15.00");
    assertTrue(obs.stream().allMatch(o -> o.model().equals("gemini-2.5-computer-use-preview-10-2025")));
    assertEquals(4, obs.size());
  }
}
