package io.pricetide.source;

/**
 * Guards against false alerts for one source.
 *
 * @param maxRowLossPct an extraction that loses more than this share of the previous rows is a source failure,
 *     not a wave of removals; default 50
 * @param removalChecks a series counts as removed only after this many consecutive checks without it; default 1
 */
public record Guards(int maxRowLossPct, int removalChecks) {
  public static final Guards DEFAULTS = new Guards(50, 1);
}
