package io.pricetide.check;

import io.pricetide.archive.RawArchive;
import io.pricetide.bus.Addresses;
import io.pricetide.bus.PageFetched;
import io.pricetide.bus.PricesExtracted;
import io.pricetide.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker verticle owning {@code page.fetched}: takes the body from the message (or, for a body not fetched again,
 * from the archive), runs {@link CheckPipeline#extract} and hands what it read, observations or the extraction's
 * failure, to {@code prices.extracted}. It writes nothing itself.
 */
public final class ExtractVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ExtractVerticle.class);

  private final CheckPipeline pipeline;
  private final RawArchive archive;

  public ExtractVerticle(CheckPipeline pipeline, RawArchive archive) {
    this.pipeline = pipeline;
    this.archive = archive;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.PAGE_FETCHED, this::extract).completion();
  }

  private void extract(Message<JsonObject> msg) {
    byte[] sent = PageFetched.takeBody(msg.body());
    PageFetched page = PageFetched.fromJson(msg.body());
    PricesExtracted out;
    try {
      byte[] bytes = sent != null ? sent : archive.get(page.hash());
      long t0 = System.nanoTime();
      CheckPipeline.Extraction x = pipeline.extract(page.sourceId(), bytes, page.contentType(), null,
          page.observedAt());
      Meters.of(vertx).extracted(page.sourceId(), x.failed(), t0);
      if (x.failed()) {
        LOG.warn("{}", x.failure());
      }
      out = new PricesExtracted(page, x.observations(), x.failure());
    } catch (RuntimeException e) {
      LOG.error("source {} stage extract: unexpected error", page.sourceId(), e);
      msg.fail(500, "source " + page.sourceId() + ", stage extract: " + e.getMessage());
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.PRICES_EXTRACTED, out.toJson(), Addresses.CHECK_TIMEOUT)
        .onSuccess(r -> msg.reply(r.body()))
        .onFailure(err -> msg.fail(500, err.getMessage()));
  }
}
