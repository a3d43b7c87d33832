package io.pricetide.price;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Rules that give one id per model across sources: {@code gpt-4o} in LiteLLM, {@code openai/gpt-4o} on OpenRouter
 * and "GPT-4o" on OpenAI's page are all {@code gpt-4o}. The rules: drop routing prefixes up to the last
 * {@code /}, drop a trailing "(deprecated)"-style note, lower-case, and turn blanks into hyphens.
 */
public final class CanonicalModels {
  private static final Pattern NOTE = Pattern.compile("\\s*\\((deprecated|legacy|preview|new|beta)\\)\\s*$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern BLANKS = Pattern.compile("\\s+");

  private CanonicalModels() {}

  public static String canonical(String model) {
    String m = model.trim();
    int slash = m.lastIndexOf('/');
    if (slash >= 0 && slash < m.length() - 1) {
      m = m.substring(slash + 1);
    }
    m = NOTE.matcher(m).replaceAll("");
    return BLANKS.matcher(m.toLowerCase(Locale.ROOT).trim()).replaceAll("-");
  }
}
