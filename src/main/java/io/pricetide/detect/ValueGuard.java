package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.source.Guards;

/**
 * A rule that holds back one changed value that looks like a broken scraper rather than a price move (a unit flip,
 * a fall to zero, a currency flip): the value is not applied and is named in the check's {@code source_failure},
 * while the check's other changes apply. Seen in {@code suspect_checks} consecutive checks, it is accepted as a
 * {@code price_correction}. Each rule is its own class, listed in {@link GuardRules}.
 */
public interface ValueGuard {
  /** Why the change from {@code before} to {@code now} looks broken, or null when it looks real. */
  String suspect(Previous before, Observation now, Guards guards);
}
