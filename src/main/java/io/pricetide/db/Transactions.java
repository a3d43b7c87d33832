package io.pricetide.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One JDBC transaction around a piece of work: commit when it returns, roll back when it throws, the connection
 * back in auto-commit mode either way. Each feature's store wraps the {@link SQLException} in its own exception,
 * naming what it was doing.
 */
public final class Transactions {
  private Transactions() {}

  /** Work on a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  public static <T> T run(DataSource ds, Work<T> work) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
