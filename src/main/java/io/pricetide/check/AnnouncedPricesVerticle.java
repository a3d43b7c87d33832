package io.pricetide.check;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer of announced prices (a worker verticle): at the time an announced price takes effect it applies it,
 * in one transaction with its {@code price_cut} or {@code price_increase} ({@link HistoryStore#applyScheduled}),
 * and publishes the event on {@code change.detected} like any other, whether or not a check runs then. Nothing is
 * kept in memory but the one timer: at start it reads the next pending time from the database (so a restart
 * loses nothing, and what fell due while it was down applies at once), re-reads it after every
 * {@code price_announced} it hears on {@code change.detected}, and at least every {@link #DEFAULT_POLL} (an
 * announcement recorded by another node). Applying is exactly once: a pending row is claimed by one transaction.
 */
public final class AnnouncedPricesVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AnnouncedPricesVerticle.class);
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(60);

  private final HistoryStore store;
  private final java.util.function.Supplier<java.util.Set<String>> catalogues;
  private final long pollMs;
  private long timer = -1;

  /**
   * {@code catalogues} gives the catalogue sources' ids at each firing (sources may be reloaded): a price applied
   * then is compared with them as a check's change is ({@link HistoryStore#applyScheduled(Instant, java.util.Set)}).
   */
  public AnnouncedPricesVerticle(HistoryStore store, java.util.function.Supplier<java.util.Set<String>> catalogues,
      Duration poll) {
    this.store = store;
    this.catalogues = catalogues;
    this.pollMs = Math.max(1, poll.toMillis());
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.CHANGE_DETECTED, m -> {
      if (ChangeEvent.PRICE_ANNOUNCED.equals(m.body().getString("kind"))) {
        arm();
      }
    }).completion().onSuccess(x -> arm());
  }

  /** Applies what is due, then sets the one timer for the next pending time (or the poll, whichever is first). */
  private void arm() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    long delay = pollMs;
    try {
      List<ChangeEvent> applied = store.applyScheduled(Instant.now(), catalogues.get());
      for (ChangeEvent e : applied) {
        LOG.info("source {}: announced {} of {} {} took effect at {}", e.sourceId(), e.kind(), e.model(),
            e.metric(), e.effectiveFrom());
        vertx.eventBus().publish(Addresses.CHANGE_DETECTED, e.toJson());
      }
      Instant next = store.nextScheduled();
      if (next != null) {
        delay = Math.max(1, Math.min(pollMs, Duration.between(Instant.now(), next).toMillis() + 1));
      }
    } catch (RuntimeException e) {
      LOG.error("stage history: applying announced prices failed; retrying in {} ms", pollMs, e);
    }
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      arm();
    });
  }
}
