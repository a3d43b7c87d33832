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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rows of the outbox ({@code alert_delivery}) as every part of alerting writes them: their statuses, and the
 * one insert, due now or already claimed. Each delivery gets a {@code delivery_id} that stays the same across
 * attempts, so a receiver can drop a repeat.
 */
final class Deliveries {
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String DEAD = "dead";
  static final String CANCELLED = "cancelled";

  private Deliveries() {}

  static String newDeliveryId() {
    return UUID.randomUUID().toString();
  }

  /**
   * When a claim made at {@code now} runs out: whole milliseconds, which both databases store exactly, so the
   * rows of one claim can be found again by {@code next_attempt_at = leaseEnd}.
   */
  static Instant leaseEnd(Instant now, Duration lease) {
    return now.plus(lease).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  /** A row to insert into the outbox; {@code subscription} is needed only for rows handed over at once. */
  record NewDelivery(long subscriptionId, String lane, String messageType, String dedupeKey, Long eventId,
      BigDecimal baselineUsd, BigDecimal baselinePct, String payload, Subscription subscription) {
    NewDelivery(long subscriptionId, String lane, String messageType, String dedupeKey, Long eventId,
        BigDecimal baselineUsd, BigDecimal baselinePct, String payload) {
      this(subscriptionId, lane, messageType, dedupeKey, eventId, baselineUsd, baselinePct, payload, null);
    }
  }

  static void insert(Connection c, List<NewDelivery> rows, Instant now, Instant expires)
      throws SQLException {
    insert(c, rows, now, expires, null, null, null);
  }

  /**
   * Inserts outbox rows, due now; or, with a claim token, already claimed until {@code leaseUntil}, in which case
   * the jobs are built (event given) so the caller can hand them to the workers without a claim query.
   */
  static List<Job> insert(Connection c, List<NewDelivery> rows, Instant now, Instant expires,
      String claimToken, Instant leaseUntil, ChangeEvent event) throws SQLException {
    return insert(c, rows, now, expires, claimToken, null, claimToken == null ? 0 : rows.size(), leaseUntil, event);
  }

  /**
   * As {@link #insert(Connection, List, Instant, Instant, String, Instant, ChangeEvent)}, with only the first
   * {@code claimCount} rows claimed, by incarnation {@code claimedBy} (cluster mode; null for a single node); the
   * others are due now, for any node to claim.
   */
  static List<Job> insert(Connection c, List<NewDelivery> rows, Instant now, Instant expires, String claimToken,
      String claimedBy, int claimCount, Instant leaseUntil, ChangeEvent event) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    boolean claimed = claimToken != null && claimCount > 0;
    List<Job> jobs = new ArrayList<>(claimed ? Math.min(claimCount, rows.size()) : 0);
    try (PreparedStatement ps = claimed
        ? c.prepareStatement(INSERT_DELIVERY, java.sql.Statement.RETURN_GENERATED_KEYS)
        : c.prepareStatement(INSERT_DELIVERY)) {
      for (int from = 0; from < rows.size(); from += 1000) {
        List<NewDelivery> chunk = rows.subList(from, Math.min(rows.size(), from + 1000));
        List<String> ids = new ArrayList<>(chunk.size());
        for (int k = 0; k < chunk.size(); k++) {
          NewDelivery d = chunk.get(k);
          boolean mine = claimed && from + k < claimCount;
          String deliveryId = newDeliveryId();
          ids.add(deliveryId);
          ps.setString(1, deliveryId);
          ps.setLong(2, d.subscriptionId());
          ps.setString(3, d.lane());
          ps.setString(4, d.messageType());
          ps.setString(5, d.dedupeKey());
          ps.setObject(6, d.eventId());
          ps.setBigDecimal(7, d.baselineUsd());
          ps.setBigDecimal(8, d.baselinePct());
          ps.setString(9, d.payload());
          ps.setObject(10, Rows.odt(mine ? leaseUntil : now));
          ps.setString(11, mine ? claimToken : null);
          ps.setObject(12, Rows.odt(now));
          ps.setObject(13, Rows.odt(expires));
          ps.setString(14, mine ? claimedBy : null);
          ps.addBatch();
        }
        ps.executeBatch();
        if (claimed && from < claimCount) {
          try (ResultSet keys = ps.getGeneratedKeys()) {
            int i = 0;
            while (keys.next()) {
              NewDelivery d = chunk.get(i);
              if (from + i < claimCount) {
                jobs.add(new Job(keys.getLong(1), ids.get(i), d.messageType(), 0, now, expires, claimToken,
                    leaseUntil, d.subscription(), event, d.baselineUsd(), d.baselinePct(), d.payload(), List.of()));
              }
              i++;
            }
            if (i != chunk.size()) {
              throw new SQLException("driver returned " + i + " keys for " + chunk.size() + " rows");
            }
          }
        }
      }
    }
    return jobs;
  }

  private static final String INSERT_DELIVERY = "INSERT INTO alert_delivery (delivery_id, subscription_id, lane, "
      + "message_type, dedupe_key, event_id, baseline_usd, baseline_pct, payload, status, attempts, "
      + "next_attempt_at, claim_token, created_at, expires_at, claimed_by) VALUES (?,?,?,?,?,?,?,?,?,'pending',0,?,?,?,?,?)";

}
