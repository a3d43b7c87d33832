package io.pricetide.detect;

import java.util.List;

/**
 * The guards against false alerts, one rule per class, by kind of source. Whole-check rules run first, in order,
 * and the first that refuses decides; value rules run on each changed series, and the first that finds it suspect
 * holds it back. Later rules (usage totals, cross-source acceptance, renames, pages turned to text) are added
 * here as classes.
 */
public record GuardRules(List<CheckGuard> check, List<ValueGuard> value) {
  /** Price and exchange-rate sources. */
  public static final GuardRules PRICES = new GuardRules(List.of(new NothingExtracted(), new RowLoss()),
      List.of(new CurrencyFlip(), new FallToZero(), new UnitJump()));

  /** The rules for a kind of source. */
  public static GuardRules of(EventMode mode) {
    return PRICES;
  }

  /** The first whole-check refusal, or null. */
  public String refusal(CheckView view) {
    for (CheckGuard g : check) {
      String reason = g.refuse(view);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  /** The first value rule's reason to hold the change back, or null. */
  public String suspicion(Previous before, io.pricetide.price.Observation now, io.pricetide.source.Guards g) {
    for (ValueGuard v : value) {
      String reason = v.suspect(before, now, g);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }
}
