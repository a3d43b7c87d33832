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
    return plan(mode, false, sourceId, previous, observations, guards, Witnesses.NONE, at);
  }

  /** As below, no other source asked. */
  public static ChangePlan plan(EventMode mode, boolean catalogue, String sourceId, Map<SeriesKey, Previous> previous,
      List<Observation> observations, Guards guards, Instant at) {
    return plan(mode, catalogue, sourceId, previous, observations, guards, Witnesses.NONE, at);
  }

  /**
   * As above; a {@code catalogue}'s series are never paired as renames (its history stays by key), and the other
   * sources of each held-back value's model are asked ({@link Witnesses}).
   */
  public static ChangePlan plan(EventMode mode, boolean catalogue, String sourceId, Map<SeriesKey, Previous> previous,
      List<Observation> observations, Guards guards, Witnesses witnesses, Instant at) {
    return plan(mode, catalogue, sourceId, previous, observations, java.util.Set.of(), guards, witnesses, at);
  }

  /**
   * As above, with the (model, metric) pairs the page still lists but this read could not place ({@link Unread}):
   * their series without a value now are set aside before anything is judged.
   */
  public static ChangePlan plan(EventMode mode, boolean catalogue, String sourceId, Map<SeriesKey, Previous> stored,
      List<Observation> observations, java.util.Set<List<String>> unread, Guards guards, Witnesses witnesses,
      Instant at) {
    Map<SeriesKey, Previous> previous = Unread.setAside(stored, observations, unread);
    GuardRules rules = catalogue ? GuardRules.of(mode).withoutRenames() : GuardRules.of(mode);
    // A name read with undecodable bytes that matches one known model is that model (no phantom add and remove).
    List<Observation> named = Names.mended(observations, previous);
    // Prices announced for later are no prices now: the detector sees the prices in force at the check.
    Announcements.Split split = mode == EventMode.PRICES ? Announcements.split(named, previous, at)
        : new Announcements.Split(named, List.of());
    ChangePlan plan = ChangeDetector.plan(sourceId, previous, split.current(), guards, rules,
        mode == EventMode.PRICES ? witnesses : Witnesses.NONE, at);
    if (!plan.isFailure()) {
      plan.announced.addAll(split.announced());
    }
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
