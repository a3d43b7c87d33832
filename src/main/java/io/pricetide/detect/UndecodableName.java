package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.source.Guards;

/**
 * A model name with bytes that are not text in the page's declared encoding (decoded as U+FFFD) that matches no
 * series the source already has ({@link Names#mended}) is no name: the value is refused rather than added as a model
 * that does not exist.
 */
final class UndecodableName implements ObservationGuard {
  @Override
  public String refuse(Observation o, Guards guards) {
    return o.model().indexOf(Names.UNDECODABLE) >= 0
        ? "model name '" + o.model().replace(Names.UNDECODABLE, '?') + "' has bytes that are not text in the "
            + "page's encoding" : null;
  }
}
