package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.util.Map;

/**
 * What a whole-check guard judges: the source's series before the check, what the check extracted (one
 * observation per series, first one kept) and the source's guard settings.
 */
public record CheckView(String sourceId, Map<SeriesKey, Previous> before, Map<SeriesKey, Observation> now,
    Guards guards) {
  /** Series that were active before the check. */
  public long activeBefore() {
    return before.values().stream().filter(Previous::active).count();
  }

  /** Series active before and absent from this check. */
  public long lost() {
    return before.entrySet().stream().filter(e -> e.getValue().active() && !now.containsKey(e.getKey())).count();
  }
}
