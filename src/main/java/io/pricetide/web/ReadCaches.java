package io.pricetide.web;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.http.ReadCache;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * When the cached read answers go stale: on every ended check that wrote prices (outcome new or changed) or any
 * event but a source failure, and on every recorded event but a source failure (also those recorded outside a
 * check, such as a scheduled price taking effect). A failed check changes no price. Both are published facts, so
 * every node of a cluster hears them.
 */
final class ReadCaches {
  private ReadCaches() {}

  /** Empties {@code cache} whenever history changes. */
  static void invalidateOnChange(Vertx vertx, ReadCache cache) {
    vertx.eventBus().<JsonObject>consumer(Addresses.CHECK_ENDED, m -> {
      JsonObject o = m.body();
      String outcome = o == null ? null : o.getString("outcome");
      if (o == null || CheckOutcome.NEW.equals(outcome) || CheckOutcome.CHANGED.equals(outcome)
          || changesAnything(o.getJsonArray("events"))) {
        cache.invalidate();
      }
    });
    vertx.eventBus().<Object>consumer(Addresses.CHANGE_DETECTED, m -> {
      if (!(m.body() instanceof JsonObject e) || !ChangeEvent.SOURCE_FAILURE.equals(e.getString("kind"))) {
        cache.invalidate();
      }
    });
  }

  private static boolean changesAnything(JsonArray events) {
    if (events == null) {
      return false;
    }
    for (Object e : events) {
      if (!(e instanceof JsonObject j) || !ChangeEvent.SOURCE_FAILURE.equals(j.getString("kind"))) {
        return true;
      }
    }
    return false;
  }
}
