package io.pricetide.history;

import io.pricetide.bus.Addresses;
import io.pricetide.extract.ExtractorSet;
import io.pricetide.history.HistoryStore.Applied;
import io.pricetide.history.HistoryStore.Apply;
import io.pricetide.history.HistoryStore.CheckInfo;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker verticle owning {@code prices.extracted}: applies the observations to history with change detection, each
 * check in its own savepoint, remembers the body's hash and validators only once it was applied, then publishes
 * every event on {@code change.detected} (and failures on {@code source.failed}). Checks that arrive while a commit
 * is running are applied together in the next transaction (group commit, at most {@value #MAX_BATCH}): nothing is
 * replied or published before its commit.
 */
public final class HistoryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryVerticle.class);
  /** Most checks one transaction applies. */
  static final int MAX_BATCH = 32;

  private final ExtractorSet sources;
  private final HistoryStore history;
  private final FxRateStore fx;
  /** Checks received and not yet applied; touched only on this verticle's (ordered) worker context. */
  private final ArrayDeque<Message<JsonObject>> pending = new ArrayDeque<>();
  private boolean drainScheduled;

  public HistoryVerticle(ExtractorSet sources, HistoryStore history, FxRateStore fx) {
    this.sources = sources;
    this.history = history;
    this.fx = fx;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.PRICES_EXTRACTED, this::record).completion();
  }

  /** Queues the check; the drain runs after every delivery already waiting on this context has queued its own. */
  private void record(Message<JsonObject> msg) {
    pending.add(msg);
    if (!drainScheduled) {
      drainScheduled = true;
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    drainScheduled = false;
    List<Message<JsonObject>> msgs = new ArrayList<>();
    List<Apply> batch = new ArrayList<>();
    List<SourceDefinition> srcs = new ArrayList<>();
    while (!pending.isEmpty() && batch.size() < MAX_BATCH) {
      Message<JsonObject> msg = pending.poll();
      JsonObject in = msg.body();
      String id = in.getString("sourceId");
      SourceDefinition src = sources.source(id).orElse(null);
      if (src == null) {
        msg.fail(404, "unknown source '" + id + "'");
        continue;
      }
      try {
        Instant at = Instant.parse(in.getString("observedAt"));
        List<Observation> obs = Observation.fromJsonArray(in.getJsonArray("observations"));
        batch.add(new Apply(id, at, obs, src.guards(), new CheckInfo(at, in.getInteger("status"),
            in.getString("hash"), in.getString("etag"), in.getString("lastModified")),
            HistoryStore.EventMode.of(src.kind()), sources.catalogueIds()));
        msgs.add(msg);
        srcs.add(src);
      } catch (RuntimeException e) {
        msg.fail(400, "source " + id + ", stage history: unreadable observations: " + e.getMessage());
      }
    }
    if (!pending.isEmpty() && !drainScheduled) {
      drainScheduled = true;
      context.runOnContext(v -> drain());
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Applied> results;
    try {
      results = history.applyAll(batch);
    } catch (RuntimeException e) {
      for (int i = 0; i < msgs.size(); i++) {
        LOG.error("source {} stage history: {}", batch.get(i).sourceId(), e.getMessage());
        msgs.get(i).fail(500, "source " + batch.get(i).sourceId() + ", stage history: " + e.getMessage());
      }
      return;
    }
    for (int i = 0; i < msgs.size(); i++) {
      finish(msgs.get(i), srcs.get(i), results.get(i));
    }
  }

  private void finish(Message<JsonObject> msg, SourceDefinition src, Applied r) {
    String id = src.id();
    if (r.error() != null) {
      LOG.error("source {} {}", id, r.error().getMessage());
      msg.fail(500, "source " + id + ", " + r.error().getMessage());
      return;
    }
    CheckOutcome o = r.outcome();
    if (o.isError()) {
      LOG.warn("source {} stage {}: {}", id, o.stage(), o.reason());
      vertx.eventBus().publish(Addresses.SOURCE_FAILED, new JsonObject().put("sourceId", id)
          .put("stage", o.stage()).put("reason", o.reason()));
    } else {
      if (src.kind().equals("fx")) {
        fx.invalidate();
      }
      LOG.info("source {}: {} ({} prices, {} events)", id, o.outcome(), o.observations(), o.events().size());
    }
    o.events().forEach(e -> vertx.eventBus().publish(Addresses.CHANGE_DETECTED, e.toJson()));
    msg.reply(o.toJson());
  }
}
