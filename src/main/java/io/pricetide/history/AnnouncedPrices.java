package io.pricetide.history;

import io.pricetide.detect.AcceptedBaseline;
import io.pricetide.detect.Announcements;
import io.pricetide.detect.ChangePlan;
import io.pricetide.detect.EventMode;
import io.pricetide.detect.GuardRules;
import io.pricetide.detect.Previous;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a check of a price source does to announced prices: the state {@link Announcements#judge} needs. */
final class AnnouncedPrices {
  private AnnouncedPrices() {}

  /**
   * Judges the plan's announcements against the source's pending ones, with each series' price after the plan
   * (its stored value, or the value the plan gives it; a held-back value is not the price).
   */
  static Announcements.Judgement judge(Connection c, String sourceId, List<Observation> observations, ChangePlan plan,
      Map<SeriesKey, Previous> previous, Guards guards, boolean quiet, Instant at) throws SQLException {
    List<Announcements.Pending> pending = plan.announced.isEmpty() && previous.isEmpty() ? List.of()
        : ScheduledChanges.pending(c, sourceId);
    if (plan.announced.isEmpty() && pending.isEmpty()) {
      return new Announcements.Judgement();
    }
    Map<SeriesKey, Observation> now = new LinkedHashMap<>();
    previous.forEach((k, p) -> {
      if (p.active()) {
        now.put(k, new Observation(p.provider(), k.model(), p.canonicalModel(), k.metric(), k.condition(), p.amount(),
            p.currency(), p.usdPer1m()));
      }
    });
    plan.added.forEach(o -> now.put(o.key(), o));
    plan.reactivated.forEach(o -> now.put(o.key(), o));
    plan.changed.forEach(o -> now.put(o.key(), o));
    plan.removed.forEach(now::remove);
    Set<SeriesKey> shown = new HashSet<>();
    for (Observation o : observations) {
      if (o.effectiveFrom() == null || !o.effectiveFrom().isAfter(at)) {
        shown.add(o.key());
      }
    }
    return Announcements.judge(sourceId, plan.announced, pending, now, shown, GuardRules.PRICES, guards, quiet, at);
  }

  /** An operator's accepted baseline, its announcements set apart like any check's. */
  static ChangePlan acceptedBaseline(String sourceId, Map<SeriesKey, Previous> previous,
      List<Observation> observations, Guards guards, EventMode mode, Instant at) {
    Announcements.Split split = mode == EventMode.PRICES ? Announcements.split(observations, previous, at)
        : new Announcements.Split(observations, List.of());
    ChangePlan plan = AcceptedBaseline.plan(sourceId, previous, split.current(), guards, GuardRules.of(mode), at);
    if (!plan.isFailure()) {
      plan.announced.addAll(split.announced());
    }
    return plan;
  }
}
