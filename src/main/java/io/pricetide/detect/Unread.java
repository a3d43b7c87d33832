package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first step of judging a check: series the page still lists but this read could not place are set aside. An
 * extractor that sees a model's rows in a table of a metric and cannot tell what they price (a copy that lost a
 * sub-table's column headers) says so ({@code ModelFacts.UNREAD}, as (model, metric) pairs); the model's series of
 * that metric which this check has no value for are then neither changed nor missing: no removal, no event, the value
 * stays as it was. A model gone from the page is not listed, so it is removed as before.
 */
final class Unread {
  private Unread() {}

  /** {@code previous} without the series of listed-but-unread (model, metric) pairs that have no value now. */
  static Map<SeriesKey, Previous> setAside(Map<SeriesKey, Previous> previous, List<Observation> observations,
      Set<List<String>> unread) {
    if (unread.isEmpty()) {
      return previous;
    }
    Set<SeriesKey> seen = new HashSet<>();
    observations.forEach(o -> seen.add(o.key()));
    Map<SeriesKey, Previous> out = new LinkedHashMap<>();
    previous.forEach((k, p) -> {
      if (seen.contains(k) || !unread.contains(List.of(k.model(), k.metric()))) {
        out.put(k, p);
      }
    });
    return out;
  }
}
