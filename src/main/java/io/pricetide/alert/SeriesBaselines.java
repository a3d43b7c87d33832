package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.db.Rows;
import io.pricetide.history.AlertReads;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baselines of the event's series, read lazily inside the match transaction: the subscribers' own rows
 * ({@code alert_baseline}) here, the series' high and low from history through {@link AlertReads}.
 */
final class SeriesBaselines implements Matcher.Baselines {
  private final Connection c;
  private final AlertReads history;
  private final ChangeEvent e;
  private final AlertReads.Series series;
  private Map<Long, Matcher.Row> rows;
  private final Map<Integer, Matcher.Reference> highs = new HashMap<>();
  private Matcher.Reference low;
  private boolean lowRead;

  SeriesBaselines(Connection c, AlertReads history, ChangeEvent e) {
    this.c = c;
    this.history = history;
    this.e = e;
    this.series = AlertReads.Series.of(e);
  }

  @Override
  public Matcher.Row row(long subscriptionId) {
    if (rows == null) {
      Map<Long, Matcher.Row> read = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT subscription_id, amount, usd_per_1m, notified_at "
          + "FROM alert_baseline WHERE source_id = ? AND model = ? AND metric = ? AND cond = ?")) {
        bindSeries(ps, 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            read.put(rs.getLong(1), new Matcher.Row(Rows.amount(rs, 2), Rows.amount(rs, 3), Rows.instant(rs, 4)));
          }
        }
      } catch (SQLException ex) {
        throw failed(ex);
      }
      rows = read;
    }
    return rows.get(subscriptionId);
  }

  @Override
  public Matcher.Reference high(int days) {
    return highs.computeIfAbsent(days, d -> {
      try {
        return reference(history.highSince(c, series, e.observedAt().minus(Duration.ofDays(d)), e.observedAt()));
      } catch (SQLException ex) {
        throw failed(ex);
      }
    });
  }

  @Override
  public Matcher.Reference low() {
    if (!lowRead) {
      try {
        low = reference(history.lowBefore(c, series, e.observedAt()));
      } catch (SQLException ex) {
        throw failed(ex);
      }
      lowRead = true;
    }
    return low;
  }

  private static Matcher.Reference reference(AlertReads.Price p) {
    return p == null ? null : new Matcher.Reference(p.amount(), p.usdPer1m());
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
        bindSeries(ps, 6);
        ps.addBatch();
      }
      ins.executeBatch();
      up.executeBatch();
    }
  }

  private void bindSeries(PreparedStatement ps, int at) throws SQLException {
    ps.setString(at, series.sourceId());
    ps.setString(at + 1, series.model());
    ps.setString(at + 2, series.metric());
    ps.setString(at + 3, series.cond());
  }

  private AlertException failed(SQLException ex) {
    return new AlertException("read baselines of event " + e.id() + ": " + ex.getMessage(), ex);
  }
}
