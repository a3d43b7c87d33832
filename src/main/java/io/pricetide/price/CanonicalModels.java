package io.pricetide.price;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Rules that give one id per model across sources: {@code gpt-4o} in LiteLLM, {@code openai/gpt-4o} on OpenRouter
 * and "GPT-4o" on OpenAI's page are all {@code gpt-4o}. The rules: drop routing prefixes up to the last
 * {@code /}, drop a trailing "(deprecated)"-style note, lower-case, and turn blanks into hyphens. Then the alias
 * file ({@code sources/_model-aliases.yaml}, which users extend) maps what the rules cannot: a name as a source
 * writes it, or its rule-made id, to the canonical id.
 */
public final class CanonicalModels {
  private static final Pattern NOTE = Pattern.compile("\\s*\\((deprecated|legacy|preview|new|beta)\\)\\s*$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern BLANKS = Pattern.compile("\\s+");

  /** The rules alone, with no alias table: what an empty alias file gives. */
  public static final CanonicalModels RULES = new CanonicalModels(Map.of());
  private static final int RESOLVED_MAX = 100_000;

  private final Map<String, String> aliases;
  /** Names already resolved: sources repeat the same few thousand every check. */
  private final java.util.concurrent.ConcurrentHashMap<String, String> resolved =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The rules and this alias table (alias, any case, → canonical id), as loaded with the sources. */
  public CanonicalModels(Map<String, String> table) {
    Map<String, String> m = new TreeMap<>();
    table.forEach((alias, id) -> m.put(alias.trim().toLowerCase(Locale.ROOT), id.trim().toLowerCase(Locale.ROOT)));
    this.aliases = Map.copyOf(m);
  }

  public String canonical(String model) {
    String known = resolved.get(model);
    if (known != null) {
      return known;
    }
    String id = resolve(model);
    if (resolved.size() >= RESOLVED_MAX) {
      resolved.clear();
    }
    resolved.put(model, id);
    return id;
  }

  private String resolve(String model) {
    if (!aliases.isEmpty()) {
      String direct = aliases.get(model.trim().toLowerCase(Locale.ROOT));
      if (direct != null) {
        return direct;
      }
      String byRule = rules(model);
      return aliases.getOrDefault(byRule, byRule);
    }
    return rules(model);
  }

  private static String rules(String model) {
    String m = model.trim();
    int slash = m.lastIndexOf('/');
    if (slash >= 0 && slash < m.length() - 1) {
      m = m.substring(slash + 1);
    }
    m = NOTE.matcher(m).replaceAll("");
    return BLANKS.matcher(m.toLowerCase(Locale.ROOT).trim()).replaceAll("-");
  }
}
