package io.pricetide.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The storage floor of a run: the rows the run left in the history tables, captured after it, then inserted into
 * a fresh database with plain JDBC batches, one transaction per unit of work (a check), ids given. No reads, no
 * change detection, no updates: what any implementation that keeps these rows must at least pay to the database.
 * The benches set it beside their baseline, so a bar below it shows as a bar below the floor.
 */
final class WriteFloor {
  /** One table's rows of one unit: column names and values. */
  private record Rows(List<String> columns, List<Object[]> values) {}

  /** Units in order (by key), each table's rows in the order inserted. */
  private final TreeMap<Long, Map<String, Rows>> units = new TreeMap<>();

  private WriteFloor() {}

  /**
   * Reads {@code tables} (in insertion order: parents first) from {@code ds}; {@code unitOf} names, per table, the
   * unit a row belongs to from the row's values by column name.
   */
  static WriteFloor capture(DataSource ds, Map<String, Function<Map<String, Object>, Long>> tables)
      throws SQLException {
    WriteFloor f = new WriteFloor();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      for (Map.Entry<String, Function<Map<String, Object>, Long>> t : tables.entrySet()) {
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + t.getKey() + " ORDER BY id")) {
          ResultSetMetaData md = rs.getMetaData();
          List<String> cols = new ArrayList<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
          }
          while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            Object[] values = new Object[cols.size()];
            for (int i = 0; i < values.length; i++) {
              values[i] = rs.getObject(i + 1);
              row.put(cols.get(i), values[i]);
            }
            Long unit = t.getValue().apply(row);
            f.units.computeIfAbsent(unit, k -> new LinkedHashMap<>())
                .computeIfAbsent(t.getKey(), k -> new Rows(cols, new ArrayList<>())).values().add(values);
          }
        }
      }
    }
    return f;
  }

  int rows() {
    return units.values().stream().flatMap(u -> u.values().stream()).mapToInt(r -> r.values().size()).sum();
  }

  int units() {
    return units.size();
  }

  /** Inserts every captured row into {@code ds}, one transaction per unit; returns the rows written. */
  int insertInto(DataSource ds) throws SQLException {
    int n = 0;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      for (Map<String, Rows> unit : units.values()) {
        for (Map.Entry<String, Rows> t : unit.entrySet()) {
          List<String> cols = t.getValue().columns();
          String sql = "INSERT INTO " + t.getKey() + " (" + String.join(", ", cols) + ") VALUES ("
              + String.join(",", java.util.Collections.nCopies(cols.size(), "?")) + ")";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] v : t.getValue().values()) {
              for (int i = 0; i < v.length; i++) {
                ps.setObject(i + 1, v[i]);
              }
              ps.addBatch();
              n++;
            }
            ps.executeBatch();
          }
        }
        c.commit();
      }
      c.setAutoCommit(true);
    }
    return n;
  }
}
