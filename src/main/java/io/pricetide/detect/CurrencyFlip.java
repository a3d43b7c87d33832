package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.source.Guards;

/** A series whose currency changed: a page read in the wrong region or column, not a price move. */
final class CurrencyFlip implements ValueGuard {
  @Override
  public String suspect(Previous before, Observation now, Guards guards) {
    return before.currency().equals(now.currency()) ? null
        : "currency flipped from " + before.currency() + " to " + now.currency();
  }
}
