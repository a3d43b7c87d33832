package io.pricetide.history;

import io.pricetide.db.Queries;
import io.pricetide.db.Rows;
import io.pricetide.detect.Previous;
import io.pricetide.detect.Witnesses;
import io.pricetide.price.Observation;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The other sources of a model, read in the check's transaction: every other source's active series of the same
 * canonical model, metric and condition, by its USD value. A value within {@value #TOLERANCE_PCT}% of the held-back
 * value confirms it; otherwise one within that of the value before contradicts it.
 */
final class SourceWitnesses implements Witnesses {
  static final BigDecimal TOLERANCE_PCT = new BigDecimal("0.5");

  private final Connection c;
  private final String sourceId;

  SourceWitnesses(Connection c, String sourceId) {
    this.c = c;
    this.sourceId = sourceId;
  }

  @Override
  public Verdict judge(Observation now, Previous before) {
    if (now.usdPer1m() == null) {
      return Verdict.UNKNOWN;
    }
    List<BigDecimal> others = new ArrayList<>();
    try {
      Queries.each(c, "SELECT usd_per_1m FROM series WHERE active = TRUE AND canonical_model = ? AND metric = ? "
          + "AND cond = ? AND source_id <> ? AND usd_per_1m IS NOT NULL", List.of(now.canonicalModel(), now.metric(),
              now.condition(), sourceId), rs -> others.add(Rows.amount(rs, 1)));
    } catch (SQLException e) {
      throw new HistoryException("ask other sources of " + now.canonicalModel(), e);
    }
    if (others.stream().anyMatch(v -> near(v, now.usdPer1m()))) {
      return Verdict.CONFIRMED;
    }
    if (before.usdPer1m() != null && others.stream().anyMatch(v -> near(v, before.usdPer1m()))) {
      return Verdict.CONTRADICTED;
    }
    return Verdict.UNKNOWN;
  }

  private static boolean near(BigDecimal a, BigDecimal b) {
    if (a.signum() == 0 || b.signum() == 0) {
      return a.signum() == b.signum();
    }
    BigDecimal diff = a.subtract(b).abs().multiply(BigDecimal.valueOf(100)).divide(b.abs(), MathContext.DECIMAL64);
    return diff.compareTo(TOLERANCE_PCT) <= 0;
  }
}
