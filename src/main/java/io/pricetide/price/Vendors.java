package io.pricetide.price;

import java.util.Locale;
import java.util.Map;

/**
 * One name per vendor across sources: catalogues write the seller of an offering in their own slugs (OpenRouter's
 * {@code qwen} and {@code x-ai}, LiteLLM's {@code dashscope}, {@code gemini} and {@code zai}, models.dev's
 * {@code zhipuai}), and a vendor's own page names it plainly. {@link #of} maps each slug to the vendor's name, so
 * "is this catalogue row the vendor's own offering, or a reseller's?" is one comparison. A market sold apart (Alibaba's
 * mainland-China cloud, {@code alibaba-cn}) keeps its own name: its prices are not the international ones.
 */
public final class Vendors {
  private static final Map<String, String> SLUGS = Map.ofEntries(
      Map.entry("qwen", "alibaba"), Map.entry("dashscope", "alibaba"), Map.entry("alibaba", "alibaba"),
      Map.entry("alibaba-intl", "alibaba"), Map.entry("alibaba-cn", "alibaba-cn"),
      Map.entry("google", "google"), Map.entry("gemini", "google"), Map.entry("vertex_ai", "google"),
      Map.entry("vertex-ai", "google"), Map.entry("google-gemini", "google"),
      Map.entry("xai", "xai"), Map.entry("x-ai", "xai"),
      Map.entry("moonshot", "moonshot"), Map.entry("moonshotai", "moonshot"),
      Map.entry("zai", "zhipu"), Map.entry("z-ai", "zhipu"), Map.entry("zhipuai", "zhipu"), Map.entry("zhipu", "zhipu"),
      Map.entry("deepseek", "deepseek"), Map.entry("deepseek-en", "deepseek"),
      Map.entry("mistral", "mistral"), Map.entry("mistralai", "mistral"),
      Map.entry("openai", "openai"), Map.entry("anthropic", "anthropic"),
      Map.entry("meta", "meta"), Map.entry("meta-llama", "meta"));

  private Vendors() {}

  /** The vendor a provider slug names, lower-cased; a slug not in the table is its own name (a reseller's). */
  public static String of(String provider) {
    if (provider == null) {
      return "";
    }
    String slug = provider.trim().toLowerCase(Locale.ROOT);
    return SLUGS.getOrDefault(slug, slug);
  }

  /** Whether two provider slugs name the same vendor (neither blank). */
  public static boolean same(String a, String b) {
    String va = of(a);
    return !va.isEmpty() && va.equals(of(b));
  }
}
