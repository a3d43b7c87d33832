package io.pricetide.detect;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What one check does to history, decided by {@link ChangeDetector} and carried out by the history store in one
 * transaction. A plan with a {@link #failure} writes nothing but the failure event.
 */
public final class ChangePlan {
  /** Series seen for the first time. */
  public final List<Observation> added = new ArrayList<>();
  /** Series that were removed and are back. */
  public final List<Observation> reactivated = new ArrayList<>();
  /** Series whose value changed. */
  public final List<Observation> changed = new ArrayList<>();
  /** Active series seen again with the same value whose missing count must be reset. */
  public final List<SeriesKey> recovered = new ArrayList<>();
  /** Active series absent this time but not yet confirmed removed. */
  public final List<SeriesKey> missing = new ArrayList<>();
  /** Active series confirmed removed. */
  public final List<SeriesKey> removed = new ArrayList<>();
  /** Series the page renamed ({@link Renames}): old key to the observation that continues it, same value. */
  public final java.util.Map<SeriesKey, Observation> renamed = new java.util.LinkedHashMap<>();
  /** Change events, in a stable order. */
  public final List<ChangeEvent> events = new ArrayList<>();
  /** Changed series held back by a guard (unit flip, fall to zero, currency flip): not applied. */
  public final List<Observation> held = new ArrayList<>();
  /** For each held series, the consecutive checks that have shown its held value (this one included). */
  public final java.util.Map<SeriesKey, Integer> heldSightings = new java.util.HashMap<>();
  /** Observations refused as no price ({@link ObservationGuard}), each with its reason: not applied. */
  public final List<String> refused = new ArrayList<>();
  /** Prices announced for after the check ({@link Announcements}): judged against the stored ones by history. */
  public final List<Observation> announced = new ArrayList<>();
  /** Why series were held or refused, for the check's reason; null when none were. */
  public String heldReason;
  /** Set when a guard refused the extraction; then nothing else applies. */
  public ChangeEvent failure;

  public boolean isFailure() {
    return failure != null;
  }

  public boolean changesHistory() {
    return !added.isEmpty() || !reactivated.isEmpty() || !changed.isEmpty() || !removed.isEmpty()
        || !renamed.isEmpty();
  }
}
