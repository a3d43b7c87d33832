package io.pricetide.price;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The rounding rules of Pricetide, in one place.
 *
 * <p>Prices per 1M tokens are kept exact to {@value #PRICE_SCALE} decimal places, rounded half-up: a LiteLLM
 * float {@code 2.5e-06} per token is read as the decimal {@code 0.0000025} and becomes exactly {@code 2.50}, and a
 * binary artefact such as {@code 2.4999999999999998e-06} rounds to the same {@code 2.50}. Displayed money has at
 * least two decimals ({@code "2.50"}, {@code "0.075"}). Percentages have exactly two, half-up.
 */
public final class Decimals {
  /** Decimal places kept for a price per 1M tokens. */
  public static final int PRICE_SCALE = 6;

  private Decimals() {}

  /** Rounds a per-1M price to {@link #PRICE_SCALE} places, half-up, without trailing zeros below 2 places. */
  public static BigDecimal price(BigDecimal perMillion) {
    BigDecimal r = perMillion.setScale(PRICE_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
    return r.scale() < 2 ? r.setScale(2, RoundingMode.UNNECESSARY) : r;
  }

  /** The text of a money amount: plain notation, at least two decimals. */
  public static String money(BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    BigDecimal r = amount.stripTrailingZeros();
    if (r.scale() < 2) {
      r = r.setScale(2, RoundingMode.UNNECESSARY);
    }
    return r.toPlainString();
  }

  /**
   * Change from {@code oldValue} to {@code newValue} in percent, two decimals half-up; {@code null} when the old
   * value is zero (a change from free has no percentage).
   */
  public static BigDecimal changePct(BigDecimal oldValue, BigDecimal newValue) {
    if (oldValue == null || newValue == null || oldValue.signum() == 0) {
      return null;
    }
    return newValue.subtract(oldValue).multiply(BigDecimal.valueOf(100))
        .divide(oldValue, 2, RoundingMode.HALF_UP);
  }

  /** Parses a decimal written by a page or a catalogue: "$2.50", "0.075", "2.5e-06", "1,234.5". */
  public static BigDecimal parse(String text) {
    String t = Numerals.ascii(text).trim().replace(",", "").replace("$", "").replace("\u00a0", "");
    return new BigDecimal(t);
  }
}
