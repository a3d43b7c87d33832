package io.pricetide.extract;

import io.pricetide.price.CanonicalModels;
import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import io.pricetide.source.SourceDefinition;
import java.math.BigDecimal;

/**
 * What an extractor knows besides the body: the source, the format the body is in, and the conversion to USD.
 * {@link #observation} builds a normalised observation so that every extractor rounds and converts alike.
 */
public record ExtractContext(SourceDefinition source, String format, Currencies currencies) {

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
        currency, currencies.toUsd(perMillion, currency));
  }

  public ExtractException fail(String reason) {
    return new ExtractException(source.id(), reason);
  }
}
