package io.pricetide.detect;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The detection policy by kind of source: which guards judge a check, which events it yields. Price sources get
 * value events ({@link ChangeDetector}) and catalogue drift; exchange-rate sources only failures; usage sources
 * the usage events ({@link UsageDetector}) instead of value events. Pure: history reads the state before the
 * check, asks this for the plan and carries it out in one transaction.
 */
public final class Detection {
  private Detection() {}

  public static ChangePlan plan(EventMode mode, String sourceId, Map<SeriesKey, Previous> previous,
      List<Observation> observations, Guards guards, Instant at) {
    return plan(mode, false, sourceId, previous, observations, guards, at);
  }

  /** As above; a {@code catalogue}'s series are never paired as renames (its history stays by key). */
  public static ChangePlan plan(EventMode mode, boolean catalogue, String sourceId, Map<SeriesKey, Previous> previous,
      List<Observation> observations, Guards guards, Instant at) {
    GuardRules rules = catalogue ? GuardRules.of(mode).withoutRenames() : GuardRules.of(mode);
    ChangePlan plan = ChangeDetector.plan(sourceId, previous, observations, guards, rules, at);
    if (mode != EventMode.PRICES) {
      plan.events.removeIf(e -> !e.kind().equals(ChangeEvent.SOURCE_FAILURE));
    }
    if (mode == EventMode.USAGE && !plan.isFailure()) {
      List<ChangeEvent> usage = UsageDetector.detect(sourceId, previous, observations, at);
      if (usage.size() == 1 && usage.get(0).kind().equals(ChangeEvent.SOURCE_FAILURE)) {
        plan.failure = usage.get(0);
      } else {
        plan.events.addAll(usage);
      }
    }
    return plan;
  }

  /** Whether the check may have started or ended a disagreement between a catalogue and a vendor's page. */
  public static boolean checksDrift(EventMode mode, ChangePlan plan) {
    return mode == EventMode.PRICES && plan.changesHistory();
  }
}
