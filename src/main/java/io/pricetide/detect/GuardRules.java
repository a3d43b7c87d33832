package io.pricetide.detect;

import java.util.List;

/**
 * The guards against false alerts, one rule per class, by kind of source, in the order they run: observation rules
 * refuse single values that are no price; whole-check rules refuse a check before anything is planned (the first
 * that refuses decides); value rules hold back a changed series that looks broken; plan rules judge the planned
 * check as a whole. Later rules (usage totals, cross-source acceptance, renames, pages turned to text) are added
 * here as classes.
 */
public record GuardRules(List<ObservationGuard> observation, List<CheckGuard> check, List<ValueGuard> value,
    List<PlanGuard> plan, boolean renames) {
  /**
   * Rules that pair lost series with renamed ones ({@link Renames}) when {@code renames}: a first-party page names
   * each model once, so the same prices under a new name of the same model are that model. A catalogue is not
   * judged so: its keys are its own (a reseller's new key is a new series), and its history stays by key.
   */
  public GuardRules(List<ObservationGuard> observation, List<CheckGuard> check, List<ValueGuard> value,
      List<PlanGuard> plan) {
    this(observation, check, value, plan, true);
  }

  /** The same rules without the rename step. */
  public GuardRules withoutRenames() {
    return new GuardRules(observation, check, value, plan, false);
  }

  /** Price and exchange-rate sources. */
  public static final GuardRules PRICES = new GuardRules(List.of(new OutOfRange(), new UndecodableName()),
      List.of(new NothingExtracted(), new RowLoss()), List.of(new CurrencyFlip(), new FallToZero(), new UnitJump()),
      List.of(new MostPricesGone()));

  /**
   * Usage sources: counts are no prices (no ceiling, no unit flip, no fall to zero), and their leaders change from
   * week to week (no row loss); only an empty extraction is refused here. The usage detectors guard their totals.
   */
  public static final GuardRules USAGE = new GuardRules(List.of(new UndecodableName()),
      List.of(new NothingExtracted()), List.of(), List.of());

  /** The rules for a kind of source. */
  public static GuardRules of(EventMode mode) {
    return mode == EventMode.USAGE ? USAGE : PRICES;
  }

  /** The first observation rule's reason to refuse {@code o}, or null. */
  public String refusal(io.pricetide.price.Observation o, io.pricetide.source.Guards g) {
    for (ObservationGuard r : observation) {
      String reason = r.refuse(o, g);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  /** The first plan rule's refusal, or null. */
  public String refusal(CheckView view, ChangePlan plan) {
    for (PlanGuard r : this.plan) {
      String reason = r.refuse(view, plan);
      if (reason != null) {
        return reason;
      }
    }
    return null;
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
