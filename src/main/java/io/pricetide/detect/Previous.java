package io.pricetide.detect;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What history holds for one series before a check.
 *
 * @param amount the current value in the source's currency (null never, for an active series)
 * @param prevAmount the value before the last change, or null
 * @param lastChanged when the value last changed
 * @param heldAmount a suspect value held back, or null
 * @param heldCurrency its currency
 * @param heldChecks how many consecutive checks have shown the held value
 */
public record Previous(String provider, String canonicalModel, BigDecimal amount, BigDecimal usdPer1m,
    String currency, boolean active, int missingChecks, BigDecimal prevAmount, Instant lastChanged,
    BigDecimal heldAmount, String heldCurrency, int heldChecks) {

  public Previous(String provider, String canonicalModel, BigDecimal amount, BigDecimal usdPer1m, String currency,
      boolean active, int missingChecks) {
    this(provider, canonicalModel, amount, usdPer1m, currency, active, missingChecks, null, null, null, null, 0);
  }

  /** How many consecutive checks, this one included, have shown {@code value} as a held-back value. */
  public int heldSightings(BigDecimal value, String valueCurrency) {
    return heldAmount != null && heldAmount.compareTo(value) == 0 && valueCurrency.equals(heldCurrency)
        ? heldChecks + 1 : 1;
  }
}
