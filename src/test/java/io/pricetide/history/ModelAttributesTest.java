package io.pricetide.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.price.Decimals;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.source.Guards;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Model attributes and retirement dates through a check's transaction, on the embedded database. */
class ModelAttributesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static Database db;
  private HistoryStore store;
  private ModelAttributes attributes;
  private String src;

  @BeforeAll
  static void open() throws Exception {
    var data = Files.createTempDirectory("pricetide-attrs");
    db = Database.open(ConfigLoader.load(null, data, data, Map.of()));
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void setUp() {
    store = new HistoryStore(db.dataSource());
    attributes = new ModelAttributes(db.dataSource());
    src = "cat-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Observation price(String model, String value) {
    BigDecimal v = Decimals.price(new BigDecimal(value));
    return new Observation("acme", model, canonical(model), "input", "", v, "USD", v);
  }

  private static String canonical(String model) {
    return model.replace("acme/", "") + "-" + "x";
  }

  private static List<Observation> model(String model, String price, long context, String inputs, String date) {
    List<Observation> out = new ArrayList<>();
    out.add(price(model, price));
    out.add(ModelFacts.count("acme", model, canonical(model), ModelFacts.CONTEXT_WINDOW, context));
    out.add(ModelFacts.text("acme", model, canonical(model), ModelFacts.INPUT_MODALITIES, inputs));
    if (date != null) {
      out.add(ModelFacts.deprecation("acme", model, canonical(model), LocalDate.parse(date)));
    }
    return out;
  }

  @SafeVarargs
  private CheckOutcome check(int day, List<Observation>... models) {
    List<Observation> all = new ArrayList<>();
    for (List<Observation> m : models) {
      all.addAll(m);
    }
    Instant at = T0.plusSeconds(86_400L * day);
    return store.apply(src, at, all, Guards.DEFAULTS, new CheckInfo(at, 200, null));
  }

  private static List<ChangeEvent> deprecations(CheckOutcome o) {
    return o.events().stream().filter(e -> e.kind().equals(ChangeEvent.MODEL_DEPRECATED)).toList();
  }

  @Test
  @DisplayName("Facts become attributes, not series: the check's observations are its prices alone")
  void factsAreNotSeries() {
    CheckOutcome first = check(0, model("acme/a", "1.00", 128_000, "image,text", null));
    assertEquals(CheckOutcome.NEW, first.outcome());
    assertEquals(1, first.observations(), "one price; the facts are not counted as prices");
    ModelAttributes.Attributes a = attributes.current(canonical("acme/a")).get(0);
    assertEquals(src, a.sourceId());
    assertEquals(128_000L, a.contextWindow());
    assertTrue(a.reads("image"));
    assertNull(a.maxOutputTokens());
    assertEquals(1, new HistoryQueries(db.dataSource()).currentPrices(null, canonical("acme/a")).stream()
        .filter(p -> ((JsonObject) p).getString("source").equals(src)).count());
  }

  @Test
  @DisplayName("A changed attribute is written and raises no event; an unchanged check writes nothing new")
  void changedAttributeIsNoEvent() {
    check(0, model("acme/b", "1.00", 128_000, "text", null));
    Instant firstChange = attributes.current(canonical("acme/b")).get(0).changedAt();
    CheckOutcome same = check(1, model("acme/b", "1.00", 128_000, "text", null));
    assertTrue(same.events().isEmpty());
    assertEquals(firstChange, attributes.current(canonical("acme/b")).get(0).changedAt());
    CheckOutcome bigger = check(2, model("acme/b", "1.00", 1_000_000, "image,text", null));
    assertTrue(bigger.events().isEmpty(), () -> "events: " + bigger.events());
    assertEquals(CheckOutcome.UNCHANGED, bigger.outcome());
    ModelAttributes.Attributes now = attributes.current(canonical("acme/b")).get(0);
    assertEquals(1_000_000L, now.contextWindow());
    assertTrue(now.changedAt().isAfter(firstChange));
  }

  @Test
  @DisplayName("A retirement date is an event once when first seen and again when it moves; the same date is "
      + "nothing, and a date the file leaves out is kept")
  void retirementDates() {
    CheckOutcome first = check(0, model("acme/c", "1.00", 8_000, "text", "2026-06-01"),
        model("acme/d", "2.00", 8_000, "text", null));
    List<ChangeEvent> atFirstLook = deprecations(first);
    assertEquals(1, atFirstLook.size());
    assertFalse(atFirstLook.get(0).toSubscribers(), "a date the first look finds is history, never sent");

    CheckOutcome announced = check(1, model("acme/c", "1.00", 8_000, "text", "2026-06-01"),
        model("acme/d", "2.00", 8_000, "text", "2026-09-30"));
    List<ChangeEvent> d = deprecations(announced);
    assertEquals(1, d.size(), () -> "events: " + announced.events());
    ChangeEvent e = d.get(0);
    assertTrue(e.toSubscribers());
    assertEquals("acme/d", e.model());
    assertEquals(canonical("acme/d"), e.canonicalModel());
    JsonObject j = e.toJson();
    assertNull(j.getString("old"));
    assertEquals("2026-09-30", j.getString("new"));
    assertEquals("date", j.getString("unit"));
    assertEquals(e.toJson(), ChangeEvent.fromJson(j).withId(e.id()).toJson(), "the event survives its encoding");

    CheckOutcome moved = check(2, model("acme/c", "1.00", 8_000, "text", null),
        model("acme/d", "2.00", 8_000, "text", "2026-12-31"));
    List<ChangeEvent> m = deprecations(moved);
    assertEquals(1, m.size(), () -> "events: " + moved.events());
    assertEquals("2026-09-30", m.get(0).toJson().getString("old"));
    assertEquals("2026-12-31", m.get(0).toJson().getString("new"));
    assertEquals(LocalDate.parse("2026-06-01"), attributes.current(canonical("acme/c")).get(0).deprecationDate(),
        "left out is not withdrawn");

    List<ChangeEvent> listed = new HistoryQueries(db.dataSource()).events(new HistoryQueries.EventFilter(src, null,
        ChangeEvent.MODEL_DEPRECATED, null, null, null, 100, false));
    assertEquals(List.of("2026-06-01", "2026-09-30", "2026-12-31"), listed.stream()
        .map(x -> x.toJson().getString("new")).toList(), "stored and listed beside the price history");
  }

  @Test
  @DisplayName("The bulk read gives every model's attributes by canonical id")
  void bulkRead() {
    check(0, model("acme/e", "1.00", 32_000, "text", null), model("acme/f", "1.00", 64_000, "audio,text", null));
    Map<String, List<ModelAttributes.Attributes>> all = attributes.all();
    assertEquals(32_000L, all.get(canonical("acme/e")).stream().filter(a -> a.sourceId().equals(src)).findFirst()
        .orElseThrow().contextWindow());
    assertTrue(all.get(canonical("acme/f")).stream().anyMatch(a -> a.reads("audio")));
  }
}
