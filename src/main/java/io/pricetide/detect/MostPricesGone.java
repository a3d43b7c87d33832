package io.pricetide.detect;

/**
 * Prices that vanished (missing or removed: "contact us", "N/A"), turned to zero (a "Free" held back as a fall to
 * zero) or were refused as no price, taken together: when they are more than {@code max_row_loss_pct} of the
 * source's active series, the page no longer says what it said (every input "free", every output "contact us") and
 * the check is a broken source, not a set of changes. Exactly {@code max_row_loss_pct} still applies. Other held
 * values (a unit flip, a currency flip) are still prices: they are held one by one and the rest applies. On a
 * redesigned page ({@link CheckView#redesigned}) the series it no longer names are removals and are not counted.
 */
final class MostPricesGone implements PlanGuard {
  @Override
  public String refuse(CheckView check, ChangePlan plan) {
    long active = check.activeBefore();
    long zeroed = plan.held.stream().filter(o -> o.value().signum() <= 0).count();
    long vanished = check.redesigned() ? 0 : plan.missing.size() + plan.removed.size();
    long gone = vanished + zeroed + plan.refused.size();
    int max = check.guards().maxRowLossPct();
    if (active > 0 && gone * 100 > active * max) {
      return gone + " of " + active + " prices vanished, turned to zero or are no price (more than " + max
          + "%): the page no longer says what it said; treated as a broken source";
    }
    return null;
  }
}
