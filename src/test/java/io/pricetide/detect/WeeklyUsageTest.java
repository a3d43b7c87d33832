package io.pricetide.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Weekly usage series: weeks kept by valid time, events between weeks, renders, revisions and history. */
class WeeklyUsageTest {
  static final Instant W1 = Instant.parse("2025-07-14T00:00:00Z");
  static final Instant W2 = Instant.parse("2025-07-21T00:00:00Z");
  static final Instant W3 = Instant.parse("2025-07-28T00:00:00Z");
  static final Instant W4 = Instant.parse("2025-08-04T00:00:00Z");

  static Observation author(String a, Instant week, long tokens) {
    return new Observation(a, a, a, Metrics.PROVIDER_WEEKLY_TOKENS, "", BigDecimal.valueOf(tokens), Metrics.COUNT,
        null).validFrom(week);
  }

  static Observation others(Instant week, long tokens) {
    return new Observation("", Metrics.OTHERS, Metrics.OTHERS, Metrics.PROVIDER_WEEKLY_TOKENS, Metrics.OTHERS,
        BigDecimal.valueOf(tokens), Metrics.COUNT, null).validFrom(week);
  }

  /** qwen passes openai in W3; openai takes the lead back in W4. */
  static List<Observation> page(Instant upTo) {
    List<Observation> out = new ArrayList<>();
    long[][] byWeek = {{300, 200, 100}, {290, 250, 100}, {188, 361, 110}, {400, 300, 100}};
    Instant[] weeks = {W1, W2, W3, W4};
    for (int i = 0; i < weeks.length && !weeks[i].isAfter(upTo); i++) {
      out.add(author("openai", weeks[i], byWeek[i][0] * 1_000_000_000L));
      out.add(author("qwen", weeks[i], byWeek[i][1] * 1_000_000_000L));
      out.add(others(weeks[i], byWeek[i][2] * 1_000_000_000L));
    }
    return out;
  }

  static Map<SeriesKey, NavigableMap<Instant, BigDecimal>> stored(List<Observation> points) {
    Map<SeriesKey, NavigableMap<Instant, BigDecimal>> m = new HashMap<>();
    points.forEach(o -> m.computeIfAbsent(o.key(), k -> new TreeMap<>()).put(o.effectiveFrom(), o.value()));
    return m;
  }

  static List<ChangeEvent> overtakes(WeeklyUsage.Plan p) {
    return p.events.stream().filter(e -> e.kind().equals(ChangeEvent.OVERTAKE)).toList();
  }

  @Test
  @DisplayName("A first check keeps every week and finds the overtakes at their weeks, none sent to subscribers")
  void firstCheckKeepsTheYear() {
    WeeklyUsage.Plan p = WeeklyUsage.plan("r", Map.of(), page(W4), null, Instant.parse("2025-08-12T09:00:00Z"));
    assertNull(p.failure);
    assertEquals(12, p.points.size());
    assertEquals(3, p.latest.size());
    assertEquals(W4, p.latest.values().iterator().next().effectiveFrom());
    List<ChangeEvent> o = overtakes(p);
    assertEquals(List.of("qwen passed openai@" + W3, "openai passed qwen@" + W4), o.stream()
        .map(e -> e.provider() + " " + e.condition() + "@" + e.observedAt()).toList());
    assertTrue(o.get(0).reason().contains("week of 2025-07-28: 361.0B vs 188.0B tokens"), o.get(0).reason());
    assertTrue(p.events.stream().noneMatch(ChangeEvent::toSubscribers), "history the page carried is not sent");
    assertTrue(p.events.stream().noneMatch(e -> "others".equals(e.provider())), "the rest bucket never ranks");
  }

  @Test
  @DisplayName("Two renders of the same weeks are no event; a new week is, and it is sent")
  void rendersAndNewWeeks() {
    List<Observation> first = page(W3);
    Instant firstCheck = Instant.parse("2025-08-01T09:00:00Z");
    WeeklyUsage.Plan again = WeeklyUsage.plan("r", stored(first), page(W3), firstCheck,
        Instant.parse("2025-08-01T15:00:00Z"));
    assertTrue(again.points.isEmpty());
    assertTrue(again.events.isEmpty(), again.events.toString());
    WeeklyUsage.Plan next = WeeklyUsage.plan("r", stored(first), page(W4), firstCheck,
        Instant.parse("2025-08-12T09:00:00Z"));
    assertEquals(3, next.points.size(), "only the new week");
    ChangeEvent o = overtakes(next).get(0);
    assertEquals("openai", o.provider());
    assertEquals(W4, o.observedAt());
    assertTrue(o.toSubscribers(), "a week completed after the first check is news");
  }

  @Test
  @DisplayName("A week the page revises is a usage_revised point and event, never sent, not a new event")
  void revisedWeek() {
    List<Observation> first = page(W3);
    List<Observation> revised = new ArrayList<>(page(W3));
    revised.set(1, author("qwen", W1, 210_000_000_000L));
    WeeklyUsage.Plan p = WeeklyUsage.plan("r", stored(first), revised, W3, Instant.parse("2025-08-02T00:00:00Z"));
    assertEquals(1, p.points.size());
    assertEquals(List.of(ChangeEvent.USAGE_REVISED), p.events.stream().map(ChangeEvent::kind).toList());
    assertFalse(p.events.get(0).toSubscribers());
    assertTrue(p.latest.isEmpty(), "an old week's revision does not move the current value");
  }

  @Test
  @DisplayName("A week whose total collapses is a broken page: the check is refused")
  void collapsedTotalIsAFailure() {
    List<Observation> first = page(W3);
    List<Observation> broken = new ArrayList<>(page(W3));
    broken.add(author("openai", W4, 1_000_000_000L));
    broken.add(author("qwen", W4, 1_000_000_000L));
    WeeklyUsage.Plan p = WeeklyUsage.plan("r", stored(first), broken, W3, Instant.parse("2025-08-12T00:00:00Z"));
    assertNotNull(p.failure);
    assertTrue(p.failure.reason().contains("week of 2025-08-04"), p.failure.reason());
  }
}
