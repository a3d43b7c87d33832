package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.util.Map;

/**
 * What a whole-check guard judges: the source's series before the check, what the check extracted (one
 * observation per series, first one kept), the source's guard settings, and the series the check renamed
 * ({@link Renames}: old key to the observation that continues it), which count as present.
 */
public record CheckView(String sourceId, Map<SeriesKey, Previous> before, Map<SeriesKey, Observation> now,
    Guards guards, Map<SeriesKey, Observation> renamed) {
  public CheckView(String sourceId, Map<SeriesKey, Previous> before, Map<SeriesKey, Observation> now, Guards guards) {
    this(sourceId, before, now, guards, Map.of());
  }

  /** Series that were active before the check. */
  public long activeBefore() {
    return before.values().stream().filter(Previous::active).count();
  }

  /** Series active before and absent from this check (a renamed series is not absent). */
  public long lost() {
    return before.entrySet().stream().filter(e -> e.getValue().active() && !now.containsKey(e.getKey())
        && !renamed.containsKey(e.getKey())).count();
  }

  /**
   * A redesigned page rather than a broken one: the check renamed series (the same prices of the same models under
   * new names, which a broken reader does not produce) and reads at least as many series as were active. The
   * series it no longer names are then removals, not a sign of a broken source.
   */
  public boolean redesigned() {
    return !renamed.isEmpty() && now.size() >= activeBefore();
  }
}
