package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.web.ModelIdentity.Role;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModelIdentityTest {
  @Test
  @DisplayName("Variants share a base: -latest, dated snapshots, :free tiers, ChatGPT's pointer; other models do not")
  void variants() {
    assertEquals("gpt-4o", ModelIdentity.base("chatgpt-4o-latest"));
    assertEquals("gpt-4o", ModelIdentity.base("gpt-4o-2024-08-06"));
    assertEquals("gpt-4o", ModelIdentity.base("gpt-4o:extended"));
    assertEquals("gpt-3.5-turbo", ModelIdentity.base("gpt-3.5-turbo-0125"));
    assertEquals("mistral-large", ModelIdentity.base("mistral-large-2411"));
    assertEquals("gemini-1.5-pro", ModelIdentity.base("gemini-1.5-pro-002"));
    assertEquals("qwen-max", ModelIdentity.base("qwen-max-latest"));
    assertEquals("llama-3.1-405b", ModelIdentity.base("llama-3.1-405b"));
    assertTrue(ModelIdentity.related("gpt-4o", "chatgpt-4o-latest"));
    assertFalse(ModelIdentity.related("gpt-4o", "gpt-4o-mini"), "gpt-4o-mini is a model of its own");
    assertFalse(ModelIdentity.related("gpt-4o", "gpt-4o"));
  }

  @Test
  @DisplayName("The title is the vendor's own name, else the most common catalogue name without routing prefixes")
  void title() {
    assertEquals("Claude Opus 3", ModelIdentity.title("claude-3-opus", List.of("Claude Opus 3", "Claude Opus 3"),
        List.of("anthropic/claude-3-opus")));
    assertEquals("gpt-4o", ModelIdentity.title("gpt-4o", List.of(),
        List.of("openrouter/gpt-4o", "azure/gpt-4o", "openai/gpt-4o", "GPT-4o")));
  }

  @Test
  @DisplayName("A row is the vendor's, a catalogue's copy (provider is the vendor, by any of its names) or a reseller's")
  void roles() {
    assertEquals(Role.VENDOR, ModelIdentity.role(true, "openai", "openai", "openai"));
    assertEquals(Role.CATALOGUE, ModelIdentity.role(false, "litellm", "openai", "openai"));
    assertEquals(Role.CATALOGUE, ModelIdentity.role(false, "litellm", "dashscope", "alibaba"));
    assertEquals(Role.RESELLER, ModelIdentity.role(false, "litellm", "azure", "openai"));
    assertEquals(Role.RESELLER, ModelIdentity.role(false, "openrouter-models", "openai", "openai"),
        "OpenRouter's price is what OpenRouter charges");
    assertEquals("alibaba", ModelIdentity.vendor(List.of(), List.of("qwen", "qwen", "azure")));
  }

  @Test
  @DisplayName("Names wrap after a slash, never inside gpt-4o; a long part may wrap after a hyphen or a word's dot; "
      + "markup is text")
  void breakable() {
    assertEquals("openrouter/<wbr>openai/<wbr><span class=\"nb\">gpt-4o</span>",
        Describe.breakable("openrouter/openai/gpt-4o").text());
    assertEquals("<span class=\"nb\">azure-</span><wbr><span class=\"nb\">cognitive-</span><wbr>services/<wbr>"
        + "<span class=\"nb\">gpt-4o</span>",
        Describe.breakable("azure-cognitive-services/gpt-4o").text());
    assertEquals("&lt;b&gt;x", Describe.breakable("<b>x").text());
    assertEquals("bedrock/<wbr>anthropic.<wbr><span class=\"nb\">claude-</span><wbr><span class=\"nb\">3.5-</span>"
        + "<wbr>sonnet", Describe.breakable("bedrock/anthropic.claude-3.5-sonnet").text(),
        "a part of 27 characters may wrap after a hyphen or a dot between words, never inside 3.5");
    assertEquals("vertex_<wbr>ai/<wbr><span class=\"nb\">claude-3.5-sonnet</span>",
        Describe.breakable("vertex_ai/claude-3.5-sonnet").text(),
        "a short part is never split at its dot or hyphen");
  }
}
