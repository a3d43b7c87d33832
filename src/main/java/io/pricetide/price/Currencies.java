package io.pricetide.price;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts prices to USD through configured rates (USD per one unit of the currency) until the FX source supplies
 * daily rates. An unknown currency converts to {@code null}: nothing is invented.
 */
public final class Currencies {
  private final Map<String, BigDecimal> usdPerUnit = new TreeMap<>();

  public Currencies(Map<String, BigDecimal> rates) {
    usdPerUnit.put("USD", BigDecimal.ONE);
    rates.forEach((k, v) -> usdPerUnit.put(k.toUpperCase(Locale.ROOT), v));
  }

  public static Currencies usdOnly() {
    return new Currencies(Map.of());
  }

  /** The USD value of {@code amount} per 1M tokens, rounded like every price, or null without a rate. */
  public BigDecimal toUsd(BigDecimal amount, String currency) {
    BigDecimal rate = usdPerUnit.get(currency.toUpperCase(Locale.ROOT));
    if (rate == null) {
      return null;
    }
    return Decimals.price(amount.multiply(rate, MathContext.DECIMAL128));
  }

  public boolean knows(String currency) {
    return usdPerUnit.containsKey(currency.toUpperCase(Locale.ROOT));
  }
}
