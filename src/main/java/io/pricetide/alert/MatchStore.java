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
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Matching on JDBC: one stored event, in one transaction, into one outbox row per (event, subscription) or a
 * digest item, the subscribers' new baselines and the event's {@code alert_matched} row; the operator's failure
 * reports; and the sweep for events no matcher has handled (suppressed ones included). Every method blocks.
 */
final class MatchStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MatchStore.class);
  /** Events created within this long may still be joined by a lower id that commits later; the cursor waits. */
  static final Duration SETTLE = Duration.ofMinutes(10);


  private final DataSource ds;
  private final AlertReads history;
  private final Duration giveUp;

  MatchStore(DataSource ds, AlertReads history, Duration giveUp) {
    this.ds = ds;
    this.history = history;
    this.giveUp = giveUp;
  }

  /** What matching one event did; {@code handoff} holds the jobs claimed in the match, ready to send. */
  record MatchResult(boolean matchedNow, int deliveries, int digestItems, List<Job> handoff) {
    static final MatchResult ALREADY = new MatchResult(false, 0, 0, List.of());
    /** Not matched now: the match failed and the sweep tries it again. */
    static final MatchResult FAILED = new MatchResult(false, 0, 0, List.of());
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
    return match(eventId, cache, now, operatorRearm, handoffMax, lease, Share.SINGLE_NODE);
  }

  /**
   * How many of an event's deliveries the matcher claims for its own workers. A single node claims all of them up to
   * the hand-off maximum ({@link #SINGLE_NODE}); in cluster mode a node claims at most {@code share}, under its
   * incarnation {@code claimedBy}, and leaves the rest due, so every node's workers claim their part of a fan-out.
   */
  record Share(String claimedBy, int share) {
    static final Share SINGLE_NODE = new Share(null, 0);

    int of(int deliveries, int handoffMax) {
      if (share > 0) {
        return Math.min(share, deliveries);
      }
      return deliveries > 0 && deliveries <= handoffMax ? deliveries : 0;
    }
  }

  /** As {@link #match(long, SubscriptionCache, Instant, Duration, int, Duration)}, claiming {@code share}. */
  MatchResult match(long eventId, SubscriptionCache cache, Instant now, Duration operatorRearm, int handoffMax,
      Duration lease, Share share) {
    try {
      return Jdbc.tx(ds, "match event " + eventId, c -> matchIn(c, eventId, cache, now, operatorRearm, handoffMax,
          lease, share));
    } catch (AlertException e) {
      if (e.getCause() instanceof SQLException se && Rows.isDuplicate(se)) {
        return MatchResult.ALREADY; // another node matched it first
      }
      throw e;
    }
  }

  /**
   * Matches several stored events, in id order, in one transaction: what a busy cycle needs, since on the embedded
   * database every commit is written through and thousands of events a minute would otherwise queue behind their
   * own commits. When the batch fails (another node matched one of them first, or one event's match fails), each is
   * matched on its own, so one bad event delays the others only by that retry and fails alone.
   */
  List<MatchResult> matchAll(List<Long> eventIds, SubscriptionCache cache, Instant now, Duration operatorRearm,
      int handoffMax, Duration lease) {
    return matchAll(eventIds, cache, now, operatorRearm, handoffMax, lease, Share.SINGLE_NODE);
  }

  /** As {@link #matchAll(List, SubscriptionCache, Instant, Duration, int, Duration)}, claiming {@code share}. */
  List<MatchResult> matchAll(List<Long> eventIds, SubscriptionCache cache, Instant now, Duration operatorRearm,
      int handoffMax, Duration lease, Share share) {
    if (eventIds.size() == 1) {
      return List.of(match(eventIds.get(0), cache, now, operatorRearm, handoffMax, lease, share));
    }
    try {
      return Jdbc.tx(ds, "match " + eventIds.size() + " events", c -> {
        List<MatchResult> out = new ArrayList<>(eventIds.size());
        for (long id : eventIds) {
          out.add(matchIn(c, id, cache, now, operatorRearm, handoffMax, lease, share));
        }
        return out;
      });
    } catch (RuntimeException batchFailed) {
      List<MatchResult> out = new ArrayList<>(eventIds.size());
      for (long id : eventIds) {
        try {
          out.add(match(id, cache, now, operatorRearm, handoffMax, lease, share));
        } catch (RuntimeException e) {
          LOG.error("alerts: matching event {} failed (the sweep retries it)", id, e);
          out.add(MatchResult.FAILED);
        }
      }
      return out;
    }
  }

  private MatchResult matchIn(Connection c, long eventId, SubscriptionCache cache, Instant now,
      Duration operatorRearm, int handoffMax, Duration lease, Share share) throws SQLException {
    if (isMatched(c, eventId)) {
      return MatchResult.ALREADY;
    }
    ChangeEvent e = history.event(c, eventId);
    List<Deliveries.NewDelivery> deliveries = new ArrayList<>();
    List<Matcher.Notice> digest = new ArrayList<>();
    if (e != null && Filter.OPERATOR_KINDS.contains(e.kind())) {
      if (operatorShouldHear(c, e, now, operatorRearm)) {
        for (Subscription s : cache.current(c)) {
          if (s.operator() && s.isActive()) {
            deliveries.add(new Deliveries.NewDelivery(s.id(), Subscription.lane(s.channel()), Job.SOURCE_FAILURE,
                "e:" + eventId, eventId, null, null, null, s));
          }
        }
      }
    } else if (e != null && e.toSubscribers()) {
      // An event recorded only for the record (history a first check found on the page, a revised week) is
      // matched as such: no subscriber hears of it.
      SeriesBaselines baselines = new SeriesBaselines(c, history, e);
      Matcher.Plan plan = Matcher.plan(e, cache.current(c), baselines, now);
      Grouped grouped = new Grouped(c, e, plan.notices().stream().map(Matcher.Notice::subscription)
          .filter(Subscription::groupsByModel).toList(), now);
      for (Matcher.Notice n : plan.notices()) {
        Subscription s = n.subscription();
        if (s.channel().equals(Subscription.EMAIL) && !s.mode().equals(Subscription.INSTANT)) {
          digest.add(n);
        } else if (s.groupsByModel() && Groups.groupable(e)) {
          String payload = grouped.payload(n);
          if (payload != null) {
            deliveries.add(new Deliveries.NewDelivery(s.id(), Subscription.lane(s.channel()), Job.CHANGE,
                grouped.key, eventId, n.baselineUsd(), n.pct(), payload, s));
          }
        } else {
          deliveries.add(new Deliveries.NewDelivery(s.id(), Subscription.lane(s.channel()), Job.CHANGE, "e:" + eventId,
              eventId, n.baselineUsd(), n.pct(), null, s));
        }
      }
      baselines.write(plan.rows(), now);
    }
    int claim = share.of(deliveries.size(), handoffMax);
    List<Job> jobs = Deliveries.insert(c, deliveries, now, now.plus(giveUp),
        claim > 0 ? UUID.randomUUID().toString() : null, share.claimedBy(), claim, Deliveries.leaseEnd(now, lease), e);
    insertDigestItems(c, eventId, digest, now);
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO alert_matched (event_id, matched_at, deliveries, how) VALUES (?,?,?,'matched')")) {
      ps.setLong(1, eventId);
      ps.setObject(2, Rows.odt(now));
      ps.setInt(3, deliveries.size() + digest.size());
      ps.executeUpdate();
    }
    return new MatchResult(true, deliveries.size(), digest.size(), jobs);
  }

  /**
   * The model-grouped messages of one event ({@link Groups}), read lazily: the subscriptions that already have
   * the model's message of this check, and what the model's other events of the check hold for each.
   */
  private final class Grouped {
    private final Connection c;
    private final ChangeEvent e;
    private final List<Subscription> subs;
    private final Instant now;
    final String key;
    private Set<Long> done;
    private java.util.Map<Long, List<Groups.Item>> siblings;

    Grouped(Connection c, ChangeEvent e, List<Subscription> subs, Instant now) {
      this.c = c;
      this.e = e;
      this.subs = subs;
      this.now = now;
      this.key = Groups.groupable(e) ? Groups.key(e) : null;
    }

    /** The payload of the model's message for this notice; null when an earlier event's message carries it. */
    String payload(Matcher.Notice n) throws SQLException {
      if (done == null) {
        done = Groups.delivered(c, key);
        List<Subscription> grouping = subs.stream().filter(s -> !done.contains(s.id())).toList();
        siblings = Groups.siblings(c, history, e, grouping, now);
      }
      if (done.contains(n.subscription().id())) {
        return null;
      }
      List<Groups.Item> items = new ArrayList<>();
      items.add(new Groups.Item(e, n.baselineUsd(), n.pct()));
      items.addAll(siblings.getOrDefault(n.subscription().id(), List.of()));
      return Groups.payload(items);
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

  /**
   * A failing source is reported when its failure starts (no report yet, or a successful check since the last
   * one) and again after the operator re-arm interval while it keeps failing.
   */
  private boolean operatorShouldHear(Connection c, ChangeEvent e, Instant now, Duration rearm)
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
      Instant ok = history.lastSuccess(c, e.sourceId());
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
    return Jdbc.tx(ds, "list unmatched events", c -> open(c, cursor(c), limit));
  }

  /**
   * Up to {@code limit} ids of events after {@code from} with no {@code alert_matched} row, oldest first: one
   * anti-join, however many handled events the settling window holds (a busy cycle writes thousands a minute, and
   * the sweep runs every few seconds on the matcher's own context).
   */
  private List<Long> open(Connection c, long from, int limit) throws SQLException {
    return history.eventIdsAfterNotIn(c, from, limit, "alert_matched", "event_id");
  }

  /**
   * Moves the matcher cursor up to the last event below which everything is handled and settled (created more
   * than {@link #SETTLE} ago), so the unmatched scan stays short.
   */
  void advanceCursor(Instant now) {
    Jdbc.tx(ds, "advance match cursor", c -> {
      long from = cursor(c);
      List<Long> open = open(c, from, 1);
      Long firstOpen = open.isEmpty() ? null : open.get(0);
      long settled = history.lastEventCreatedBefore(c, now.minus(SETTLE));
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
}
