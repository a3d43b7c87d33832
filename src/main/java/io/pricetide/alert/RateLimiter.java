package io.pricetide.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets per client key (the remote address): {@code perMinute} requests a minute with a burst of the same
 * size. At most {@value #MAX_KEYS} keys are tracked; the least recently seen are forgotten first. Thread-safe.
 */
final class RateLimiter {
  static final int MAX_KEYS = 10_000;
  private final double perMs;
  private final double burst;
  private final Map<String, double[]> buckets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, double[]> e) {
      return size() > MAX_KEYS;
    }
  };

  RateLimiter(int perMinute) {
    this.perMs = perMinute / 60_000.0;
    this.burst = perMinute;
  }

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  synchronized long take(String key, long nowMs) {
    double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, nowMs});
    b[0] = Math.min(burst, b[0] + (nowMs - b[1]) * perMs);
    b[1] = nowMs;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - b[0]) / perMs / 1000));
  }
}
