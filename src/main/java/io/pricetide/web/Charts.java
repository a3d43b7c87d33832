package io.pricetide.web;

import io.pricetide.price.Decimals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the data of the pages' charts. A chart is JSON read by {@code /static/pricetide.js} from a
 * {@code <script type="application/json">} block: {@code {"id","title","unit","prefix","suffix","end","series":[
 * {"label","low","points":[[epochSeconds,"decimal"|null],…]}],"events":[{"t","v","series","kind","label"}]}}.
 * Values are decimal strings; the browser parses them only to draw. Prices are step functions: a value holds until
 * the next point, and a null point (a removal) ends the line there, at the removal (not at the last price); a line
 * that is still current holds to {@code end}. A series may carry {@code role} and {@code show}: catalogue and
 * reseller lines start hidden behind a toggle, the vendor's own are drawn.
 */
public final class Charts {
  private Charts() {}

  /**
   * A series for a chart: its label, points (epoch seconds → decimal or null, a null a removal), oldest first, and
   * its role: {@code vendor} (the first-party price, drawn by default), {@code catalogue} or {@code reseller} (drawn
   * when the reader asks), or null (always drawn: usage shares, ratios).
   */
  public record Line(String label, NavigableMap<Long, BigDecimal> points, String role) {
    /** A line with no role: always drawn. */
    public Line(String label, NavigableMap<Long, BigDecimal> points) {
      this(label, points, null);
    }

    /** True when some value before the latest was higher than the latest: the price came down to where it is. */
    public boolean wasHigher() {
      BigDecimal cur = current();
      return cur != null && points.values().stream().anyMatch(v -> v != null && v.compareTo(cur) > 0);
    }

    /** The lowest value ever, null without values. */
    public BigDecimal low() {
      return points.values().stream().filter(v -> v != null).min(Comparator.naturalOrder()).orElse(null);
    }

    /** When the lowest value was first reached. */
    public Long lowAt() {
      BigDecimal low = low();
      return low == null ? null : points.entrySet().stream().filter(e -> low.equals(e.getValue()))
          .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** The latest value (null when removed or empty). */
    public BigDecimal current() {
      return points.isEmpty() ? null : points.lastEntry().getValue();
    }
  }

  /** A line from the {@code points} of one {@code /api/series} entry, in USD per 1M tokens. */
  public static Line priceLine(String label, JsonArray points) {
    NavigableMap<Long, BigDecimal> m = new TreeMap<>();
    for (Object o : points) {
      JsonObject p = (JsonObject) o;
      String v = p.getString("usd_per_1m");
      m.put(Instant.parse(p.getString("observed_at")).getEpochSecond(), v == null ? null : new BigDecimal(v));
    }
    return new Line(label, m);
  }

  /** True when {@code current} is at most 5% above {@code low}: the "near the all-time low" badge. */
  public static boolean nearLow(BigDecimal current, BigDecimal low) {
    return current != null && low != null && current.compareTo(low.multiply(new BigDecimal("1.05"))) <= 0;
  }

  /** Chart JSON for a set of lines; with {@code showLows}, the all-time low of each line whose price ever moved. */
  public static JsonObject chart(String id, String title, String unit, String prefix, String suffix, List<Line> lines,
      Long end, JsonArray events, boolean showLows) {
    JsonArray series = new JsonArray();
    for (Line l : lines) {
      JsonArray pts = new JsonArray();
      l.points().forEach((t, v) -> pts.add(new JsonArray().add(t).add(v == null ? null : Decimals.money(v))));
      JsonObject s = new JsonObject().put("label", l.label()).put("points", pts);
      if (l.role() != null) {
        s.put("role", l.role()).put("show", "vendor".equals(l.role()));
      }
      if (showLows && l.low() != null && l.points().values().stream().filter(v -> v != null).distinct().count() > 1) {
        s.put("low", Decimals.money(l.low()));
      }
      series.add(s);
    }
    return new JsonObject().put("id", id).put("title", title).put("unit", unit).put("prefix", prefix)
        .put("suffix", suffix).put("end", end).put("series", series).put("events", events == null ? new JsonArray()
            : events);
  }

  /**
   * The ratio {@code other / base} over time: at every instant either changes, the values holding then; null where
   * either is missing or the base is zero. Four decimals, half-up.
   */
  public static Line ratio(String label, Line base, Line other) {
    TreeSet<Long> times = new TreeSet<>(base.points().keySet());
    times.addAll(other.points().keySet());
    NavigableMap<Long, BigDecimal> out = new TreeMap<>();
    for (long t : times) {
      BigDecimal a = valueAt(base.points(), t);
      BigDecimal b = valueAt(other.points(), t);
      out.put(t, a == null || b == null || a.signum() == 0 ? null : b.divide(a, 4, RoundingMode.HALF_UP));
    }
    return new Line(label, out);
  }

  /** The value holding at {@code t}: the last point at or before it. */
  public static BigDecimal valueAt(NavigableMap<Long, BigDecimal> points, long t) {
    Map.Entry<Long, BigDecimal> e = points.floorEntry(t);
    return e == null ? null : e.getValue();
  }

  /**
   * Weekly shares in percent: for each week (Monday 00:00 UTC) from the first point to the last, each key's value
   * holding at the week's end divided by the sum over all keys. Two decimals, half-up.
   *
   * @param values per key (a model or a provider), its points in time
   * @return per key, week start (epoch seconds) → share
   */
  public static Map<String, NavigableMap<Long, BigDecimal>> weeklyShares(
      Map<String, NavigableMap<Long, BigDecimal>> values) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (NavigableMap<Long, BigDecimal> m : values.values()) {
      if (!m.isEmpty()) {
        first = Math.min(first, m.firstKey());
        last = Math.max(last, m.lastKey());
      }
    }
    Map<String, NavigableMap<Long, BigDecimal>> out = new LinkedHashMap<>();
    values.keySet().forEach(k -> out.put(k, new TreeMap<>()));
    if (first == Long.MAX_VALUE) {
      return out;
    }
    Instant week = Instant.ofEpochSecond(first).atZone(ZoneOffset.UTC).toLocalDate()
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant();
    for (; week.getEpochSecond() <= last; week = week.plus(7, ChronoUnit.DAYS)) {
      long endOfWeek = week.plus(7, ChronoUnit.DAYS).getEpochSecond() - 1;
      Map<String, BigDecimal> at = new LinkedHashMap<>();
      BigDecimal total = BigDecimal.ZERO;
      for (Map.Entry<String, NavigableMap<Long, BigDecimal>> e : values.entrySet()) {
        BigDecimal v = valueAt(e.getValue(), endOfWeek);
        if (v != null && v.signum() > 0) {
          at.put(e.getKey(), v);
          total = total.add(v);
        }
      }
      if (total.signum() == 0) {
        continue;
      }
      for (Map.Entry<String, BigDecimal> e : at.entrySet()) {
        out.get(e.getKey()).put(week.getEpochSecond(),
            e.getValue().multiply(BigDecimal.valueOf(100)).divide(total, 2, RoundingMode.HALF_UP));
      }
    }
    return out;
  }

  /** Keys ordered by their latest value, largest first. */
  public static List<String> byLatest(Map<String, NavigableMap<Long, BigDecimal>> m) {
    List<String> keys = new ArrayList<>(m.keySet());
    keys.sort(Comparator.comparing((String k) -> m.get(k).isEmpty() || m.get(k).lastEntry().getValue() == null
        ? BigDecimal.ZERO : m.get(k).lastEntry().getValue()).reversed().thenComparing(k -> k));
    return keys;
  }
}
