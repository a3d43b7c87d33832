package io.pricetide.price;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Converts prices to USD. The rate of a price's own day comes from the {@link RateLookup} (the history of the
 * {@code ecb-fx} source); where it has none, the configured fallback rates (USD per one unit) apply. An unknown
 * currency converts to {@code null}: nothing is invented.
 */
public final class Currencies {
  /** Daily exchange rates as history knows them. */
  @FunctionalInterface
  public interface RateLookup {
    /** USD per one unit of {@code currency} in force at {@code at}, if history has one. */
    Optional<BigDecimal> usdPerUnit(String currency, Instant at);
  }

  private final Map<String, BigDecimal> fallback = new TreeMap<>();
  private final RateLookup lookup;

  public Currencies(Map<String, BigDecimal> rates) {
    this(rates, (c, at) -> Optional.empty());
  }

  public Currencies(Map<String, BigDecimal> rates, RateLookup lookup) {
    fallback.put("USD", BigDecimal.ONE);
    rates.forEach((k, v) -> fallback.put(k.toUpperCase(Locale.ROOT), v));
    this.lookup = lookup;
  }

  public static Currencies usdOnly() {
    return new Currencies(Map.of());
  }

  /** The USD value of {@code amount} per 1M tokens at the fallback rate, rounded like every price, or null. */
  public BigDecimal toUsd(BigDecimal amount, String currency) {
    return toUsd(amount, currency, null);
  }

  /** The USD value at the rate in force at {@code at} (fallback rate when history has none), or null. */
  public BigDecimal toUsd(BigDecimal amount, String currency, Instant at) {
    String c = currency.toUpperCase(Locale.ROOT);
    if (c.equals("USD")) {
      return Decimals.price(amount);
    }
    BigDecimal rate = at == null ? null : lookup.usdPerUnit(c, at).orElse(null);
    if (rate == null) {
      rate = fallback.get(c);
    }
    return rate == null ? null : Decimals.price(amount.multiply(rate, MathContext.DECIMAL128));
  }

  public boolean knows(String currency) {
    return fallback.containsKey(currency.toUpperCase(Locale.ROOT));
  }
}
