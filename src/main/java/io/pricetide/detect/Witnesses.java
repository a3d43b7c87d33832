package io.pricetide.detect;

import io.pricetide.price.Observation;

/**
 * Other sources of the same canonical model, asked about a value a guard holds back: an independent source showing
 * the new value confirms it (accepted at once as a {@code price_correction}), one still showing the old value
 * contradicts it (held back however many checks repeat it), and none leaves the suspect rule as it is.
 */
public interface Witnesses {
  enum Verdict { CONFIRMED, CONTRADICTED, UNKNOWN }

  /** What the other sources say of {@code now}, held back as a change from {@code before}. */
  Verdict judge(Observation now, Previous before);

  /** No other source is asked. */
  Witnesses NONE = (now, before) -> Verdict.UNKNOWN;
}
