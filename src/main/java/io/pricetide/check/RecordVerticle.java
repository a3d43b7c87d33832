package io.pricetide.check;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.bus.PageFetched;
import io.pricetide.bus.PricesExtracted;
import io.pricetide.history.CheckInfo;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker verticle owning {@code prices.extracted}: records what extraction read with {@link CheckPipeline#record}
 * (history and detection in one transaction; the body's hash and validators are remembered only once applied),
 * then publishes every event on {@code change.detected} and replies with the check's outcome.
 */
public final class RecordVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RecordVerticle.class);

  private final CheckPipeline pipeline;

  public RecordVerticle(CheckPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.PRICES_EXTRACTED, this::record).completion();
  }

  private void record(Message<JsonObject> msg) {
    PricesExtracted in;
    try {
      in = PricesExtracted.fromJson(msg.body());
    } catch (RuntimeException e) {
      LOG.error("stage history: unreadable hand-off", e);
      msg.fail(500, "stage history: unreadable hand-off: " + e.getMessage());
      return;
    }
    PageFetched page = in.page();
    String id = page.sourceId();
    if (pipeline.sources().source(id).isEmpty()) {
      msg.fail(404, "unknown source '" + id + "'");
      return;
    }
    try {
      CheckInfo info = new CheckInfo(page.observedAt(), page.status(), page.hash(), page.etag(),
          page.lastModified(), page.contentType()).scheduledFor(page.scheduledFor());
      CheckOutcome o = pipeline.record(id, page.observedAt(),
          new CheckPipeline.Extraction(in.observations(), in.failure()), info);
      if (o.isError()) {
        LOG.warn("source {} stage {}: {}", id, o.stage(), o.reason());
      } else {
        LOG.info("source {}: {} ({} prices, {} events)", id, o.outcome(), o.observations(), o.events().size());
      }
      Outcomes.publish(vertx.eventBus(), o);
      msg.reply(o.toJson());
    } catch (RuntimeException e) {
      LOG.error("source {} stage history: unexpected error", id, e);
      msg.fail(500, "source " + id + ", stage history: " + e.getMessage());
    }
  }
}
