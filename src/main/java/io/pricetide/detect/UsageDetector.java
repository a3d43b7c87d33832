package io.pricetide.detect;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage events from one check of a usage source, compared with the check before. Pure: no I/O, no clock.
 *
 * <p>Shares are computed per provider (and per model) over the source's share metric ({@code weekly_tokens}, else
 * {@code downloads_30d}). Events: {@code overtake} when a provider or model among the top {@value #TOP} passes
 * another ("qwen passed openai in weekly tokens"), {@code rank_change} for a provider whose rank among the top
 * moved, {@code usage_share_change} when a provider's share moved by {@value #SHARE_STEP_PP} percentage points or
 * more. Guard: a total that fell below half, or rose above double, the previous total looks like a rolling window
 * that reset or an endpoint that changed: that is a {@code source_failure}, not a wave of events.
 */
public final class UsageDetector {
  /** Only the leaders are ranked; movements in the long tail are noise. */
  public static final int TOP = 10;
  /** Share movement, in percentage points, worth an event. */
  public static final BigDecimal SHARE_STEP_PP = new BigDecimal("2");
  public static final String OVERTAKE = ChangeEvent.OVERTAKE;
  public static final String RANK_CHANGE = ChangeEvent.RANK_CHANGE;
  public static final String SHARE_CHANGE = ChangeEvent.SHARE_CHANGE;

  private UsageDetector() {}

  /** The events, or a single {@code source_failure} when the guard refuses the check. */
  public static List<ChangeEvent> detect(String sourceId, Map<SeriesKey, Previous> history,
      List<Observation> current, Instant at) {
    String metric = Metrics.SHARE_METRICS.stream()
        .filter(m -> current.stream().anyMatch(o -> o.metric().equals(m))).findFirst().orElse(null);
    if (metric == null) {
      return List.of();
    }
    Map<String, BigDecimal> before = new LinkedHashMap<>();
    Map<String, BigDecimal> beforeModels = new LinkedHashMap<>();
    history.forEach((k, p) -> {
      if (p.active() && k.metric().equals(metric) && k.condition().isEmpty()) {
        before.merge(p.provider(), p.amount(), BigDecimal::add);
        beforeModels.merge(k.model(), p.amount(), BigDecimal::add);
      }
    });
    Map<String, BigDecimal> after = new LinkedHashMap<>();
    Map<String, BigDecimal> afterModels = new LinkedHashMap<>();
    for (Observation o : current) {
      if (o.metric().equals(metric) && o.condition().isEmpty()) {
        after.merge(o.provider(), o.value(), BigDecimal::add);
        afterModels.merge(o.model(), o.value(), BigDecimal::add);
      }
    }
    BigDecimal totalBefore = sum(before);
    BigDecimal totalAfter = sum(after);
    if (totalBefore.signum() == 0 || totalAfter.signum() == 0) {
      return List.of();
    }
    if (totalAfter.multiply(BigDecimal.valueOf(2)).compareTo(totalBefore) < 0
        || totalAfter.compareTo(totalBefore.multiply(BigDecimal.valueOf(2))) > 0) {
      return List.of(ChangeEvent.sourceFailure(sourceId, "detect", "total " + metric + " moved from "
          + totalBefore.toPlainString() + " to " + totalAfter.toPlainString()
          + ": a rolling window that reset or an endpoint that changed, not usage events", at));
    }
    List<ChangeEvent> events = new ArrayList<>();
    Map<String, BigDecimal> shareBefore = shares(before, totalBefore);
    Map<String, BigDecimal> shareAfter = shares(after, totalAfter);
    overtakes(sourceId, metric, shareBefore, shareAfter, true, at, events);
    // Model overtakes, unless they only repeat a provider overtake (a provider with one model among the leaders).
    List<ChangeEvent> models = new ArrayList<>();
    overtakes(sourceId, metric, shares(beforeModels, totalBefore), shares(afterModels, totalAfter), false, at,
        models);
    Map<String, String> providerOf = new LinkedHashMap<>();
    current.forEach(o -> providerOf.put(o.model(), o.provider()));
    history.forEach((k, p) -> providerOf.putIfAbsent(k.model(), p.provider()));
    for (ChangeEvent m : models) {
      String passed = m.condition().substring("passed ".length());
      String pair = providerOf.get(m.model()) + " passed " + providerOf.get(passed);
      boolean repeats = events.stream().anyMatch(e -> (e.provider() + " " + e.condition()).equals(pair));
      if (!repeats) {
        events.add(m);
      }
    }
    List<String> rankBefore = top(shareBefore);
    List<String> rankAfter = top(shareAfter);
    for (int i = 0; i < rankAfter.size(); i++) {
      String p = rankAfter.get(i);
      int was = rankBefore.indexOf(p);
      if (was >= 0 && was != i) {
        events.add(usage(RANK_CHANGE, sourceId, p, null, metric, BigDecimal.valueOf(was + 1L),
            BigDecimal.valueOf(i + 1L), null, p + " moved from #" + (was + 1) + " to #" + (i + 1) + " in " + label(metric), at));
      }
    }
    for (Map.Entry<String, BigDecimal> e : shareAfter.entrySet()) {
      BigDecimal was = shareBefore.get(e.getKey());
      if (was != null && e.getValue().subtract(was).abs().compareTo(SHARE_STEP_PP) >= 0) {
        events.add(usage(SHARE_CHANGE, sourceId, e.getKey(), null, metric, was, e.getValue(),
            e.getValue().subtract(was), e.getKey() + " share of " + label(metric) + " moved from " + was.toPlainString()
                + "% to " + e.getValue().toPlainString() + "%", at));
      }
    }
    return events;
  }

  private static void overtakes(String sourceId, String metric, Map<String, BigDecimal> before,
      Map<String, BigDecimal> after, boolean byProvider, Instant at, List<ChangeEvent> out) {
    List<String> leaders = top(after);
    for (String a : leaders) {
      for (String b : leaders) {
        if (a.equals(b) || !before.containsKey(a) || !before.containsKey(b)) {
          continue;
        }
        boolean wasBehind = before.get(a).compareTo(before.get(b)) < 0;
        boolean isAhead = after.get(a).compareTo(after.get(b)) > 0;
        if (wasBehind && isAhead) {
          String sentence = a + " passed " + b + " in " + label(metric) + " (" + after.get(a).toPlainString()
              + "% vs " + after.get(b).toPlainString() + "%)";
          out.add(usage(OVERTAKE, sourceId, byProvider ? a : null, byProvider ? null : a, metric, before.get(a),
              after.get(a), after.get(a).subtract(before.get(a)), sentence, at).withCondition("passed " + b));
        }
      }
    }
  }

  private static String label(String metric) {
    return metric.replace('_', ' ');
  }

  static List<String> top(Map<String, BigDecimal> shares) {
    return shares.entrySet().stream()
        .sorted(Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP).map(Map.Entry::getKey).toList();
  }

  static Map<String, BigDecimal> shares(Map<String, BigDecimal> values, BigDecimal total) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.multiply(BigDecimal.valueOf(100)).divide(total, 2, RoundingMode.HALF_UP)));
    return out;
  }

  static BigDecimal sum(Map<String, BigDecimal> m) {
    return m.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static ChangeEvent usage(String kind, String sourceId, String provider, String model, String metric,
      BigDecimal oldValue, BigDecimal newValue, BigDecimal pct, String sentence, Instant at) {
    return new ChangeEvent(0, kind, sourceId, provider, model, model, metric, "", null, null, oldValue, newValue,
        null, pct == null ? null : pct.setScale(2, RoundingMode.HALF_UP), at, null, sentence);
  }
}
