package io.pricetide.detect;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Announced prices: an observation whose {@link Observation#effectiveFrom} is after its check is a price the
 * source announces for later, on the same series as the price now. Pure: no I/O, no clock.
 *
 * <ul>
 *   <li>{@link #split}: a check's observations into the prices in force at the check (for {@link ChangeDetector})
 *       and the announcements. An observation whose effective time has already passed is in force: of several for
 *       one series, the one that took effect last wins (an undated one counts as the oldest). A series the check
 *       shows only as announced keeps its stored value (it is present, unchanged).</li>
 *   <li>{@link #judge}: the announcements against the ones stored as pending. New: a {@code price_announced}
 *       (old: the price after this check, new: the announced one, {@code effective_from}). The same series, time and
 *       value again: nothing. The same series and time with another value: the stored one is replaced, and the new
 *       value is a {@code price_announced}. A pending one the check no longer shows, while it still shows its
 *       series: {@code announcement_withdrawn} (unless another announcement for that series replaces it). A series
 *       the check does not show at all keeps its pending announcements (a missing row is no withdrawal). An
 *       announcement equal to the price now, or for a series history does not hold, is not recorded.</li>
 * </ul>
 */
public final class Announcements {
  private Announcements() {}

  /** A stored announcement not yet in effect. */
  public record Pending(long id, SeriesKey key, Instant effectiveFrom, BigDecimal value, String currency,
      BigDecimal usdPer1m) {}

  /** A check's observations: the prices in force at the check, and the prices announced for later. */
  public record Split(List<Observation> current, List<Observation> announced) {}

  /** What a check does to the stored announcements: new ones (each with its event), and pending ones settled. */
  public static final class Judgement {
    /** New announcements, each with its {@code price_announced} at the same index of {@link #events}. */
    public final List<Observation> added = new ArrayList<>();
    public final List<ChangeEvent> events = new ArrayList<>();
    /** Pending announcements replaced by another value (by id). */
    public final List<Long> replaced = new ArrayList<>();
    /** Pending announcements withdrawn, each with its {@code announcement_withdrawn} in {@link #withdrawals}. */
    public final List<Long> withdrawn = new ArrayList<>();
    public final List<ChangeEvent> withdrawals = new ArrayList<>();

    public boolean isEmpty() {
      return added.isEmpty() && replaced.isEmpty() && withdrawn.isEmpty();
    }
  }

  /** Splits a price source's observations at {@code at}; see the class comment. */
  public static Split split(List<Observation> observations, Map<SeriesKey, Previous> previous, Instant at) {
    Map<SeriesKey, Observation> current = new LinkedHashMap<>();
    List<Observation> announced = new ArrayList<>();
    for (Observation o : observations) {
      if (o.effectiveFrom() != null && o.effectiveFrom().isAfter(at)) {
        announced.add(o);
        continue;
      }
      Observation prior = current.get(o.key());
      if (prior == null || o.effectiveFrom() != null
          && (prior.effectiveFrom() == null || o.effectiveFrom().isAfter(prior.effectiveFrom()))) {
        current.put(o.key(), o);
      }
    }
    if (announced.isEmpty() && current.size() == observations.size()
        && observations.stream().allMatch(o -> o.effectiveFrom() == null)) {
      return new Split(observations, announced);
    }
    List<Observation> now = new ArrayList<>(current.size());
    current.values().forEach(o -> now.add(o.effectiveFrom() == null ? o : o.validFrom(null)));
    Set<SeriesKey> shown = new HashSet<>(current.keySet());
    for (Observation a : announced) {
      Previous p = previous.get(a.key());
      if (shown.add(a.key()) && p != null && p.active()) {
        now.add(new Observation(p.provider(), a.model(), p.canonicalModel(), a.metric(), a.condition(), p.amount(),
            p.currency(), p.usdPer1m()));
      }
    }
    return new Split(now, announced);
  }

  /**
   * Judges a check's announcements against the pending ones. {@code now} is each series' price after the check
   * (the observations in force, and for series the check did not change, their stored value); {@code shown} the
   * series the check shows. Values that are no price ({@code rules}) are not announced. {@code quiet}: the
   * source's first check, whose announcements are history the page carried (recorded, not sent to subscribers).
   */
  public static Judgement judge(String sourceId, List<Observation> announced, List<Pending> pending,
      Map<SeriesKey, Observation> now, Set<SeriesKey> shown, GuardRules rules, Guards guards, boolean quiet,
      Instant at) {
    Judgement j = new Judgement();
    Map<String, Pending> stored = new LinkedHashMap<>();
    pending.forEach(p -> stored.put(id(p.key(), p.effectiveFrom()), p));
    Set<String> kept = new HashSet<>();
    Set<SeriesKey> announcedKeys = new HashSet<>();
    for (Observation a : announced) {
      String id = id(a.key(), a.effectiveFrom());
      Observation old = now.get(a.key());
      if (!kept.add(id) || old == null || rules.refusal(a, guards) != null) {
        continue;
      }
      announcedKeys.add(a.key());
      Pending p = stored.get(id);
      if (p != null && p.value().compareTo(a.value()) == 0 && p.currency().equals(a.currency())) {
        continue;
      }
      if (p == null && old.value().compareTo(a.value()) == 0 && old.currency().equals(a.currency())) {
        continue;
      }
      String reason = null;
      if (p != null) {
        j.replaced.add(p.id());
        reason = "replaces the announced " + p.value().toPlainString() + " " + p.currency();
      }
      j.added.add(a);
      ChangeEvent e = new ChangeEvent(0, ChangeEvent.PRICE_ANNOUNCED, sourceId, a.provider(), a.model(),
          a.canonicalModel(), a.metric(), a.condition(), old.usdPer1m(), a.usdPer1m(), old.value(), a.value(),
          a.currency(), old.currency().equals(a.currency()) ? Decimals.changePct(old.value(), a.value()) : null, at,
          null, reason, true, a.effectiveFrom());
      j.events.add(quiet ? e.quiet() : e);
    }
    for (Pending p : pending) {
      String id = id(p.key(), p.effectiveFrom());
      if (kept.contains(id)) {
        continue;
      }
      if (announcedKeys.contains(p.key())) {
        j.replaced.add(p.id());
        continue;
      }
      if (!shown.contains(p.key())) {
        continue;
      }
      Observation cur = now.get(p.key());
      j.withdrawn.add(p.id());
      j.withdrawals.add(new ChangeEvent(0, ChangeEvent.ANNOUNCEMENT_WITHDRAWN, sourceId,
          cur == null ? null : cur.provider(), p.key().model(), cur == null ? null : cur.canonicalModel(),
          p.key().metric(), p.key().condition(), p.usdPer1m(), cur == null ? null : cur.usdPer1m(), p.value(),
          cur == null ? null : cur.value(), p.currency(), null, at, null,
          "no longer announced: " + p.value().toPlainString() + " " + p.currency() + " from " + p.effectiveFrom(),
          true, p.effectiveFrom()));
    }
    return j;
  }

  private static String id(SeriesKey k, Instant from) {
    return k + "@" + from;
  }
}
