package io.pricetide.web;

import io.pricetide.db.Queries;
import io.pricetide.history.HistoryException;
import io.pricetide.price.Decimals;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The current price table read from {@code price_row} (migration V21, kept by {@code history.PriceRows}): filtered,
 * sorted and paged in SQL, so a view reads its page of rows, its count and the filter options, never history.
 * First-party rows are those of the vendor sources (a source with a provider); a reseller row is a catalogue's row
 * of a model a vendor source prices, sold by another provider; every other catalogue row is a catalogue row.
 */
final class PriceTableQuery {
  /** Who sells at a row's price, by its query-string name. */
  static final List<String> SELLERS = List.of("first-party", "catalogue", "reseller");
  /** The price columns: sorted by one, rows without a positive price there are hidden unless asked for. */
  static final Map<String, String> PRICE_COLUMNS = Map.of("input", "input_usd", "output", "output_usd",
      "cache_read", "cache_read_usd", "blended", "blended_usd");

  /**
   * What a view asks.
   *
   * @param q search text: every word must occur in provider, model, canonical id, source or condition
   * @param seller one of {@link #SELLERS}, or null for all
   * @param sort a column of {@link PriceTable#COLUMNS}
   * @param all show free, zero and unknown prices when sorting by a price
   * @param page from 1
   */
  record Ask(String q, String provider, String source, String seller, String sort, boolean desc, boolean all,
      int page, int pageSize) {}

  /**
   * One page.
   *
   * @param rows the page's rows, in order, without their last change
   * @param matched rows matching the filters
   * @param total rows in the table
   */
  record Page(List<PriceTable.Row> rows, int matched, int total, List<String> providers, List<String> sources) {}

  private final DataSource ds;

  PriceTableQuery(DataSource ds) {
    this.ds = ds;
  }

  /** The page {@code a} asks for ({@code a.page()} past the last reads the last), first-party sources given. */
  Page read(Ask a, Set<String> firstParty) {
    List<Object> args = new ArrayList<>();
    String fp = firstParty.isEmpty() ? "FALSE" : "r.source_id IN ("
        + String.join(", ", Collections.nCopies(firstParty.size(), "?")) + ")";
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    if (a.provider() != null) {
      where.append(" AND LOWER(r.provider) = LOWER(?)");
      args.add(a.provider());
    }
    if (a.source() != null) {
      where.append(" AND r.source_id = ?");
      args.add(a.source());
    }
    if (a.q() != null) {
      for (String term : a.q().toLowerCase(Locale.ROOT).split("\\s+")) {
        if (!term.isEmpty()) {
          where.append(" AND r.search LIKE ? ESCAPE '!'");
          args.add("%" + term.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
      }
    }
    if (a.seller() != null) {
      String resold = "r.provider <> '' AND EXISTS (SELECT 1 FROM price_row v WHERE v.canonical_model = "
          + "r.canonical_model AND " + fp.replace("r.source_id", "v.source_id") + " AND LOWER(v.provider) <> "
          + "LOWER(r.provider))";
      switch (a.seller()) {
        case "first-party" -> where.append(" AND ").append(fp);
        case "reseller" -> where.append(" AND NOT ").append(fp).append(" AND ").append(resold);
        default -> where.append(" AND NOT ").append(fp).append(" AND NOT (").append(resold).append(")");
      }
      args.addAll(firstParty);
      if (!"first-party".equals(a.seller())) {
        args.addAll(firstParty);
      }
    }
    String priceCol = PRICE_COLUMNS.get(a.sort());
    if (priceCol != null && !a.all()) {
      where.append(" AND r.").append(priceCol).append(" > 0");
    }
    // Arguments bind in text order: the first-party list of the ORDER BY comes after the WHERE's.
    List<Object> countArgs = List.copyOf(args);
    int matched = count("SELECT COUNT(*) FROM price_row r" + where, countArgs);
    int pages = Math.max(1, (matched + a.pageSize() - 1) / a.pageSize());
    int at = Math.min(a.page(), pages);
    String order = order(a, priceCol, "CASE WHEN " + fp + " THEN 0 ELSE 1 END");
    if (order.contains("CASE WHEN")) {
      args.addAll(firstParty);
    }
    List<PriceTable.Row> rows = new ArrayList<>();
    query("SELECT r.source_id, r.provider, r.model, r.canonical_model, r.cond, r.currency, r.input_usd, "
        + "r.input_amount, r.output_usd, r.output_amount, r.cache_read_usd, r.cache_read_amount FROM price_row r"
        + where + " ORDER BY " + order + " LIMIT " + a.pageSize() + " OFFSET " + (long) (at - 1) * a.pageSize(),
        args, rs -> rows.add(row(rs)));
    int total = count("SELECT COUNT(*) FROM price_row", List.of());
    List<String> providers = new ArrayList<>();
    query("SELECT DISTINCT provider FROM price_row WHERE provider <> '' ORDER BY provider", List.of(),
        rs -> providers.add(rs.getString(1)));
    List<String> sources = new ArrayList<>();
    query("SELECT DISTINCT source_id FROM price_row ORDER BY source_id", List.of(), rs -> sources.add(rs.getString(1)));
    return new Page(rows, matched, total, providers, sources);
  }

  /**
   * The sellers of the given rows: first-party for a vendor source; reseller for a catalogue's row of a model a
   * vendor prices under another provider; catalogue otherwise.
   */
  Map<String, String> sellers(List<PriceTable.Row> rows, Set<String> firstParty) {
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> asked = new HashSet<>();
    for (PriceTable.Row r : rows) {
      if (!firstParty.contains(r.source())) {
        asked.add(r.canonical());
      }
    }
    Map<String, Set<String>> vendors = new java.util.HashMap<>();
    if (!asked.isEmpty() && !firstParty.isEmpty()) {
      List<Object> args = new ArrayList<>(asked);
      args.addAll(firstParty);
      query("SELECT DISTINCT canonical_model, LOWER(provider) FROM price_row WHERE canonical_model IN ("
          + String.join(", ", Collections.nCopies(asked.size(), "?")) + ") AND source_id IN ("
          + String.join(", ", Collections.nCopies(firstParty.size(), "?")) + ")", args,
          rs -> vendors.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2)));
    }
    for (PriceTable.Row r : rows) {
      out.put(UiQueries.key(r.source(), r.model(), r.condition()), seller(r, firstParty, vendors));
    }
    return out;
  }

  /** The seller of one row, given the vendors' providers of each canonical model. */
  static String seller(PriceTable.Row r, Set<String> firstParty, Map<String, Set<String>> vendors) {
    if (firstParty.contains(r.source())) {
      return "first-party";
    }
    Set<String> v = vendors.getOrDefault(r.canonical(), Set.of());
    boolean resold = !r.provider().isEmpty() && v.stream().anyMatch(p -> !p.equals(r.provider()
        .toLowerCase(Locale.ROOT)));
    return resold ? "reseller" : "catalogue";
  }

  private static String order(Ask a, String priceCol, String fpFirst) {
    String dir = a.desc() ? " DESC" : " ASC";
    String byName = "LOWER(r.provider), LOWER(r.model), r.cond, r.source_id";
    String tail = "r.source_id, r.model, r.cond";
    if (priceCol != null) {
      return "r." + priceCol + dir + " NULLS LAST, " + fpFirst + ", " + byName;
    }
    return switch (a.sort()) {
      case "model" -> "LOWER(r.model)" + dir + ", " + fpFirst + ", LOWER(r.provider), " + tail;
      case "source" -> "r.source_id" + dir + ", LOWER(r.model), r.cond";
      case "changed" -> "r.last_changed" + dir + ", " + fpFirst + ", " + byName;
      // By provider: vendors' own rows first, then rows with a provider, provider-less catalogue rows last.
      default -> fpFirst + ", CASE WHEN r.provider = '' THEN 1 ELSE 0 END, LOWER(r.provider)" + dir
          + ", LOWER(r.model), " + tail;
    };
  }

  private static PriceTable.Row row(ResultSet rs) throws SQLException {
    Map<String, PriceTable.Cell> cells = new LinkedHashMap<>();
    String currency = rs.getString(6);
    String[] metrics = {"input", "output", "cache_read"};
    for (int i = 0; i < metrics.length; i++) {
      BigDecimal usd = rs.getBigDecimal(7 + 2 * i);
      if (usd != null) {
        cells.put(metrics[i], new PriceTable.Cell(Decimals.price(usd), strip(rs.getBigDecimal(8 + 2 * i)), currency));
      }
    }
    return new PriceTable.Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        cells, null);
  }

  private static BigDecimal strip(BigDecimal d) {
    return d == null ? null : Decimals.price(d);
  }

  private int count(String sql, List<Object> args) {
    int[] n = {0};
    query(sql, args, rs -> n[0] = rs.getInt(1));
    return n[0];
  }

  private void query(String sql, List<Object> args, Queries.Row row) {
    try {
      Queries.each(ds, sql, args, row);
    } catch (SQLException e) {
      throw new HistoryException("price table query", e);
    }
  }
}
