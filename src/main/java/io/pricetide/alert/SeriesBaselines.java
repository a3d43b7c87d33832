package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.db.Rows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Baselines of the event's series, read lazily inside the match transaction. */
final class SeriesBaselines implements Matcher.Baselines {
  private final Connection c;
  private final ChangeEvent e;
  private final String cond;
  private Map<Long, Matcher.Row> rows;
  private final Map<Integer, Matcher.Reference> highs = new HashMap<>();
  private Matcher.Reference low;
  private boolean lowRead;

  SeriesBaselines(Connection c, ChangeEvent e) {
    this.c = c;
    this.e = e;
    this.cond = e.condition() == null ? "" : e.condition();
  }

  @Override
  public Matcher.Row row(long subscriptionId) {
    if (rows == null) {
      rows = new HashMap<>();
      query("SELECT subscription_id, amount, usd_per_1m, notified_at FROM alert_baseline WHERE source_id = ? "
          + "AND model = ? AND metric = ? AND cond = ?", List.of(), rs -> rows.put(rs.getLong(1),
              new Matcher.Row(Rows.amount(rs, 2), Rows.amount(rs, 3),
                  Rows.instant(rs, 4))));
    }
    return rows.get(subscriptionId);
  }

  @Override
  public Matcher.Reference high(int days) {
    return highs.computeIfAbsent(days, d -> {
      Instant start = e.observedAt().minus(Duration.ofDays(d));
      Matcher.Reference[] best = {null};
      RowReader keep = rs -> {
        BigDecimal a = rs.getBigDecimal(1);
        if (a != null && (best[0] == null || a.compareTo(best[0].amount()) > 0)) {
          best[0] = new Matcher.Reference(io.pricetide.price.Decimals.price(a), Rows.amount(rs, 2));
        }
      };
      String base = "SELECT p.amount, p.usd_per_1m FROM price_point p JOIN series s ON s.id = p.series_id "
          + "WHERE s.source_id = ? AND s.model = ? AND s.metric = ? AND s.cond = ? AND p.amount IS NOT NULL ";
      query(base + "AND p.observed_at >= ? AND p.observed_at < ? ORDER BY p.amount DESC LIMIT 1",
          List.of(Rows.odt(start), Rows.odt(e.observedAt())), keep);
      // The value in force when the window opened counts too.
      query(base + "AND p.observed_at < ? ORDER BY p.observed_at DESC, p.id DESC LIMIT 1",
          List.of(Rows.odt(start)), keep);
      return best[0];
    });
  }

  @Override
  public Matcher.Reference low() {
    if (!lowRead) {
      lowRead = true;
      query("SELECT p.amount, p.usd_per_1m FROM price_point p JOIN series s ON s.id = p.series_id "
          + "WHERE s.source_id = ? AND s.model = ? AND s.metric = ? AND s.cond = ? AND p.amount IS NOT NULL "
          + "AND p.observed_at < ? ORDER BY p.amount ASC LIMIT 1", List.of(Rows.odt(e.observedAt())),
          rs -> low = new Matcher.Reference(Rows.amount(rs, 1), Rows.amount(rs, 2)));
    }
    return low;
  }

  void write(List<Matcher.RowWrite> writes, Instant now) throws SQLException {
    if (writes.isEmpty()) {
      return;
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO alert_baseline (amount, usd_per_1m, notified_at, "
        + "updated_at, subscription_id, source_id, model, metric, cond) VALUES (?,?,?,?,?,?,?,?,?)");
        PreparedStatement up = c.prepareStatement("UPDATE alert_baseline SET amount = ?, usd_per_1m = ?, "
            + "notified_at = ?, updated_at = ? WHERE subscription_id = ? AND source_id = ? AND model = ? "
            + "AND metric = ? AND cond = ?")) {
      for (Matcher.RowWrite w : writes) {
        PreparedStatement ps = w.insert() ? ins : up;
        ps.setBigDecimal(1, w.amount());
        ps.setBigDecimal(2, w.usd());
        ps.setObject(3, Rows.odt(w.notifiedAt()));
        ps.setObject(4, Rows.odt(now));
        ps.setLong(5, w.subscriptionId());
        ps.setString(6, e.sourceId());
        ps.setString(7, e.model());
        ps.setString(8, e.metric());
        ps.setString(9, cond);
        ps.addBatch();
      }
      ins.executeBatch();
      up.executeBatch();
    }
  }

  private void query(String sql, List<Object> extra, RowReader row) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, e.sourceId());
      ps.setString(2, e.model());
      ps.setString(3, e.metric());
      ps.setString(4, cond);
      for (int i = 0; i < extra.size(); i++) {
        ps.setObject(5 + i, extra.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    } catch (SQLException ex) {
      throw new AlertException("read baselines of event " + e.id() + ": " + ex.getMessage(), ex);
    }
  }

  /** Row callback of the query helper. */
  @FunctionalInterface
  interface RowReader {
    void accept(ResultSet rs) throws SQLException;
  }
}
