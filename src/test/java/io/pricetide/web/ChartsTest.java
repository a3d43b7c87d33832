package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Chart arithmetic in decimals: step values, all-time low, ratio over time, weekly shares, the blended price. */
class ChartsTest {
  private static long t(String day) {
    return Instant.parse(day + "T00:00:00Z").getEpochSecond();
  }

  private static NavigableMap<Long, BigDecimal> points(Object... dayValue) {
    NavigableMap<Long, BigDecimal> m = new TreeMap<>();
    for (int i = 0; i < dayValue.length; i += 2) {
      m.put(t((String) dayValue[i]), dayValue[i + 1] == null ? null : new BigDecimal((String) dayValue[i + 1]));
    }
    return m;
  }

  @Test
  @DisplayName("All-time low, its date, the current value and the within-5% badge")
  void lows() {
    Charts.Line l = new Charts.Line("x", points("2024-01-01", "10.00", "2024-02-01", "6.00", "2024-03-01", "6.30"));
    assertEquals(new BigDecimal("6.00"), l.low());
    assertEquals(t("2024-02-01"), l.lowAt());
    assertEquals(new BigDecimal("6.30"), l.current());
    assertTrue(Charts.nearLow(l.current(), l.low()), "6.30 is exactly 5% above 6.00");
    assertFalse(Charts.nearLow(new BigDecimal("6.31"), l.low()));
    Charts.Line removed = new Charts.Line("x", points("2024-01-01", "1.00", "2024-02-01", null));
    assertNull(removed.current());
    assertFalse(Charts.nearLow(removed.current(), removed.low()));
  }

  @Test
  @DisplayName("The ratio holds each side's value until it changes, and is empty where a side is missing")
  void ratio() {
    Charts.Line base = new Charts.Line("b", points("2024-01-01", "2.00", "2024-06-01", "1.00"));
    Charts.Line other = new Charts.Line("o", points("2024-03-01", "30.00", "2024-09-01", "3.00"));
    Map<Long, BigDecimal> r = Charts.ratio("r", base, other).points();
    assertNull(r.get(t("2024-01-01")));
    assertEquals(new BigDecimal("15.0000"), r.get(t("2024-03-01")));
    assertEquals(new BigDecimal("30.0000"), r.get(t("2024-06-01")));
    assertEquals(new BigDecimal("3.0000"), r.get(t("2024-09-01")));
  }

  @Test
  @DisplayName("Weekly shares: values holding at each week's end, as percent of the week's total")
  void weeklyShares() {
    Map<String, NavigableMap<Long, BigDecimal>> v = new LinkedHashMap<>();
    v.put("qwen", points("2025-01-06", "100", "2025-01-13", "300"));
    v.put("openai", points("2025-01-06", "300", "2025-01-14", "200"));
    Map<String, NavigableMap<Long, BigDecimal>> s = Charts.weeklyShares(v);
    assertEquals(new BigDecimal("25.00"), s.get("qwen").get(t("2025-01-06")));
    assertEquals(new BigDecimal("75.00"), s.get("openai").get(t("2025-01-06")));
    assertEquals(new BigDecimal("60.00"), s.get("qwen").get(t("2025-01-13")), "qwen passed openai");
    assertEquals(List.of("qwen", "openai"), Charts.byLatest(s));
  }

  @Test
  @DisplayName("Chart JSON carries decimal strings, never floats")
  void chartJson() {
    JsonArray pts = new JsonArray().add(new JsonObject().put("observed_at", "2024-01-01T00:00:00Z")
        .put("usd_per_1m", "0.075")).add(new JsonObject().put("observed_at", "2024-02-01T00:00:00Z")
        .put("usd_per_1m", null));
    JsonObject c = Charts.chart("c", "input", "USD", "$", "", List.of(Charts.priceLine("m", pts)), null, null, true);
    JsonArray p = c.getJsonArray("series").getJsonObject(0).getJsonArray("points");
    assertEquals("0.075", p.getJsonArray(0).getString(1));
    assertNull(p.getJsonArray(1).getValue(1));
    assertNull(c.getJsonArray("series").getJsonObject(0).getValue("low"), "a price that never moved has no low line");
    pts.add(new JsonObject().put("observed_at", "2024-03-01T00:00:00Z").put("usd_per_1m", "0.10"));
    c = Charts.chart("c", "input", "USD", "$", "", List.of(Charts.priceLine("m", pts)), null, null, true);
    assertEquals("0.075", c.getJsonArray("series").getJsonObject(0).getString("low"));
  }

  @Test
  @DisplayName("A line's role travels to the chart: the vendor's is drawn, a catalogue's starts hidden")
  void roles() {
    java.util.TreeMap<Long, BigDecimal> pts = new java.util.TreeMap<>(Map.of(1L, new BigDecimal("2.50")));
    JsonObject c = Charts.chart("c", "input", "USD", "$", "", List.of(new Charts.Line("v", pts, "vendor"),
        new Charts.Line("c", pts, "catalogue"), new Charts.Line("r", pts)), null, null, false);
    JsonArray s = c.getJsonArray("series");
    assertEquals(true, s.getJsonObject(0).getBoolean("show"));
    assertEquals(false, s.getJsonObject(1).getBoolean("show"));
    assertEquals("catalogue", s.getJsonObject(1).getString("role"));
    assertNull(s.getJsonObject(2).getValue("role"), "a line without a role (usage, ratio) is always drawn");
  }

  @Test
  @DisplayName("Blended 3:1 is (3 x input + output) / 4 in decimals, absent without both prices")
  void blended() {
    Map<String, PriceTable.Cell> cells = new LinkedHashMap<>();
    cells.put("input", new PriceTable.Cell(new BigDecimal("0.15"), new BigDecimal("0.15"), "USD"));
    cells.put("output", new PriceTable.Cell(new BigDecimal("0.60"), new BigDecimal("0.60"), "USD"));
    PriceTable.Row r = new PriceTable.Row("s", "p", "m", "m", "", cells, null);
    assertEquals("0.2625", r.blended().toPlainString());
    cells.remove("output");
    assertNull(r.blended());
  }
}
