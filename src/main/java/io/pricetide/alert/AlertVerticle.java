package io.pricetide.alert;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker verticle that turns change events into outbox rows. It consumes {@code change.detected} for speed and,
 * at start and every few seconds, sweeps history's events (read through {@code AlertReads}) for those no matcher
 * has handled (published while this node was down, crashed between commit and publish, or recorded by the CLI),
 * so nothing is lost. It also
 * queues due digests and reports stale sources to the operator, and after every check that changed prices
 * ({@code check.ended} with outcome {@code changed}; never a failed check, nor one with held-back values) it
 * re-ranks the workloads of workload subscriptions ({@link WorkloadStore}), checks that end together evaluated once.
 */
final class AlertVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);
  static final long SWEEP_MS = 5_000;
  static final long HOUSEKEEPING_MS = 30_000;
  /** Checks that end within this long of each other are evaluated for workloads once. */
  static final long WORKLOAD_DELAY_MS = 200;

  private final OutboxStore outbox;
  private final Duration operatorRearm;
  private final List<SourceDefinition> watched;
  private final Duration staleGrace;
  private final Instant startedAt = Instant.now();
  private final Cache cache = new Cache();
  private final Map<String, Duration> periods = new ConcurrentHashMap<>();
  private final java.util.function.Consumer<List<Job>> handoff;
  private final WorkloadStore workloads;
  /** Cluster mode: how many of an event's deliveries this node claims, under its incarnation; single node: all. */
  private final io.pricetide.cluster.ClusterNode node;
  private final int share;
  private long workloadCheck = -1;
  private boolean workloadScheduled;

  /** The active subscriptions, reloaded inside a match transaction whenever their version moved. */
  private static final class Cache implements MatchStore.SubscriptionCache {
    private long version = -1;
    private List<Subscription> subs = List.of();

    @Override
    public List<Subscription> current(Connection c) throws SQLException {
      long v = SubscriptionStore.version(c);
      if (v != version) {
        subs = SubscriptionStore.active(c);
        version = v;
      }
      return subs;
    }
  }

  /**
   * {@code watched}: sources whose staleness is reported (empty when nothing is scheduled); {@code handoff} takes
   * deliveries claimed during the match.
   */
  AlertVerticle(OutboxStore outbox, Duration operatorRearm, List<SourceDefinition> watched, Duration staleGrace,
      java.util.function.Consumer<List<Job>> handoff, WorkloadStore workloads) {
    this(outbox, operatorRearm, watched, staleGrace, handoff, workloads, null, 0);
  }

  /**
   * In cluster mode ({@code node} not null) the matcher claims at most {@code share} deliveries of an event for this
   * node's workers and leaves the rest due for every node's.
   */
  AlertVerticle(OutboxStore outbox, Duration operatorRearm, List<SourceDefinition> watched, Duration staleGrace,
      java.util.function.Consumer<List<Job>> handoff, WorkloadStore workloads, io.pricetide.cluster.ClusterNode node,
      int share) {
    this.node = node;
    this.share = node == null ? 0 : share;
    this.outbox = outbox;
    this.workloads = workloads;
    this.handoff = handoff;
    this.operatorRearm = operatorRearm;
    this.watched = watched;
    this.staleGrace = staleGrace;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(SWEEP_MS, t -> sweep());
    vertx.setPeriodic(HOUSEKEEPING_MS, t -> housekeeping(Instant.now()));
    // The events this node recorded; in cluster mode those of other nodes are theirs to match (the sweep takes any a
    // node left unmatched), so the nodes do not race for every event.
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.CHANGE_DETECTED, this::onEvent).completion()
        .compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.CHECK_ENDED, this::onCheckEnded).completion())
        .onSuccess(v -> vertx.runOnContext(x -> sweep()));
  }

  /**
   * Events heard on the bus wait here until the next drain; only this verticle's context touches it. A worker
   * context runs its tasks in order, so the drain queued by the first event of a burst runs after the burst's other
   * deliveries were queued: a quiet service matches each event at once, a busy cycle in a few large transactions.
   */
  private final java.util.ArrayDeque<Long> pending = new java.util.ArrayDeque<>();
  private boolean drainQueued;

  /** At most this many events are matched in one transaction. */
  static final int BATCH = 500;

  /**
   * A check that changed prices schedules a workload evaluation. A failed check, one whose values were held back
   * as suspect (both end as {@code error}), a first check and an unchanged one are no news to a workload.
   */
  private void onCheckEnded(Message<JsonObject> msg) {
    CheckOutcome o;
    try {
      o = CheckOutcome.fromJson(msg.body());
    } catch (RuntimeException e) {
      LOG.warn("alerts: ignored a {} message that is not a check outcome", Addresses.CHECK_ENDED);
      return;
    }
    if (!movesWorkloads(o)) {
      return;
    }
    workloadCheck = Math.max(workloadCheck, o.checkId());
    if (!workloadScheduled) {
      workloadScheduled = true;
      vertx.setTimer(WORKLOAD_DELAY_MS, t -> evaluateWorkloads());
    }
  }

  /** True for a check that changed prices; a failed one or one with held-back values ends {@code error}. */
  static boolean movesWorkloads(CheckOutcome o) {
    return CheckOutcome.CHANGED.equals(o.outcome());
  }

  private void evaluateWorkloads() {
    workloadScheduled = false;
    long checkId = workloadCheck;
    workloadCheck = -1;
    try {
      WorkloadStore.Result r = workloads.evaluate(checkId, Instant.now());
      if (r.deliveries() > 0) {
        vertx.eventBus().send(DeliveryVerticle.WAKE, 0L);
      }
      if (r.moved() > 0) {
        LOG.debug("alerts: workloads after check {}: {} evaluated, {} moved, {} messages", checkId, r.evaluated(),
            r.moved(), r.deliveries());
      }
    } catch (RuntimeException e) {
      LOG.error("alerts: workload evaluation after check {} failed", checkId, e);
    }
  }

  private void onEvent(Message<JsonObject> msg) {
    String id = msg.body().getString("id");
    try {
      pending.add(Long.parseLong(id));
    } catch (NumberFormatException e) {
      LOG.error("alerts: change.detected carried no event id: {}", msg.body().encode());
      return;
    }
    if (!drainQueued) {
      drainQueued = true;
      vertx.runOnContext(v -> drain());
    }
  }

  @Override
  public Future<?> stop() {
    stopping = true; // what is pending stays unmatched in history: the next start's sweep takes it
    return Future.succeededFuture();
  }

  private volatile boolean stopping;

  private void drain() {
    drainQueued = false;
    while (!pending.isEmpty() && !stopping) {
      List<Long> batch = new java.util.ArrayList<>(Math.min(BATCH, pending.size()));
      while (batch.size() < BATCH && !pending.isEmpty()) {
        batch.add(pending.poll());
      }
      try {
        match(batch);
      } catch (RuntimeException e) {
        LOG.error("alerts: matching events {}..{} failed (the sweep retries them)", batch.get(0),
            batch.get(batch.size() - 1), e);
      }
    }
  }

  private void match(List<Long> eventIds) {
    List<MatchStore.MatchResult> results = outbox.matching.matchAll(eventIds, cache, Instant.now(), operatorRearm,
        DeliveryVerticle.HANDOFF_MAX, DeliveryVerticle.LEASE, node == null ? MatchStore.Share.SINGLE_NODE
            : new MatchStore.Share(node.incarnation(), share));
    List<Job> claimed = new java.util.ArrayList<>();
    boolean wake = false;
    for (int i = 0; i < results.size(); i++) {
      MatchStore.MatchResult r = results.get(i);
      claimed.addAll(r.handoff());
      wake |= r.handoff().isEmpty() && r.deliveries() > 0;
      if (r.matchedNow()) {
        LOG.debug("alerts: event {} matched: {} deliveries, {} digest items", eventIds.get(i), r.deliveries(),
            r.digestItems());
      }
    }
    if (!claimed.isEmpty()) {
      handoff.accept(claimed);
    }
    if (wake) {
      vertx.eventBus().send(DeliveryVerticle.WAKE, eventIds.get(0));
    }
  }

  /** True while a sweep's scan runs; only this verticle's context reads or writes it. */
  private boolean sweeping;

  /**
   * Matches stored events nobody matched yet, then moves the cursor. The scans run off this verticle's context
   * (a busy cycle leaves many thousands of handled events in the settling window, and reading past them must not
   * hold up the events arriving on the bus); the matching itself comes back here, so it stays in order with the
   * bus's. An event both find is matched once: the second sees its {@code alert_matched} row.
   */
  private void sweep() {
    if (sweeping || stopping) {
      return;
    }
    sweeping = true;
    vertx.executeBlocking(() -> outbox.matching.unmatched(BATCH), false).onComplete(ar -> {
      if (ar.failed()) {
        sweeping = false;
        LOG.error("alerts: sweep failed", ar.cause());
        return;
      }
      List<Long> open = ar.result();
      try {
        if (!open.isEmpty() && !stopping) {
          match(open);
        }
      } catch (RuntimeException e) {
        LOG.error("alerts: sweep failed", e);
      }
      if (open.size() == BATCH && !stopping) {
        sweeping = false;
        vertx.runOnContext(v -> sweep());
        return;
      }
      vertx.executeBlocking(() -> {
        outbox.matching.advanceCursor(Instant.now());
        return null;
      }, false).onComplete(done -> {
        sweeping = false;
        if (done.failed()) {
          LOG.error("alerts: moving the match cursor failed", done.cause());
        }
      });
    });
  }

  void housekeeping(Instant now) {
    try {
      if (outbox.digests.queueDigests(now) > 0) {
        vertx.eventBus().send(DeliveryVerticle.WAKE, 0L);
      }
      if (checkStale(now) > 0) {
        vertx.eventBus().send(DeliveryVerticle.WAKE, 0L);
      }
    } catch (RuntimeException e) {
      LOG.error("alerts: housekeeping failed", e);
    }
  }

  /**
   * Reports every watched source without a successful check for longer than two schedule periods plus the grace
   * (counted from the service start when it has none since).
   */
  int checkStale(Instant now) {
    if (watched.isEmpty()) {
      return 0;
    }
    Map<String, Instant> last = outbox.stale.lastSuccesses();
    int queued = 0;
    for (SourceDefinition s : watched) {
      Duration period = periods.computeIfAbsent(s.id(), k -> period(s.schedule(), now));
      Instant ok = last.get(s.id());
      Instant since = ok == null || ok.isBefore(startedAt) ? startedAt : ok;
      Duration stale = Duration.between(since, now);
      if (stale.compareTo(period.multipliedBy(2).plus(staleGrace)) > 0) {
        JsonObject payload = new JsonObject().put("source", s.id()).put("name", s.name()).put("url", s.url())
            .put("schedule", s.schedule()).put("last_success", ok == null ? null : ok.toString())
            .put("stale_seconds", stale.toSeconds()).put("period_seconds", period.toSeconds());
        int n = outbox.stale.reportStale(s.id(), since, payload, now);
        if (n > 0) {
          LOG.warn("source {} is stale: no successful check since {}", s.id(), ok == null ? "start" : ok);
        }
        queued += n;
      }
    }
    return queued;
  }

  /** The longest gap between the next few firings of a cron expression. */
  static Duration period(String cron, Instant from) {
    try {
      CronExpression c = new CronExpression(cron);
      Date t = c.getNextValidTimeAfter(Date.from(from));
      long longest = 0;
      for (int i = 0; i < 4 && t != null; i++) {
        Date n = c.getNextValidTimeAfter(t);
        if (n == null) {
          break;
        }
        longest = Math.max(longest, n.getTime() - t.getTime());
        t = n;
      }
      return Duration.ofMillis(longest == 0 ? 86_400_000L : longest);
    } catch (ParseException e) {
      return Duration.ofDays(1);
    }
  }
}
