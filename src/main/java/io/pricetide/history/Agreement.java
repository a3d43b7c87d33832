package io.pricetide.history;

/**
 * How many sources agree on a current price: for one active series, the sources whose active series of the same
 * canonical model, metric and condition, in the same currency, shows a USD value within
 * {@value SourceWitnesses#TOLERANCE_PCT}% of it (the series' own source included), beside how many list that
 * model, metric and condition at all. Written as SQL columns over a series row aliased {@code s}, so a page of
 * prices counts its agreement in the same query, on the {@code series_by_canonical} index.
 */
public final class Agreement {
  private Agreement() {}

  /** The number of sources agreeing with {@code s}'s value, itself included (1 when no other source has it). */
  public static final String AGREEING = "(SELECT COUNT(DISTINCT o.source_id) FROM series o WHERE o.active = TRUE "
      + "AND o.canonical_model = s.canonical_model AND o.metric = s.metric AND o.cond = s.cond "
      + "AND o.currency = s.currency AND o.usd_per_1m IS NOT NULL AND s.usd_per_1m IS NOT NULL "
      + "AND ABS(o.usd_per_1m - s.usd_per_1m) * 1000 <= ABS(s.usd_per_1m) * 5)";

  /** The number of sources listing {@code s}'s canonical model, metric and condition, itself included. */
  public static final String LISTING = "(SELECT COUNT(DISTINCT o.source_id) FROM series o WHERE o.active = TRUE "
      + "AND o.canonical_model = s.canonical_model AND o.metric = s.metric AND o.cond = s.cond)";
}
