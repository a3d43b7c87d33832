package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which subscribers hear about one change event, and what their baselines become. Pure apart from the
 * {@link Baselines} it reads: no clock, no I/O of its own.
 *
 * <p>The change a subscriber sees is measured against the baseline they chose: the previous value (the event's
 * own percentage), the value they were last notified at (so three 12% cuts add up to a 31.85% one), the N-day high
 * or the all-time low. Without a reference yet, "last notified" starts from the event's old value and remembers
 * it. A re-arm interval holds back further messages about a series for a while after one was sent.
 */
final class Matcher {
  private Matcher() {}

  /** Reference values a plan may need, read lazily for the event's series. */
  interface Baselines {
    /** The subscription's stored row for the series, or null. */
    Row row(long subscriptionId);

    /** Highest amount of the series over the last {@code days} days before the event, with its USD; or null. */
    Reference high(int days);

    /** Lowest amount the series ever had before the event, with its USD; or null. */
    Reference low();
  }

  /** A stored per-subscriber row: reference amount and USD, and when the subscriber was last notified. */
  record Row(BigDecimal amount, BigDecimal usd, Instant notifiedAt) {}

  /** A reference value in the source's currency and in USD per 1M tokens. */
  record Reference(BigDecimal amount, BigDecimal usd) {}

  /** One subscriber to notify, with the change against their baseline (null when the event has none). */
  record Notice(Subscription subscription, BigDecimal pct, BigDecimal baselineUsd) {}

  /** A baseline row to write: insert when {@code insert}, else update. */
  record RowWrite(long subscriptionId, boolean insert, BigDecimal amount, BigDecimal usd, Instant notifiedAt) {}

  /** What matching one event decided. */
  record Plan(List<Notice> notices, List<RowWrite> rows) {}

  /** Plans the notices of a subscriber-facing event; operator kinds never reach subscribers. */
  static Plan plan(ChangeEvent e, List<Subscription> subscriptions, Baselines baselines, Instant now) {
    List<Notice> notices = new ArrayList<>();
    List<RowWrite> rows = new ArrayList<>();
    // A moved retirement date carries two dates, not two prices.
    boolean priceChange = !ChangeEvent.MODEL_DEPRECATED.equals(e.kind()) && e.oldValue() != null
        && e.newValue() != null;
    for (Subscription s : subscriptions) {
      if (s.operator() || !s.isActive() || s.isWorkload() || !s.filter().selects(e)) {
        continue;
      }
      if (s.hasTarget()) {
        // A target price is an edge: the new value crossed it. Percentages and baselines do not apply.
        if (crosses(e, s.targetBelow(), s.targetAbove())) {
          notices.add(new Notice(s, e.changePct(), e.oldUsd()));
        }
        continue;
      }
      if (!priceChange) {
        if (s.filter().passes(e.changePct())) {
          notices.add(new Notice(s, e.changePct(), e.oldUsd()));
        }
        continue;
      }
      Row row = s.keepsBaselineRows() ? baselines.row(s.id()) : null;
      Reference ref = reference(e, s, row, baselines);
      BigDecimal pct = Decimals.changePct(ref.amount(), e.newValue());
      boolean rearmed = s.rearmSeconds() <= 0 || row == null || row.notifiedAt() == null
          || !now.isBefore(row.notifiedAt().plusSeconds(s.rearmSeconds()));
      boolean notify = pct != null && s.filter().passes(pct) && rearmed;
      if (notify) {
        notices.add(new Notice(s, pct, ref.usd()));
        if (s.keepsBaselineRows()) {
          rows.add(new RowWrite(s.id(), row == null, e.newValue(), e.newUsd(), now));
        }
      } else if (row == null && Subscription.LAST_NOTIFIED.equals(s.baseline())) {
        // The first change this subscriber sees: remember where the series started.
        rows.add(new RowWrite(s.id(), true, e.oldValue(), e.oldUsd(), null));
      }
    }
    return new Plan(notices, rows);
  }

  /**
   * True when the event's new price (USD per 1M) crossed a target: fell below {@code below} from at or above it, or
   * rose above {@code above} from at or below it. A price that had no value before (a new model or metric) crosses
   * when it starts beyond the target; an event without a new price (a removal, usage) never does.
   */
  static boolean crosses(ChangeEvent e, BigDecimal below, BigDecimal above) {
    BigDecimal now = e.newUsd();
    if (now == null || e.isUsage()) {
      return false;
    }
    BigDecimal was = e.oldValue() == null ? null : e.oldUsd();
    boolean down = below != null && now.compareTo(below) < 0 && (was == null || was.compareTo(below) >= 0);
    boolean up = above != null && now.compareTo(above) > 0 && (was == null || was.compareTo(above) <= 0);
    return down || up;
  }

  private static Reference reference(ChangeEvent e, Subscription s, Row row, Baselines baselines) {
    Reference previous = new Reference(e.oldValue(), e.oldUsd());
    Reference r = switch (s.baseline()) {
      case Subscription.LAST_NOTIFIED -> row == null || row.amount() == null ? previous
          : new Reference(row.amount(), row.usd());
      case Subscription.N_DAY_HIGH -> baselines.high(s.baselineDays());
      case Subscription.ALL_TIME_LOW -> baselines.low();
      default -> previous;
    };
    return r == null || r.amount() == null || r.amount().signum() == 0 ? previous : r;
  }
}
