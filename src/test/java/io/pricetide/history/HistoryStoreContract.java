package io.pricetide.history;

import io.pricetide.bus.CheckOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.history.CheckInfo;
import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.source.Guards;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The history store's behaviour, run against every supported database (H2 file mode and PostgreSQL). Each test
 * uses its own source id, so the suites can share one database.
 */
abstract class HistoryStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Currencies FX = new Currencies(Map.of("CNY", new BigDecimal("0.14")));

  protected abstract DataSource dataSource();

  private HistoryStore store;
  private HistoryQueries queries;
  private String src;

  @BeforeEach
  void setUp() {
    store = new HistoryStore(dataSource());
    queries = new HistoryQueries(dataSource());
    src = "src-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Instant day(int n) {
    return T0.plusSeconds(86_400L * n);
  }

  private Observation obs(String model, String metric, String value) {
    return obs(model, metric, "", value, "USD");
  }

  private Observation obs(String model, String metric, String cond, String value, String currency) {
    BigDecimal v = Decimals.price(new BigDecimal(value));
    return new Observation("acme", model, model.toLowerCase(), metric, cond, v, currency, FX.toUsd(v, currency));
  }

  private CheckOutcome apply(int day, Guards guards, Observation... o) {
    return store.apply(src, day(day), List.of(o), guards, new CheckInfo(day(day), 200, null));
  }

  private CheckOutcome apply(int day, Observation... o) {
    return apply(day, Guards.DEFAULTS, o);
  }

  private List<String> kinds(CheckOutcome o) {
    return o.events().stream().map(e -> e.kind() + ":" + e.model() + (e.metric() == null ? "" : ":" + e.metric()))
        .toList();
  }

  @Test
  @DisplayName("The first check is a baseline: history written, no events")
  void baseline() {
    CheckOutcome o = apply(0, obs("m1", "input", "10"), obs("m1", "output", "30"));
    assertEquals("new", o.outcome());
    assertTrue(o.events().isEmpty());
    assertEquals(2, queries.currentPrices("acme", "m1").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("source").equals(src)).count());
  }

  @Test
  @DisplayName("A changed value writes one point and one event with exact money and percent")
  void cutAndIncrease() {
    apply(0, obs("m1", "input", "10"), obs("m1", "output", "30"));
    CheckOutcome cut = apply(1, obs("m1", "input", "7"), obs("m1", "output", "30"));
    assertEquals("changed", cut.outcome());
    assertEquals(List.of("price_cut:m1:input"), kinds(cut));
    JsonObject e = cut.events().get(0).toJson();
    assertEquals("10.00", e.getString("old"));
    assertEquals("7.00", e.getString("new"));
    assertEquals("-30.00", e.getString("change_pct"));
    CheckOutcome up = apply(2, obs("m1", "input", "7.7"), obs("m1", "output", "30"));
    assertEquals("10.00", up.events().get(0).toJson().getString("change_pct"));
    assertEquals(ChangeEvent.PRICE_INCREASE, up.events().get(0).kind());
    CheckOutcome same = apply(3, obs("m1", "input", "7.70"), obs("m1", "output", "30.000"));
    assertEquals("unchanged", same.outcome(), "7.7 and 7.70 are the same price");
    JsonArray series = queries.series("m1", "input", null, src);
    assertEquals(3, series.getJsonObject(0).getJsonArray("points").size());
  }

  @Test
  @DisplayName("Point-in-time: the price at a date is the last point at or before it")
  void pointInTime() {
    apply(0, obs("m1", "input", "10"));
    apply(10, obs("m1", "input", "8"));
    apply(20, obs("m2", "input", "1"), obs("m1", "input", "8"));
    assertNull(queries.priceAt(src, "m1", "input", "", day(0).minusSeconds(1)));
    assertEquals("10.00", queries.priceAt(src, "m1", "input", "", day(5)).getString("value"));
    assertEquals("8.00", queries.priceAt(src, "m1", "input", "", day(10)).getString("value"));
    assertEquals("8.00", queries.priceAt(src, "m1", "input", "", day(30)).getString("value"));
  }

  @Test
  @DisplayName("Unchanged checks move last-seen, not the series")
  void lastSeen() {
    apply(0, obs("m1", "input", "10"));
    store.recordUnchanged(src, day(3), new CheckInfo(day(3), 304, null));
    JsonObject p = queries.currentPrices("acme", "m1").stream().map(JsonObject.class::cast)
        .filter(x -> x.getString("source").equals(src)).findFirst().orElseThrow();
    assertEquals(day(3).toString(), p.getString("last_seen"));
    assertEquals(day(0).toString(), p.getString("last_changed"));
    assertEquals(1, queries.series("m1", "input", "", src).getJsonObject(0).getJsonArray("points").size());
  }

  @Test
  @DisplayName("A series that goes missing keeps the time it was last seen; back, it follows its source again")
  void lastSeenOfMissingSeries() {
    Guards twice = Guards.removalAfter(2);
    apply(0, twice, obs("m1", "input", "1"), obs("m2", "input", "2"), obs("m3", "input", "3"), obs("m4", "input", "4"));
    store.recordUnchanged(src, day(1), new CheckInfo(day(1), 200, null));
    apply(2, twice, obs("m1", "input", "1"), obs("m2", "input", "2"), obs("m3", "input", "3"));
    assertEquals(day(1).toString(), lastSeen("m4"), "missing: the last check that saw it");
    assertEquals(day(2).toString(), lastSeen("m1"));
    store.recordUnchanged(src, day(3), new CheckInfo(day(3), 200, null));
    assertEquals(day(1).toString(), lastSeen("m4"), "an unchanged body does not see a missing series");
    assertEquals(day(3).toString(), lastSeen("m1"));
    apply(4, twice, obs("m1", "input", "1"), obs("m2", "input", "2"), obs("m3", "input", "3"), obs("m4", "input", "4"));
    store.recordUnchanged(src, day(5), new CheckInfo(day(5), 200, null));
    assertEquals(day(5).toString(), lastSeen("m4"), "back and confirmed by the unchanged check after");
    apply(6, twice, obs("m1", "input", "1"), obs("m2", "input", "2"), obs("m3", "input", "3"));
    apply(7, twice, obs("m1", "input", "1"), obs("m2", "input", "2"), obs("m3", "input", "3"));
    assertTrue(queries.currentPrices("acme", "m4").stream().map(JsonObject.class::cast)
        .noneMatch(p -> p.getString("source").equals(src)), "removed after two absences");
    assertEquals(day(5), new io.pricetide.web.UiQueries(dataSource()).seriesOf("m4").stream()
        .filter(m -> m.source().equals(src)).findFirst().orElseThrow().lastSeen(), "removed: when it was last seen");
  }

  private String lastSeen(String model) {
    return queries.currentPrices("acme", model).stream().map(JsonObject.class::cast)
        .filter(x -> x.getString("source").equals(src)).findFirst().orElseThrow().getString("last_seen");
  }

  @Test
  @DisplayName("Added and removed: one model event per model, metric events for a known model")
  void addedAndRemoved() {
    apply(0, obs("m1", "input", "10"), obs("m1", "output", "30"), obs("m2", "input", "1"), obs("m2", "output", "2"),
        obs("m3", "input", "1"));
    CheckOutcome o = apply(1, obs("m1", "input", "10"), obs("m1", "output", "30"), obs("m1", "cache_read", "1"),
        obs("m2", "input", "1"), obs("m3", "input", "1"), obs("m4", "input", "5"), obs("m4", "output", "6"));
    assertEquals(List.of("metric_added:m1:cache_read", "model_added:m4:input", "metric_removed:m2:output"),
        kinds(o));
    CheckOutcome gone = apply(2, obs("m1", "input", "10"), obs("m1", "output", "30"), obs("m1", "cache_read", "1"),
        obs("m2", "input", "1"), obs("m4", "input", "5"), obs("m4", "output", "6"));
    assertEquals(List.of("model_removed:m3"), kinds(gone));
    assertNull(queries.priceAt(src, "m3", "input", "", day(3)), "a removed series has no price after removal");
    CheckOutcome back = apply(3, obs("m1", "input", "10"), obs("m1", "output", "30"), obs("m1", "cache_read", "1"),
        obs("m2", "input", "1"), obs("m3", "input", "2"), obs("m4", "input", "5"), obs("m4", "output", "6"));
    assertEquals(List.of("model_added:m3:input"), kinds(back));
  }

  @Test
  @DisplayName("With removal_checks=2 a model missing once is not removed; missing twice it is")
  void removalConfirmation() {
    Guards g = Guards.removalAfter(2);
    apply(0, g, obs("m1", "input", "1"), obs("m2", "input", "1"), obs("m3", "input", "1"));
    assertTrue(apply(1, g, obs("m1", "input", "1"), obs("m2", "input", "1")).events().isEmpty());
    assertTrue(apply(2, g, obs("m1", "input", "1"), obs("m2", "input", "1"), obs("m3", "input", "1")).events()
        .isEmpty(), "back within the window: nothing happened");
    apply(3, g, obs("m1", "input", "1"), obs("m2", "input", "1"));
    assertEquals(List.of("model_removed:m3"), kinds(apply(4, g, obs("m1", "input", "1"), obs("m2", "input", "1"))));
  }

  @Test
  @DisplayName("A page that renames every model, prices unchanged: quiet model_renamed, each series continues")
  void renamedModelsContinue() {
    apply(0, obs("Acme 3 Big", "input", "10"), obs("Acme 3 Big", "output", "30"), obs("Acme Small 2", "input", "1"));
    CheckOutcome o = apply(1, obs("Acme Big 3", "input", "10"), obs("Acme Big 3", "output", "30"),
        obs("Acme Big 3", "cache_read", "1"), obs("Acme 2 Small", "input", "1"));
    assertEquals("changed", o.outcome(), String.valueOf(o.reason()));
    assertEquals(List.of("model_renamed:Acme Big 3", "model_renamed:Acme 2 Small",
        "metric_added:Acme Big 3:cache_read"), kinds(o));
    ChangeEvent big = o.events().get(0);
    assertTrue(big.reason().contains("Acme 3 Big"), big.reason());
    assertTrue(!big.toSubscribers() && !o.events().get(1).toSubscribers(), "a rename is never sent");
    assertTrue(o.events().get(2).toSubscribers());
    JsonArray renamed = queries.series("Acme Big 3", "input", "", src);
    assertEquals(1, renamed.size());
    JsonArray points = renamed.getJsonObject(0).getJsonArray("points");
    assertEquals(1, points.size(), "same value, no new point: " + points);
    assertEquals(0, queries.series("Acme 3 Big", "input", "", src).size(), "the old name is gone, not a second row");
    assertEquals("10.00", queries.priceAt(src, "Acme Big 3", "input", "", day(0)).getString("value"),
        "the history before the rename belongs to the new name");
    CheckOutcome again = apply(2, obs("Acme Big 3", "input", "10"), obs("Acme Big 3", "output", "30"),
        obs("Acme Big 3", "cache_read", "1"), obs("Acme 2 Small", "input", "1"));
    assertEquals("unchanged", again.outcome());
    assertTrue(again.events().isEmpty(), again.events().toString());
    CheckOutcome cut = apply(3, obs("Acme Big 3", "input", "8"), obs("Acme Big 3", "output", "30"),
        obs("Acme Big 3", "cache_read", "1"), obs("Acme 2 Small", "input", "1"));
    assertEquals(List.of("price_cut:Acme Big 3:input"), kinds(cut));
    assertEquals("10.00", cut.events().get(0).toJson().getString("old"));
    assertEquals(2, queries.series("Acme Big 3", "input", "", src).getJsonObject(0).getJsonArray("points").size());
  }

  @Test
  @DisplayName("Lost rows whose values reappear under unrelated names are no rename: still a source failure")
  void unrelatedNamesAreNoRename() {
    apply(0, obs("Acme 3 Big", "input", "10"), obs("Acme 3 Big", "output", "30"));
    CheckOutcome o = apply(1, obs("Other Big", "input", "10"), obs("Other Big", "output", "30"));
    assertEquals("error", o.outcome());
    assertEquals(List.of("source_failure"), o.events().stream().map(ChangeEvent::kind).toList());
    assertEquals("10.00", queries.priceAt(src, "Acme 3 Big", "input", "", day(2)).getString("value"));
  }

  @Test
  @DisplayName("An accepted baseline: the stuck source's next check replaces its series without events, logged")
  void acceptedBaseline() {
    apply(0, obs("old1", "input", "10"), obs("old2", "input", "20"), obs("kept", "input", "5"));
    assertEquals("error", apply(1, obs("new1", "input", "1"), obs("kept", "input", "4")).outcome(), "stuck");
    store.acceptBaseline(src, day(1).plusSeconds(60));
    JsonObject logged = queries.checks(src, 1).getJsonObject(0);
    assertEquals("baseline", logged.getString("outcome"));
    assertEquals("operator", logged.getString("stage"));
    assertTrue(logged.getString("reason").contains("baseline accepted"), logged.encode());
    CheckOutcome o = apply(2, obs("new1", "input", "1"), obs("kept", "input", "4"));
    assertEquals("new", o.outcome(), String.valueOf(o.reason()));
    assertTrue(o.events().isEmpty(), o.events().toString());
    assertTrue(o.reason().contains("baseline accepted by an operator"), o.reason());
    List<String> now = queries.currentPrices("acme", null).stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("source").equals(src)).map(p -> p.getString("model") + "=" + p.getString("value"))
        .sorted().toList();
    assertEquals(List.of("kept=4.00", "new1=1.00"), now);
    assertEquals("10.00", queries.priceAt(src, "old1", "input", "", day(1)).getString("value"), "history is kept");
    CheckOutcome next = apply(3, obs("new1", "input", "0.5"), obs("kept", "input", "4"));
    assertEquals(List.of("price_cut:new1:input"), kinds(next), "once applied, the baseline is no longer pending");
  }

  @Test
  @DisplayName("An extraction that loses most rows is a source failure and changes nothing")
  void lostRowsGuard() {
    List<Observation> many = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      many.add(obs("m" + i, "input", "1"));
    }
    store.apply(src, day(0), many, Guards.DEFAULTS, new CheckInfo(day(0), 200, null));
    CheckOutcome o = apply(1, obs("m0", "input", "0.5"), obs("m1", "input", "1"));
    assertEquals("error", o.outcome());
    assertEquals(List.of("source_failure"), o.events().stream().map(ChangeEvent::kind).toList());
    assertTrue(o.reason().contains("lost 8 of 10"), o.reason());
    assertEquals("1.00", queries.priceAt(src, "m0", "input", "", day(2)).getString("value"), "nothing applied");
    assertEquals("error", store.apply(src, day(2), List.of(), Guards.DEFAULTS, new CheckInfo(day(2), 200, null))
        .outcome(), "an empty extraction is a failure too");
  }

  @Test
  @DisplayName("Suspect changes (unit flip, fall to zero, currency flip) are held back; the rest applies")
  void suspectChangesHeld() {
    apply(0, obs("m1", "input", "2.50"), obs("m2", "input", "1.00"), obs("m3", "input", "3.00"),
        obs("m4", "input", "4.00"));
    CheckOutcome o = apply(1, obs("m1", "input", "2500"), obs("m2", "input", "0"),
        obs("m3", "input", "", "3.00", "CNY"), obs("m4", "input", "3.00"));
    assertEquals("error", o.outcome());
    assertEquals("detect", o.stage());
    assertTrue(o.reason().contains("held back 3 suspect change(s)"), o.reason());
    assertTrue(o.reason().contains("m1 input: jumped x1000"), o.reason());
    assertTrue(o.reason().contains("m2 input: price fell from 1.00 to 0.00"), o.reason());
    assertTrue(o.reason().contains("m3 input: currency flipped from USD to CNY"), o.reason());
    assertEquals(List.of("price_cut:m4:input", "source_failure:null"), o.events().stream()
        .map(e -> e.kind() + ":" + e.model() + (e.metric() == null ? "" : ":" + e.metric())).toList());
    assertEquals("2.50", queries.priceAt(src, "m1", "input", "", day(2)).getString("value"), "not applied");
    assertEquals("3.00", queries.priceAt(src, "m4", "input", "", day(2)).getString("value"), "applied");
    CheckOutcome tenfold = apply(2, obs("m1", "input", "25"), obs("m2", "input", "1.00"),
        obs("m3", "input", "3.00"), obs("m4", "input", "3.00"));
    assertEquals(List.of("price_increase:m1:input"), kinds(tenfold), "a 10x move is a real change");
  }

  @Test
  @DisplayName("A held-back value seen in suspect_checks consecutive checks is accepted as a price_correction")
  void persistentSuspectBecomesCorrection() {
    // A mistake within the ceiling on a price (max_usd_per_1m): 60,000 read for 0.60.
    apply(0, obs("m1", "input", "60000"), obs("m2", "input", "1"));
    assertEquals("error", apply(1, obs("m1", "input", "0.60"), obs("m2", "input", "1")).outcome());
    CheckOutcome second = apply(2, obs("m1", "input", "0.60"), obs("m2", "input", "1"));
    assertTrue(second.reason().contains("seen 2 of 3 checks"), second.reason());
    CheckOutcome third = apply(3, obs("m1", "input", "0.60"), obs("m2", "input", "1"));
    assertEquals("changed", third.outcome());
    assertEquals(List.of("price_correction:m1:input"), kinds(third));
    assertEquals("0.60", queries.priceAt(src, "m1", "input", "", day(4)).getString("value"));
    // A streak that breaks starts again.
    apply(4, obs("m1", "input", "600"), obs("m2", "input", "1"));
    apply(5, obs("m1", "input", "0.60"), obs("m2", "input", "1"));
    CheckOutcome again = apply(6, obs("m1", "input", "600"), obs("m2", "input", "1"));
    assertTrue(again.reason().contains("seen 1 of 3 checks"), again.reason());
  }

  @Test
  @DisplayName("A -> B -> A within the window is a correction, not a second change; later it is a change")
  void corrections() {
    apply(0, obs("m1", "input", "10"), obs("m2", "input", "10"));
    apply(1, obs("m1", "input", "1"), obs("m2", "input", "1"));
    CheckOutcome back = apply(2, obs("m1", "input", "10"), obs("m2", "input", "1"));
    assertEquals(List.of("price_correction:m1:input"), kinds(back));
    assertEquals("1.00", back.events().get(0).toJson().getString("old"));
    assertEquals("10.00", back.events().get(0).toJson().getString("new"));
    CheckOutcome late = apply(10, obs("m1", "input", "10"), obs("m2", "input", "10"));
    assertEquals(List.of("price_increase:m2:input"), kinds(late), "outside the window it is a change");
  }

  @Test
  @DisplayName("Conditions and currencies: CNY kept, USD converted, percent on the page's own currency")
  void currencies() {
    apply(0, obs("qwen", "input", "0-32k", "2.4", "CNY"), obs("qwen", "input", "32k-128k", "4.8", "CNY"));
    CheckOutcome o = apply(1, obs("qwen", "input", "0-32k", "1.2", "CNY"),
        obs("qwen", "input", "32k-128k", "4.8", "CNY"));
    JsonObject e = o.events().get(0).toJson();
    assertEquals("0-32k", e.getString("condition"));
    assertEquals("CNY", e.getString("currency"));
    assertEquals("2.40", e.getString("old_value"));
    assertEquals("1.20", e.getString("new_value"));
    assertEquals("0.336", e.getString("old"));
    assertEquals("0.168", e.getString("new"));
    assertEquals("-50.00", e.getString("change_pct"));
  }

  @Test
  @DisplayName("Change feed: filters and a cursor that pages without gaps or repeats")
  void changeFeed() {
    apply(0, obs("m1", "input", "10"));
    for (int i = 1; i <= 5; i++) {
      apply(i, obs("m1", "input", String.valueOf(10 - i)));
    }
    List<ChangeEvent> page1 = queries.events(new EventFilter(src, null, null, null, null, null, 2, true));
    List<ChangeEvent> page2 = queries.events(new EventFilter(src, null, null, null, null, page1.get(1).id(), 2, true));
    List<ChangeEvent> page3 = queries.events(new EventFilter(src, null, null, null, null, page2.get(1).id(), 2, true));
    assertEquals(List.of("5.00", "6.00", "7.00", "8.00", "9.00"), java.util.stream.Stream.of(page1, page2, page3)
        .flatMap(List::stream).map(e -> e.toJson().getString("new")).toList());
    assertEquals(3, queries.events(new EventFilter(src, "ACME", "price_cut", "m1", day(3), null, 0, false)).size());
  }

  @Test
  @DisplayName("Reset forgets a source's history but not another's")
  void reset() {
    apply(0, obs("m1", "input", "10"));
    apply(1, obs("m1", "input", "9"));
    String other = src;
    setUp();
    apply(0, obs("m1", "input", "10"));
    apply(1, obs("m1", "input", "9"));
    store.resetSource(other);
    assertTrue(queries.currentPrices("acme", "m1").stream().map(JsonObject.class::cast)
        .noneMatch(p -> p.getString("source").equals(other)));
    assertEquals(1, queries.currentPrices("acme", "m1").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("source").equals(src)).count());
    assertEquals(1, queries.events(new EventFilter(src, null, null, null, null, null, 0, false)).size());
  }

  @Test
  @DisplayName("Series kept in memory between checks: a long random run gives the same events and the same stored "
      + "series as reading them back every time")
  void seriesCacheChangesNothing() throws java.sql.SQLException {
    HistoryStore cached = new HistoryStore(dataSource());
    HistoryStore plain = new HistoryStore(dataSource(), 0);
    String a = src + "-cached";
    String b = src + "-plain";
    java.util.Random rnd = new java.util.Random(7);
    Map<String, String> values = new java.util.TreeMap<>();
    for (int i = 0; i < 600; i++) { // 1,200 series: only sources of 1,000 or more are kept in memory
      values.put("m" + i, String.valueOf(1 + rnd.nextInt(20)));
    }
    java.util.Set<String> absent = new java.util.HashSet<>();
    Guards guards = Guards.removalAfter(2);
    for (int day = 0; day < 40; day++) {
      for (int k = 0; k < 12; k++) {
        String m = "m" + rnd.nextInt(values.size());
        switch (rnd.nextInt(6)) {
          case 0 -> values.put(m, String.valueOf(1 + rnd.nextInt(20)));
          case 1 -> values.put(m, new BigDecimal(values.get(m)).multiply(BigDecimal.valueOf(1000)).toPlainString());
          case 2 -> values.put(m, "0");
          case 3 -> absent.add(m);
          case 4 -> absent.remove(m);
          default -> values.put("m" + values.size(), String.valueOf(1 + rnd.nextInt(20)));
        }
      }
      List<Observation> obs = new ArrayList<>();
      values.forEach((m, v) -> {
        if (!absent.contains(m)) {
          obs.add(obs(m, "input", v));
          obs.add(obs(m, "output", new BigDecimal(v).multiply(BigDecimal.valueOf(3)).toPlainString()));
        }
      });
      CheckOutcome x = cached.apply(a, day(day), obs, guards, new CheckInfo(day(day), 200, null));
      CheckOutcome y = plain.apply(b, day(day), obs, guards, new CheckInfo(day(day), 200, null));
      assertEquals(describe(y), describe(x).replace(a, b), "day " + day);
      assertEquals(stored(b), stored(a), "stored series after day " + day);
    }
    assertTrue(cached.cacheHits() > 30, "the cached store used its memory: " + cached.cacheHits() + " hits");
    assertEquals(0, plain.cacheHits());
  }

  @Test
  @DisplayName("Series kept in memory are not used once another process has written the source")
  void seriesCacheYieldsToOtherWriters() {
    HistoryStore nodeA = new HistoryStore(dataSource());
    HistoryStore nodeB = new HistoryStore(dataSource());
    List<Observation> base = new ArrayList<>();
    for (int i = 0; i < 1_100; i++) { // large enough to be kept in memory
      base.add(obs("m" + i, "input", "10"));
    }
    nodeA.apply(src, day(0), base, Guards.DEFAULTS, new CheckInfo(day(0), 200, null));
    List<Observation> cut = new ArrayList<>(base);
    cut.set(0, obs("m0", "input", "8"));
    nodeA.apply(src, day(1), cut, Guards.DEFAULTS, new CheckInfo(day(1), 200, null));
    List<Observation> cutAgain = new ArrayList<>(base);
    cutAgain.set(0, obs("m0", "input", "6"));
    assertEquals(List.of("price_cut:m0:input"), kinds(nodeB.apply(src, day(2), cutAgain, Guards.DEFAULTS,
        new CheckInfo(day(2), 200, null))));
    CheckOutcome o = nodeA.apply(src, day(3), cutAgain, Guards.DEFAULTS, new CheckInfo(day(3), 200, null));
    assertEquals(List.of(), kinds(o), "node A must see node B's 6.00, not its own 8.00");
    List<Observation> reset = new ArrayList<>(base);
    nodeA.apply(src, day(4), reset, Guards.DEFAULTS, new CheckInfo(day(4), 200, null));
    nodeB.resetSource(src);
    nodeB.apply(src, day(5), cut, Guards.DEFAULTS, new CheckInfo(day(5), 200, null));
    CheckOutcome after = nodeA.apply(src, day(6), base, Guards.DEFAULTS, new CheckInfo(day(6), 200, null));
    assertEquals(List.of("price_increase:m0:input"), kinds(after), "after a reset elsewhere, from 8.00");
    assertTrue(nodeA.cacheHits() > 0, "node A used its memory when nobody else had written");
  }

  private static String describe(CheckOutcome o) {
    StringBuilder sb = new StringBuilder(o.outcome() + " " + o.stage() + " " + o.reason() + " " + o.observations());
    for (ChangeEvent e : o.events()) {
      JsonObject j = e.toJson();
      j.remove("id");
      j.remove("check_id");
      sb.append("\n").append(j.encode());
    }
    return sb.toString();
  }

  /** A source's stored series without ids, in id order. */
  private String stored(String source) throws java.sql.SQLException {
    StringBuilder sb = new StringBuilder();
    try (java.sql.Connection c = dataSource().getConnection()) {
      SeriesWriter.loadSeries(c, source).values().forEach(r -> sb.append(r.key()).append(' ')
          .append(r.previous()).append(' ').append(r.lastSeen()).append('\n'));
    }
    return sb.toString();
  }
}
