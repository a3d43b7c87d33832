package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of a model change, one check's moves of one model: a headline for subjects and chat ("GPT-4o: input
 * −20.00% to $2.00, output −20.00% to $8.00 / 1M tokens"), one line per metric, and the grouped webhook body. A
 * single event reads exactly as {@link Formats#headline} writes it.
 */
final class ModelLines {
  private ModelLines() {}

  /** The model as the source names it (the canonical id when the source gives none). */
  static String name(ChangeEvent e) {
    return e.model() != null ? e.model() : e.canonicalModel() != null ? e.canonicalModel() : e.sourceId();
  }

  static String headline(List<Groups.Item> items, Subscription s) {
    if (items.size() == 1) {
      Groups.Item i = items.get(0);
      return Formats.headline(i.event(), i.baselinePct(), i.baselineUsd(), s.baseline(), s.baselineDays());
    }
    ChangeEvent first = items.get(0).event();
    List<Groups.Item> moves = items.stream().filter(i -> ChangeEvent.PRICE_CUT.equals(i.event().kind())
        || ChangeEvent.PRICE_INCREASE.equals(i.event().kind())).toList();
    boolean added = items.stream().allMatch(i -> ChangeEvent.MODEL_ADDED.equals(i.event().kind()));
    List<String> parts = new ArrayList<>();
    if (!moves.isEmpty()) {
      for (Groups.Item i : moves) {
        parts.add(Formats.metric(i.event()) + " " + Formats.pct(i.baselinePct() != null ? i.baselinePct()
            : i.event().changePct()) + " to " + Formats.usd(i.event().newUsd()));
      }
      String note = Formats.baselineNote(s.baseline(), s.baselineDays());
      int rest = items.size() - moves.size();
      return name(first) + ": " + String.join(", ", parts) + " / 1M tokens" + (note.isEmpty() ? ""
          : " (against the " + note.replace("when you were last notified", "price you were last told") + ")")
          + (rest == 0 ? "" : "; " + rest + " more change" + (rest == 1 ? "" : "s"));
    }
    if (added) {
      for (Groups.Item i : items) {
        parts.add(Formats.metric(i.event()) + " " + Formats.usd(i.event().newUsd()));
      }
      return "New model " + name(first) + (first.provider() == null ? "" : " from " + first.provider()) + ": "
          + String.join(", ", parts) + " / 1M tokens";
    }
    Groups.Item i = items.get(0);
    return Formats.headline(i.event(), i.baselinePct(), i.baselineUsd(), s.baseline(), s.baselineDays()) + " and "
        + (items.size() - 1) + " more change" + (items.size() == 2 ? "" : "s") + " of " + name(first);
  }

  /** One line per change, as {@link Formats#headline} writes it. */
  static List<String> lines(List<Groups.Item> items, Subscription s) {
    List<String> out = new ArrayList<>();
    for (Groups.Item i : items) {
      out.add(Formats.headline(i.event(), i.baselinePct(), i.baselineUsd(), s.baseline(), s.baselineDays()));
    }
    return out;
  }

  /**
   * The grouped webhook body, for subscriptions that chose {@code "group": "model"}: {@code {"type":
   * "prices.changed", "delivery_id", "subscription", "model": {source, provider, model, canonical_model,
   * observed_at, url}, "events": [the contract's events], "baselines": [...]}} (baselines only for a baseline other
   * than {@code previous}).
   */
  static String webhook(Job job, String modelUrl) {
    List<Groups.Item> items = Groups.of(job);
    ChangeEvent e = items.get(0).event();
    JsonArray events = new JsonArray();
    JsonArray baselines = new JsonArray();
    for (Groups.Item i : items) {
      events.add(i.event().toJson());
      if (i.baselinePct() != null) {
        baselines.add(new JsonObject().put("event_id", String.valueOf(i.event().id()))
            .put("kind", job.subscription().baseline()).put("usd_per_1m", Groups.money(i.baselineUsd()))
            .put("change_pct", Groups.pct2(i.baselinePct())));
      }
    }
    JsonObject body = new JsonObject().put("type", "prices.changed").put("delivery_id", job.deliveryId())
        .put("subscription", job.subscription().publicId())
        .put("model", new JsonObject().put("source", e.sourceId()).put("provider", e.provider())
            .put("model", e.model()).put("canonical_model", e.canonicalModel())
            .put("observed_at", e.observedAt().toString()).put("url", modelUrl))
        .put("events", events);
    if (!Subscription.PREVIOUS.equals(job.subscription().baseline())) {
      body.put("baselines", baselines);
    }
    return body.encode();
  }
}
