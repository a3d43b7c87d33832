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

  private static volatile Map<String, String> aliases = Map.of();
  /** Names already resolved under the current alias table: sources repeat the same few thousand every check. */
  private static volatile java.util.concurrent.ConcurrentHashMap<String, String> resolved =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final int RESOLVED_MAX = 100_000;

  private CanonicalModels() {}

  /** Installs the alias table (alias, lower-case, → canonical id); called when sources are loaded. */
  public static void useAliases(Map<String, String> table) {
    Map<String, String> m = new TreeMap<>();
    table.forEach((alias, id) -> m.put(alias.trim().toLowerCase(Locale.ROOT), id.trim().toLowerCase(Locale.ROOT)));
    aliases = Map.copyOf(m);
    resolved = new java.util.concurrent.ConcurrentHashMap<>();
  }

  public static String canonical(String model) {
    java.util.concurrent.ConcurrentHashMap<String, String> memo = resolved;
    String known = memo.get(model);
    if (known != null) {
      return known;
    }
    String id = resolve(model);
    if (memo.size() >= RESOLVED_MAX) {
      memo.clear();
    }
    memo.put(model, id);
    return id;
  }

  private static String resolve(String model) {
    Map<String, String> a = aliases;
    if (!a.isEmpty()) {
      String direct = a.get(model.trim().toLowerCase(Locale.ROOT));
      if (direct != null) {
        return direct;
      }
      String byRule = rules(model);
      return a.getOrDefault(byRule, byRule);
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
