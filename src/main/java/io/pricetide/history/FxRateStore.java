package io.pricetide.history;

import io.pricetide.db.Rows;
import io.pricetide.price.Currencies;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Exchange rates as the history of the exchange-rate sources holds them: series with metric {@value #METRIC}, the
 * model being the currency code and the value USD per unit. The rate at an instant is the last point at or before
 * it. Lookups are cached per currency and day; {@link #invalidate()} drops the cache when new rates arrive.
 */
public final class FxRateStore implements Currencies.RateLookup {
  /** The metric under which FX sources record USD per one unit of a currency. */
  public static final String METRIC = io.pricetide.price.Metrics.FX_RATE;

  private final DataSource ds;
  private final Map<String, Optional<BigDecimal>> cache = new ConcurrentHashMap<>();

  public FxRateStore(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public Optional<BigDecimal> usdPerUnit(String currency, Instant at) {
    Instant endOfDay = at.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).minusMillis(1);
    // The rate of the price's own (UTC) day: the last rate recorded up to the end of that day.
    return cache.computeIfAbsent(currency + "@" + endOfDay, k -> query(currency, endOfDay));
  }

  private Optional<BigDecimal> query(String currency, Instant at) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT p.amount FROM series s "
        + "JOIN price_point p ON p.series_id = s.id WHERE s.metric = ? AND s.model = ? AND p.observed_at <= ? "
        + "AND p.amount IS NOT NULL ORDER BY p.observed_at DESC, p.id DESC LIMIT 1")) {
      ps.setString(1, METRIC);
      ps.setString(2, currency);
      ps.setObject(3, Rows.odt(at));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBigDecimal(1).stripTrailingZeros()) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new HistoryException("read exchange rate of " + currency, e);
    }
  }

  /** Forgets cached lookups; called after an exchange-rate source recorded new rates. */
  public void invalidate() {
    cache.clear();
  }
}
