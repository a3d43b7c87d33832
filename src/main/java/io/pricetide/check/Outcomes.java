package io.pricetide.check;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckOutcome;
import io.vertx.core.eventbus.EventBus;

/** Publishes what a recorded check found: each of its events on {@code change.detected}, after their commit. */
final class Outcomes {
  private Outcomes() {}

  static void publish(EventBus bus, CheckOutcome o) {
    o.events().forEach(e -> bus.publish(Addresses.CHANGE_DETECTED, e.toJson()));
  }
}
