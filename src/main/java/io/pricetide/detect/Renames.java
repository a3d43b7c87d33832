package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Series a page renamed: a vendor's redesign that calls "Claude 3 Opus" "Claude Opus 3" keeps its prices. A lost
 * series (active in history, absent now) pairs with a new series (absent from history) of the same provider (a
 * catalogue's resellers are their own series), metric, condition, value and currency when their models are the
 * same model: the same canonical id, or the same words in another order (case aside). Pairs must be unambiguous
 * (one candidate each way), the old model must be gone from the page and all its pairs must lead to one new model.
 * Pure.
 */
final class Renames {
  private Renames() {}

  /** Old key to the observation that continues it, in history order. */
  static Map<SeriesKey, Observation> find(Map<SeriesKey, Previous> history, Map<SeriesKey, Observation> now) {
    Set<String> modelsNow = new HashSet<>();
    now.keySet().forEach(k -> modelsNow.add(k.model()));
    Set<String> modelsBefore = new HashSet<>();
    history.keySet().forEach(k -> modelsBefore.add(k.model()));
    List<Map.Entry<SeriesKey, Previous>> lost = new ArrayList<>();
    history.forEach((k, p) -> {
      if (p.active() && !modelsNow.contains(k.model())) {
        lost.add(Map.entry(k, p));
      }
    });
    if (lost.isEmpty()) {
      return Map.of();
    }
    List<Observation> fresh = now.values().stream().filter(o -> !modelsBefore.contains(o.model())).toList();
    Map<SeriesKey, List<Observation>> forward = new LinkedHashMap<>();
    Map<SeriesKey, Integer> backward = new HashMap<>();
    for (Map.Entry<SeriesKey, Previous> e : lost) {
      List<Observation> candidates = new ArrayList<>();
      for (Observation o : fresh) {
        if (same(e.getKey(), e.getValue(), o)) {
          candidates.add(o);
          backward.merge(o.key(), 1, Integer::sum);
        }
      }
      forward.put(e.getKey(), candidates);
    }
    Map<SeriesKey, Observation> pairs = new LinkedHashMap<>();
    forward.forEach((k, c) -> {
      if (c.size() == 1 && backward.get(c.get(0).key()) == 1) {
        pairs.put(k, c.get(0));
      }
    });
    // One old model becomes one new model, and no two old models become the same one.
    Map<String, Set<String>> targets = new HashMap<>();
    Map<String, Set<String>> origins = new HashMap<>();
    pairs.forEach((k, o) -> {
      targets.computeIfAbsent(k.model(), m -> new HashSet<>()).add(o.model());
      origins.computeIfAbsent(o.model(), m -> new HashSet<>()).add(k.model());
    });
    pairs.entrySet().removeIf(e -> targets.get(e.getKey().model()).size() > 1
        || origins.get(e.getValue().model()).size() > 1);
    return pairs;
  }

  private static boolean same(SeriesKey k, Previous p, Observation o) {
    return java.util.Objects.equals(p.provider(), o.provider())
        && k.metric().equals(o.metric()) && k.condition().equals(o.condition())
        && p.amount() != null && p.amount().compareTo(o.value()) == 0 && p.currency().equals(o.currency())
        && sameModel(k.model(), p.canonicalModel(), o.model(), o.canonicalModel());
  }

  /** The same canonical id, or the same words in another order ("Claude 3 Opus", "Claude Opus 3"). */
  static boolean sameModel(String name, String canonical, String otherName, String otherCanonical) {
    if (canonical != null && !canonical.isBlank() && canonical.equals(otherCanonical)) {
      return true;
    }
    return words(name).equals(words(otherName));
  }

  private static List<String> words(String name) {
    String[] w = name.toLowerCase(Locale.ROOT).trim().split("\\s+");
    Arrays.sort(w);
    return List.of(w);
  }
}
