package io.pricetide.history;

import io.pricetide.history.SeriesWriter.SeriesRow;
import io.pricetide.price.SeriesKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The series of recently checked sources, as the last check of this process left them, so the next check of a large
 * source need not read them all back. An entry is valid only for the check that wrote it: every check that writes a
 * source's series records its id in {@code fetch_state.series_check} in the same transaction, and a check uses the
 * entry only when the stored id is the entry's. A check by another process (a second node on PostgreSQL), a
 * {@code reextract} reset or a rolled-back transaction therefore makes the entry useless, never wrong.
 *
 * <p>Bounded by the number of series held (least recently used sources go first): about 0.5 KB each.
 */
final class SeriesCache {
  /** Enough for the largest catalogue (LiteLLM: about 8,000 series with the removed ones in 2026) and then some. */
  static final int DEFAULT_CAPACITY = 16_000;

  /** A source's series after check {@code checkId}. */
  record Entry(long checkId, Map<SeriesKey, SeriesRow> rows) {}

  private final int capacity;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private int held;
  private long hits;

  SeriesCache(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Below this many series a source's series are read back at its next check: that costs about a millisecond, and
   * a thousand pages of a few hundred series each would otherwise crowd the large catalogues out.
   */
  static final int MIN_SERIES = 1_000;

  /**
   * A check writes few of a large source's series: reading those back is cheaper than reading all of them next
   * time. A first check (nothing before), a small source, or a check that rewrites much of it is not kept.
   */
  static boolean worthRefreshing(int touched, int before) {
    return before >= MIN_SERIES && touched * 4 <= before;
  }

  /** The series as check {@code checkId} left them, or null when this process does not hold that state. */
  synchronized Map<SeriesKey, SeriesRow> get(String sourceId, Long checkId) {
    Entry e = checkId == null ? null : entries.get(sourceId);
    if (e != null && e.checkId() == checkId) {
      hits++;
      return e.rows();
    }
    return null;
  }

  synchronized void put(String sourceId, Entry entry) {
    remove(sourceId);
    if (entry.rows().size() > capacity) {
      return;
    }
    entries.put(sourceId, entry);
    held += entry.rows().size();
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (held > capacity && it.hasNext()) {
      Map.Entry<String, Entry> eldest = it.next();
      held -= eldest.getValue().rows().size();
      it.remove();
    }
  }

  synchronized void remove(String sourceId) {
    Entry e = entries.remove(sourceId);
    if (e != null) {
      held -= e.rows().size();
    }
  }

  synchronized long hits() {
    return hits;
  }
}
