package io.pricetide.web;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.http.ReadCache;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * When the cached read answers go stale: on every ended check that was not a plain unchanged one (it wrote series,
 * points or events), and on every recorded event (also those recorded outside a check, such as a scheduled price
 * taking effect). Both are published facts, so every node of a cluster hears them.
 */
final class ReadCaches {
  private ReadCaches() {}

  /** Empties {@code cache} whenever history changes. */
  static void invalidateOnChange(Vertx vertx, ReadCache cache) {
    vertx.eventBus().<JsonObject>consumer(Addresses.CHECK_ENDED, m -> {
      JsonObject o = m.body();
      JsonArray events = o == null ? null : o.getJsonArray("events");
      if (o == null || !CheckOutcome.UNCHANGED.equals(o.getString("outcome")) || (events != null
          && !events.isEmpty())) {
        cache.invalidate();
      }
    });
    vertx.eventBus().consumer(Addresses.CHANGE_DETECTED, m -> cache.invalidate());
  }
}
