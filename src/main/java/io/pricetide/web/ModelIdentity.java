package io.pricetide.web;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a model is to a person, from the names sources give it (pure; no I/O): the vendor's own name for the title,
 * what each price row is (the vendor's own price, a catalogue's copy of it, or a reseller's price), and which
 * other models are variants of it ({@code -latest}, dated snapshots, {@code :free}).
 */
final class ModelIdentity {
  /** The kind of a price row, in the order the page lists them. */
  enum Role {
    VENDOR("vendor", "Vendor"), CATALOGUE("catalogue", "Catalogue"), RESELLER("reseller", "Reseller");

    final String key;
    final String label;

    Role(String key, String label) {
      this.key = key;
      this.label = label;
    }
  }

  /**
   * Names the catalogues use for a vendor, folded to one key (OpenRouter says qwen, LiteLLM dashscope). Alibaba's
   * mainland cloud ({@code alibaba-cn}) is another market and keeps its own name. The same table as main's
   * {@code price.Vendors} (#12), written apart on this branch; one is to replace the other on merging.
   */

  private static final Pattern TIER = Pattern.compile(":[a-z0-9-]+$");
  private static final Pattern LATEST = Pattern.compile("-latest$");
  private static final Pattern DATED = Pattern.compile(
      "-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|(0[1-9]|1[0-2])\\d{2}|2[3-9](0[1-9]|1[0-2])|\\d{3})$");

  private ModelIdentity() {}

  /** One vendor key for a provider name as any source writes it; unknown names are kept, lower-cased. */
  static String vendorKey(String provider) {
    return io.pricetide.price.Vendors.market(provider);
  }

  /**
   * The role of a series: a first-party source's price is the vendor's; a catalogue's row is a copy of the vendor's
   * price when its provider is the vendor (LiteLLM's bare {@code gpt-4o}, models.dev's {@code openai/gpt-4o}), else a
   * reseller's price (Azure, OpenRouter, a gateway). OpenRouter's own listing is what OpenRouter charges: a reseller.
   *
   * @param firstParty the source is the vendor's own page
   * @param source source id
   * @param seriesProvider the provider the source gives the series
   * @param vendor the model's vendor key ({@link #vendorKey}), null when unknown
   */
  static Role role(boolean firstParty, String source, String seriesProvider, String vendor) {
    if (firstParty) {
      return Role.VENDOR;
    }
    if (source.startsWith("openrouter")) {
      return Role.RESELLER;
    }
    return vendor != null && vendor.equals(vendorKey(seriesProvider)) ? Role.CATALOGUE : Role.RESELLER;
  }

  /**
   * The vendor of a model: the provider of its first-party series, else the provider most of its catalogue rows
   * name (ties by name).
   */
  static String vendor(List<String> firstPartyProviders, List<String> catalogueProviders) {
    if (!firstPartyProviders.isEmpty()) {
      return vendorKey(firstPartyProviders.get(0));
    }
    return mostCommon(catalogueProviders.stream().map(ModelIdentity::vendorKey).toList()).orElse(null);
  }

  /**
   * The title of a model's page: the first-party source's name for it (the vendor's own, "Claude Opus 3",
   * "gpt-4o"), else the most common name among the catalogues once routing prefixes are dropped
   * ({@code openrouter/openai/gpt-4o} reads {@code gpt-4o}), else the id.
   */
  static String title(String id, List<String> vendorNames, List<String> catalogueNames) {
    if (!vendorNames.isEmpty()) {
      return mostCommon(vendorNames).orElseThrow();
    }
    return mostCommon(catalogueNames.stream().map(ModelIdentity::bare).toList()).orElse(id);
  }

  /** A source's model name without its routing prefix: the part after the last {@code /}. */
  static String bare(String name) {
    int slash = name.lastIndexOf('/');
    return slash >= 0 && slash < name.length() - 1 ? name.substring(slash + 1) : name;
  }

  /**
   * The model a variant belongs to: {@code :free}-style tiers, {@code -latest}, a dated suffix
   * ({@code -2024-08-06}, {@code -20240806}, {@code -0613}, Mistral's {@code -2411}, {@code -002}) dropped, and ChatGPT's pointer named as
   * the GPT model it points at ({@code chatgpt-4o-latest} → {@code gpt-4o}). A model is its own base.
   */
  static String base(String id) {
    String s = id.toLowerCase(Locale.ROOT);
    for (String before = null; !s.equals(before); ) {
      before = s;
      s = TIER.matcher(s).replaceAll("");
      s = LATEST.matcher(s).replaceAll("");
      s = DATED.matcher(s).replaceAll("");
    }
    return s.startsWith("chatgpt-") ? s.substring("chat".length()) : s;
  }

  /** True when {@code other} is a variant of {@code id} or the other way round (and they differ). */
  static boolean related(String id, String other) {
    return !id.equalsIgnoreCase(other) && base(id).equals(base(other));
  }

  /** The prefix every variant of {@code id} starts with, for an indexed prefix read; null when none is useful. */
  static List<String> variantPrefixes(String id) {
    String b = base(id);
    return b.startsWith("gpt-") ? List.of(b, "chat" + b) : List.of(b);
  }

  /** The most frequent value, ties by natural order. */
  static Optional<String> mostCommon(List<String> values) {
    Map<String, Integer> n = new HashMap<>();
    values.forEach(v -> n.merge(v, 1, Integer::sum));
    return n.entrySet().stream().min(Comparator.<Map.Entry<String, Integer>>comparingInt(e -> -e.getValue())
        .thenComparing(Map.Entry::getKey)).map(Map.Entry::getKey);
  }
}
