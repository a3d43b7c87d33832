package io.pricetide.http;

import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole answers of the hot read endpoints (price table pages, first pages of {@code /api/prices}, feeds) by key,
 * until the next {@link #invalidate()}: the web layer calls it on each check that changed something. An answer is
 * stored only under the generation it was built in ({@link #generation()} before reading), so one built from the
 * data before a change is never kept after it. Least recently used answers go first past the entry or byte limit.
 * Thread-safe.
 */
public final class ReadCache {
  private final int maxEntries;
  private final long maxBytes;
  private final AtomicLong generation = new AtomicLong();
  private final LinkedHashMap<String, Buffer> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  /** A cache of at most {@code maxEntries} answers of {@code maxBytes} in all; either 0 turns it off. */
  public ReadCache(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** The current generation: read it before building an answer, hand it to {@link #put}. */
  public long generation() {
    return generation.get();
  }

  /** The stored answer of {@code key}, or null. */
  public synchronized Buffer get(String key) {
    Buffer b = entries.get(key);
    if (b == null) {
      misses++;
    } else {
      hits++;
    }
    return b;
  }

  /** Stores an answer built under {@code builtIn}; dropped when the data changed since, or it is too large. */
  public synchronized void put(String key, long builtIn, Buffer answer) {
    if (builtIn != generation.get() || maxEntries <= 0 || answer.length() > maxBytes / 4) {
      return;
    }
    Buffer old = entries.put(key, answer);
    bytes += answer.length() - (old == null ? 0 : old.length());
    var it = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
      Map.Entry<String, Buffer> e = it.next();
      bytes -= e.getValue().length();
      it.remove();
    }
  }

  /** Forgets every answer: the data changed. Answers being built now are not stored. */
  public synchronized void invalidate() {
    generation.incrementAndGet();
    entries.clear();
    bytes = 0;
  }

  /** Answers held now. */
  public synchronized int size() {
    return entries.size();
  }

  /** Lookups that found an answer, and that did not: {@code [hits, misses]}. */
  public synchronized long[] counts() {
    return new long[] {hits, misses};
  }
}
