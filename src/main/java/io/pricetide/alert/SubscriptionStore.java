package io.pricetide.alert;

import io.pricetide.db.Rows;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.DayOfWeek;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Subscriptions on JDBC. Every change moves the {@code subscriptions} version in {@code alert_cursor} in the same
 * transaction, so every node's matcher reloads its cache before the next event. Every method blocks.
 */
final class SubscriptionStore {
  static final String COLUMNS = "s.id, s.public_id, s.channel, s.target, s.filter_json, s.baseline, s.baseline_days, "
      + "s.delivery_mode, s.rearm_seconds, s.secret, s.status, s.is_operator, s.created_at, s.confirmed_at, "
      + "s.next_digest_at, s.target_below, s.target_above, s.message_grouping, s.workload_json";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource ds;

  SubscriptionStore(DataSource ds) {
    this.ds = ds;
  }

  static String newPublicId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return "sub_" + HexFormat.of().formatHex(b);
  }

  /**
   * Stores a new subscription; an email one is stored {@code pending} with its confirmation queued in the outbox
   * in the same transaction.
   */
  Subscription create(Subscription s, Instant now, Instant confirmExpires) {
    return Jdbc.tx(ds, "create subscription", c -> {
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_subscription (public_id, channel, target, "
          + "filter_json, baseline, baseline_days, delivery_mode, rearm_seconds, secret, status, is_operator, "
          + "created_at, confirmed_at, next_digest_at, target_below, target_above, message_grouping, workload_json) "
          + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, s.publicId());
        ps.setString(2, s.channel());
        ps.setString(3, s.target());
        ps.setString(4, s.filter().toJson().encode());
        ps.setString(5, s.baseline());
        ps.setInt(6, s.baselineDays());
        ps.setString(7, s.mode());
        ps.setLong(8, s.rearmSeconds());
        ps.setString(9, s.secret());
        ps.setString(10, s.status());
        ps.setBoolean(11, s.operator());
        ps.setObject(12, Rows.odt(now));
        ps.setObject(13, Rows.odt(s.confirmedAt()));
        ps.setObject(14, Rows.odt(s.isActive() ? nextDigest(s.mode(), now) : null));
        ps.setBigDecimal(15, s.targetBelow());
        ps.setBigDecimal(16, s.targetAbove());
        ps.setString(17, s.grouping());
        ps.setString(18, s.workload() == null ? null : s.workload().toJson().encode());
        ps.executeUpdate();
        try (ResultSet k = ps.getGeneratedKeys()) {
          k.next();
          id = k.getLong(1);
        }
      }
      if (Subscription.PENDING.equals(s.status())) {
        queueConfirm(c, id, now, confirmExpires);
      }
      bumpVersion(c);
      return byId(c, id).orElseThrow();
    });
  }

  /** Queues one more confirmation email for a pending subscription. */
  void resendConfirm(long id, Instant now, Instant expires) {
    Jdbc.tx(ds, "queue confirmation", c -> {
      queueConfirm(c, id, now, expires);
      return null;
    });
  }

  private static void queueConfirm(Connection c, long id, Instant now, Instant expires) throws SQLException {
    Deliveries.insert(c, List.of(new Deliveries.NewDelivery(id, "email", Job.CONFIRM,
        "confirm:" + Deliveries.newDeliveryId(), null, null, null, null)), now, expires);
  }

  /**
   * Confirmation emails queued for an address since a time, for the per-address limit. Addresses are compared
   * without regard to letter case: mail servers deliver {@code Victim@} and {@code victim@} to one mailbox.
   */
  int confirmationsSince(String email, Instant since) {
    return Jdbc.tx(ds, "count confirmations", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert_delivery d JOIN alert_subscription s "
          + "ON s.id = d.subscription_id WHERE s.channel = 'email' AND LOWER(s.target) = LOWER(?) "
          + "AND d.message_type = ? AND d.created_at >= ?")) {
        ps.setString(1, email);
        ps.setString(2, Job.CONFIRM);
        ps.setObject(3, Rows.odt(since));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  /** A pending subscription of the same address and settings, to re-send its confirmation instead of a new one. */
  Optional<Subscription> pendingTwin(Subscription s) {
    String filter = s.filter().toJson().encode();
    return Jdbc.tx(ds, "find pending twin", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alert_subscription s "
          + "WHERE s.channel = ? AND s.target = ? AND s.status = 'pending' ORDER BY s.id")) {
        ps.setString(1, s.channel());
        ps.setString(2, s.target());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Subscription x = read(rs, 1);
            if (x.filter().toJson().encode().equals(filter) && x.baseline().equals(s.baseline())
                && x.mode().equals(s.mode()) && x.rearmSeconds() == s.rearmSeconds()
                && x.baselineDays() == s.baselineDays() && same(x.targetBelow(), s.targetBelow())
                && same(x.targetAbove(), s.targetAbove()) && java.util.Objects.equals(x.grouping(), s.grouping())
                && java.util.Objects.equals(x.workload(), s.workload())) {
              return Optional.of(x);
            }
          }
        }
      }
      return Optional.<Subscription>empty();
    });
  }

  Optional<Subscription> byPublicId(String publicId) {
    return Jdbc.tx(ds, "read subscription", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
          + " FROM alert_subscription s WHERE s.public_id = ?")) {
        ps.setString(1, publicId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(read(rs, 1)) : Optional.<Subscription>empty();
        }
      }
    });
  }

  private static Optional<Subscription> byId(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alert_subscription s WHERE s.id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs, 1)) : Optional.empty();
      }
    }
  }

  /** Subscriptions with a status (all when null), newest first. */
  List<Subscription> list(String status, int limit) {
    return Jdbc.tx(ds, "list subscriptions", c -> {
      List<Subscription> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alert_subscription s"
          + (status == null ? "" : " WHERE s.status = ?") + " ORDER BY s.id DESC LIMIT " + Math.max(1, limit))) {
        if (status != null) {
          ps.setString(1, status);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(read(rs, 1));
          }
        }
      }
      return out;
    });
  }

  /** Every active subscription, operator ones included, for the matcher's cache. */
  static List<Subscription> active(Connection c) throws SQLException {
    List<Subscription> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
        + " FROM alert_subscription s WHERE s.status = 'active' ORDER BY s.id")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs, 1));
        }
      }
    }
    return out;
  }

  /** Activates a pending subscription; an active one stays as it is. Empty when unknown or unsubscribed. */
  Optional<Subscription> confirm(String publicId, Instant now) {
    return Jdbc.tx(ds, "confirm subscription", c -> {
      Optional<Subscription> s = byPublic(c, publicId);
      if (s.isEmpty() || s.get().status().equals(Subscription.UNSUBSCRIBED)) {
        return Optional.<Subscription>empty();
      }
      if (s.get().status().equals(Subscription.PENDING)) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_subscription SET status = 'active', "
            + "confirmed_at = ?, next_digest_at = ? WHERE id = ? AND status = 'pending'")) {
          ps.setObject(1, Rows.odt(now));
          ps.setObject(2, Rows.odt(nextDigest(s.get().mode(), now)));
          ps.setLong(3, s.get().id());
          ps.executeUpdate();
        }
        bumpVersion(c);
      }
      return byId(c, s.get().id());
    });
  }

  /** Ends a subscription and cancels what it still has queued. Empty when unknown. */
  Optional<Subscription> unsubscribe(String publicId, Instant now) {
    return Jdbc.tx(ds, "unsubscribe", c -> {
      Optional<Subscription> s = byPublic(c, publicId);
      if (s.isEmpty()) {
        return s;
      }
      if (!s.get().status().equals(Subscription.UNSUBSCRIBED)) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE alert_subscription SET status = 'unsubscribed', ended_at = ? WHERE id = ?")) {
          ps.setObject(1, Rows.odt(now));
          ps.setLong(2, s.get().id());
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET status = 'cancelled', "
            + "claim_token = NULL WHERE subscription_id = ? AND status = 'pending'")) {
          ps.setLong(1, s.get().id());
          ps.executeUpdate();
        }
        bumpVersion(c);
      }
      return byId(c, s.get().id());
    });
  }

  /**
   * Makes the operator channel match the configuration: {@code operator-email} and {@code operator-webhook} are
   * active when configured and ended otherwise.
   */
  void syncOperators(String email, String webhook, String webhookSecret, Instant now) {
    Jdbc.tx(ds, "sync operator channel", c -> {
      syncOperator(c, "operator-email", Subscription.EMAIL, email, null, now);
      syncOperator(c, "operator-webhook", webhookChannel(webhook), webhook,
          webhookSecret.isEmpty() ? null : webhookSecret, now);
      bumpVersion(c);
      return null;
    });
  }

  /** Slack and Discord incoming-webhook URLs get their own message format; anything else the generic one. */
  static String webhookChannel(String url) {
    if (url.startsWith("https://hooks.slack.com/")) {
      return Subscription.SLACK;
    }
    if (url.matches("https://(\\w+\\.)?discord(app)?\\.com/api/webhooks/.*")) {
      return Subscription.DISCORD;
    }
    return Subscription.WEBHOOK;
  }

  private static void syncOperator(Connection c, String publicId, String channel, String target, String secret,
      Instant now) throws SQLException {
    Optional<Subscription> existing = byPublic(c, publicId);
    String status = target.isEmpty() ? Subscription.UNSUBSCRIBED : Subscription.ACTIVE;
    if (existing.isEmpty()) {
      if (target.isEmpty()) {
        return;
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_subscription (public_id, channel, target, "
          + "filter_json, baseline, baseline_days, delivery_mode, rearm_seconds, secret, status, is_operator, "
          + "created_at, confirmed_at) VALUES (?,?,?,?,'previous',30,'instant',0,?,'active',TRUE,?,?)")) {
        ps.setString(1, publicId);
        ps.setString(2, channel);
        ps.setString(3, target);
        ps.setString(4, new JsonObject().encode());
        ps.setString(5, secret);
        ps.setObject(6, Rows.odt(now));
        ps.setObject(7, Rows.odt(now));
        ps.executeUpdate();
      }
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE alert_subscription SET channel = ?, target = ?, "
        + "secret = ?, status = ?, ended_at = ? WHERE id = ?")) {
      ps.setString(1, channel);
      ps.setString(2, target.isEmpty() ? existing.get().target() : target);
      ps.setString(3, secret);
      ps.setString(4, status);
      ps.setObject(5, Rows.odt(target.isEmpty() ? now : null));
      ps.setLong(6, existing.get().id());
      ps.executeUpdate();
    }
  }

  private static Optional<Subscription> byPublic(Connection c, String publicId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
        + " FROM alert_subscription s WHERE s.public_id = ?")) {
      ps.setString(1, publicId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs, 1)) : Optional.empty();
      }
    }
  }

  static long version(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT position FROM alert_cursor WHERE name = 'subscriptions'"); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static void bumpVersion(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE alert_cursor SET position = position + 1 WHERE name = 'subscriptions'")) {
      ps.executeUpdate();
    }
  }

  /** When a digest of this mode is next due after {@code now}: next midnight UTC, or next Monday's. */
  static Instant nextDigest(String mode, Instant now) {
    LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
    return switch (mode) {
      case Subscription.DAILY -> today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      case Subscription.WEEKLY -> today.with(TemporalAdjusters.next(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC)
          .toInstant();
      default -> null;
    };
  }

  private static boolean same(java.math.BigDecimal a, java.math.BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  /** Parsed filters by their stored JSON: most subscriptions share a handful. */
  private static final java.util.Map<String, Filter> FILTERS = new java.util.concurrent.ConcurrentHashMap<>();

  static Filter filter(String json) {
    Filter f = FILTERS.get(json);
    if (f == null) {
      f = Filter.fromJson(new JsonObject(json));
      if (FILTERS.size() > 10_000) {
        FILTERS.clear();
      }
      FILTERS.put(json, f);
    }
    return f;
  }

  static Subscription read(ResultSet rs, int at) throws SQLException {
    return new Subscription(rs.getLong(at), rs.getString(at + 1), rs.getString(at + 2), rs.getString(at + 3),
        filter(rs.getString(at + 4)), rs.getString(at + 5), rs.getInt(at + 6),
        rs.getString(at + 7), rs.getLong(at + 8), rs.getString(at + 9), rs.getString(at + 10), rs.getBoolean(at + 11),
        Rows.instant(rs, at + 12), Rows.instant(rs, at + 13), Rows.instant(rs, at + 14), Rows.amount(rs, at + 15),
        Rows.amount(rs, at + 16), rs.getString(at + 17), workload(rs.getString(at + 18)));
  }

  /** Parsed workloads by their stored JSON, as filters are. */
  private static final java.util.Map<String, WorkloadAlert> WORKLOADS = new java.util.concurrent.ConcurrentHashMap<>();

  static WorkloadAlert workload(String json) {
    if (json == null) {
      return null;
    }
    WorkloadAlert w = WORKLOADS.get(json);
    if (w == null) {
      w = WorkloadAlert.fromJson(json);
      if (WORKLOADS.size() > 10_000) {
        WORKLOADS.clear();
      }
      WORKLOADS.put(json, w);
    }
    return w;
  }
}
