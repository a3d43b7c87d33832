package io.pricetide.detect;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan of a check an operator accepted as a new baseline ({@code accept-baseline}): like a source's first
 * check, it raises no events and no guard but an empty extraction and values that are no price judges it. The
 * source's series become what the page now says: new ones are added, changed values and series back again take
 * their value, and active series the page no longer names go inactive, without removal events. Pure.
 */
public final class AcceptedBaseline {
  private AcceptedBaseline() {}

  public static ChangePlan plan(String sourceId, Map<SeriesKey, Previous> history, List<Observation> current,
      Guards guards, GuardRules rules, Instant at) {
    ChangePlan plan = new ChangePlan();
    Map<SeriesKey, Observation> now = new LinkedHashMap<>();
    for (Observation o : current) {
      if (rules.refusal(o, guards) != null) {
        plan.refused.add(o.key() + ": " + rules.refusal(o, guards));
      } else {
        now.putIfAbsent(o.key(), o);
      }
    }
    if (now.isEmpty()) {
      plan.failure = ChangeEvent.sourceFailure(sourceId, "detect", "extraction found no prices; the accepted "
          + "baseline waits for a check that reads the page", at);
      return plan;
    }
    for (Observation o : now.values()) {
      Previous p = history.get(o.key());
      if (p == null) {
        plan.added.add(o);
      } else if (!p.active()) {
        plan.reactivated.add(o);
      } else if (p.amount().compareTo(o.value()) != 0 || !p.currency().equals(o.currency())) {
        plan.changed.add(o);
      } else if (p.missingChecks() > 0) {
        plan.recovered.add(o.key());
      }
    }
    history.forEach((k, p) -> {
      if (p.active() && !now.containsKey(k)) {
        plan.removed.add(k);
      }
    });
    return plan;
  }
}
