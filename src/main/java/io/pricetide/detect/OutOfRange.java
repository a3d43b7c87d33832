package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.source.Guards;
import java.math.BigDecimal;

/**
 * A value below zero, above the source's {@code max_usd_per_1m} (in USD, or in the page's currency where no rate
 * is known), or with more than {@value #MAX_SCALE} digits after the point: a misread cell or a catalogue's typo
 * (1e20 per token), never a price move. The store itself keeps any exact decimal (V13).
 */
final class OutOfRange implements ObservationGuard {
  static final int MAX_SCALE = 30;

  @Override
  public String refuse(Observation o, Guards guards) {
    BigDecimal v = o.value();
    if (v.signum() < 0) {
      return "value " + v.toPlainString() + " is below zero";
    }
    BigDecimal usd = o.usdPer1m() != null ? o.usdPer1m() : v;
    if (usd.compareTo(guards.maxUsdPer1m()) > 0) {
      return "value " + shown(v) + " " + o.currency() + " per 1M is above the ceiling of "
          + guards.maxUsdPer1m().toPlainString() + " USD (max_usd_per_1m)";
    }
    BigDecimal stripped = v.stripTrailingZeros();
    if (stripped.scale() > MAX_SCALE) {
      return "value " + shown(v) + " has more digits after the point than any price";
    }
    return null;
  }

  /** A value as a reason shows it: plain when short, in E notation when it would be a wall of digits. */
  private static String shown(BigDecimal v) {
    String plain = v.toPlainString();
    return plain.length() <= 30 ? plain : v.stripTrailingZeros().toString();
  }
}
