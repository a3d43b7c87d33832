package io.pricetide.detect;

/**
 * A check that loses more than {@code max_row_loss_pct} of the source's active series is a broken source, not a
 * wave of removals. Renamed series count as present, and a redesigned page ({@link CheckView#redesigned}) passes:
 * what it no longer names was removed.
 */
final class RowLoss implements CheckGuard {
  @Override
  public String refuse(CheckView check) {
    long active = check.activeBefore();
    long lost = check.lost();
    int max = check.guards().maxRowLossPct();
    if (active > 0 && lost * 100 > active * max && !check.redesigned()) {
      return "extraction lost " + lost + " of " + active + " prices (more than " + max
          + "%); treated as a broken source, not removals";
    }
    return null;
  }
}
