package io.pricetide.extract;

import io.pricetide.archive.RawArchive;
import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.history.HistoryStore;
import io.pricetide.history.HistoryStore.CheckInfo;
import io.pricetide.price.Observation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker verticle owning {@code page.fetched}: takes the body from the message (or, for a body not fetched again,
 * from the archive), runs the source's extractor and hands the observations to history. An extraction error ends the check with a {@code source_failure} and no model events.
 */
public final class ExtractVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ExtractVerticle.class);
  private static final DeliveryOptions LONG = new DeliveryOptions().setSendTimeout(10 * 60_000L);

  private final Extractors sources;
  private final HistoryStore history;
  private final RawArchive archive;

  public ExtractVerticle(Extractors sources, HistoryStore history, RawArchive archive) {
    this.sources = sources;
    this.history = history;
    this.archive = archive;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.PAGE_FETCHED, this::extract).completion();
  }

  private void extract(Message<JsonObject> msg) {
    JsonObject in = msg.body();
    String id = in.getString("sourceId");
    String hash = in.getString("hash");
    Instant observedAt = Instant.parse(in.getString("observedAt"));
    CheckInfo info = new CheckInfo(observedAt, in.getInteger("status"), hash);
    List<Observation> obs;
    try {
      // Taken out of the map itself: JsonObject.remove would first wrap the bytes as base64.
      Object raw = in.getMap().remove("body");
      byte[] bytes = raw instanceof byte[] b ? b : archive.get(hash);
      String body = Extractors.decode(bytes, in.getString("contentType"));
      obs = sources.extract(id, body, null, observedAt);
    } catch (ExtractException e) {
      LOG.warn("{}", e.getMessage());
      CheckOutcome o = history.recordFailure(id, Instant.now(), "extract", e.getMessage(), info);
      vertx.eventBus().publish(Addresses.SOURCE_FAILED, new JsonObject().put("sourceId", id).put("stage", "extract")
          .put("reason", e.getMessage()));
      o.events().forEach(ev -> vertx.eventBus().publish(Addresses.CHANGE_DETECTED, ev.toJson()));
      msg.reply(o.toJson());
      return;
    } catch (RuntimeException e) {
      msg.fail(500, "source " + id + ", stage extract: " + e.getMessage());
      return;
    }
    JsonObject out = in.copy().put("observations", Observation.toJsonArray(obs));
    vertx.eventBus().<JsonObject>request(Addresses.PRICES_EXTRACTED, out, LONG)
        .onSuccess(r -> msg.reply(r.body()))
        .onFailure(err -> msg.fail(500, err.getMessage()));
  }
}
