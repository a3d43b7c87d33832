package io.pricetide.alert;

import io.pricetide.detect.ChangeEvent;
import io.pricetide.price.Decimals;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/** JDBC plumbing shared by the alert stores: transactions, time columns and reading change events. */
final class Jdbc {
  /** The columns {@link #event} reads, in order, for a change_event aliased {@code e}. */
  static final String EVENT_COLUMNS = "e.id, e.kind, e.source_id, e.provider, e.model, e.canonical_model, e.metric, "
      + "e.cond, e.old_usd, e.new_usd, e.old_amount, e.new_amount, e.currency, e.change_pct, e.observed_at, "
      + "e.stage, e.reason";

  private Jdbc() {}

  static <T> T tx(DataSource ds, String what, io.pricetide.history.Transactions.Work<T> work) {
    try {
      return io.pricetide.history.Transactions.run(ds, work);
    } catch (SQLException e) {
      throw new AlertException(what + ": " + e.getMessage(), e);
    }
  }

  static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /**
   * A time column value: whole microseconds, what both databases keep, so a value compares equal to what was
   * stored (neither database ever rounds a nanosecond instant up past the instant a query compares it with).
   */
  static OffsetDateTime odt(Instant i) {
    return i == null ? null : i.truncatedTo(java.time.temporal.ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, int col) throws SQLException {
    OffsetDateTime o = rs.getObject(col, OffsetDateTime.class);
    if (o != null) {
      return o.toInstant();
    }
    Timestamp ts = rs.getTimestamp(col);
    return ts == null ? null : ts.toInstant();
  }

  static BigDecimal price(BigDecimal d) {
    return d == null ? null : Decimals.price(d);
  }

  /** Reads a change event from {@link #EVENT_COLUMNS} starting at column {@code at}; null when its id is null. */
  static ChangeEvent event(ResultSet rs, int at) throws SQLException {
    long id = rs.getLong(at);
    if (rs.wasNull()) {
      return null;
    }
    String cond = rs.getString(at + 7);
    return new ChangeEvent(id, rs.getString(at + 1), rs.getString(at + 2), rs.getString(at + 3),
        rs.getString(at + 4), rs.getString(at + 5), rs.getString(at + 6), cond == null ? "" : cond,
        price(rs.getBigDecimal(at + 8)), price(rs.getBigDecimal(at + 9)), price(rs.getBigDecimal(at + 10)),
        price(rs.getBigDecimal(at + 11)), rs.getString(at + 12), rs.getBigDecimal(at + 13), instant(rs, at + 14),
        rs.getString(at + 15), rs.getString(at + 16));
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
