package io.pricetide.alert;

import io.vertx.core.Future;

/**
 * Sends one job over one channel. The future always succeeds with an {@link Outcome}; only a 2xx answer or an
 * accepted SMTP transaction counts as delivered.
 */
interface Notifier {
  /** The channel this notifier serves: {@code email}, {@code webhook}, {@code slack} or {@code discord}. */
  String channel();

  Future<Outcome> send(Job job);

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
