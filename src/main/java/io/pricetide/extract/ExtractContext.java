package io.pricetide.extract;

import io.pricetide.price.CanonicalModels;
import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import io.pricetide.source.SourceDefinition;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What an extractor knows besides the body: the source, the format the body is in, the conversion to USD, and when
 * the body was observed (prices convert at the exchange rate of their own day; null means the fallback rates).
 * {@link #observation} builds a normalised observation so that every extractor rounds and converts alike.
 */
public record ExtractContext(SourceDefinition source, String format, Currencies currencies, Instant at) {

  /** A context without an observation time: USD at the configured fallback rates. */
  public ExtractContext(SourceDefinition source, String format, Currencies currencies) {
    this(source, format, currencies, null);
  }

  public String sourceId() {
    return source.id();
  }

  /**
   * An observation from an amount quoted in {@code unit} and {@code currency}: normalised to per 1M tokens
   * ({@link Decimals#price}), converted to USD where a rate is known.
   */
  public Observation observation(String provider, String model, String metric, String condition, BigDecimal amount,
      Unit unit, String currency) {
    BigDecimal perMillion = Decimals.price(unit.toPerMillion(amount));
    return new Observation(provider, model, CanonicalModels.canonical(model), metric, condition, perMillion,
        currency, currencies.toUsd(perMillion, currency, at));
  }

  public ExtractException fail(String reason) {
    return new ExtractException(source.id(), reason);
  }
}
