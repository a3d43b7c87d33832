package io.pricetide.db;

import io.pricetide.bus.ChangeEvent;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The one mapping of a {@code change_event} row to a {@link ChangeEvent}, for every store that reads events. */
public final class EventRows {
  /** The columns {@link #read} reads, in order, for a change_event aliased {@code e}. */
  public static final String COLUMNS = "e.id, e.kind, e.source_id, e.provider, e.model, e.canonical_model, e.metric, "
      + "e.cond, e.old_usd, e.new_usd, e.old_amount, e.new_amount, e.currency, e.change_pct, e.observed_at, "
      + "e.stage, e.reason, e.notify, e.effective_from";

  private EventRows() {}

  /** Reads a change event from {@link #COLUMNS} starting at column {@code at}; null when its id is null. */
  public static ChangeEvent read(ResultSet rs, int at) throws SQLException {
    long id = rs.getLong(at);
    if (rs.wasNull()) {
      return null;
    }
    String cond = rs.getString(at + 7);
    return new ChangeEvent(id, rs.getString(at + 1), rs.getString(at + 2), rs.getString(at + 3),
        rs.getString(at + 4), rs.getString(at + 5), rs.getString(at + 6), cond == null ? "" : cond,
        Rows.amount(rs, at + 8), Rows.amount(rs, at + 9), Rows.amount(rs, at + 10), Rows.amount(rs, at + 11),
        rs.getString(at + 12), rs.getBigDecimal(at + 13), Rows.instant(rs, at + 14), rs.getString(at + 15),
        rs.getString(at + 16), rs.getBoolean(at + 17), Rows.instant(rs, at + 18));
  }
}
