package io.pricetide.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.config.ConfigLoader;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryStore;
import io.pricetide.history.CheckInfo;
import io.pricetide.price.Currencies;
import io.pricetide.price.Decimals;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import io.pricetide.source.Guards;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Amounts are stored and read back exactly as published (issue #12), on every supported database: the examples
 * of the rule in {@link Decimals} go through the history store, its queries and the events, each test on a
 * database of its own migrated by {@link Database#open}; rows written before V13 read back unchanged.
 */
abstract class ExactAmountsContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  /** No value guard, and the ceiling on a price lifted, so the store itself is what is tested. */
  private static final Guards NO_GUARDS = new Guards(50, 1, 0, false, 0, 0, new BigDecimal("1e40"));

  /** A JDBC URL of a new, empty database. */
  protected abstract String newDatabaseUrl() throws Exception;

  /** The user for {@link #newDatabaseUrl}'s databases, "" for none. */
  protected abstract String user();

  protected abstract boolean postgres();

  private Database open(String url) throws Exception {
    Path data = Files.createTempDirectory("pricetide-exact");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PRICETIDE_DATABASE_URL", url);
    if (!user().isEmpty()) {
      env.put("PRICETIDE_DATABASE_USER", user());
    }
    return Database.open(ConfigLoader.load(null, data, data, env));
  }

  /** Per-token values as a catalogue publishes them: JSON numbers (by the rule) and strings (exact). */
  private static Map<String, BigDecimal> published() {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    m.put("litellm-noise", Unit.PER_TOKEN.toPerMillion(Decimals.ofJsonNumber("2.4999999999999998e-06")));
    m.put("litellm-long", Unit.PER_TOKEN.toPerMillion(Decimals.ofJsonNumber("1.5000020000000002e-05")));
    m.put("gemini-flash", Unit.PER_TOKEN.toPerMillion(Decimals.ofJsonNumber("4.6875e-09")));
    m.put("openrouter-text", Unit.PER_TOKEN.toPerMillion(new BigDecimal("0.0000000179348")));
    m.put("huge", Unit.PER_TOKEN.toPerMillion(Decimals.ofJsonNumber("1e20")));
    m.put("tiny", Unit.PER_TOKEN.toPerMillion(new BigDecimal("4.6875e-23")));
    return m;
  }

  private static final Map<String, String> TEXT = Map.of("litellm-noise", "2.50", "litellm-long", "15.00002",
      "gemini-flash", "0.0046875", "openrouter-text", "0.0179348",
      "huge", "100000000000000000000000000.00", "tiny", "0.000000000000000046875");

  private static List<Observation> observations(Map<String, BigDecimal> values, Currencies fx, String currency) {
    List<Observation> out = new ArrayList<>();
    values.forEach((model, v) -> {
      BigDecimal p = Decimals.price(v);
      out.add(new Observation("acme", model, model, "input", "", p, currency, fx.toUsd(p, currency)));
    });
    return out;
  }

  @Test
  @DisplayName("Every example of the rule is stored and read back exactly: current prices, points, events; "
      + "a huge value beside them corrupts none")
  void exactRoundTrip() throws Exception {
    try (Database db = open(newDatabaseUrl())) {
      HistoryStore store = new HistoryStore(db.dataSource());
      HistoryQueries queries = new HistoryQueries(db.dataSource());
      store.apply("exact", T0, observations(published(), Currencies.usdOnly(), "USD"), NO_GUARDS,
          new CheckInfo(T0, 200, null));
      for (JsonObject p : queries.currentPrices("acme", null).stream().map(JsonObject.class::cast).toList()) {
        assertEquals(TEXT.get(p.getString("model")), p.getString("value"), p.getString("model"));
        assertEquals(TEXT.get(p.getString("model")), p.getString("usd_per_1m"), p.getString("model"));
      }
      assertEquals(TEXT.size(), queries.currentPrices("acme", null).size());
      TEXT.forEach((model, text) -> assertEquals(text,
          queries.priceAt("exact", model, "input", "", T0).getString("value"), model));

      // Each value moves by its own last digit: the events carry both exact values.
      Map<String, BigDecimal> next = new LinkedHashMap<>();
      published().forEach((m, v) -> next.put(m, v.add(v.ulp())));
      Instant t1 = T0.plusSeconds(86_400);
      CheckOutcome o = store.apply("exact", t1, observations(next, Currencies.usdOnly(), "USD"), NO_GUARDS,
          new CheckInfo(t1, 200, null));
      Map<String, ChangeEvent> byModel = new LinkedHashMap<>();
      o.events().forEach(e -> byModel.put(e.model(), e));
      assertEquals(TEXT.keySet(), byModel.keySet(), "one change per series");
      next.forEach((m, v) -> {
        JsonObject e = byModel.get(m).toJson();
        assertEquals(ChangeEvent.PRICE_INCREASE, e.getString("kind"), m);
        assertEquals(TEXT.get(m), e.getString("old"), m);
        assertEquals(Decimals.money(v), e.getString("new"), m);
      });
      assertEquals("0.0046876", byModel.get("gemini-flash").toJson().getString("new"));
      assertEquals("0.0179349", byModel.get("openrouter-text").toJson().getString("new"));
      List<ChangeEvent> stored = queries.events(new HistoryQueries.EventFilter("exact", null, null, null, null,
          null, 100, false));
      for (ChangeEvent e : stored) {
        assertEquals(byModel.get(e.model()).toJson().getString("old"), e.toJson().getString("old"), e.model());
        assertEquals(byModel.get(e.model()).toJson().getString("new"), e.toJson().getString("new"), e.model());
      }
      assertEquals(TEXT.size(), stored.size());
    }
  }

  @Test
  @DisplayName("A price in another currency keeps its own exact value beside the USD normalisation")
  void otherCurrency() throws Exception {
    try (Database db = open(newDatabaseUrl())) {
      Currencies fx = new Currencies(Map.of("EUR", new BigDecimal("1.0843")));
      new HistoryStore(db.dataSource()).apply("exact-eur", T0,
          observations(Map.of("m", new BigDecimal("0.0046875")), fx, "EUR"), NO_GUARDS, new CheckInfo(T0, 200, null));
      JsonObject p = new HistoryQueries(db.dataSource()).priceAt("exact-eur", "m", "input", "", T0);
      assertEquals("0.0046875", p.getString("value"));
      assertEquals("0.00508265625", p.getString("usd_per_1m"), "0.0046875 x 1.0843, every digit");
    }
  }

  @Test
  @DisplayName("No amount column has a fixed scale after the migrations (Quartz's own tables hold no amounts)")
  void noFixedScale() throws Exception {
    try (Database db = open(newDatabaseUrl()); Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT table_name, column_name, numeric_scale FROM information_schema.columns"
            + " WHERE numeric_scale IS NOT NULL AND numeric_scale > 2")) {
      List<String> fixed = new ArrayList<>();
      while (rs.next()) {
        if (rs.getString(1).toLowerCase(java.util.Locale.ROOT).startsWith("qrtz_")) {
          continue; // Quartz's own job-store tables (cluster mode, V23): trigger properties, never an amount
        }
        fixed.add(rs.getString(1) + "." + rs.getString(2) + " scale " + rs.getInt(3));
      }
      assertTrue(fixed.isEmpty(), () -> "columns that round: " + fixed);
    }
  }

  @Test
  @DisplayName("Rows written before V13 (NUMERIC(30, 12)) read back as the values they were")
  void legacyRowsReadable() throws Exception {
    String url = newDatabaseUrl();
    DataSource raw = rawDataSource(url);
    Flyway.configure().dataSource(raw).locations("classpath:db/migration")
        .placeholders(Map.of(Database.EXACT_DECIMAL, Database.exactDecimal(postgres()))).target("11").load()
        .migrate();
    try (Connection c = raw.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO series (source_id, provider, model, "
          + "canonical_model, metric, cond, currency, amount, usd_per_1m, first_seen, last_seen, last_changed, "
          + "active) VALUES ('old', 'acme', ?, ?, 'input', '', 'USD', ?, ?, ?, ?, ?, TRUE)")) {
        for (String[] row : new String[][] {{"m-round", "2.5"}, {"m-six", "0.004688"}, {"m-twelve", "0.000000123456"}}) {
          ps.setString(1, row[0]);
          ps.setString(2, row[0]);
          ps.setBigDecimal(3, new BigDecimal(row[1]));
          ps.setBigDecimal(4, new BigDecimal(row[1]));
          ps.setObject(5, Rows.odt(T0));
          ps.setObject(6, Rows.odt(T0));
          ps.setObject(7, Rows.odt(T0));
          ps.executeUpdate();
        }
      }
      try (Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO price_point (series_id, observed_at, amount, usd_per_1m) SELECT id, last_seen,"
            + " amount, usd_per_1m FROM series WHERE source_id = 'old'");
      }
    }
    try (Database db = open(url)) {
      HistoryQueries q = new HistoryQueries(db.dataSource());
      assertEquals("2.50", q.priceAt("old", "m-round", "input", "", T0).getString("value"));
      assertEquals("0.004688", q.priceAt("old", "m-six", "input", "", T0).getString("value"));
      assertEquals("0.000000123456", q.priceAt("old", "m-twelve", "input", "", T0).getString("usd_per_1m"));
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT amount FROM series WHERE model = 'm-round'")) {
        assertTrue(rs.next());
        assertEquals("2.50", Rows.amount(rs, 1).toPlainString(), "Rows.amount strips the old scale's zeros");
      }
      // The migrated columns now take a value the old scale could not hold, next to the old rows.
      Instant t1 = T0.plusSeconds(60);
      List<Observation> now = new ArrayList<>();
      for (String[] row : new String[][] {{"m-round", "2.50"}, {"m-six", "0.0046875"}, {"m-twelve", "0.000000123456"}}) {
        BigDecimal v = new BigDecimal(row[1]);
        now.add(new Observation("acme", row[0], row[0], "input", "", v, "USD", v));
      }
      CheckOutcome o = new HistoryStore(db.dataSource()).apply("old", t1, now, NO_GUARDS,
          new CheckInfo(t1, 200, null));
      assertEquals(List.of("0.004688 -> 0.0046875"), o.events().stream()
          .map(e -> e.toJson().getString("old") + " -> " + e.toJson().getString("new")).toList(),
          "only the value that moved changes; the old rows compare equal to their exact values");
      assertEquals("0.0046875", q.priceAt("old", "m-six", "input", "", t1).getString("value"));
      assertEquals("0.004688", q.priceAt("old", "m-six", "input", "", T0).getString("value"));
    }
  }

  /** A connection source for {@code url} outside {@link Database}, to migrate only part of the way. */
  protected abstract DataSource rawDataSource(String url) throws Exception;
}
