package io.pricetide.detect;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares one check's observations with what history holds and decides the events. Pure: no I/O, no clock.
 *
 * <ul>
 *   <li>The first successful check of a source is its baseline: history is written, no events.</li>
 *   <li>An extraction with nothing in it, or that loses more than {@code maxRowLossPct} of the active series, is a
 *       {@code source_failure}; no model events, nothing applied.</li>
 *   <li>A changed value is a {@code price_cut} or {@code price_increase}, its percentage computed in the source's
 *       own currency; a return within {@code correctionHours} to the value before the last change is a
 *       {@code price_correction}.</li>
 *   <li>A change that looks like a broken scraper (a currency flip, a fall to zero, a jump of {@code maxJumpRatio}
 *       or more either way) is held back: not applied, listed in one {@code source_failure}; the other changes
 *       of the check apply. Seen in {@code suspectChecks} consecutive checks, the value is accepted as a
 *       {@code price_correction}.</li>
 *   <li>A model whose every series is new is {@code model_added} once; a new series of a known model is
 *       {@code metric_added}. Removal mirrors this, after {@code removalChecks} consecutive absences.</li>
 *   <li>A model the page renamed ({@link Renames}: its lost series reappear with the same values under a new name
 *       of the same model) is one quiet {@code model_renamed}: its series continue under the new name, counted as
 *       present by the row-loss guards, and subscribers are not told.</li>
 * </ul>
 */
public final class ChangeDetector {
  private ChangeDetector() {}

  /** The plan of a price source's check under the price guards. */
  public static ChangePlan plan(String sourceId, Map<SeriesKey, Previous> history, List<Observation> current,
      Guards guards, Instant at) {
    return plan(sourceId, history, current, guards, GuardRules.PRICES, at);
  }

  /** The plan of a check under the given guard rules ({@link GuardRules}), no other source asked. */
  public static ChangePlan plan(String sourceId, Map<SeriesKey, Previous> history, List<Observation> current,
      Guards guards, GuardRules rules, Instant at) {
    return plan(sourceId, history, current, guards, rules, Witnesses.NONE, at);
  }

  /**
   * The plan of a check under the given guard rules; a held-back value is judged by {@code witnesses}, the other
   * sources of its model: confirmed, it is accepted at once; contradicted, it stays held.
   */
  public static ChangePlan plan(String sourceId, Map<SeriesKey, Previous> history, List<Observation> current,
      Guards guards, GuardRules rules, Witnesses witnesses, Instant at) {
    ChangePlan plan = new ChangePlan();
    Map<SeriesKey, Observation> now = new LinkedHashMap<>();
    for (Observation o : current) {
      now.putIfAbsent(o.key(), o);
    }
    Map<SeriesKey, Observation> renamed = new LinkedHashMap<>(rules.renames() ? Renames.find(history, now) : Map.of());
    CheckView view = new CheckView(sourceId, history, now, guards, renamed);
    String refusal = rules.refusal(view);
    if (refusal != null) {
      plan.failure = ChangeEvent.sourceFailure(sourceId, "detect", refusal, at);
      return plan;
    }
    // Values that are no price are set aside: their series stay as they were, neither changed nor missing.
    Set<SeriesKey> refusedKeys = new HashSet<>();
    for (java.util.Iterator<Observation> it = now.values().iterator(); it.hasNext(); ) {
      Observation o = it.next();
      String why = rules.refusal(o, guards);
      if (why != null) {
        plan.refused.add(o.key() + ": " + why);
        refusedKeys.add(o.key());
        it.remove();
      }
    }
    renamed.values().removeIf(o -> refusedKeys.contains(o.key()));
    Set<SeriesKey> renamedTo = new HashSet<>();
    renamed.values().forEach(o -> renamedTo.add(o.key()));
    plan.renamed.putAll(renamed);
    boolean baseline = history.isEmpty();
    Set<String> modelsActiveBefore = new HashSet<>();
    history.forEach((k, p) -> {
      if (p.active()) {
        modelsActiveBefore.add(k.model());
      }
    });
    renamed.values().forEach(o -> modelsActiveBefore.add(o.model()));
    Map<String, Observation> modelsRenamed = new LinkedHashMap<>();
    renamed.forEach((k, o) -> modelsRenamed.putIfAbsent(k.model(), o));
    modelsRenamed.forEach((old, o) -> plan.events.add(renaming(sourceId, old, o, renamed, at)));
    Set<String> modelsAnnounced = new HashSet<>();
    List<String> suspects = new java.util.ArrayList<>();
    for (Observation o : now.values()) {
      if (renamedTo.contains(o.key())) {
        continue;
      }
      Previous p = history.get(o.key());
      if (p == null || !p.active()) {
        (p == null ? plan.added : plan.reactivated).add(o);
        if (!baseline) {
          if (!modelsActiveBefore.contains(o.model())) {
            if (modelsAnnounced.add(o.model())) {
              plan.events.add(event(ChangeEvent.MODEL_ADDED, sourceId, o, null, at));
            }
          } else {
            plan.events.add(event(ChangeEvent.METRIC_ADDED, sourceId, o, null, at));
          }
        }
      } else if (p.amount().compareTo(o.value()) != 0 || !p.currency().equals(o.currency())) {
        String suspect = rules.suspicion(p, o, guards);
        int sightings = suspect == null ? 0 : p.heldSightings(o.value(), o.currency());
        Witnesses.Verdict said = suspect == null ? Witnesses.Verdict.UNKNOWN : witnesses.judge(o, p);
        if (suspect != null && said != Witnesses.Verdict.CONFIRMED && (said == Witnesses.Verdict.CONTRADICTED
            || guards.suspectChecks() == 0 || sightings < guards.suspectChecks())) {
          plan.held.add(o);
          plan.heldSightings.put(o.key(), sightings);
          suspects.add(o.key() + ": " + suspect + (said == Witnesses.Verdict.CONTRADICTED
              ? ", another source still shows " + p.amount().toPlainString()
              : guards.suspectChecks() == 0 ? "" : ", seen " + sightings + " of " + guards.suspectChecks() + " checks"));
          continue;
        }
        plan.changed.add(o);
        // A suspect value that persisted is a mistake being corrected (or a real move too large to alert on).
        String kind = suspect != null || isCorrection(p, o, guards, at) ? ChangeEvent.PRICE_CORRECTION
            : o.value().compareTo(p.amount()) < 0 ? ChangeEvent.PRICE_CUT : ChangeEvent.PRICE_INCREASE;
        plan.events.add(event(kind, sourceId, o, p, at));
      } else if (p.missingChecks() > 0) {
        plan.recovered.add(o.key());
      }
    }
    List<String> reasons = new java.util.ArrayList<>();
    if (!plan.refused.isEmpty()) {
      reasons.add("refused " + plan.refused.size() + " value(s) that are no price: " + listed(plan.refused));
    }
    if (!suspects.isEmpty()) {
      reasons.add("held back " + suspects.size() + " suspect change(s), not applied: " + listed(suspects));
    }
    if (!reasons.isEmpty()) {
      plan.heldReason = String.join("; ", reasons);
      plan.events.add(ChangeEvent.sourceFailure(sourceId, "detect", plan.heldReason, at));
    }
    Set<String> modelsStaying = new HashSet<>();
    now.values().forEach(o -> modelsStaying.add(o.model()));
    refusedKeys.forEach(k -> modelsStaying.add(k.model()));
    modelsStaying.addAll(modelsRenamed.keySet());
    for (Map.Entry<SeriesKey, Previous> e : history.entrySet()) {
      if (!e.getValue().active() || now.containsKey(e.getKey()) || refusedKeys.contains(e.getKey())
          || renamed.containsKey(e.getKey())) {
        continue;
      }
      if (e.getValue().missingChecks() + 1 < guards.removalChecks()) {
        plan.missing.add(e.getKey());
        modelsStaying.add(e.getKey().model());
      } else {
        plan.removed.add(e.getKey());
      }
    }
    Set<String> modelsRemoved = new HashSet<>();
    for (SeriesKey k : plan.removed) {
      Previous p = history.get(k);
      if (modelsStaying.contains(k.model())) {
        plan.events.add(removal(ChangeEvent.METRIC_REMOVED, sourceId, k.model(), k, p, at));
      } else if (modelsRemoved.add(k.model())) {
        plan.events.add(removal(ChangeEvent.MODEL_REMOVED, sourceId, k.model(), null, p, at));
      }
    }
    String broken = rules.refusal(view, plan);
    if (broken != null) {
      ChangePlan refused = new ChangePlan();
      refused.failure = ChangeEvent.sourceFailure(sourceId, "detect", broken, at);
      return refused;
    }
    return plan;
  }

  /** The first ten items of a reason list, joined. */
  private static String listed(List<String> items) {
    return String.join("; ", items.subList(0, Math.min(10, items.size()))) + (items.size() > 10 ? "; …" : "");
  }

  /** A return, within the correction window, to the value before the last change. */
  static boolean isCorrection(Previous p, Observation o, Guards g, Instant at) {
    return g.correctionHours() > 0 && p.prevAmount() != null && p.lastChanged() != null
        && p.prevAmount().compareTo(o.value()) == 0
        && !p.lastChanged().plusSeconds(3600L * g.correctionHours()).isBefore(at);
  }

  private static ChangeEvent event(String kind, String sourceId, Observation o, Previous p, Instant at) {
    boolean isChange = p != null;
    return new ChangeEvent(0, kind, sourceId, o.provider(), o.model(), o.canonicalModel(), o.metric(), o.condition(),
        isChange ? p.usdPer1m() : null, o.usdPer1m(), isChange ? p.amount() : null, o.value(), o.currency(),
        isChange ? Decimals.changePct(p.amount(), o.value()) : null, at, null, null);
  }

  /** One quiet {@code model_renamed} per model: the new name as the model, the old one in the reason. */
  private static ChangeEvent renaming(String sourceId, String oldModel, Observation o,
      Map<SeriesKey, Observation> renamed, Instant at) {
    long series = renamed.keySet().stream().filter(k -> k.model().equals(oldModel)).count();
    String reason = "renamed from " + oldModel + ": " + series + " price(s) unchanged";
    return new ChangeEvent(0, ChangeEvent.MODEL_RENAMED, sourceId, o.provider(), o.model(), o.canonicalModel(), null,
        null, null, null, null, null, null, null, at, null, reason).quiet();
  }

  private static ChangeEvent removal(String kind, String sourceId, String model, SeriesKey k, Previous p, Instant at) {
    boolean perMetric = k != null;
    return new ChangeEvent(0, kind, sourceId, p.provider(), model, p.canonicalModel(), perMetric ? k.metric() : null,
        perMetric ? k.condition() : null, perMetric ? p.usdPer1m() : null, null, perMetric ? p.amount() : null,
        null, perMetric ? p.currency() : null, null, at, null, null);
  }
}
