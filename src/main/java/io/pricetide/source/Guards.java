package io.pricetide.source;

/**
 * Guards against false alerts for one source (the {@code guards:} block of a source file).
 *
 * @param maxRowLossPct an extraction that loses more than this share of the active prices is a source failure,
 *     not a wave of removals; default 50
 * @param removalChecks a series counts as removed only after this many consecutive checks without it; default 1
 * @param maxJumpRatio a change by this factor or more either way (a unit flip: per 1K read as per 1M is 1000x) is
 *     held back as suspect; default 500; 0 turns the check off
 * @param zeroIsSuspect a positive price that becomes zero or negative is held back as suspect; default true
 * @param correctionHours a value that returns to what it was before its last change within this many hours is a
 *     {@code price_correction}, not a second change; default 72; 0 turns corrections off
 * @param suspectChecks a held-back value seen in this many consecutive checks is accepted as a correction of a
 *     mistake ({@code price_correction}, never a cut or increase); default 3; 0 holds it until an operator acts
 * @param maxUsdPer1m a value above this many USD per 1M tokens (in the page's currency where no USD rate is known)
 *     is no price: it is refused on its own, named in the check's {@code source_failure}, while the rest of the
 *     check applies; default 100,000
 */
public record Guards(int maxRowLossPct, int removalChecks, int maxJumpRatio, boolean zeroIsSuspect,
    int correctionHours, int suspectChecks, java.math.BigDecimal maxUsdPer1m) {
  public static final java.math.BigDecimal MAX_USD_PER_1M = new java.math.BigDecimal("100000");
  public static final Guards DEFAULTS = new Guards(50, 1, 500, true, 72, 3, MAX_USD_PER_1M);

  /** The guards with the default ceiling on a price. */
  public Guards(int maxRowLossPct, int removalChecks, int maxJumpRatio, boolean zeroIsSuspect, int correctionHours,
      int suspectChecks) {
    this(maxRowLossPct, removalChecks, maxJumpRatio, zeroIsSuspect, correctionHours, suspectChecks, MAX_USD_PER_1M);
  }

  /** The defaults with another removal confirmation count. */
  public static Guards removalAfter(int checks) {
    return new Guards(DEFAULTS.maxRowLossPct(), checks, DEFAULTS.maxJumpRatio(), DEFAULTS.zeroIsSuspect(),
        DEFAULTS.correctionHours(), DEFAULTS.suspectChecks());
  }
}
