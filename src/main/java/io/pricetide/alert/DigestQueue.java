package io.pricetide.alert;

import io.pricetide.db.Rows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Digests on JDBC: the waiting items of a due digest subscription become one digest delivery. Blocks. */
final class DigestQueue {
  private final DataSource ds;
  private final Duration giveUp;

  DigestQueue(DataSource ds, Duration giveUp) {
    this.ds = ds;
    this.giveUp = giveUp;
  }

  /**
   * Turns the waiting items of every digest subscription due as of {@code now} into one digest delivery each and
   * moves its next digest time on. Returns the number of digests queued.
   */
  int queueDigests(Instant now) {
    List<Subscription> subs = new ArrayList<>();
    Jdbc.tx(ds, "find due digests", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + SubscriptionStore.COLUMNS + " FROM alert_subscription s "
          + "WHERE s.status = 'active' AND s.delivery_mode <> 'instant' AND s.next_digest_at <= ?")) {
        ps.setObject(1, Rows.odt(now));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            subs.add(SubscriptionStore.read(rs, 1));
          }
        }
      }
      return null;
    });
    int queued = 0;
    for (Subscription s : subs) {
      queued += Jdbc.tx(ds, "queue digest of " + s.publicId(), c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_subscription SET next_digest_at = ? "
            + "WHERE id = ? AND next_digest_at = ?")) {
          ps.setObject(1, Rows.odt(SubscriptionStore.nextDigest(s.mode(), now)));
          ps.setLong(2, s.id());
          ps.setObject(3, Rows.odt(s.nextDigestAt()));
          if (ps.executeUpdate() == 0) {
            return 0; // another node took it
          }
        }
        int waiting;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert_digest_item "
            + "WHERE subscription_id = ? AND delivery_pk IS NULL")) {
          ps.setLong(1, s.id());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            waiting = rs.getInt(1);
          }
        }
        if (waiting == 0) {
          return 0;
        }
        // Due-ness is judged as of {@code now}; the row itself is due at once, by the real clock.
        Instant created = Instant.now();
        Deliveries.insert(c, List.of(new Deliveries.NewDelivery(s.id(), "email", Job.DIGEST,
            "digest:" + s.nextDigestAt().getEpochSecond(), null, null, null, null)), created,
            created.plus(giveUp));
        long pk;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT id FROM alert_delivery WHERE subscription_id = ? AND dedupe_key = ?")) {
          ps.setLong(1, s.id());
          ps.setString(2, "digest:" + s.nextDigestAt().getEpochSecond());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            pk = rs.getLong(1);
          }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_digest_item SET delivery_pk = ? "
            + "WHERE subscription_id = ? AND delivery_pk IS NULL")) {
          ps.setLong(1, pk);
          ps.setLong(2, s.id());
          ps.executeUpdate();
        }
        return 1;
      });
    }
    return queued;
  }
}
