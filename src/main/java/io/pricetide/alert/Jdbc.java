package io.pricetide.alert;

import io.pricetide.db.Transactions;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The alert stores' transaction wrapper: a failure names what the store was doing. */
final class Jdbc {
  private Jdbc() {}

  static <T> T tx(DataSource ds, String what, Transactions.Work<T> work) {
    try {
      return Transactions.run(ds, work);
    } catch (SQLException e) {
      throw new AlertException(what + ": " + e.getMessage(), e);
    }
  }
}
