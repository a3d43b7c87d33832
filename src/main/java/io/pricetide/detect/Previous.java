package io.pricetide.detect;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What history holds for one series before a check.
 *
 * @param amount the current value in the source's currency (null never, for an active series)
 * @param prevAmount the value before the last change, or null
 * @param lastChanged when the value last changed
 */
public record Previous(String provider, String canonicalModel, BigDecimal amount, BigDecimal usdPer1m,
    String currency, boolean active, int missingChecks, BigDecimal prevAmount, Instant lastChanged) {

  public Previous(String provider, String canonicalModel, BigDecimal amount, BigDecimal usdPer1m, String currency,
      boolean active, int missingChecks) {
    this(provider, canonicalModel, amount, usdPer1m, currency, active, missingChecks, null, null);
  }
}
