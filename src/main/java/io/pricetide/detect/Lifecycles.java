package io.pricetide.detect;

import io.pricetide.bus.ChangeEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The lifecycle rule: a retirement date a source announces for a model is a {@code model_deprecated} event, once
 * when first seen and again whenever the date moves; the same date seen again is nothing, and a date the source
 * stops listing is kept (catalogues prune fields; a withdrawn retirement is not announced by leaving a field out).
 * Dates a source's very first look at its models finds are history it carried: recorded and listed, never sent
 * ({@link ChangeEvent#quiet}). Pure: history reads the dates before the check and writes what this returns.
 */
public final class Lifecycles {
  private Lifecycles() {}

  /**
   * One model's date as the source stated it before this check and now.
   *
   * @param before the date recorded before this check, null when none
   * @param now the date this check reads, null when the source gives none
   */
  public record Dated(String provider, String model, String canonicalModel, LocalDate before, LocalDate now) {}

  /**
   * The events of one check.
   *
   * @param firstLook true when history held no attribute of this source before the check
   */
  public static List<ChangeEvent> events(String sourceId, List<Dated> models, boolean firstLook, Instant at) {
    List<ChangeEvent> out = new ArrayList<>();
    for (Dated d : models) {
      if (d.now() == null || d.now().equals(d.before())) {
        continue;
      }
      ChangeEvent e = new ChangeEvent(0, ChangeEvent.MODEL_DEPRECATED, sourceId, d.provider(), d.model(),
          d.canonicalModel(), null, null, null, null, ChangeEvent.dateValue(d.before()),
          ChangeEvent.dateValue(d.now()), null, null, at, null, null);
      out.add(firstLook ? e.quiet() : e);
    }
    return out;
  }
}
