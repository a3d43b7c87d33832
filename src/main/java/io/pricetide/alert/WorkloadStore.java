package io.pricetide.alert;

import io.pricetide.db.Rows;
import io.pricetide.history.WorkloadMarket;
import io.pricetide.price.Decimals;
import io.pricetide.workload.Workloads;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload subscriptions on JDBC ({@code alert_workload_state}, V24): the baseline a new subscription starts from,
 * and the evaluation after a check that changed prices: every active workload subscription's workload ranked once
 * on the market as it is, each decision of {@link WorkloadWatch} written as a compare-and-set on the row's revision,
 * with its message in the outbox in the same transaction. Every method blocks.
 */
final class WorkloadStore {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadStore.class);
  /** The event kind of workload messages, in webhook bodies and docs/alerts.md. */
  static final String KIND = "workload_cheapest_changed";

  private final DataSource ds;
  private final WorkloadMarket market;
  private final Duration giveUp;

  WorkloadStore(DataSource ds, WorkloadMarket market, Duration giveUp) {
    this.ds = ds;
    this.market = market;
    this.giveUp = giveUp;
  }

  /**
   * Records where a new workload subscription starts: the first place of its ranking now (none when nothing can
   * be costed yet, in which case its first evaluation records it). No message. Does nothing for a subscription
   * to change events.
   */
  void baselineOf(Subscription s, Instant now) {
    if (!s.isWorkload()) {
      return;
    }
    try {
      baseline(s, now);
    } catch (RuntimeException e) {
      // The subscription is stored; its first evaluation records the baseline instead.
      LOG.error("alerts: cannot record the workload baseline of {}", s.publicId(), e);
    }
  }

  private void baseline(Subscription s, Instant now) {
    Workloads.Offer first = market.snapshot().rank(s.workload().workload()).cheapest();
    WorkloadWatch.Place p = first == null ? null : WorkloadWatch.Place.of(first);
    Jdbc.tx(ds, "record workload baseline of " + s.publicId(), c -> {
      insert(c, s.id(), p, null, now);
      return null;
    });
  }

  /** What one evaluation did. */
  record Result(int evaluated, int moved, int deliveries) {}

  /**
   * Ranks the workloads of the active workload subscriptions on the current market and applies each decision;
   * {@code checkId} is the check that changed prices (its id keys the messages, so a subscriber hears of one check
   * once whatever the number of nodes evaluating it).
   */
  Result evaluate(long checkId, Instant now) {
    List<Subscription> subs = Jdbc.tx(ds, "read workload subscriptions", this::active);
    if (subs.isEmpty()) {
      return new Result(0, 0, 0);
    }
    WorkloadMarket.Snapshot snapshot = market.snapshot();
    Map<Workloads.Workload, Workloads.Ranking> rankings = new HashMap<>();
    Map<Long, WorkloadWatch.State> states = Jdbc.tx(ds, "read workload states", WorkloadStore::states);
    int moved = 0;
    int deliveries = 0;
    for (Subscription s : subs) {
      Workloads.Ranking r = rankings.computeIfAbsent(s.workload().workload(), snapshot::rank);
      WorkloadWatch.State prev = states.getOrDefault(s.id(), WorkloadWatch.State.NONE);
      // A row another node moved since it was read is read again and decided again (a few times at most).
      for (int attempt = 0; attempt < 3; attempt++) {
        WorkloadWatch.State seen = prev;
        WorkloadWatch.Decision d = WorkloadWatch.decide(seen, r, s.workload());
        if (!d.changed()) {
          break;
        }
        try {
          boolean applied = Jdbc.tx(ds, "evaluate workload of " + s.publicId(), c -> apply(c, s, seen, d, checkId,
              now));
          if (applied) {
            moved++;
            deliveries += d.notice() == null ? 0 : 1;
            break;
          }
          prev = Jdbc.tx(ds, "read workload state", c -> stateOf(c, s.id()));
        } catch (AlertException e) {
          if (!(e.getCause() instanceof SQLException se && Rows.isDuplicate(se))) {
            LOG.error("alerts: workload evaluation of {} after check {} failed", s.publicId(), checkId, e);
          }
          break; // a duplicate: another node evaluated this check for this subscriber first
        }
      }
    }
    return new Result(subs.size(), moved, deliveries);
  }

  /** Writes one decision unless another evaluation moved the row since it was read; true when written. */
  private boolean apply(Connection c, Subscription s, WorkloadWatch.State prev, WorkloadWatch.Decision d,
      long checkId, Instant now) throws SQLException {
    if (!prev.exists()) {
      insert(c, s.id(), d.cheapest(), checkId, now);
    } else {
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_workload_state SET canonical_model = ?, model = ?, "
          + "provider = ?, source_id = ?, monthly_usd = ?, ref_canonical_model = ?, ref_model = ?, ref_provider = ?, "
          + "ref_source_id = ?, ref_monthly_usd = ?, revision = revision + 1, check_id = ?, updated_at = ?, "
          + "notified_at = COALESCE(?, notified_at) WHERE subscription_id = ? AND revision = ?")) {
        place(ps, 1, d.cheapest());
        place(ps, 6, d.reference());
        ps.setLong(11, checkId);
        ps.setObject(12, Rows.odt(now));
        ps.setObject(13, d.notice() == null ? null : Rows.odt(now));
        ps.setLong(14, s.id());
        ps.setLong(15, prev.revision());
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
    }
    if (d.notice() != null) {
      Deliveries.insert(c, List.of(new Deliveries.NewDelivery(s.id(), Subscription.lane(s.channel()), Job.WORKLOAD,
          "w:" + checkId, null, null, d.notice().changePct(), event(s, d.notice(), checkId, now).encode())), now,
          now.plus(giveUp));
    }
    return true;
  }

  private static void insert(Connection c, long subscriptionId, WorkloadWatch.Place p, Long checkId, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_workload_state (canonical_model, model, "
        + "provider, source_id, monthly_usd, ref_canonical_model, ref_model, ref_provider, ref_source_id, "
        + "ref_monthly_usd, revision, check_id, updated_at, subscription_id) VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?,?)")) {
      place(ps, 1, p);
      place(ps, 6, p);
      ps.setObject(11, checkId);
      ps.setObject(12, Rows.odt(now));
      ps.setLong(13, subscriptionId);
      ps.executeUpdate();
    }
  }

  private static void place(PreparedStatement ps, int at, WorkloadWatch.Place p) throws SQLException {
    ps.setString(at, p == null ? null : p.canonical());
    ps.setString(at + 1, p == null ? null : p.model());
    ps.setString(at + 2, p == null ? null : p.provider());
    ps.setString(at + 3, p == null ? null : p.source());
    ps.setBigDecimal(at + 4, p == null ? null : p.monthly());
  }

  /**
   * What a subscription's workload ranking last looked like, for the API: {@code cheapest} (the last-known first
   * place, null before any), {@code reference} (what a fall is measured from) and when it last moved; null for a
   * subscription with no state row.
   */
  JsonObject state(long subscriptionId) {
    return Jdbc.tx(ds, "read workload state", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT subscription_id, canonical_model, model, provider, "
          + "source_id, monthly_usd, ref_canonical_model, ref_model, ref_provider, ref_source_id, ref_monthly_usd, "
          + "check_id, updated_at FROM alert_workload_state WHERE subscription_id = ?")) {
        ps.setLong(1, subscriptionId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          WorkloadWatch.Place now = place(rs, 2);
          WorkloadWatch.Place ref = place(rs, 7);
          long check = rs.getLong(12);
          return new JsonObject().put("cheapest", now == null ? null : place(now))
              .put("reference", ref == null ? null : place(ref))
              .put("check_id", rs.wasNull() ? null : String.valueOf(check))
              .put("updated_at", Rows.instant(rs, 13).toString());
        }
      }
    });
  }

  private static WorkloadWatch.State stateOf(Connection c, long subscriptionId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT subscription_id, canonical_model, model, provider, "
        + "source_id, monthly_usd, ref_canonical_model, ref_model, ref_provider, ref_source_id, ref_monthly_usd, "
        + "revision FROM alert_workload_state WHERE subscription_id = ?")) {
      ps.setLong(1, subscriptionId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new WorkloadWatch.State(place(rs, 2), place(rs, 7), rs.getLong(12))
            : WorkloadWatch.State.NONE;
      }
    }
  }

  private static Map<Long, WorkloadWatch.State> states(Connection c) throws SQLException {
    Map<Long, WorkloadWatch.State> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT subscription_id, canonical_model, model, provider, "
        + "source_id, monthly_usd, ref_canonical_model, ref_model, ref_provider, ref_source_id, ref_monthly_usd, "
        + "revision FROM alert_workload_state"); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getLong(1), new WorkloadWatch.State(place(rs, 2), place(rs, 7), rs.getLong(12)));
      }
    }
    return out;
  }

  private static WorkloadWatch.Place place(ResultSet rs, int at) throws SQLException {
    String canonical = rs.getString(at);
    BigDecimal monthly = Rows.amount(rs, at + 4);
    return canonical == null || monthly == null ? null : new WorkloadWatch.Place(canonical, rs.getString(at + 1),
        rs.getString(at + 2), rs.getString(at + 3), monthly);
  }

  /** The message's event, as the webhook body carries it ({@link Messages} adds the links). */
  static JsonObject event(Subscription s, WorkloadWatch.Notice n, long checkId, Instant at) {
    Workloads.Offer o = n.now();
    return new JsonObject().put("kind", KIND).put("reason", n.reason()).put("model_changed", n.modelChanged())
        .put("workload", s.workload().workload().toJson())
        .put("trigger", s.workload().toJson().getJsonObject("trigger"))
        .put("old", place(n.was()))
        .put("new", place(WorkloadWatch.Place.of(o)).put("input", Decimals.money(o.input()))
            .put("cached_input", Decimals.money(o.cachedInput())).put("output", Decimals.money(o.output())))
        .put("unit", "USD/month")
        .put("change_pct", n.changePct() == null ? null : n.changePct().toPlainString())
        .put("check_id", String.valueOf(checkId))
        .put("observed_at", at.toString());
  }

  private static JsonObject place(WorkloadWatch.Place p) {
    return new JsonObject().put("canonical_model", p.canonical()).put("model", p.model())
        .put("provider", p.provider()).put("source", p.source()).put("monthly_usd", Decimals.money(p.monthly()));
  }

  private long version = -1;
  private List<Subscription> active = List.of();

  /** The active workload subscriptions, reloaded when the subscriptions' version moved. */
  private synchronized List<Subscription> active(Connection c) throws SQLException {
    long v = SubscriptionStore.version(c);
    if (v != version) {
      List<Subscription> out = new ArrayList<>();
      for (Subscription s : SubscriptionStore.active(c)) {
        if (s.isWorkload()) {
          out.add(s);
        }
      }
      active = out;
      version = v;
    }
    return active;
  }
}
