package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.source.Guards;

/**
 * A rule that refuses one observation as no price at all (a value no store or page could mean): the observation
 * is not applied, its series stays as it was (neither changed nor missing), and the check's {@code source_failure}
 * names it, while the rest of the check applies. Each rule is its own class, listed in {@link GuardRules}.
 */
public interface ObservationGuard {
  /** Why {@code o} is no price, or null when it may be one. */
  String refuse(Observation o, Guards guards);
}
