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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The delivery queue on JDBC: claiming due rows under a lease, renewing a claim, recording attempts with their
 * backoff, and freeing claims left by a dead process. Every method blocks.
 *
 * <p>A claim moves {@code next_attempt_at} forward by the lease and stamps a claim token; a worker that dies
 * mid-send simply lets the lease run out and the row is due again, with the same {@code delivery_id}.
 */
final class DeliveryQueue {
  private final DataSource ds;
  private final AlertReads history;

  DeliveryQueue(DataSource ds, AlertReads history) {
    this.ds = ds;
    this.history = history;
  }

  /**
   * Claims up to {@code max} due deliveries of a lane: their {@code next_attempt_at} moves forward by the lease,
   * so no other worker takes them while they are being sent. Digest jobs come with their events.
   */
  List<Job> claim(String lane, int max, Instant now, Duration lease) {
    return claim(lane, max, now, lease, null);
  }

  /** As {@link #claim(String, int, Instant, Duration)}, the claim carrying incarnation {@code claimedBy} (cluster). */
  List<Job> claim(String lane, int max, Instant now, Duration lease, String claimedBy) {
    return Jdbc.tx(ds, "claim deliveries", c -> {
      String token = UUID.randomUUID().toString();
      Instant leaseEnd = Deliveries.leaseEnd(now, lease);
      // Ids first, through the (status, lane, next_attempt_at) index; then a primary-key update that re-checks
      // the row is still due, so two claimers never take the same row.
      List<Long> ids = new ArrayList<>();
      // Ordered like the index (status and lane are fixed), so H2 reads the first rows instead of sorting all. In
      // cluster mode (PostgreSQL) the rows are locked as they are read, skipping those another node is claiming:
      // without it every node read the same first rows, and all but one waited on their locks to update none.
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM alert_delivery WHERE status = 'pending' "
          + "AND lane = ? AND next_attempt_at <= ? ORDER BY status, lane, next_attempt_at LIMIT ?"
          + (claimedBy == null ? "" : " FOR UPDATE SKIP LOCKED"))) {
        ps.setString(1, lane);
        ps.setObject(2, Rows.odt(now));
        ps.setInt(3, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      if (ids.isEmpty()) {
        return List.<Job>of();
      }
      int n = 0;
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET claim_token = ?, next_attempt_at = ?, "
          + "claimed_by = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?")) {
        for (long id : ids) {
          ps.setString(1, token);
          ps.setObject(2, Rows.odt(leaseEnd));
          ps.setString(3, claimedBy);
          ps.setLong(4, id);
          ps.setObject(5, Rows.odt(now));
          ps.addBatch();
        }
        for (int k : ps.executeBatch()) {
          n += k == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, k);
        }
      }
      if (n == 0) {
        return List.<Job>of();
      }
      List<Job> rows = new ArrayList<>();
      List<Long> eventIds = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.delivery_id, d.message_type, d.attempts, "
          + "d.created_at, d.expires_at, d.baseline_usd, d.baseline_pct, d.payload, d.event_id, "
          + SubscriptionStore.COLUMNS + " FROM alert_delivery d JOIN alert_subscription s ON s.id = d.subscription_id "
          + "WHERE d.status = 'pending' AND d.lane = ? AND d.next_attempt_at = ? AND d.claim_token = ? ORDER BY d.id")) {
        // Every row of this claim has the same lease end: one range of the due index, and a fixed statement.
        ps.setString(1, lane);
        ps.setObject(2, Rows.odt(leaseEnd));
        ps.setString(3, token);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long eventId = rs.getLong(10);
            eventIds.add(rs.wasNull() ? null : eventId);
            rows.add(new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), Rows.instant(rs, 5),
                Rows.instant(rs, 6), token, leaseEnd, SubscriptionStore.read(rs, 11), null, Rows.amount(rs, 7),
                rs.getBigDecimal(8), rs.getString(9), List.of()));
          }
        }
      }
      Map<Long, ChangeEvent> events = history.events(c, eventIds.stream().filter(Objects::nonNull).toList());
      List<Job> jobs = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        jobs.add(rows.get(i).withEvent(eventIds.get(i) == null ? null : events.get(eventIds.get(i))));
      }
      return withDigests(c, jobs);
    });
  }

  private List<Job> withDigests(Connection c, List<Job> jobs) throws SQLException {
    if (jobs.stream().noneMatch(j -> j.messageType().equals(Job.DIGEST))) {
      return jobs;
    }
    List<Job> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT event_id, baseline_usd, baseline_pct "
        + "FROM alert_digest_item WHERE delivery_pk = ? ORDER BY event_id")) {
      for (Job j : jobs) {
        if (!j.messageType().equals(Job.DIGEST)) {
          out.add(j);
          continue;
        }
        List<Long> ids = new ArrayList<>();
        List<Job.DigestItem> items = new ArrayList<>();
        ps.setLong(1, j.pk());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
            items.add(new Job.DigestItem(null, Rows.amount(rs, 2), rs.getBigDecimal(3)));
          }
        }
        Map<Long, ChangeEvent> events = history.events(c, ids);
        List<Job.DigestItem> found = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
          ChangeEvent e = events.get(ids.get(i));
          if (e != null) { // an item whose event is gone is dropped, as the join dropped it
            found.add(new Job.DigestItem(e, items.get(i).baselineUsd(), items.get(i).baselinePct()));
          }
        }
        out.add(j.withDigest(found));
      }
    }
    return out;
  }

  /**
   * Extends a claim whose jobs are still waiting in a worker's queue; returns the rows renewed. The rows of a
   * claim share their lease end, so they are one range of the due index.
   */
  int renew(String lane, String token, Instant oldEnd, Instant newEnd) {
    return Jdbc.tx(ds, "renew claim", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET next_attempt_at = ? "
          + "WHERE status = 'pending' AND lane = ? AND next_attempt_at = ? AND claim_token = ?")) {
        ps.setObject(1, Rows.odt(newEnd));
        ps.setString(2, lane);
        ps.setObject(3, Rows.odt(oldEnd));
        ps.setString(4, token);
        return ps.executeUpdate();
      }
    });
  }

  /** The end of one attempt, to record. {@code nextAttemptAt} null means no retry (delivered, dead, cancelled). */
  record Result(Job job, String status, Outcome outcome, Instant attemptedAt, long durationMs,
      Instant nextAttemptAt) {}

  /** Records a batch of attempts and their deliveries' new state in one transaction. */
  void record(List<Result> results) {
    if (results.isEmpty()) {
      return;
    }
    Jdbc.tx(ds, "record delivery attempts", c -> {
      try (PreparedStatement done = c.prepareStatement("UPDATE alert_delivery SET status = ?, attempts = attempts + ?, "
          + "delivered_at = ?, last_status = ?, last_error = ?, claim_token = NULL, claimed_by = NULL WHERE id = ? "
          + "AND status = 'pending'");
          PreparedStatement retry = c.prepareStatement("UPDATE alert_delivery SET attempts = attempts + 1, "
              + "next_attempt_at = ?, last_status = ?, last_error = ?, claim_token = NULL, claimed_by = NULL "
              + "WHERE id = ? AND claim_token = ? AND status = 'pending'");
          PreparedStatement log = c.prepareStatement("INSERT INTO alert_attempt (delivery_pk, attempt, attempted_at, "
              + "duration_ms, outcome, status_code, error) VALUES (?,?,?,?,?,?,?)")) {
        for (Result r : results) {
          Outcome o = r.outcome();
          String error = Rows.truncate(o == null ? null : o.error(), 1000);
          Integer code = o == null ? null : o.statusCode();
          boolean attempted = !r.status().equals(Deliveries.CANCELLED);
          if (r.nextAttemptAt() != null) {
            retry.setObject(1, Rows.odt(r.nextAttemptAt()));
            retry.setObject(2, code);
            retry.setString(3, error);
            retry.setLong(4, r.job().pk());
            retry.setString(5, r.job().claimToken());
            retry.addBatch();
          } else {
            done.setString(1, r.status());
            done.setInt(2, attempted ? 1 : 0);
            done.setObject(3, Rows.odt(r.status().equals(Deliveries.DELIVERED) ? r.attemptedAt() : null));
            done.setObject(4, code);
            done.setString(5, r.status().equals(Deliveries.DELIVERED) ? null : error);
            done.setLong(6, r.job().pk());
            done.addBatch();
          }
          if (attempted) {
            log.setLong(1, r.job().pk());
            log.setInt(2, r.job().attempts() + 1);
            log.setObject(3, Rows.odt(r.attemptedAt()));
            log.setLong(4, Math.min(Integer.MAX_VALUE, r.durationMs()));
            log.setString(5, o != null && o.delivered() ? Deliveries.DELIVERED : r.nextAttemptAt() == null ? r.status()
                : "failed");
            log.setObject(6, code);
            log.setString(7, error);
            log.addBatch();
          }
        }
        done.executeBatch();
        retry.executeBatch();
        log.executeBatch();
      }
      return null;
    });
  }

  /**
   * Takes over the claims of a dead incarnation: its pending deliveries are due now, unclaimed, for any live node to
   * claim (with their {@code delivery_id}, so a receiver can drop what the dead node may have sent already). Returns
   * the rows freed.
   */
  int takeOver(String deadIncarnation, Instant now) {
    return Jdbc.tx(ds, "take over claims of " + deadIncarnation, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET claim_token = NULL, claimed_by = NULL, "
          + "next_attempt_at = ? WHERE status = 'pending' AND claimed_by = ?")) {
        ps.setObject(1, Rows.odt(now));
        ps.setString(2, deadIncarnation);
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Frees every claim at start. Only for the embedded database, which one process owns: its claims can only be
   * left over from a process that died. (With PostgreSQL other nodes' claims are live; leases expire instead.)
   */
  int releaseClaims(Instant now) {
    return Jdbc.tx(ds, "release claims", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET claim_token = NULL, next_attempt_at = ? "
          + "WHERE status = 'pending' AND claim_token IS NOT NULL")) {
        ps.setObject(1, Rows.odt(now));
        return ps.executeUpdate();
      }
    });
  }
}
