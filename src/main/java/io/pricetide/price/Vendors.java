package io.pricetide.price;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One name per model vendor across sources: catalogues spell Zhipu's models {@code zai}, {@code z-ai} and
 * {@code zhipuai}, Mistral's {@code mistral} and {@code mistralai}; each is one vendor here, named as the vendor
 * names itself. Only vendors that make models are listed: a reseller or a cloud ({@code openrouter},
 * {@code bedrock}, {@code together_ai}) is not a vendor, so it is not offered where a person picks vendors.
 *
 * <p>Where prices are compared ({@link #market}, {@link #same}), a market sold apart keeps its own name: Alibaba's
 * mainland-China cloud ({@code alibaba-cn}) is Alibaba to a person picking vendors, but its CNY prices are not the
 * international ones, so drift and the model page's roles do not pair them.
 */
public final class Vendors {
  /** A vendor: its canonical id (what filters and sources use), its display name, and the slugs meaning it. */
  public record Vendor(String id, String name, List<String> slugs) {}

  private static final Map<String, Vendor> BY_SLUG = new LinkedHashMap<>();
  private static final Map<String, Vendor> BY_ID = new LinkedHashMap<>();

  static {
    add("openai", "OpenAI");
    add("anthropic", "Anthropic");
    add("google", "Google", "gemini", "google-ai-studio", "google_ai_studio", "vertex_ai", "vertex-ai",
        "google-vertex");
    add("mistral", "Mistral AI", "mistralai", "mistral-ai", "codestral");
    add("xai", "xAI", "x-ai", "grok");
    add("deepseek", "DeepSeek", "deepseek-ai");
    add("alibaba", "Alibaba Cloud (Qwen)", "qwen", "dashscope", "alibaba-cn", "aliyun");
    add("moonshot", "Moonshot AI (Kimi)", "moonshotai", "moonshot-ai", "kimi");
    add("zhipu", "Zhipu AI (Z.ai)", "zai", "z-ai", "z.ai", "zhipuai", "zhipu-ai", "glm");
    add("meta", "Meta (Llama)", "meta-llama", "meta_llama", "llama");
    add("cohere", "Cohere");
    add("amazon", "Amazon (Nova)", "amazon-nova", "nova");
    add("microsoft", "Microsoft", "phi");
    add("nvidia", "NVIDIA");
    add("ai21", "AI21 Labs", "ai21labs");
    add("minimax", "MiniMax", "minimaxai");
    add("perplexity", "Perplexity", "perplexity-ai", "perplexityai");
    add("baidu", "Baidu (ERNIE)");
    add("tencent", "Tencent (Hunyuan)");
    add("bytedance", "ByteDance (Seed)", "bytedance-seed", "volcengine", "doubao");
    add("stepfun", "StepFun", "stepfun-ai");
    add("inception", "Inception");
    add("liquid", "Liquid AI", "liquidai");
    add("ibm", "IBM (Granite)", "ibm-granite");
    add("nousresearch", "Nous Research", "nous");
    add("inflection", "Inflection");
    add("reka", "Reka", "rekaai");
    add("writer", "Writer");
    add("voyage", "Voyage AI", "voyageai");
    add("jina", "Jina AI", "jina_ai", "jinaai");
  }

  private static void add(String id, String name, String... more) {
    List<String> slugs = new ArrayList<>(List.of(id));
    slugs.addAll(List.of(more));
    Vendor v = new Vendor(id, name, List.copyOf(slugs));
    BY_ID.put(id, v);
    slugs.forEach(s -> BY_SLUG.put(s, v));
  }

  private Vendors() {}

  /** The vendor a provider slug means, any case; null for a slug that is no known vendor (a reseller, say). */
  public static Vendor of(String slug) {
    return slug == null ? null : BY_SLUG.get(slug.trim().toLowerCase(Locale.ROOT));
  }

  /** The canonical id of a slug: the vendor's id when known, else the slug lower-cased. */
  public static String canonical(String slug) {
    Vendor v = of(slug);
    return v != null ? v.id() : slug == null ? null : slug.trim().toLowerCase(Locale.ROOT);
  }

  /** Slugs that name a market of their own where prices are compared. */
  private static final Set<String> MARKETS = Set.of("alibaba-cn");

  /** The vendor's id where prices are compared: {@link #canonical}, except a market sold apart keeps its slug. */
  public static String market(String slug) {
    if (slug == null) {
      return "";
    }
    String s = slug.trim().toLowerCase(Locale.ROOT);
    return MARKETS.contains(s) ? s : canonical(s);
  }

  /** Whether two provider slugs name the same vendor in the same market (neither blank). */
  public static boolean same(String a, String b) {
    String ma = market(a);
    return !ma.isEmpty() && ma.equals(market(b));
  }

  /** Every slug that means the same vendor as {@code slug} (the slug itself, lower-cased, when none is known). */
  public static List<String> slugs(String slug) {
    Vendor v = of(slug);
    return v != null ? v.slugs() : List.of(slug.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * The vendors among {@code providers} (slugs as stored) and {@code firstParty} (the providers of vendor-page
   * sources, vendors by definition), one entry each, by display name; unknown slugs of first-party sources are
   * vendors named by their slug.
   */
  public static List<Vendor> among(Collection<String> providers, Collection<String> firstParty) {
    Map<String, Vendor> out = new LinkedHashMap<>();
    Set<String> own = new TreeSet<>();
    firstParty.stream().filter(p -> p != null && !p.isBlank()).forEach(p -> own.add(canonical(p)));
    for (String p : providers) {
      Vendor v = of(p);
      if (v != null) {
        out.putIfAbsent(v.id(), v);
      }
    }
    for (String p : own) {
      out.putIfAbsent(p, of(p) != null ? of(p) : new Vendor(p, p, List.of(p)));
    }
    return out.values().stream().sorted((a, b) -> a.name().compareToIgnoreCase(b.name())).toList();
  }
}
