package io.pricetide.alert;

import io.pricetide.cluster.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery workers: one lane per transport (SMTP, HTTP), each claiming due outbox rows up to its free
 * concurrency, sending them through the {@link NotifierRegistry} and recording every attempt in batches. Woken by
 * the matcher after each commit and polled on a timer besides, so nothing waits for the next event to go out.
 *
 * <p>A failed attempt is retried after {@code base * 2^(n-1)} (capped) with jitter between half and all of that
 * delay, until the delivery's give-up time; then it is dead-lettered. Permanent failures are dead at once.
 *
 * <p>In cluster mode every claim carries this node's incarnation, and every heartbeat period the workers look for
 * incarnations that died or stopped and whose claims nobody took over yet ({@link ClusterNode#deadNotTakenOver}), and
 * take them over: the rows are due again at once, with their {@code delivery_id}, instead of after the lease.
 */
final class DeliveryVerticle extends VerticleBase {
  /** Local address: there is something new in the outbox. */
  static final String WAKE = "alert.outbox.wake";
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);
  private static final int FLUSH_AT = 500;
  private static final long FLUSH_DELAY_MS = 20;

  private final OutboxStore outbox;
  private final NotifierRegistry notifiers;
  private final long retryBaseMs;
  private final long retryMaxMs;
  private final long pollMs;
  /** How long a claim holds: twice the longest send deadline, and some. */
  static final Duration LEASE = Duration.ofMillis(2 * Math.max(EmailNotifier.DEADLINE_MS, HttpNotifier.DEADLINE_MS)
      + 30_000);
  /**
   * Deliveries of one event up to this many are claimed by the matcher itself and handed over in memory, so a
   * fan-out costs no claim round trips; the worker renews their leases while they wait in its queue.
   */
  static final int HANDOFF_MAX = 50_000;

  private final Duration lease = LEASE;
  private io.vertx.core.Context home;
  private io.pricetide.metrics.Meters meters;
  private final List<Lane> lanes;
  private final List<DeliveryQueue.Result> results = new ArrayList<>();
  /** Claims with jobs not finished yet, by claim token, so their leases can be renewed. */
  private final java.util.Map<String, Claim> claims = new java.util.HashMap<>();

  /** A claim this worker holds: its lane, lease end and unfinished jobs. */
  private static final class Claim {
    final String lane;
    Instant leaseEnd;
    int open;
    boolean renewing;

    Claim(String lane, Instant leaseEnd) {
      this.lane = lane;
      this.leaseEnd = leaseEnd;
    }
  }
  private boolean flushing;
  private boolean flushScheduled;
  private boolean stopped;

  private static final class Lane {
    final String name;
    final int max;
    final java.util.ArrayDeque<Job> ready = new java.util.ArrayDeque<>();
    int inFlight;
    boolean claiming;
    boolean again;
    /** The last claim found fewer due jobs than it asked for: claim again only when woken or polled. */
    boolean drained;

    Lane(String name, int max) {
      this.name = name;
      this.max = max;
    }
  }

  /** This node in cluster mode; null for a single node. */
  private final ClusterNode node;
  private boolean takingOver;

  DeliveryVerticle(OutboxStore outbox, NotifierRegistry notifiers, long retryBaseMs, long retryMaxMs, long pollMs,
      int emailConcurrency, int httpConcurrency) {
    this(outbox, notifiers, retryBaseMs, retryMaxMs, pollMs, emailConcurrency, httpConcurrency, null);
  }

  DeliveryVerticle(OutboxStore outbox, NotifierRegistry notifiers, long retryBaseMs, long retryMaxMs, long pollMs,
      int emailConcurrency, int httpConcurrency, ClusterNode node) {
    this.node = node;
    this.outbox = outbox;
    this.notifiers = notifiers;
    this.retryBaseMs = retryBaseMs;
    this.retryMaxMs = retryMaxMs;
    this.pollMs = pollMs;
    this.lanes = List.of(new Lane("email", emailConcurrency), new Lane("http", httpConcurrency));
  }

  @Override
  public Future<?> start() {
    home = context;
    meters = io.pricetide.metrics.Meters.of(vertx);
    vertx.setPeriodic(pollMs, t -> pumpAll());
    vertx.setPeriodic(Math.max(1_000, lease.toMillis() / 6), t -> renewLeases());
    if (node != null) {
      vertx.setPeriodic(node.settings().heartbeatMs(), t -> takeOver());
      node.onFenced(old -> home.runOnContext(v -> dropClaimed(old)));
    }
    return vertx.eventBus().localConsumer(WAKE, m -> pumpAll()).completion().onSuccess(v -> pumpAll());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    List<DeliveryQueue.Result> batch = new ArrayList<>(results);
    results.clear();
    return batch.isEmpty() ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      outbox.queue.record(batch);
      return null;
    });
  }

  /** Frees the claims of dead incarnations no node has taken over yet (cluster mode). */
  private void takeOver() {
    if (takingOver || stopped) {
      return;
    }
    takingOver = true;
    vertx.executeBlocking(() -> {
      int freed = 0;
      for (String dead : node.deadNotTakenOver()) {
        freed += takeOver(dead);
      }
      return freed;
    }, false).onComplete(ar -> {
      takingOver = false;
      if (ar.failed()) {
        LOG.warn("cluster: cannot take over the claims of dead nodes: {}", ar.cause().getMessage());
      } else if (ar.result() > 0) {
        pumpAll();
      }
    });
  }

  /** Blocking: frees one dead incarnation's claims and marks it taken over; returns the rows freed. */
  private int takeOver(String dead) {
    Duration silent = node.silentFor(dead);
    int n = outbox.queue.takeOver(dead, Instant.now());
    node.takenOver(dead);
    if (n > 0) {
      LOG.warn("cluster: node {} took over {} deliveries claimed by {} (last heartbeat {} ago)", node.nodeId(), n,
          dead, silent == null ? "never" : silent.toMillis() + " ms");
    }
    return n;
  }

  /**
   * This node was fenced (its heartbeat was too old: the others may have taken its claims over): the jobs not sent
   * yet are dropped and the old incarnation's claims freed, so whoever claims them now sends them. Sends in flight
   * end as they end.
   */
  private void dropClaimed(String old) {
    int dropped = 0;
    for (Lane l : lanes) {
      for (Job j : l.ready) {
        finished(j);
        dropped++;
      }
      l.ready.clear();
    }
    LOG.warn("cluster: dropped {} claimed deliveries not yet sent (fenced incarnation {})", dropped, old);
    vertx.executeBlocking(() -> takeOver(old), false).onComplete(ar -> pumpAll());
  }

  /** Takes jobs the matcher claimed in its own transaction; callable from any thread. */
  void offer(List<Job> jobs) {
    io.vertx.core.Context c = home;
    if (c == null || jobs.isEmpty()) {
      return; // not started: the lease runs out and the poll takes them
    }
    c.runOnContext(v -> {
      for (Job j : jobs) {
        lanes.stream().filter(l -> l.name.equals(Subscription.lane(j.subscription().channel()))).findFirst()
            .ifPresent(l -> take(l, j));
      }
      pumpAll();
    });
  }

  private void take(Lane l, Job j) {
    claims.computeIfAbsent(j.claimToken(), k -> new Claim(l.name, j.leaseEnd())).open++;
    l.ready.add(j);
  }

  private void finished(Job j) {
    Claim c = claims.get(j.claimToken());
    if (c != null && --c.open <= 0) {
      claims.remove(j.claimToken());
    }
  }

  /** Renews, before they run out, the leases of claims whose jobs still wait or are in flight. */
  private void renewLeases() {
    Instant now = Instant.now();
    claims.forEach((token, c) -> {
      if (c.renewing || Duration.between(now, c.leaseEnd).compareTo(lease.dividedBy(2)) > 0) {
        return;
      }
      c.renewing = true;
      Instant from = c.leaseEnd;
      Instant to = Deliveries.leaseEnd(now, lease);
      vertx.executeBlocking(() -> outbox.queue.renew(c.lane, token, from, to), false).onComplete(ar -> {
        c.renewing = false;
        if (ar.succeeded()) {
          c.leaseEnd = to;
        } else {
          LOG.warn("outbox: cannot renew a claim of {} jobs", c.open, ar.cause());
        }
      });
    });
  }

  private void pumpAll() {
    lanes.forEach(l -> pump(l, true));
  }

  /**
   * Starts claimed jobs up to the lane's concurrency and claims more when fewer than one round is waiting. Claims
   * hold at most two rounds (in flight plus ready), so every claimed job starts well within its lease.
   */
  private void pump(Lane l, boolean force) {
    if (stopped) {
      return;
    }
    if (force) {
      l.drained = false;
    }
    while (l.inFlight < l.max && !l.ready.isEmpty()) {
      l.inFlight++;
      dispatch(l, l.ready.poll());
    }
    if (l.claiming) {
      l.again |= force;
      return;
    }
    int room = 2 * l.max - l.inFlight - l.ready.size();
    if (room <= 0 || !force && (l.drained || l.ready.size() >= l.max / 2)) {
      return;
    }
    l.claiming = true;
    l.again = false;
    Instant now = Instant.now();
    String claimer = node == null ? null : node.incarnation();
    meters.claim(l.name);
    vertx.executeBlocking(() -> outbox.queue.claim(l.name, room, now, lease, claimer), false).onComplete(ar -> {
      l.claiming = false;
      if (ar.failed()) {
        LOG.warn("outbox: cannot claim {} deliveries", l.name, ar.cause());
        return;
      }
      ar.result().forEach(j -> take(l, j));
      // A claim that found fewer due jobs than it asked for drained the lane: the next claim waits for the poll or
      // a wake-up (claiming again at once spun on an empty outbox: a core busy while idle). Pumped as a new task,
      // so a claim that completed before its listener was added does not deepen the stack.
      boolean full = ar.result().size() == room;
      l.drained = !full;
      boolean again = l.again || full;
      home.runOnContext(v -> pump(l, again));
    });
  }

  private void dispatch(Lane l, Job j) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    Future<Outcome> f;
    boolean eligible = j.messageType().equals(Job.CONFIRM)
        ? j.subscription().status().equals(Subscription.PENDING) : j.subscription().isActive();
    if (!eligible) {
      f = Future.succeededFuture(null);
    } else {
      f = notifiers.get(j.subscription().channel()).map(n -> n.send(j)).orElseGet(() -> Future.succeededFuture(
          Outcome.failed(null, "channel " + j.subscription().channel() + " is not configured")));
    }
    f.onComplete(ar -> {
      l.inFlight--;
      finished(j);
      pump(l, false);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      DeliveryQueue.Result r;
      if (ar.succeeded() && ar.result() == null) {
        r = new DeliveryQueue.Result(j, Deliveries.CANCELLED, null, started, ms, null);
      } else {
        Outcome o = ar.succeeded() ? ar.result() : Outcome.failed(null, String.valueOf(ar.cause()));
        r = result(j, o, started, ms);
        if (!o.delivered()) {
          LOG.info("delivery {} to {} {} attempt {}: {}{}", j.deliveryId(), j.subscription().channel(),
              j.subscription().publicId(), j.attempts() + 1, o.error(), r.nextAttemptAt() == null
                  ? " (dead-lettered)" : ", retry at " + r.nextAttemptAt());
        }
      }
      results.add(r);
      meters.delivery(j.subscription().channel(), r.status().equals(Deliveries.PENDING) ? "retry" : r.status());
      scheduleFlush();
    });
  }

  private DeliveryQueue.Result result(Job j, Outcome o, Instant started, long ms) {
    if (o.delivered()) {
      return new DeliveryQueue.Result(j, Deliveries.DELIVERED, o, started, ms, null);
    }
    Instant next = Instant.now().plusMillis(backoff(j.attempts() + 1));
    if (o.permanent() || next.isAfter(j.expiresAt())) {
      return new DeliveryQueue.Result(j, Deliveries.DEAD, o, started, ms, null);
    }
    return new DeliveryQueue.Result(j, Deliveries.PENDING, o, started, ms, next);
  }

  /** Delay before attempt {@code n + 1}: exponential from the base, capped, with jitter in [half, all]. */
  long backoff(int attempt) {
    double exp = retryBaseMs * Math.pow(2, Math.min(40, attempt - 1));
    long capped = (long) Math.min(retryMaxMs, exp);
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  private void scheduleFlush() {
    if (results.size() >= FLUSH_AT) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      vertx.setTimer(FLUSH_DELAY_MS, t -> {
        flushScheduled = false;
        flush();
      });
    }
  }

  private void flush() {
    if (flushing || results.isEmpty()) {
      return;
    }
    flushing = true;
    List<DeliveryQueue.Result> batch = new ArrayList<>(results);
    results.clear();
    vertx.executeBlocking(() -> {
      outbox.queue.record(batch);
      return null;
    }, false).onComplete(ar -> {
      flushing = false;
      if (ar.failed()) {
        // The rows stay claimed; their lease runs out and they are sent again with the same delivery_id.
        LOG.error("outbox: cannot record {} attempts", batch.size(), ar.cause());
      }
      if (!results.isEmpty()) {
        scheduleFlush();
      }
    });
  }
}
