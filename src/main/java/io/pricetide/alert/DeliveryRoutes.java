package io.pricetide.alert;

import io.pricetide.http.JsonReplies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * The delivery log for the admin: {@code GET /api/deliveries} (filtered, paged backwards by cursor),
 * {@code GET /api/deliveries/{delivery_id}} and {@code POST /api/deliveries/{delivery_id}/redeliver}.
 */
final class DeliveryRoutes {
  private final AlertRoutes k;

  DeliveryRoutes(AlertRoutes k) {
    this.k = k;
  }

  void deliveries(RoutingContext ctx) {
    if (!k.admin.require(ctx)) {
      return;
    }
    int limit = k.limit(ctx);
    if (limit < 0) {
      return;
    }
    Long cursor;
    Long event;
    try {
      cursor = JsonReplies.param(ctx, "cursor") == null ? null : Long.parseLong(JsonReplies.param(ctx, "cursor"));
      event = JsonReplies.param(ctx, "event") == null ? null : Long.parseLong(JsonReplies.param(ctx, "event"));
    } catch (NumberFormatException e) {
      JsonReplies.error(ctx, 400, "cursor and event must be numbers");
      return;
    }
    DeliveryLog.LogFilter f = new DeliveryLog.LogFilter(JsonReplies.param(ctx, "status"), JsonReplies.param(ctx, "subscription"), null,
        event, cursor, limit + 1);
    k.blocking(ctx, () -> {
      JsonArray rows = k.a.outbox.log.log(f);
      String next = null;
      if (rows.size() > limit) {
        next = rows.getJsonObject(limit - 1).getString("cursor");
        rows.remove(limit);
      }
      return new AlertRoutes.Answer(200, new JsonObject().put("deliveries", rows).put("next_cursor", next));
    }, false);
  }

  void delivery(RoutingContext ctx) {
    if (!k.admin.require(ctx)) {
      return;
    }
    String id = ctx.pathParam("id");
    k.blocking(ctx, () -> {
      JsonArray rows = k.a.outbox.log.log(new DeliveryLog.LogFilter(null, null, id, null, null, 1));
      return rows.isEmpty() ? new AlertRoutes.Answer(404, new JsonObject().put("error", "no delivery " + id))
          : new AlertRoutes.Answer(200, rows.getJsonObject(0));
    }, false);
  }

  void redeliver(RoutingContext ctx) {
    if (!k.admin.require(ctx)) {
      return;
    }
    String id = ctx.pathParam("id");
    k.blocking(ctx, () -> {
      if (!k.a.outbox.log.redeliver(id, Instant.now())) {
        return new AlertRoutes.Answer(404, new JsonObject().put("error", "no delivery " + id));
      }
      k.a.wake();
      return new AlertRoutes.Answer(202, new JsonObject().put("delivery_id", id).put("status", "pending"));
    }, false);
  }
}
