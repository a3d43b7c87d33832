package io.pricetide.alert;

import io.pricetide.bus.Addresses;
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
 * queues due digests and reports stale sources to the operator.
 */
final class AlertVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);
  static final long SWEEP_MS = 5_000;
  static final long HOUSEKEEPING_MS = 30_000;

  private final OutboxStore outbox;
  private final Duration operatorRearm;
  private final List<SourceDefinition> watched;
  private final Duration staleGrace;
  private final Instant startedAt = Instant.now();
  private final Cache cache = new Cache();
  private final Map<String, Duration> periods = new ConcurrentHashMap<>();
  private final java.util.function.Consumer<List<Job>> handoff;
  /** Cluster mode: this node (whose incarnation the handed-off claims carry) and how many of a fan-out it claims. */
  private final io.pricetide.cluster.ClusterNode node;
  private final int share;

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
      java.util.function.Consumer<List<Job>> handoff) {
    this(outbox, operatorRearm, watched, staleGrace, handoff, null, 0);
  }

  /**
   * In cluster mode ({@code node} not null) the matcher claims at most {@code share} deliveries of an event for this
   * node's workers and leaves the rest due for every node's.
   */
  AlertVerticle(OutboxStore outbox, Duration operatorRearm, List<SourceDefinition> watched, Duration staleGrace,
      java.util.function.Consumer<List<Job>> handoff, io.pricetide.cluster.ClusterNode node, int share) {
    this.node = node;
    this.share = node == null ? 0 : share;
    this.outbox = outbox;
    this.handoff = handoff;
    this.operatorRearm = operatorRearm;
    this.watched = watched;
    this.staleGrace = staleGrace;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(SWEEP_MS, t -> sweep());
    vertx.setPeriodic(HOUSEKEEPING_MS, t -> housekeeping(Instant.now()));
    // The events this node recorded; in cluster mode those of other nodes are theirs to match (the sweep below takes
    // any a node left unmatched), so the nodes do not race for every event.
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.CHANGE_DETECTED, this::onEvent).completion()
        .onSuccess(v -> vertx.runOnContext(x -> sweep()));
  }

  private void onEvent(Message<JsonObject> msg) {
    String id = msg.body().getString("id");
    try {
      match(Long.parseLong(id));
    } catch (RuntimeException e) {
      LOG.error("alerts: matching event {} failed (the sweep retries it)", id, e);
    }
  }

  private void match(long eventId) {
    MatchStore.MatchResult r = outbox.matching.match(eventId, cache, Instant.now(), operatorRearm,
        DeliveryVerticle.HANDOFF_MAX, DeliveryVerticle.LEASE, node == null ? null : node.incarnation(), share);
    if (!r.handoff().isEmpty()) {
      handoff.accept(r.handoff());
    } else if (r.deliveries() > 0) {
      vertx.eventBus().send(DeliveryVerticle.WAKE, eventId);
    }
    if (r.matchedNow()) {
      LOG.debug("alerts: event {} matched: {} deliveries, {} digest items", eventId, r.deliveries(),
          r.digestItems());
    }
  }

  /** Matches stored events nobody matched yet, then moves the cursor. */
  private void sweep() {
    try {
      List<Long> open;
      do {
        open = outbox.matching.unmatched(500);
        for (long id : open) {
          match(id);
        }
      } while (open.size() == 500);
      outbox.matching.advanceCursor(Instant.now());
    } catch (RuntimeException e) {
      LOG.error("alerts: sweep failed", e);
    }
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
