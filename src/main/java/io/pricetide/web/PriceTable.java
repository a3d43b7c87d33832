package io.pricetide.web;

import io.pricetide.price.Decimals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The home page's table: current prices pivoted to one row per source, model and condition, with input, output,
 * cache read and the blended 3:1 price, filtered and sorted. Money stays {@link BigDecimal} until printed.
 */
public final class PriceTable {
  /** Sortable columns, by their query-string name. */
  public static final List<String> COLUMNS = List.of("provider", "model", "source", "input", "output",
      "cache_read", "blended", "changed");

  private PriceTable() {}

  /**
   * One price in a row.
   *
   * @param usd USD per 1M tokens
   * @param value the amount in the source's currency
   * @param currency the source's currency
   */
  public record Cell(BigDecimal usd, BigDecimal value, String currency) {}

  /**
   * One row of the table.
   *
   * @param source source id
   * @param provider provider
   * @param model the model as the source names it
   * @param canonical canonical model id
   * @param condition condition (tier, band, region), empty for none
   * @param cells prices by metric
   * @param lastChange the latest price move or addition, null when none is recorded
   */
  public record Row(String source, String provider, String model, String canonical, String condition,
      Map<String, Cell> cells, UiQueries.LastChange lastChange) {

    /** Price of a metric in USD per 1M, null when the source does not give it. */
    public BigDecimal usd(String metric) {
      Cell c = cells.get(metric);
      return c == null ? null : c.usd();
    }

    /** The blended 3:1 price, (3 × input + output) / 4, exactly; null unless both are known. */
    public BigDecimal blended() {
      BigDecimal in = usd("input");
      BigDecimal out = usd("output");
      if (in == null || out == null) {
        return null;
      }
      // A quarter of a decimal is a decimal: exact, like every price.
      return Decimals.price(in.multiply(BigDecimal.valueOf(3)).add(out).divide(BigDecimal.valueOf(4)));
    }
  }

  /** Pivots the rows of {@code /api/prices} and attaches the latest change of each row. */
  public static List<Row> rows(JsonArray prices, Map<String, UiQueries.LastChange> changes) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (Object o : prices) {
      JsonObject p = (JsonObject) o;
      String cond = p.getString("condition") == null ? "" : p.getString("condition");
      String k = UiQueries.key(p.getString("source"), p.getString("model"), cond);
      Row r = rows.computeIfAbsent(k, x -> new Row(p.getString("source"), p.getString("provider"),
          p.getString("model"), p.getString("canonical_model"), cond, new LinkedHashMap<>(), changes.get(x)));
      r.cells().put(p.getString("metric"), new Cell(dec(p.getString("usd_per_1m")), dec(p.getString("value")),
          p.getString("currency")));
    }
    return new ArrayList<>(rows.values());
  }

  /** Keeps the rows matching every given filter; null or blank filters pass everything. */
  public static List<Row> filter(List<Row> rows, String q, String provider, String source) {
    String needle = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
    return rows.stream()
        .filter(r -> provider == null || provider.isBlank() || r.provider().equalsIgnoreCase(provider))
        .filter(r -> source == null || source.isBlank() || r.source().equals(source))
        .filter(r -> needle.isEmpty() || searchText(r).contains(needle))
        .toList();
  }

  /** The text the search box matches: provider, model, canonical id, source and condition. */
  public static String searchText(Row r) {
    return String.join(" ", r.provider(), r.model(), r.canonical(), r.source(), r.condition())
        .toLowerCase(Locale.ROOT);
  }

  /** As {@link #sort(List, String, boolean, java.util.Set)} with no vendor sources. */
  public static List<Row> sort(List<Row> rows, String column, boolean descending) {
    return sort(rows, column, descending, java.util.Set.of());
  }

  /**
   * Sorts by a column of {@link #COLUMNS}, as the SQL of the table does: unknown columns sort by provider, rows of
   * the vendor sources {@code firstParty} first, then rows with a provider. Missing values go last.
   */
  public static List<Row> sort(List<Row> rows, String column, boolean descending, java.util.Set<String> firstParty) {
    Comparator<Row> fpFirst = Comparator.comparing((Row r) -> firstParty.contains(r.source()) ? 0 : 1);
    Comparator<Row> byName = fpFirst.thenComparing((Row r) -> r.provider().toLowerCase(Locale.ROOT))
        .thenComparing(r -> r.model().toLowerCase(Locale.ROOT)).thenComparing(Row::condition)
        .thenComparing(Row::source);
    Comparator<Row> primary = switch (column == null ? "" : column) {
      case "model" -> nullsLast(r -> r.model().toLowerCase(Locale.ROOT), descending);
      case "input", "output", "cache_read" -> nullsLast(r -> r.usd(column), descending);
      case "blended" -> nullsLast(Row::blended, descending);
      case "source" -> nullsLast(Row::source, descending);
      case "changed" -> nullsLast(r -> r.lastChange() == null ? null : r.lastChange().observedAt(), descending);
      default -> fpFirst.thenComparing(r -> r.provider().isEmpty() ? 1 : 0)
          .thenComparing(nullsLast(r -> r.provider().toLowerCase(Locale.ROOT), descending));
    };
    List<Row> out = new ArrayList<>(rows);
    out.sort(primary.thenComparing(byName));
    return out;
  }

  private static <T extends Comparable<T>> Comparator<Row> nullsLast(Function<Row, T> key, boolean descending) {
    Comparator<T> natural = descending ? Comparator.<T>reverseOrder() : Comparator.<T>naturalOrder();
    return Comparator.comparing(key, Comparator.nullsLast(natural));
  }

  static BigDecimal dec(String s) {
    return s == null ? null : new BigDecimal(s);
  }
}
