package io.pricetide.extract;

import io.pricetide.price.CanonicalModels;
import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.Metrics;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import io.pricetide.source.SourceDefinition;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What an extractor knows besides the body: the source, the format the body is in, the conversion to USD (at the
 * exchange rate of the observation's own day, see {@link Currencies}), and when the body was observed. {@link #observation} builds a normalised observation so that every extractor scales and
 * converts alike.
 *
 * @param observedAt when the body was fetched, or the time a replayed snapshot or archived body stands for;
 *     catalogues that list dated prices pick the one in force at this instant. {@code null} means now.
 */
public record ExtractContext(SourceDefinition source, String format, Currencies currencies, Instant observedAt,
    CanonicalModels models) {

  public ExtractContext {
    observedAt = observedAt == null ? Instant.now() : observedAt;
    models = models == null ? CanonicalModels.RULES : models;
  }

  /** A context with the identity rules alone (no alias file). */
  public ExtractContext(SourceDefinition source, String format, Currencies currencies, Instant observedAt) {
    this(source, format, currencies, observedAt, CanonicalModels.RULES);
  }

  /** A context observed now. */
  public ExtractContext(SourceDefinition source, String format, Currencies currencies) {
    this(source, format, currencies, null);
  }

  /** The canonical id of a model name, by the rules and the alias file loaded with the sources. */
  public String canonical(String model) {
    return models.canonical(model);
  }

  /** The UTC calendar day of {@link #observedAt}, against which dated catalogue prices are resolved. */
  public LocalDate observedDate() {
    return LocalDate.ofInstant(observedAt, ZoneOffset.UTC);
  }

  public String sourceId() {
    return source.id();
  }

  /**
   * An observation from an amount quoted in {@code unit} and {@code currency}: normalised to the stored unit of its
   * quantity (per 1M tokens, per image, per 1k calls; {@link Decimals#price}), converted to USD where a rate is known.
   *
   * @throws IllegalArgumentException when the unit does not count what the metric prices ({@link Metrics#quantity}):
   *     an extractor's mistake, never the page's
   */
  public Observation observation(String provider, String model, String metric, String condition, BigDecimal amount,
      Unit unit, String currency) {
    if (unit.quantity() != Metrics.quantity(metric)) {
      throw new IllegalArgumentException("metric " + metric + " is priced per " + Metrics.quantity(metric).label()
          + ", not " + unit.key());
    }
    BigDecimal stored = Decimals.price(unit.toStored(amount));
    return new Observation(provider, model, models.canonical(model), metric, condition, stored,
        currency, currencies.toUsd(stored, currency, observedAt));
  }

  /** A token-count fact about a model ({@link ModelFacts}); none for a count that is not a whole number above 0. */
  public java.util.Optional<Observation> countFact(String provider, String model, String fact, BigDecimal tokens) {
    if (tokens == null || tokens.signum() <= 0 || tokens.stripTrailingZeros().scale() > 0
        || tokens.compareTo(MAX_TOKENS) > 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(ModelFacts.count(provider, model, models.canonical(model), fact,
        tokens.longValueExact()));
  }

  /** A text fact about a model ({@link ModelFacts}); none for blank text. */
  public java.util.Optional<Observation> textFact(String provider, String model, String fact, String text) {
    return text == null || text.isBlank() ? java.util.Optional.empty()
        : java.util.Optional.of(ModelFacts.text(provider, model, models.canonical(model), fact, text.trim()));
  }

  /** No model reads more tokens than this: a larger count is a slip, not a fact. */
  private static final BigDecimal MAX_TOKENS = BigDecimal.valueOf(1_000_000_000_000L);

  public ExtractException fail(String reason) {
    return new ExtractException(source.id(), reason);
  }
}
