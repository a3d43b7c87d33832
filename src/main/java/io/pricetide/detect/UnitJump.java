package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.source.Guards;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** A change by {@code max_jump_ratio} or more either way: per 1K read as per 1M is a factor of 1,000. */
final class UnitJump implements ValueGuard {
  @Override
  public String suspect(Previous before, Observation now, Guards guards) {
    if (guards.maxJumpRatio() <= 0 || before.amount().signum() <= 0 || now.value().signum() <= 0) {
      return null;
    }
    BigDecimal hi = before.amount().max(now.value());
    BigDecimal lo = before.amount().min(now.value());
    BigDecimal ratio = hi.divide(lo, 0, RoundingMode.HALF_UP);
    if (ratio.compareTo(BigDecimal.valueOf(guards.maxJumpRatio())) >= 0) {
      return "jumped x" + ratio.toPlainString() + " from " + before.amount().toPlainString() + " to "
          + now.value().toPlainString() + " (a unit flip?)";
    }
    return null;
  }
}
