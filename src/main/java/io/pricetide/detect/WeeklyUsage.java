package io.pricetide.detect;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Usage events from weekly series: a page that carries a year of complete weeks (OpenRouter's rankings) is kept as
 * it is, one point per series and week (its valid time, the week's ISO Monday), and events are found between
 * consecutive weeks, dated at the week they happened. Pure: no I/O, no clock.
 *
 * <ul>
 *   <li>A week the store already holds with the same value is nothing (two renders of one week are no event); with
 *       another value it is a revision of that week: a point and a {@code usage_revised} event, never sent.</li>
 *   <li>Weeks after the last one recorded are new: each is compared with the week before it (from the page, or
 *       from the store) for provider overtakes ({@code provider_weekly_tokens}: the source's own totals by author,
 *       never sums of models), model overtakes that do not only repeat a provider's, rank changes among the top
 *       {@value UsageDetector#TOP} and share moves of {@code 2} points or more.</li>
 *   <li>Events of weeks that completed before the source's first check are history the page carried: recorded,
 *       listed and in the feeds, never sent to subscribers.</li>
 *   <li>Guard: a week whose total is under half, or over double, the week before is a broken page, not usage; the
 *       check is refused. A changing top (models entering and leaving) is normal and no guard.</li>
 * </ul>
 */
public final class WeeklyUsage {
  private static final Duration WEEK = Duration.ofDays(7);

  private WeeklyUsage() {}

  /** What a check of a weekly source writes: points (each valid from its week), the new latest values, events. */
  public static final class Plan {
    /** Observations to append as points, each valid from its own {@link Observation#effectiveFrom()}. */
    public final List<Observation> points = new ArrayList<>();
    /** Per series, the observation of its latest week where that week is new or revised: the series' value. */
    public final Map<SeriesKey, Observation> latest = new LinkedHashMap<>();
    public final List<ChangeEvent> events = new ArrayList<>();
    /** Set when the guard refused the check; then nothing else applies. */
    public ChangeEvent failure;
  }

  /**
   * @param stored the value of each recorded week per series (the latest point of each week)
   * @param weekly this check's observations, each with its week as valid time
   * @param firstCheck when the source was first checked, or null when this is its first check
   */
  public static Plan plan(String sourceId, Map<SeriesKey, NavigableMap<Instant, BigDecimal>> stored,
      List<Observation> weekly, Instant firstCheck, Instant at) {
    Plan plan = new Plan();
    Instant lastStored = stored.values().stream().filter(m -> !m.isEmpty()).map(NavigableMap::lastKey)
        .max(Instant::compareTo).orElse(null);
    Instant heardFrom = firstCheck == null ? at : firstCheck;
    NavigableMap<Instant, Map<SeriesKey, Observation>> byWeek = new TreeMap<>();
    for (Observation o : weekly) {
      byWeek.computeIfAbsent(o.effectiveFrom(), w -> new LinkedHashMap<>()).putIfAbsent(o.key(), o);
    }
    for (Map.Entry<Instant, Map<SeriesKey, Observation>> week : byWeek.entrySet()) {
      for (Observation o : week.getValue().values()) {
        NavigableMap<Instant, BigDecimal> had = stored.get(o.key());
        BigDecimal was = had == null ? null : had.get(week.getKey());
        if (was != null && was.compareTo(o.value()) == 0) {
          continue;
        }
        plan.points.add(o);
        if (had == null || had.isEmpty() || !had.lastKey().isAfter(week.getKey())) {
          plan.latest.put(o.key(), o);
        }
        if (was != null) {
          plan.events.add(revision(sourceId, o, was, at));
        }
      }
    }
    for (Instant w : byWeek.keySet()) {
      if (lastStored != null && !w.isAfter(lastStored)) {
        continue;
      }
      Instant prior = w.minus(WEEK);
      for (String metric : List.of(Metrics.PROVIDER_WEEKLY_TOKENS, Metrics.WEEKLY_TOKENS)) {
        Map<String, BigDecimal> after = values(byWeek.get(w), stored, w, metric);
        Map<String, BigDecimal> before = values(byWeek.get(prior), stored, prior, metric);
        if (before.isEmpty() || after.isEmpty()) {
          continue;
        }
        BigDecimal totalBefore = UsageDetector.sum(before);
        BigDecimal totalAfter = UsageDetector.sum(after);
        if (totalBefore.signum() == 0 || totalAfter.signum() == 0) {
          continue;
        }
        if (totalAfter.multiply(BigDecimal.valueOf(2)).compareTo(totalBefore) < 0
            || totalAfter.compareTo(totalBefore.multiply(BigDecimal.valueOf(2))) > 0) {
          plan.failure = ChangeEvent.sourceFailure(sourceId, "detect", "total " + label(metric) + " of the week of "
              + day(w) + " is " + tokens(totalAfter) + " against " + tokens(totalBefore) + " the week before: a "
              + "broken page, not usage", at);
          return plan;
        }
        boolean quiet = !w.plus(WEEK).isAfter(heardFrom);
        List<ChangeEvent> found = compare(sourceId, metric, before, after, w);
        for (ChangeEvent e : found) {
          plan.events.add(quiet ? e.quiet() : e);
        }
      }
      dropRepeatedModelOvertakes(plan.events, byWeek.get(w), w);
    }
    return plan;
  }

  /** A week's values of one metric by series name, the rest bucket included (it counts in the total). */
  private static Map<String, BigDecimal> values(Map<SeriesKey, Observation> page,
      Map<SeriesKey, NavigableMap<Instant, BigDecimal>> stored, Instant week, String metric) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    if (page != null) {
      page.values().stream().filter(o -> o.metric().equals(metric)).forEach(o -> out.put(name(o.key()), o.value()));
      if (!out.isEmpty()) {
        return out;
      }
    }
    stored.forEach((k, weeks) -> {
      BigDecimal v = weeks.get(week);
      if (v != null && k.metric().equals(metric)) {
        out.put(name(k), v);
      }
    });
    return out;
  }

  private static String name(SeriesKey k) {
    return Metrics.OTHERS.equals(k.condition()) ? OTHERS : k.model();
  }

  /** The rest bucket's name among the series names: never ranked, never an overtaker. */
  private static final String OTHERS = "\u0000others";

  private static List<ChangeEvent> compare(String sourceId, String metric, Map<String, BigDecimal> before,
      Map<String, BigDecimal> after, Instant week) {
    boolean providers = metric.equals(Metrics.PROVIDER_WEEKLY_TOKENS);
    Map<String, BigDecimal> shareBefore = UsageDetector.shares(before, UsageDetector.sum(before));
    Map<String, BigDecimal> shareAfter = UsageDetector.shares(after, UsageDetector.sum(after));
    shareBefore.remove(OTHERS);
    shareAfter.remove(OTHERS);
    List<ChangeEvent> out = new ArrayList<>();
    List<String> leaders = UsageDetector.top(shareAfter);
    for (String a : leaders) {
      for (String b : leaders) {
        if (a.equals(b) || !before.containsKey(a) || !before.containsKey(b)) {
          continue;
        }
        if (before.get(a).compareTo(before.get(b)) < 0 && after.get(a).compareTo(after.get(b)) > 0) {
          String sentence = a + " passed " + b + " in " + label(metric) + ", week of " + day(week) + ": "
              + tokens(after.get(a)) + " vs " + tokens(after.get(b)) + " tokens (" + shareAfter.get(a).toPlainString()
              + "% vs " + shareAfter.get(b).toPlainString() + "%)";
          out.add(event(ChangeEvent.OVERTAKE, sourceId, a, providers, metric, "passed " + b, shareBefore.get(a),
              shareAfter.get(a), week, sentence));
        }
      }
    }
    List<String> rankBefore = UsageDetector.top(shareBefore);
    for (int i = 0; i < leaders.size(); i++) {
      String p = leaders.get(i);
      int was = rankBefore.indexOf(p);
      if (was >= 0 && was != i) {
        out.add(event(ChangeEvent.RANK_CHANGE, sourceId, p, providers, metric, "", BigDecimal.valueOf(was + 1L),
            BigDecimal.valueOf(i + 1L), week, p + " moved from #" + (was + 1) + " to #" + (i + 1) + " in "
                + label(metric) + ", week of " + day(week)));
      }
    }
    for (String p : leaders) {
      BigDecimal was = shareBefore.get(p);
      BigDecimal now = shareAfter.get(p);
      if (was != null && now.subtract(was).abs().compareTo(UsageDetector.SHARE_STEP_PP) >= 0) {
        out.add(event(ChangeEvent.SHARE_CHANGE, sourceId, p, providers, metric, "", was, now, week, p + " share of "
            + label(metric) + " moved from " + was.toPlainString() + "% to " + now.toPlainString() + "%, week of "
            + day(week)));
      }
    }
    return out;
  }

  /** A model overtake that only repeats its provider's overtake of the same week says nothing more. */
  private static void dropRepeatedModelOvertakes(List<ChangeEvent> events, Map<SeriesKey, Observation> page,
      Instant week) {
    Map<String, String> providerOf = new LinkedHashMap<>();
    page.values().forEach(o -> providerOf.put(o.model(), o.provider()));
    events.removeIf(e -> e.kind().equals(ChangeEvent.OVERTAKE) && e.metric().equals(Metrics.WEEKLY_TOKENS)
        && e.observedAt().equals(week) && events.stream().anyMatch(p -> p.kind().equals(ChangeEvent.OVERTAKE)
            && p.metric().equals(Metrics.PROVIDER_WEEKLY_TOKENS) && p.observedAt().equals(week)
            && p.provider().equals(providerOf.get(e.model()))
            && p.condition().equals("passed " + providerOf.get(e.condition().substring("passed ".length())))));
  }

  private static ChangeEvent event(String kind, String sourceId, String name, boolean provider, String metric,
      String condition, BigDecimal was, BigDecimal now, Instant week, String sentence) {
    BigDecimal pct = kind.equals(ChangeEvent.RANK_CHANGE) ? null : now.subtract(was).setScale(2, RoundingMode.HALF_UP);
    return new ChangeEvent(0, kind, sourceId, provider ? name : null, provider ? null : name, provider ? null : name,
        metric, condition, null, null, was, now, null, pct, week, null, sentence);
  }

  private static ChangeEvent revision(String sourceId, Observation o, BigDecimal was, Instant at) {
    String sentence = o.model() + " " + label(o.metric()) + " of the week of " + day(o.effectiveFrom())
        + " revised from " + tokens(was) + " to " + tokens(o.value()) + " tokens";
    return new ChangeEvent(0, ChangeEvent.USAGE_REVISED, sourceId, o.provider(), o.model(), o.canonicalModel(),
        o.metric(), o.condition(), null, null, was, o.value(), null, null, o.effectiveFrom(), null, sentence).quiet();
  }

  private static String label(String metric) {
    return metric.equals(Metrics.PROVIDER_WEEKLY_TOKENS) ? "weekly tokens" : metric.replace('_', ' ');
  }

  static String day(Instant week) {
    return LocalDate.ofInstant(week, ZoneOffset.UTC).toString();
  }

  /** A token count as people read it: 361.8B, 1.2T, 950.0M. */
  static String tokens(BigDecimal n) {
    String[] units = {"", "K", "M", "B", "T"};
    BigDecimal v = n;
    int u = 0;
    while (v.abs().compareTo(BigDecimal.valueOf(1000)) >= 0 && u < units.length - 1) {
      v = v.divide(BigDecimal.valueOf(1000));
      u++;
    }
    return (u == 0 ? v.stripTrailingZeros() : v.setScale(1, RoundingMode.HALF_UP)).toPlainString() + units[u];
  }
}
