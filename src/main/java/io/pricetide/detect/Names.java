package io.pricetide.detect;

import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Model names read with bytes that are not text in the page's encoding: each such byte run decodes as U+FFFD. A
 * name that, read so, matches exactly one model the source already has for the same metric and condition (each
 * U+FFFD run standing for one to four characters) is that model, so a page served once in a broken encoding moves
 * no series (no phantom removal and addition); any other such name is refused by {@link UndecodableName}.
 */
final class Names {
  static final char UNDECODABLE = '\uFFFD';

  private Names() {}

  /** The observations with every undecodable name that matches one known model named as that model. */
  static List<Observation> mended(List<Observation> observations, Map<SeriesKey, Previous> history) {
    if (observations.stream().noneMatch(o -> o.model().indexOf(UNDECODABLE) >= 0)) {
      return observations;
    }
    List<Observation> out = new ArrayList<>(observations.size());
    for (Observation o : observations) {
      out.add(o.model().indexOf(UNDECODABLE) < 0 ? o : mended(o, history));
    }
    return out;
  }

  private static Observation mended(Observation o, Map<SeriesKey, Previous> history) {
    StringBuilder regex = new StringBuilder();
    for (String part : o.model().split("\uFFFD+", -1)) {
      if (regex.length() > 0 || o.model().startsWith(String.valueOf(UNDECODABLE))) {
        regex.append(".{1,4}");
      }
      regex.append(Pattern.quote(part));
    }
    Pattern p = Pattern.compile(regex.toString());
    Set<String> matches = new TreeSet<>();
    Previous found = null;
    for (Map.Entry<SeriesKey, Previous> e : history.entrySet()) {
      SeriesKey k = e.getKey();
      if (k.metric().equals(o.metric()) && k.condition().equals(o.condition()) && k.model().indexOf(UNDECODABLE) < 0
          && p.matcher(k.model()).matches()) {
        matches.add(k.model());
        found = e.getValue();
      }
    }
    if (matches.size() != 1) {
      return o;
    }
    return new Observation(o.provider(), matches.iterator().next(), found.canonicalModel(), o.metric(),
        o.condition(), o.value(), o.currency(), o.usdPer1m(), o.effectiveFrom());
  }
}
