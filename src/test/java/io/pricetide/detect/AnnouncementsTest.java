package io.pricetide.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The rules of announced prices, on values we write. */
class AnnouncementsTest {
  private static final Instant AT = Instant.parse("2026-01-10T12:00:00Z");
  private static final Instant LATER = Instant.parse("2026-02-01T00:00:00Z");
  private static final SeriesKey KEY = new SeriesKey("m", "input", "");

  private static Observation obs(String value, Instant from) {
    return new Observation("acme", "m", "m", "input", "", new BigDecimal(value), "USD", new BigDecimal(value))
        .validFrom(from);
  }

  private static Announcements.Judgement judge(List<Observation> announced, List<Announcements.Pending> pending,
      boolean shown) {
    return Announcements.judge("acme", announced, pending, Map.of(KEY, obs("10", null)),
        shown ? Set.of(KEY) : Set.of(), GuardRules.PRICES, Guards.DEFAULTS, false, AT);
  }

  private static Announcements.Pending pending(String value, Instant from) {
    return new Announcements.Pending(7, KEY, from, new BigDecimal(value), "USD", new BigDecimal(value));
  }

  @Test
  @DisplayName("split: a later price is announced; a past-dated one is the price now and beats an undated one")
  void split() {
    Observation past = obs("8", AT.minusSeconds(60));
    Announcements.Split s = Announcements.split(List.of(obs("10", null), past, obs("7", LATER)), Map.of(), AT);
    assertEquals(1, s.current().size());
    assertEquals(0, new BigDecimal("8").compareTo(s.current().get(0).value()));
    assertEquals(null, s.current().get(0).effectiveFrom(), "the price now has no valid time of its own");
    assertEquals(List.of(obs("7", LATER)), s.announced());
    // Only announced: the series is present with its stored value.
    Previous p = new Previous("acme", "m", new BigDecimal("10"), new BigDecimal("10"), "USD", true, 0);
    Announcements.Split only = Announcements.split(List.of(obs("7", LATER)), Map.of(KEY, p), AT);
    assertEquals(List.of(obs("10", null)), only.current());
  }

  @Test
  @DisplayName("new: price_announced with old, new, percent and effective_from; seen again: nothing")
  void newThenSeenAgain() {
    Announcements.Judgement j = judge(List.of(obs("7", LATER)), List.of(), true);
    assertEquals(1, j.events.size());
    ChangeEvent e = j.events.get(0);
    assertEquals(ChangeEvent.PRICE_ANNOUNCED, e.kind());
    assertEquals("-30.00", e.changePct().toPlainString());
    assertEquals(LATER, e.effectiveFrom());
    assertEquals(LATER.toString(), e.toJson().getString("effective_from"));
    assertTrue(judge(List.of(obs("7", LATER)), List.of(pending("7", LATER)), true).isEmpty());
    assertTrue(judge(List.of(obs("10", LATER)), List.of(), true).isEmpty(), "the price now again: no announcement");
  }

  @Test
  @DisplayName("changed before its time: the old one is replaced and the new value is a new price_announced")
  void changed() {
    Announcements.Judgement j = judge(List.of(obs("8", LATER)), List.of(pending("7", LATER)), true);
    assertEquals(List.of(7L), j.replaced);
    assertEquals(1, j.events.size());
    assertTrue(j.events.get(0).reason().contains("replaces the announced 7"), j.events.get(0).reason());
    Announcements.Judgement moved = judge(List.of(obs("7", LATER.plusSeconds(86400))), List.of(pending("7", LATER)),
        true);
    assertEquals(List.of(7L), moved.replaced, "another time for the series replaces it too");
    assertTrue(moved.withdrawals.isEmpty());
  }

  @Test
  @DisplayName("withdrawn while the series is still shown: announcement_withdrawn; a series not shown keeps it")
  void withdrawn() {
    Announcements.Judgement j = judge(List.of(), List.of(pending("7", LATER)), true);
    assertEquals(List.of(7L), j.withdrawn);
    ChangeEvent e = j.withdrawals.get(0);
    assertEquals(ChangeEvent.ANNOUNCEMENT_WITHDRAWN, e.kind());
    assertEquals(LATER, e.effectiveFrom());
    assertEquals(0, new BigDecimal("7").compareTo(e.oldValue()));
    assertEquals(0, new BigDecimal("10").compareTo(e.newValue()));
    assertTrue(judge(List.of(), List.of(pending("7", LATER)), false).isEmpty(), "a missing row is no withdrawal");
  }
}
