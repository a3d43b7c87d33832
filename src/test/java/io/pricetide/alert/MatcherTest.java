package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Filters, baselines and re-arm, decided without a database. */
class MatcherTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static ChangeEvent cut(String model, String oldV, String newV) {
    BigDecimal o = new BigDecimal(oldV);
    BigDecimal n = new BigDecimal(newV);
    return new ChangeEvent(7, n.compareTo(o) < 0 ? ChangeEvent.PRICE_CUT : ChangeEvent.PRICE_INCREASE, "qwen-intl",
        "Alibaba", model, model.toLowerCase(), "input", "", o, n, o, n, "USD",
        io.pricetide.price.Decimals.changePct(o, n), NOW, null, null);
  }

  static Subscription sub(long id, String filter, String baseline, long rearm) {
    return new Subscription(id, "sub_" + id, "webhook", "https://example.com/" + id,
        Filter.fromJson(new JsonObject(filter)), baseline, 30, "instant", rearm, "s", "active", false, NOW, NOW, null);
  }

  /** Baselines from maps, as the store would read them. */
  static final class Fake implements Matcher.Baselines {
    final Map<Long, Matcher.Row> rows = new HashMap<>();
    Matcher.Reference high;
    Matcher.Reference low;

    @Override
    public Matcher.Row row(long id) {
      return rows.get(id);
    }

    @Override
    public Matcher.Reference high(int days) {
      return high;
    }

    @Override
    public Matcher.Reference low() {
      return low;
    }
  }

  @Test
  @DisplayName("Providers, model globs on canonical ids, metrics, kinds, direction and minimum percent")
  void filters() {
    ChangeEvent e = cut("Qwen-Max", "0.80", "0.56");
    assertTrue(Filter.fromJson(new JsonObject("{\"providers\":[\"alibaba\"],\"models\":[\"qwen-*\"]}")).selects(e));
    assertTrue(Filter.fromJson(new JsonObject("{\"models\":[\"QWEN-?AX\"]}")).selects(e));
    assertFalse(Filter.fromJson(new JsonObject("{\"models\":[\"gpt-*\"]}")).selects(e));
    assertFalse(Filter.fromJson(new JsonObject("{\"metrics\":[\"output\"]}")).selects(e));
    assertFalse(Filter.fromJson(new JsonObject("{\"kinds\":[\"price_increase\"]}")).selects(e));
    assertFalse(Filter.ANY.selects(ChangeEvent.sourceFailure("x", "extract", "no table", NOW)));
    Filter down20 = Filter.fromJson(new JsonObject("{\"direction\":\"down\",\"min_percent\":20}"));
    assertTrue(down20.passes(new BigDecimal("-30.00")));
    assertFalse(down20.passes(new BigDecimal("-19.99")));
    assertFalse(down20.passes(new BigDecimal("30.00")));
    assertTrue(down20.passes(null), "events without a percentage are not held back");
    assertTrue(Filter.glob("*-mini*", "gpt-4o-mini-2024"));
    assertFalse(Filter.glob("gpt-4", "gpt-4o"));
  }

  @Test
  @DisplayName("Last-notified baseline: three 12% cuts reach a 30% subscriber on the third, measured from the "
      + "start; the reference then moves to the notified value")
  void lastNotified() {
    Subscription s = sub(1, "{\"min_percent\":30,\"direction\":\"down\"}", Subscription.LAST_NOTIFIED, 0);
    Fake b = new Fake();
    Matcher.Plan p1 = Matcher.plan(cut("M", "10.00", "8.80"), List.of(s), b, NOW);
    assertTrue(p1.notices().isEmpty());
    assertEquals(1, p1.rows().size());
    assertEquals(new BigDecimal("10.00"), p1.rows().get(0).amount(), "the start is remembered");
    b.rows.put(1L, new Matcher.Row(new BigDecimal("10.00"), new BigDecimal("10.00"), null));
    assertTrue(Matcher.plan(cut("M", "8.80", "7.744"), List.of(s), b, NOW).notices().isEmpty());
    Matcher.Plan p3 = Matcher.plan(cut("M", "7.744", "6.81472"), List.of(s), b, NOW);
    assertEquals(1, p3.notices().size());
    assertEquals(new BigDecimal("-31.85"), p3.notices().get(0).pct());
    assertEquals(new BigDecimal("10.00"), p3.notices().get(0).baselineUsd());
    assertEquals(new BigDecimal("6.81472"), p3.rows().get(0).amount());
    assertEquals(NOW, p3.rows().get(0).notifiedAt());

    Subscription previous = sub(2, "{\"min_percent\":30,\"direction\":\"down\"}", Subscription.PREVIOUS, 0);
    assertTrue(Matcher.plan(cut("M", "7.744", "6.81472"), List.of(previous), b, NOW).notices().isEmpty());
  }

  @Test
  @DisplayName("N-day high and all-time low baselines, and the re-arm interval")
  void otherBaselines() {
    Fake b = new Fake();
    b.high = new Matcher.Reference(new BigDecimal("20.00"), new BigDecimal("20.00"));
    b.low = new Matcher.Reference(new BigDecimal("5.00"), new BigDecimal("5.00"));
    Subscription high = sub(1, "{\"min_percent\":50}", Subscription.N_DAY_HIGH, 0);
    Matcher.Plan p = Matcher.plan(cut("M", "12.00", "10.00"), List.of(high), b, NOW);
    assertEquals(new BigDecimal("-50.00"), p.notices().get(0).pct(), "10 is half the 30-day high of 20");
    Subscription low = sub(2, "{\"direction\":\"down\"}", Subscription.ALL_TIME_LOW, 0);
    assertTrue(Matcher.plan(cut("M", "12.00", "6.00"), List.of(low), b, NOW).notices().isEmpty(),
        "6 is above the all-time low of 5");
    assertEquals(new BigDecimal("-10.00"), Matcher.plan(cut("M", "12.00", "4.50"), List.of(low), b, NOW)
        .notices().get(0).pct(), "a new all-time low");

    Subscription rearm = sub(3, "{}", Subscription.PREVIOUS, 3600);
    b.rows.put(3L, new Matcher.Row(new BigDecimal("12.00"), new BigDecimal("12.00"), NOW.minusSeconds(600)));
    assertTrue(Matcher.plan(cut("M", "12.00", "6.00"), List.of(rearm), b, NOW).notices().isEmpty(),
        "notified 10 minutes ago, re-arms after an hour");
    b.rows.put(3L, new Matcher.Row(new BigDecimal("12.00"), new BigDecimal("12.00"), NOW.minusSeconds(3600)));
    assertEquals(1, Matcher.plan(cut("M", "12.00", "6.00"), List.of(rearm), b, NOW).notices().size());
  }

  @Test
  @DisplayName("Unconfirmed, ended and operator subscriptions never match subscriber events")
  void onlyActiveSubscribers() {
    Subscription pending = new Subscription(1, "sub_1", "email", "a@b.c", Filter.ANY, "previous", 30, "instant", 0,
        null, "pending", false, NOW, null, null);
    Subscription operator = new Subscription(2, "operator-email", "email", "o@b.c", Filter.ANY, "previous", 30,
        "instant", 0, null, "active", true, NOW, NOW, null);
    assertTrue(Matcher.plan(cut("M", "10", "5"), List.of(pending, operator), new Fake(), NOW).notices().isEmpty());
  }
}
