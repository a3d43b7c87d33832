package io.pricetide.history;

import io.pricetide.db.Rows;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import io.pricetide.price.Vendors;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Catalogue drift: where a catalogue's price for a model (input, output or cache read, no condition) differs from
 * the first-party price of the same canonical model by more than {@value #THRESHOLD_PCT}%, one
 * {@code catalogue_drift} event is recorded when the disagreement starts; the pair is remembered until the two
 * agree again. Runs inside the transaction of the check that may have started or ended a disagreement.
 *
 * <p>Only comparable prices are compared: the catalogue's row must be the vendor's own offering (its seller is the
 * vendor, by {@link Vendors}: a reseller's price on a catalogue is the reseller's, not a wrong copy of the vendor's),
 * quoted in the same currency as the vendor's row (a mainland-China CNY price is another market, not a wrong USD
 * one). The event names the catalogue that is wrong, the value it shows and since when (the later of the two sides'
 * last changes: the moment the two stopped agreeing), and how many other catalogues agree with the vendor.
 */
final class DriftCheck {
  static final BigDecimal THRESHOLD_PCT = new BigDecimal("5");
  static final String KIND = "catalogue_drift";

  private DriftCheck() {}

  private record Row(String source, String provider, String model, String canonical, String metric, String currency,
      BigDecimal usd, Instant changed) {}

  /** The drift events this check starts; {@code catalogues} are the ids of catalogue sources. */
  static List<ChangeEvent> run(Connection c, String sourceId, Set<String> catalogues, Instant at)
      throws SQLException {
    if (catalogues.isEmpty()) {
      return List.of();
    }
    boolean isCatalogue = catalogues.contains(sourceId);
    // The other side first: with no first-party prices (a catalogue replayed alone) there is nothing to compare,
    // and a catalogue's own few thousand rows need not be read.
    Map<String, List<Row>> others = new HashMap<>();
    List<Object> ids = new ArrayList<>(catalogues);
    String in = "s.source_id " + (isCatalogue ? "NOT IN" : "IN") + " ("
        + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")";
    for (Row r : rows(c, in, ids)) {
      others.computeIfAbsent(r.canonical() + " " + r.metric(), k -> new ArrayList<>()).add(r);
    }
    List<Row> mine = others.isEmpty() ? List.of() : rows(c, "s.source_id = ?", List.of(sourceId));
    Map<String, List<Row>> mineByKey = new HashMap<>();
    for (Row m : mine) {
      mineByKey.computeIfAbsent(m.canonical() + " " + m.metric(), k -> new ArrayList<>()).add(m);
    }
    Map<String, Row> current = new HashMap<>();
    for (Row m : mine) {
      List<Row> theirs = others.getOrDefault(m.canonical() + " " + m.metric(), List.of());
      for (Row o : theirs) {
        Row cat = isCatalogue ? m : o;
        Row ven = isCatalogue ? o : m;
        List<Row> vendorRows = isCatalogue ? theirs : mineByKey.get(m.canonical() + " " + m.metric());
        if (comparable(cat, ven) && ven.usd().signum() > 0 && !near(ven, cat) && !agreesWithAny(cat, vendorRows)) {
          current.put(cat.source() + "|" + cat.model() + "|" + ven.source() + "|" + cat.metric(), cat);
          current.put("vendor:" + cat.source() + "|" + cat.model() + "|" + ven.source() + "|" + cat.metric(), ven);
        }
      }
    }
    Map<String, Boolean> known = new HashMap<>();
    String side = isCatalogue ? "catalogue_source" : "vendor_source";
    try (PreparedStatement ps = c.prepareStatement("SELECT catalogue_source, catalogue_model, vendor_source, metric "
        + "FROM catalogue_drift WHERE " + side + " = ?")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          known.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4), true);
        }
      }
    }
    List<ChangeEvent> events = new ArrayList<>();
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO catalogue_drift (catalogue_source, catalogue_model, "
        + "vendor_source, canonical_model, metric, catalogue_usd, vendor_usd, since) VALUES (?,?,?,?,?,?,?,?)");
        PreparedStatement del = c.prepareStatement("DELETE FROM catalogue_drift WHERE catalogue_source = ? AND "
            + "catalogue_model = ? AND vendor_source = ? AND metric = ?")) {
      for (Map.Entry<String, Row> e : current.entrySet()) {
        if (e.getKey().startsWith("vendor:") || known.containsKey(e.getKey())) {
          continue;
        }
        Row cat = e.getValue();
        Row ven = current.get("vendor:" + e.getKey());
        ins.setString(1, cat.source());
        ins.setString(2, cat.model());
        ins.setString(3, ven.source());
        ins.setString(4, cat.canonical());
        ins.setString(5, cat.metric());
        ins.setBigDecimal(6, cat.usd());
        ins.setBigDecimal(7, ven.usd());
        Instant since = cat.changed().isAfter(ven.changed()) ? cat.changed() : ven.changed();
        ins.setObject(8, Rows.odt(since));
        ins.addBatch();
        BigDecimal pct = Decimals.changePct(ven.usd(), cat.usd());
        events.add(new ChangeEvent(0, KIND, cat.source(), ven.provider(), cat.model(), cat.canonical(), cat.metric(),
            "", ven.usd(), cat.usd(), null, null, null, pct, at, null, message(c, catalogues, cat, ven, since, pct)));
      }
      for (String k : known.keySet()) {
        if (!current.containsKey(k)) {
          String[] p = k.split("\\|", -1);
          del.setString(1, p[0]);
          del.setString(2, p[1]);
          del.setString(3, p[2]);
          del.setString(4, p[3]);
          del.addBatch();
        }
      }
      ins.executeBatch();
      del.executeBatch();
    }
    return events;
  }

  /** The catalogue's row is the vendor's own offering, in the vendor row's currency. */
  private static boolean comparable(Row cat, Row ven) {
    return Vendors.same(cat.provider(), ven.provider()) && cat.currency().equals(ven.currency());
  }

  private static boolean near(Row ven, Row cat) {
    return Decimals.changePct(ven.usd(), cat.usd()).abs().compareTo(THRESHOLD_PCT) <= 0;
  }

  /**
   * A catalogue price the vendor shows for the same canonical model under any of its names (a snapshot and its
   * alias, a {@code -latest} name) is a copy of one of them, not a wrong price.
   */
  private static boolean agreesWithAny(Row cat, List<Row> vendorRows) {
    return vendorRows.stream().anyMatch(v -> comparable(cat, v) && v.usd().signum() > 0 && near(v, cat));
  }

  /** Which catalogue is wrong, since when, and what the other catalogues of the vendor's offering say. */
  private static String message(Connection c, Set<String> catalogues, Row cat, Row ven, Instant since,
      BigDecimal pct) throws SQLException {
    int agree = 0;
    int differ = 0;
    for (Row o : rows(c, "s.canonical_model = ? AND s.metric = ? AND s.source_id <> ? AND s.source_id <> ?",
        List.of(cat.canonical(), cat.metric(), cat.source(), ven.source()))) {
      if (catalogues.contains(o.source()) && comparable(o, ven)) {
        if (near(ven, o)) {
          agree++;
        } else {
          differ++;
        }
      }
    }
    String others = agree + differ == 0 ? "no other catalogue lists it"
        : agree + " of " + (agree + differ) + " other catalogue" + (agree + differ == 1 ? "" : "s")
            + " agree" + (agree + differ == 1 ? "s" : "") + " with " + ven.source();
    return cat.source() + " lists " + cat.model() + " " + cat.metric() + " at $" + Decimals.money(cat.usd())
        + " per 1M, " + pct.toPlainString() + "% off " + ven.source() + "'s own $" + Decimals.money(ven.usd())
        + ", since " + since.toString().substring(0, 10) + "; " + others;
  }

  private static List<Row> rows(Connection c, String where, List<Object> args) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT s.source_id, s.provider, s.model, s.canonical_model, "
        + "s.metric, s.currency, s.usd_per_1m, s.last_changed FROM series s WHERE s.active = TRUE AND s.cond = '' "
        + "AND s.usd_per_1m IS NOT NULL "
        + "AND s.metric IN ('input', 'output', 'cache_read') AND " + where)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), Rows.amount(rs, 7), Rows.instant(rs, 8)));
        }
      }
    }
    return out;
  }
}
