package io.pricetide.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** A parameterised query whose rows are handed one by one to a reader, written once for every store. */
public final class Queries {
  private Queries() {}

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  /** Runs {@code sql} with {@code args} bound in order on {@code c} and hands each row to {@code row}. */
  public static void each(Connection c, String sql, List<?> args, Row row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    }
  }

  /**
   * As {@link #each(Connection, String, List, Row)} on a connection of its own, fetching rows in batches of
   * {@code fetchSize} where the driver honours it (PostgreSQL needs a transaction for that), so a long answer is
   * read as it is handed on rather than whole.
   */
  public static void stream(DataSource ds, String sql, List<?> args, int fetchSize, Row row) throws SQLException {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(fetchSize);
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            row.accept(rs);
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(auto);
      }
    }
  }

  /** As {@link #each(Connection, String, List, Row)} on a connection of its own. */
  public static void each(DataSource ds, String sql, List<?> args, Row row) throws SQLException {
    try (Connection c = ds.getConnection()) {
      each(c, sql, args, row);
    }
  }
}
