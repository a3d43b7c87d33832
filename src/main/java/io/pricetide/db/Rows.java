package io.pricetide.db;

import io.pricetide.price.Decimals;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Column conversions every store shares, written once: times, amounts, generated keys and bounded text. Times are
 * whole microseconds, what both databases keep, so a value read back compares equal to the one written (neither
 * database ever rounds a nanosecond instant up past the instant a query compares it with).
 */
public final class Rows {
  private Rows() {}

  /** A time column value in UTC, truncated to microseconds; null stays null. */
  public static OffsetDateTime odt(Instant i) {
    return i == null ? null : i.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /** A time column read back, whichever way the driver returns it; null for SQL NULL. */
  public static Instant instant(ResultSet rs, int col) throws SQLException {
    OffsetDateTime o = rs.getObject(col, OffsetDateTime.class);
    if (o != null) {
      return o.toInstant();
    }
    Timestamp ts = rs.getTimestamp(col);
    return ts == null ? null : ts.toInstant();
  }

  /** A time column read back by name. */
  public static Instant instant(ResultSet rs, String col) throws SQLException {
    return instant(rs, rs.findColumn(col));
  }

  /**
   * An amount column read back as the value it was written, never rounded: trailing zeros stripped (rows written
   * before V13 carry the old fixed scale), at least two decimals ({@link Decimals#price}).
   */
  public static BigDecimal amount(ResultSet rs, int col) throws SQLException {
    BigDecimal d = rs.getBigDecimal(col);
    return d == null ? null : Decimals.price(d);
  }

  /** The key the statement's insert generated. */
  public static long generatedId(PreparedStatement ps) throws SQLException {
    try (ResultSet keys = ps.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("no generated key");
      }
      return keys.getLong(1);
    }
  }

  /** True when the statement broke a unique constraint (both databases say 23505). */
  public static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /** Text cut to {@code max} characters for a bounded column, marked with an ellipsis when cut. */
  public static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
