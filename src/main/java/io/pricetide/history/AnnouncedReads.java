package io.pricetide.history;

import io.pricetide.db.Queries;
import io.pricetide.db.Rows;
import io.pricetide.price.Decimals;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads of announced prices not yet in effect ({@code scheduled_change}, V18), for a "from &lt;date&gt;" note beside
 * a current price: each pending announcement with its series, value and the time it takes effect, soonest first.
 * Blocks; callers run it off the event loop.
 */
public final class AnnouncedReads {
  private final DataSource ds;

  public AnnouncedReads(DataSource ds) {
    this.ds = ds;
  }

  /**
   * The pending announcements of a canonical model (every model when null): {@code source, model,
   * canonical_model, metric, condition, value, currency, usd_per_1m, effective_from, announced_at}.
   */
  public List<JsonObject> pending(String canonicalModel) {
    List<Object> args = new ArrayList<>();
    args.add(ScheduledChanges.PENDING);
    String sql = "SELECT s.source_id, s.model, s.canonical_model, s.metric, s.cond, sc.amount, sc.currency, "
        + "sc.usd_per_1m, sc.effective_from, sc.announced_at FROM scheduled_change sc JOIN series s "
        + "ON s.id = sc.series_id WHERE sc.status = ?";
    if (canonicalModel != null) {
      sql += " AND s.canonical_model = ?";
      args.add(canonicalModel);
    }
    sql += " ORDER BY sc.effective_from, sc.id";
    List<JsonObject> out = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      Queries.each(c, sql, args, rs -> out.add(new JsonObject()
          .put("source", rs.getString(1))
          .put("model", rs.getString(2))
          .put("canonical_model", rs.getString(3))
          .put("metric", rs.getString(4))
          .put("condition", rs.getString(5).isEmpty() ? null : rs.getString(5))
          .put("value", Decimals.money(Rows.amount(rs, 6)))
          .put("currency", rs.getString(7))
          .put("usd_per_1m", Decimals.money(Rows.amount(rs, 8)))
          .put("effective_from", Rows.instant(rs, 9).toString())
          .put("announced_at", Rows.instant(rs, 10).toString())));
    } catch (SQLException e) {
      throw new HistoryException("read pending announced prices", e);
    }
    return out;
  }
}
