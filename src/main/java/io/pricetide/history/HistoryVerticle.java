package io.pricetide.history;

import io.pricetide.bus.CheckOutcome;
import io.pricetide.bus.Addresses;
import io.pricetide.extract.Extractors;
import io.pricetide.history.HistoryStore.CheckInfo;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker verticle owning {@code prices.extracted}: applies the observations to history with change detection in one
 * transaction, remembers the body's hash and validators only once it was applied, then publishes every event on
 * {@code change.detected} (and failures on {@code source.failed}).
 */
public final class HistoryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryVerticle.class);

  private final Extractors sources;
  private final HistoryStore history;

  private final FxRateStore fx;

  public HistoryVerticle(Extractors sources, HistoryStore history, FxRateStore fx) {
    this.sources = sources;
    this.history = history;
    this.fx = fx;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.PRICES_EXTRACTED, this::record).completion();
  }

  private void record(Message<JsonObject> msg) {
    JsonObject in = msg.body();
    String id = in.getString("sourceId");
    SourceDefinition src = sources.sources().source(id).orElse(null);
    if (src == null) {
      msg.fail(404, "unknown source '" + id + "'");
      return;
    }
    try {
      Instant at = Instant.parse(in.getString("observedAt"));
      List<Observation> obs = Observation.fromJsonArray(in.getJsonArray("observations"));
      String hash = in.getString("hash");
      CheckOutcome o = history.apply(id, at, obs, src.guards(), new CheckInfo(at, in.getInteger("status"), hash,
          in.getString("etag"), in.getString("lastModified")), HistoryStore.EventMode.of(src.kind()),
          sources.sources().catalogueIds());
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
    } catch (RuntimeException e) {
      LOG.error("source {} stage history: {}", id, e.getMessage());
      msg.fail(500, "source " + id + ", stage history: " + e.getMessage());
    }
  }
}
