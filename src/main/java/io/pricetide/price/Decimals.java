package io.pricetide.price;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The number rules of Pricetide, in one place.
 *
 * <p>Data keeps the value the source published, never a fixed number of decimal places:
 * <ul>
 *   <li>a number written as text (OpenRouter's strings, a page cell) is kept exactly as written;</li>
 *   <li>a JSON floating-point number is read as the double it denotes, taken to {@value #JSON_DIGITS} significant
 *       digits and stripped ({@link #ofDouble}): {@code 2.4999999999999998e-06} is {@code 2.5e-06},
 *       {@code 1.5000020000000002e-05} is {@code 1.500002e-05}, {@code 4.6875e-09} stays itself;</li>
 *   <li>then it is scaled to per 1M tokens exactly ({@link Unit#toPerMillion}) and kept as it is
 *       ({@link #price}).</li>
 * </ul>
 * Money as text has at least two decimals and otherwise every digit it has ({@code "2.50"}, {@code "0.0046875"}).
 * Percentages have exactly two, half-up. Only display may round.
 */
public final class Decimals {
  /** Significant digits kept of a JSON floating-point number: as many as a double always holds. */
  public static final int JSON_DIGITS = 15;

  private static final MathContext JSON = new MathContext(JSON_DIGITS, RoundingMode.HALF_EVEN);

  private Decimals() {}

  /**
   * A price per 1M tokens as it is kept: the same value, trailing zeros stripped, with at least two decimals (so
   * {@code 2.5} and {@code 2.500000000000} are both {@code 2.50}, and {@code 0.0046875} stays itself). Never
   * rounds.
   */
  public static BigDecimal price(BigDecimal perMillion) {
    BigDecimal r = perMillion.stripTrailingZeros();
    return r.scale() < 2 ? r.setScale(2, RoundingMode.UNNECESSARY) : r;
  }

  /**
   * The decimal a JSON floating-point number stands for: the double it is read as, rounded (half-even, on the
   * double's exact binary value) to {@value #JSON_DIGITS} significant digits, trailing zeros stripped. A double
   * carries 15 decimal digits faithfully, so this removes exactly the binary noise of a value that was written
   * with fewer ({@code 0.30000000000000004} is {@code 0.3}).
   *
   * @throws ArithmeticException for an infinite or NaN double (a JSON number beyond the range of a double)
   */
  public static BigDecimal ofDouble(double d) {
    if (!Double.isFinite(d)) {
      throw new ArithmeticException("not a finite number: " + d);
    }
    BigDecimal r = new BigDecimal(d).round(JSON).stripTrailingZeros();
    return r.signum() == 0 ? BigDecimal.ZERO : r;
  }

  /** {@link #ofDouble} of a JSON number's text ({@code "2.4999999999999998e-06"}). */
  public static BigDecimal ofJsonNumber(String text) {
    return ofDouble(Double.parseDouble(text));
  }

  /** The text of a money amount: plain notation, every digit the value has, at least two decimals. */
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

  /** Parses a decimal written by a page or a catalogue, exactly: "$2.50", "0.075", "2.5e-06", "1,234.5". */
  public static BigDecimal parse(String text) {
    String t = Numerals.ascii(text).trim().replace(",", "").replace("$", "").replace("\u00a0", "");
    return new BigDecimal(t);
  }
}
