package io.pricetide.alert;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The notifiers by channel kind; a channel without a notifier (email without SMTP settings) is absent. */
final class NotifierRegistry {
  private final Map<String, Notifier> byChannel = new TreeMap<>();

  NotifierRegistry register(Notifier n) {
    if (byChannel.putIfAbsent(n.channel(), n) != null) {
      throw new IllegalStateException("two notifiers for channel " + n.channel());
    }
    return this;
  }

  Optional<Notifier> get(String channel) {
    return Optional.ofNullable(byChannel.get(channel));
  }

  Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    byChannel.values().forEach(n -> all.add(n.close()));
    return Future.join(all).mapEmpty();
  }
}
