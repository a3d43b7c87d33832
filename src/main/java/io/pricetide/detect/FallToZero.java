package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.source.Guards;

/** A positive price that falls to zero or below (a cell that lost its number), when {@code zero_is_suspect}. */
final class FallToZero implements ValueGuard {
  @Override
  public String suspect(Previous before, Observation now, Guards guards) {
    if (guards.zeroIsSuspect() && before.amount().signum() > 0 && now.value().signum() <= 0) {
      return "price fell from " + before.amount().toPlainString() + " to " + now.value().toPlainString();
    }
    return null;
  }
}
