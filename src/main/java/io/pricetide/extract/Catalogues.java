package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.source.SourceDefinition;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Registers the named extractors of the machine-readable price catalogues ({@code litellm}, {@code openrouter},
 * {@code genai-prices}, {@code llm-prices}, {@code models-dev}) and holds what they share: how a condition is written.
 *
 * <p>All five report the metrics {@code input}, {@code output}, {@code cache_read} and {@code cache_write}, in USD
 * per 1M tokens. Everything else a price depends on goes into the condition, whose parts are joined by one space in
 * this order: context tier ({@code >200k}: the price for prompts above 200,000 tokens), service mode ({@code batch},
 * {@code priority}, {@code flex}), time band ({@code UTC 16:30-00:30}), cache lifetime ({@code 1h}). So the 1-hour
 * cache write above 200k tokens is metric {@code cache_write}, condition {@code >200k 1h}; no condition means the
 * standard price.
 */
final class Catalogues {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private Catalogues() {}

  static void register(ExtractorRegistry r) {
    r.register("litellm", LiteLlmExtractor.FACTORY);
    r.register("openrouter", OpenRouterExtractor.FACTORY);
    r.register("genai-prices", GenAiPricesExtractor.FACTORY);
    r.register("llm-prices", LlmPricesExtractor.FACTORY);
    r.register("models-dev", ModelsDevExtractor.FACTORY);
  }

  /** A factory for an extractor that takes no settings: the catalogue's format says everything. */
  static ExtractorFactory withoutSettings(Supplier<Extractor> make) {
    Extractor shared = make.get();
    return new ExtractorFactory() {
      @Override
      public Set<String> keys() {
        return Set.of();
      }

      @Override
      public Extractor create(SourceDefinition source, Map<String, Object> config) {
        return shared;
      }
    };
  }

  /** The condition for prompts above {@code tokens}: {@code >128k}, {@code >1M}, {@code >131072}; "" at or below 0. */
  static String above(BigDecimal tokens) {
    BigDecimal t = tokens.stripTrailingZeros();
    if (t.signum() <= 0) {
      return "";
    }
    if (t.remainder(MILLION).signum() == 0) {
      return ">" + t.divide(MILLION).toBigInteger() + "M";
    }
    if (t.remainder(THOUSAND).signum() == 0) {
      return ">" + t.divide(THOUSAND).toBigInteger() + "k";
    }
    return ">" + t.toPlainString();
  }

  /** A time band in UTC from minutes of the day: {@code UTC 16:30-00:30}. */
  static String utcBand(int startMinute, int endMinute) {
    return String.format("UTC %02d:%02d-%02d:%02d", startMinute / 60, startMinute % 60, endMinute / 60,
        endMinute % 60);
  }

  /**
   * A condition in the one vocabulary of all sources ({@link Conditions}): service mode ({@code batch},
   * {@code priority}, {@code flex}), context tier ({@code >200k}), UTC time band, cache lifetime ({@code 1h}), each
   * optional, joined by {@value Conditions#SEPARATOR} in that order; "" when all are empty.
   */
  static String condition(String tier, String mode, String band, String lifetime) {
    return Conditions.builder().set(Conditions.Slot.SERVICE, mode).set(Conditions.Slot.CONTEXT, tier)
        .set(Conditions.Slot.BAND, band).set(Conditions.Slot.CACHE, lifetime).build();
  }

  /**
   * As {@link #condition(String, String, String, String)} with one more part: a modality of tokens other than text
   * ({@code audio}, {@code image}, {@code video}), or a mode ({@code thinking} for reasoning tokens, {@code low-context}
   * … {@code high-context} for a web search's context size).
   */
  static String condition(String tier, String mode, String band, String lifetime, String part) {
    boolean isMode = part != null && (part.equals("thinking") || part.endsWith("-context"));
    return Conditions.builder().set(Conditions.Slot.SERVICE, mode).set(Conditions.Slot.CONTEXT, tier)
        .set(Conditions.Slot.BAND, band).set(Conditions.Slot.CACHE, lifetime)
        .set(isMode ? Conditions.Slot.MODE : Conditions.Slot.MODALITY, part).build();
  }

  /** A number or numeric string that is zero or more; negative ("variable"), missing or non-numeric → empty. */
  static Optional<BigDecimal> price(JsonNode node) {
    return Json.decimal(node).filter(v -> v.signum() >= 0);
  }

  /** The text of a field, trimmed; missing, null, blank or not a scalar → empty. */
  static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isValueNode() || v.isNull()) {
      return Optional.empty();
    }
    String s = v.asText().trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
