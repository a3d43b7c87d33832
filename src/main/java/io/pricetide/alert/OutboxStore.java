package io.pricetide.alert;

import io.pricetide.db.EventRows;
import io.pricetide.db.Rows;
import io.pricetide.bus.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The durable side of alerting on JDBC: matching an event into outbox rows in one transaction, claiming due rows
 * under a lease, recording attempts, digests, operator notices, the delivery log and redelivery. Every method
 * blocks.
 *
 * <p>A claim moves {@code next_attempt_at} forward by the lease and stamps a claim token; a worker that dies
 * mid-send simply lets the lease run out and the row is due again, with the same {@code delivery_id}.
 */
final class OutboxStore {
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String DEAD = "dead";
  static final String CANCELLED = "cancelled";

  /** Events created within this long may still be joined by a lower id that commits later; the cursor waits. */
  static final Duration SETTLE = Duration.ofMinutes(10);

  private final DataSource ds;
  private final Duration giveUp;

  OutboxStore(DataSource ds, Duration giveUp) {
    this.ds = ds;
    this.giveUp = giveUp;
  }

  static String newDeliveryId() {
    return UUID.randomUUID().toString();
  }

  /** A row to insert into the outbox; {@code subscription} is needed only for rows handed over at once. */
  record NewDelivery(long subscriptionId, String lane, String messageType, String dedupeKey, Long eventId,
      BigDecimal baselineUsd, BigDecimal baselinePct, String payload, Subscription subscription) {
    NewDelivery(long subscriptionId, String lane, String messageType, String dedupeKey, Long eventId,
        BigDecimal baselineUsd, BigDecimal baselinePct, String payload) {
      this(subscriptionId, lane, messageType, dedupeKey, eventId, baselineUsd, baselinePct, payload, null);
    }
  }

  static void insertDeliveries(Connection c, List<NewDelivery> rows, Instant now, Instant expires)
      throws SQLException {
    insertDeliveries(c, rows, now, expires, null, null, null);
  }

  /**
   * Inserts outbox rows, due now; or, with a claim token, already claimed until {@code leaseUntil}, in which case
   * the jobs are built (event given) so the caller can hand them to the workers without a claim query.
   */
  static List<Job> insertDeliveries(Connection c, List<NewDelivery> rows, Instant now, Instant expires,
      String claimToken, Instant leaseUntil, ChangeEvent event) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    boolean claimed = claimToken != null;
    List<Job> jobs = new ArrayList<>(claimed ? rows.size() : 0);
    try (PreparedStatement ps = claimed
        ? c.prepareStatement(INSERT_DELIVERY, java.sql.Statement.RETURN_GENERATED_KEYS)
        : c.prepareStatement(INSERT_DELIVERY)) {
      for (int from = 0; from < rows.size(); from += 1000) {
        List<NewDelivery> chunk = rows.subList(from, Math.min(rows.size(), from + 1000));
        List<String> ids = new ArrayList<>(chunk.size());
        for (NewDelivery d : chunk) {
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
          ps.setObject(10, Rows.odt(claimed ? leaseUntil : now));
          ps.setString(11, claimToken);
          ps.setObject(12, Rows.odt(now));
          ps.setObject(13, Rows.odt(expires));
          ps.addBatch();
        }
        ps.executeBatch();
        if (claimed) {
          try (ResultSet keys = ps.getGeneratedKeys()) {
            int i = 0;
            while (keys.next()) {
              NewDelivery d = chunk.get(i);
              jobs.add(new Job(keys.getLong(1), ids.get(i), d.messageType(), 0, now, expires, claimToken,
                  leaseUntil, d.subscription(), event, d.baselineUsd(), d.baselinePct(), d.payload(), List.of()));
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
      + "next_attempt_at, claim_token, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,'pending',0,?,?,?,?)";

  // ------------------------------------------------------------------ matching

  /** What matching one event did; {@code handoff} holds the jobs claimed in the match, ready to send. */
  record MatchResult(boolean matchedNow, int deliveries, int digestItems, List<Job> handoff) {
    static final MatchResult ALREADY = new MatchResult(false, 0, 0, List.of());
  }

  /** The matcher's view of the subscriptions, reloaded when their version moves. */
  interface SubscriptionCache {
    List<Subscription> current(Connection c) throws SQLException;
  }

  /**
   * Matches one stored event in one transaction: writes one delivery per (event, subscription) or a digest item,
   * the subscribers' new baselines, and the event's row in {@code alert_matched}, whose key makes the match happen
   * once whatever the number of nodes. When there are at most {@code handoffMax} deliveries they are written
   * already claimed (under {@code lease}) and returned, so the workers send them without a claim round trip; a
   * crash before they are sent leaves them to the lease like any claim.
   */
  MatchResult match(long eventId, SubscriptionCache cache, Instant now, Duration operatorRearm, int handoffMax,
      Duration lease) {
    try {
      return Jdbc.tx(ds, "match event " + eventId, c -> {
        if (isMatched(c, eventId)) {
          return MatchResult.ALREADY;
        }
        ChangeEvent e = loadEvent(c, eventId);
        List<NewDelivery> deliveries = new ArrayList<>();
        List<Matcher.Notice> digest = new ArrayList<>();
        if (e != null && Filter.OPERATOR_KINDS.contains(e.kind())) {
          if (operatorShouldHear(c, e, now, operatorRearm)) {
            for (Subscription s : cache.current(c)) {
              if (s.operator() && s.isActive()) {
                deliveries.add(new NewDelivery(s.id(), Subscription.lane(s.channel()), Job.SOURCE_FAILURE,
                    "e:" + eventId, eventId, null, null, null, s));
              }
            }
          }
        } else if (e != null) {
          SeriesBaselines baselines = new SeriesBaselines(c, e);
          Matcher.Plan plan = Matcher.plan(e, cache.current(c), baselines, now);
          for (Matcher.Notice n : plan.notices()) {
            Subscription s = n.subscription();
            if (s.channel().equals(Subscription.EMAIL) && !s.mode().equals(Subscription.INSTANT)) {
              digest.add(n);
            } else {
              deliveries.add(new NewDelivery(s.id(), Subscription.lane(s.channel()), Job.CHANGE, "e:" + eventId,
                  eventId, n.baselineUsd(), n.pct(), null, s));
            }
          }
          baselines.write(plan.rows(), now);
        }
        boolean handoff = !deliveries.isEmpty() && deliveries.size() <= handoffMax;
        List<Job> jobs = insertDeliveries(c, deliveries, now, now.plus(giveUp),
            handoff ? UUID.randomUUID().toString() : null, leaseEnd(now, lease), e);
        insertDigestItems(c, eventId, digest, now);
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO alert_matched (event_id, matched_at, deliveries, how) VALUES (?,?,?,'matched')")) {
          ps.setLong(1, eventId);
          ps.setObject(2, Rows.odt(now));
          ps.setInt(3, deliveries.size() + digest.size());
          ps.executeUpdate();
        }
        return new MatchResult(true, deliveries.size(), digest.size(), jobs);
      });
    } catch (AlertException e) {
      if (e.getCause() instanceof SQLException se && Rows.isDuplicate(se)) {
        return MatchResult.ALREADY; // another node matched it first
      }
      throw e;
    }
  }

  private static boolean isMatched(Connection c, long eventId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM alert_matched WHERE event_id = ?")) {
      ps.setLong(1, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** True when the matcher has handled this event. */
  boolean isMatched(long eventId) {
    return Jdbc.tx(ds, "read match", c -> isMatched(c, eventId));
  }

  private static ChangeEvent loadEvent(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.COLUMNS + " FROM change_event e "
        + "WHERE e.id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? EventRows.read(rs, 1) : null;
      }
    }
  }

  /**
   * A failing source is reported when its failure starts (no report yet, or a successful check since the last
   * one) and again after the operator re-arm interval while it keeps failing.
   */
  private static boolean operatorShouldHear(Connection c, ChangeEvent e, Instant now, Duration rearm)
      throws SQLException {
    Instant last = null;
    boolean exists = false;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT failure_alerted_at FROM alert_source_state WHERE source_id = ?")) {
      ps.setString(1, e.sourceId());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          exists = true;
          last = Rows.instant(rs, 1);
        }
      }
    }
    boolean tell = last == null || !now.isBefore(last.plus(rearm));
    if (!tell) {
      Instant ok = lastSuccess(c, e.sourceId());
      tell = ok != null && ok.isAfter(last);
    }
    if (tell) {
      try (PreparedStatement ps = c.prepareStatement(exists
          ? "UPDATE alert_source_state SET failure_alerted_at = ? WHERE source_id = ?"
          : "INSERT INTO alert_source_state (failure_alerted_at, source_id) VALUES (?,?)")) {
        ps.setObject(1, Rows.odt(now));
        ps.setString(2, e.sourceId());
        ps.executeUpdate();
      }
    }
    return tell;
  }

  private static Instant lastSuccess(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT MAX(started_at) FROM source_check WHERE source_id = ? AND outcome <> 'error'")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Rows.instant(rs, 1) : null;
      }
    }
  }

  private static void insertDigestItems(Connection c, long eventId, List<Matcher.Notice> items, Instant now)
      throws SQLException {
    if (items.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_digest_item (subscription_id, event_id, "
        + "baseline_usd, baseline_pct, created_at) VALUES (?,?,?,?,?)")) {
      for (Matcher.Notice n : items) {
        ps.setLong(1, n.subscription().id());
        ps.setLong(2, eventId);
        ps.setBigDecimal(3, n.baselineUsd());
        ps.setBigDecimal(4, n.pct());
        ps.setObject(5, Rows.odt(now));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Baselines of the event's series, read lazily inside the match transaction. */
  private static final class SeriesBaselines implements Matcher.Baselines {
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
        Sql.Row keep = rs -> {
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

    private void query(String sql, List<Object> extra, Sql.Row row) {
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
  }

  /** Marks events as handled without notifying anyone (replayed or re-extracted history). */
  void suppress(Collection<Long> eventIds, Instant now) {
    Jdbc.tx(ds, "suppress notifications", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_matched (event_id, matched_at, deliveries, how) "
          + "SELECT ?, ?, 0, 'suppressed' FROM alert_cursor WHERE name = 'matcher' AND NOT EXISTS "
          + "(SELECT 1 FROM alert_matched WHERE event_id = ?)")) {
        for (long id : eventIds) {
          ps.setLong(1, id);
          ps.setObject(2, Rows.odt(now));
          ps.setLong(3, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  /**
   * Stored events the matcher has not handled yet, oldest first: those published while no matcher ran (a crash
   * between commit and publish, a {@code check} run by the CLI, another node's events).
   */
  List<Long> unmatched(int limit) {
    return Jdbc.tx(ds, "list unmatched events", c -> {
      long from = cursor(c);
      List<Long> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT e.id FROM change_event e WHERE e.id > ? AND NOT EXISTS "
          + "(SELECT 1 FROM alert_matched m WHERE m.event_id = e.id) ORDER BY e.id LIMIT " + limit)) {
        ps.setLong(1, from);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
      }
      return out;
    });
  }

  /**
   * Moves the matcher cursor up to the last event below which everything is handled and settled (created more
   * than {@link #SETTLE} ago), so the unmatched scan stays short.
   */
  void advanceCursor(Instant now) {
    Jdbc.tx(ds, "advance match cursor", c -> {
      long from = cursor(c);
      Long firstOpen = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT MIN(e.id) FROM change_event e WHERE e.id > ? AND "
          + "NOT EXISTS (SELECT 1 FROM alert_matched m WHERE m.event_id = e.id)")) {
        ps.setLong(1, from);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            long v = rs.getLong(1);
            firstOpen = rs.wasNull() ? null : v;
          }
        }
      }
      long settled;
      try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM change_event WHERE created_at < ?")) {
        ps.setObject(1, Rows.odt(now.minus(SETTLE)));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          settled = rs.getLong(1);
        }
      }
      long to = firstOpen == null ? settled : Math.min(settled, firstOpen - 1);
      if (to > from) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE alert_cursor SET position = ? WHERE name = 'matcher' AND position < ?")) {
          ps.setLong(1, to);
          ps.setLong(2, to);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  private static long cursor(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT position FROM alert_cursor WHERE name = 'matcher'");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  // ------------------------------------------------------------------ claiming and recording

  /**
   * Claims up to {@code max} due deliveries of a lane: their {@code next_attempt_at} moves forward by the lease,
   * so no other worker takes them while they are being sent. Digest jobs come with their events.
   */
  List<Job> claim(String lane, int max, Instant now, Duration lease) {
    return Jdbc.tx(ds, "claim deliveries", c -> {
      String token = UUID.randomUUID().toString();
      Instant leaseEnd = leaseEnd(now, lease);
      // Ids first, through the (status, lane, next_attempt_at) index; then a primary-key update that re-checks
      // the row is still due, so two claimers never take the same row.
      List<Long> ids = new ArrayList<>();
      // Ordered like the index (status and lane are fixed), so H2 reads the first rows instead of sorting all.
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM alert_delivery WHERE status = 'pending' "
          + "AND lane = ? AND next_attempt_at <= ? ORDER BY status, lane, next_attempt_at LIMIT ?")) {
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
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET claim_token = ?, next_attempt_at = ? "
          + "WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?")) {
        for (long id : ids) {
          ps.setString(1, token);
          ps.setObject(2, Rows.odt(leaseEnd));
          ps.setLong(3, id);
          ps.setObject(4, Rows.odt(now));
          ps.addBatch();
        }
        for (int k : ps.executeBatch()) {
          n += k == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, k);
        }
      }
      if (n == 0) {
        return List.<Job>of();
      }
      List<Job> jobs = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.delivery_id, d.message_type, d.attempts, "
          + "d.created_at, d.expires_at, d.baseline_usd, d.baseline_pct, d.payload, " + SubscriptionStore.COLUMNS
          + ", " + EventRows.COLUMNS + " FROM alert_delivery d JOIN alert_subscription s ON s.id = d.subscription_id "
          + "LEFT JOIN change_event e ON e.id = d.event_id WHERE d.status = 'pending' AND d.lane = ? "
          + "AND d.next_attempt_at = ? AND d.claim_token = ? ORDER BY d.id")) {
        // Every row of this claim has the same lease end: one range of the due index, and a fixed statement.
        ps.setString(1, lane);
        ps.setObject(2, Rows.odt(leaseEnd));
        ps.setString(3, token);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            jobs.add(new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), Rows.instant(rs, 5),
                Rows.instant(rs, 6), token, leaseEnd, SubscriptionStore.read(rs, 10), EventRows.read(rs, 25),
                Rows.amount(rs, 7), rs.getBigDecimal(8), rs.getString(9), List.of()));
          }
        }
      }
      return withDigests(c, jobs);
    });
  }

  private static String idList(Collection<Long> ids) {
    StringBuilder b = new StringBuilder(ids.size() * 8);
    for (long id : ids) {
      b.append(b.length() == 0 ? "" : ",").append(id);
    }
    return b.toString();
  }

  private static List<Job> withDigests(Connection c, List<Job> jobs) throws SQLException {
    if (jobs.stream().noneMatch(j -> j.messageType().equals(Job.DIGEST))) {
      return jobs;
    }
    List<Job> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT i.baseline_usd, i.baseline_pct, " + EventRows.COLUMNS
        + " FROM alert_digest_item i JOIN change_event e ON e.id = i.event_id WHERE i.delivery_pk = ? ORDER BY e.id")) {
      for (Job j : jobs) {
        if (!j.messageType().equals(Job.DIGEST)) {
          out.add(j);
          continue;
        }
        List<Job.DigestItem> items = new ArrayList<>();
        ps.setLong(1, j.pk());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(new Job.DigestItem(EventRows.read(rs, 3), Rows.amount(rs, 1), rs.getBigDecimal(2)));
          }
        }
        out.add(j.withDigest(items));
      }
    }
    return out;
  }

  /**
   * When a claim made at {@code now} runs out: whole milliseconds, which both databases store exactly, so the
   * rows of one claim can be found again by {@code next_attempt_at = leaseEnd}.
   */
  static Instant leaseEnd(Instant now, Duration lease) {
    return now.plus(lease).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
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
          + "delivered_at = ?, last_status = ?, last_error = ?, claim_token = NULL WHERE id = ? AND status = 'pending'");
          PreparedStatement retry = c.prepareStatement("UPDATE alert_delivery SET attempts = attempts + 1, "
              + "next_attempt_at = ?, last_status = ?, last_error = ?, claim_token = NULL WHERE id = ? "
              + "AND claim_token = ? AND status = 'pending'");
          PreparedStatement log = c.prepareStatement("INSERT INTO alert_attempt (delivery_pk, attempt, attempted_at, "
              + "duration_ms, outcome, status_code, error) VALUES (?,?,?,?,?,?,?)")) {
        for (Result r : results) {
          Outcome o = r.outcome();
          String error = Rows.truncate(o == null ? null : o.error(), 1000);
          Integer code = o == null ? null : o.statusCode();
          boolean attempted = !r.status().equals(CANCELLED);
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
            done.setObject(3, Rows.odt(r.status().equals(DELIVERED) ? r.attemptedAt() : null));
            done.setObject(4, code);
            done.setString(5, r.status().equals(DELIVERED) ? null : error);
            done.setLong(6, r.job().pk());
            done.addBatch();
          }
          if (attempted) {
            log.setLong(1, r.job().pk());
            log.setInt(2, r.job().attempts() + 1);
            log.setObject(3, Rows.odt(r.attemptedAt()));
            log.setLong(4, Math.min(Integer.MAX_VALUE, r.durationMs()));
            log.setString(5, o != null && o.delivered() ? DELIVERED : r.nextAttemptAt() == null ? r.status()
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

  /** Puts a delivery back in the queue now, with a fresh give-up window; false when unknown. */
  boolean redeliver(String deliveryId, Instant now) {
    return Jdbc.tx(ds, "redeliver " + deliveryId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET status = 'pending', claim_token = NULL, "
          + "next_attempt_at = ?, expires_at = ?, delivered_at = NULL WHERE delivery_id = ?")) {
        ps.setObject(1, Rows.odt(now));
        ps.setObject(2, Rows.odt(now.plus(giveUp)));
        ps.setString(3, deliveryId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  // ------------------------------------------------------------------ digests and stale sources

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
        insertDeliveries(c, List.of(new NewDelivery(s.id(), "email", Job.DIGEST,
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

  /** The start of every source's last successful check. */
  Map<String, Instant> lastSuccesses() {
    return Jdbc.tx(ds, "read last successful checks", c -> {
      Map<String, Instant> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT source_id, MAX(started_at) FROM source_check "
          + "WHERE outcome <> 'error' GROUP BY source_id"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), Rows.instant(rs, 2));
        }
      }
      return out;
    });
  }

  /**
   * Reports a stale source to the operator channel once per episode (an episode starts at {@code since}, its last
   * success or the service start). Returns the number of deliveries queued.
   */
  int reportStale(String sourceId, Instant since, JsonObject payload, Instant now) {
    return Jdbc.tx(ds, "report stale " + sourceId, c -> {
      Instant alerted = null;
      boolean exists = false;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT stale_alerted_at FROM alert_source_state WHERE source_id = ?")) {
        ps.setString(1, sourceId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            exists = true;
            alerted = Rows.instant(rs, 1);
          }
        }
      }
      if (alerted != null && !alerted.isBefore(since)) {
        return 0;
      }
      try (PreparedStatement ps = c.prepareStatement(exists
          ? "UPDATE alert_source_state SET stale_alerted_at = ? WHERE source_id = ?"
          : "INSERT INTO alert_source_state (stale_alerted_at, source_id) VALUES (?,?)")) {
        ps.setObject(1, Rows.odt(now));
        ps.setString(2, sourceId);
        ps.executeUpdate();
      }
      List<NewDelivery> rows = new ArrayList<>();
      for (Subscription s : SubscriptionStore.active(c)) {
        if (s.operator()) {
          rows.add(new NewDelivery(s.id(), Subscription.lane(s.channel()), Job.SOURCE_STALE,
              "stale:" + sourceId + ":" + since.getEpochSecond(), null, null, null, payload.encode()));
        }
      }
      insertDeliveries(c, rows, now, now.plus(giveUp));
      return rows.size();
    });
  }

  // ------------------------------------------------------------------ the delivery log

  /** A filter on the delivery log; null fields do not filter. {@code cursor} pages backwards by row. */
  record LogFilter(String status, String subscription, String deliveryId, Long eventId, Long cursor, int limit) {}

  /** Deliveries, newest first, each with its attempts. */
  JsonArray log(LogFilter f) {
    return Jdbc.tx(ds, "read delivery log", c -> {
      StringBuilder sql = new StringBuilder("SELECT d.id, d.delivery_id, s.public_id, s.channel, d.message_type, "
          + "d.event_id, d.status, d.attempts, d.next_attempt_at, d.created_at, d.expires_at, d.delivered_at, "
          + "d.last_status, d.last_error, d.baseline_pct FROM alert_delivery d JOIN alert_subscription s "
          + "ON s.id = d.subscription_id WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (f.status() != null) {
        sql.append(" AND d.status = ?");
        args.add(f.status());
      }
      if (f.subscription() != null) {
        sql.append(" AND s.public_id = ?");
        args.add(f.subscription());
      }
      if (f.deliveryId() != null) {
        sql.append(" AND d.delivery_id = ?");
        args.add(f.deliveryId());
      }
      if (f.eventId() != null) {
        sql.append(" AND d.event_id = ?");
        args.add(f.eventId());
      }
      if (f.cursor() != null) {
        sql.append(" AND d.id < ?");
        args.add(f.cursor());
      }
      sql.append(" ORDER BY d.id DESC LIMIT ").append(Math.max(1, f.limit()));
      Map<Long, JsonObject> rows = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            BigDecimal pct = rs.getBigDecimal(15);
            rows.put(rs.getLong(1), new JsonObject().put("cursor", String.valueOf(rs.getLong(1)))
                .put("delivery_id", rs.getString(2)).put("subscription", rs.getString(3))
                .put("channel", rs.getString(4)).put("message_type", rs.getString(5))
                .put("event_id", rs.getObject(6) == null ? null : String.valueOf(rs.getLong(6)))
                .put("status", rs.getString(7)).put("attempts", rs.getInt(8))
                .put("next_attempt_at", str(Rows.instant(rs, 9))).put("created_at", str(Rows.instant(rs, 10)))
                .put("expires_at", str(Rows.instant(rs, 11))).put("delivered_at", str(Rows.instant(rs, 12)))
                .put("last_status", rs.getObject(13)).put("last_error", rs.getString(14))
                .put("change_pct_vs_baseline", pct == null ? null : pct.toPlainString())
                .put("attempt_log", new JsonArray()));
          }
        }
      }
      if (!rows.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("SELECT delivery_pk, attempt, attempted_at, duration_ms, "
            + "outcome, status_code, error FROM alert_attempt WHERE delivery_pk IN (" + idList(rows.keySet())
            + ") ORDER BY id");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.get(rs.getLong(1)).getJsonArray("attempt_log").add(new JsonObject().put("attempt", rs.getInt(2))
                .put("at", str(Rows.instant(rs, 3))).put("duration_ms", rs.getInt(4)).put("outcome", rs.getString(5))
                .put("status_code", rs.getObject(6)).put("error", rs.getString(7)));
          }
        }
      }
      return new JsonArray(new ArrayList<>(rows.values()));
    });
  }

  /** Counts of deliveries by status, for health and tests. */
  Map<String, Integer> counts() {
    return Jdbc.tx(ds, "count deliveries", c -> {
      Map<String, Integer> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM alert_delivery GROUP BY status");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
      return out;
    });
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  /** Row callback of the small query helpers. */
  static final class Sql {
    private Sql() {}

    @FunctionalInterface
    interface Row {
      void accept(ResultSet rs) throws SQLException;
    }
  }
}
