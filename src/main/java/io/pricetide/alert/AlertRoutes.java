package io.pricetide.alert;

import io.pricetide.http.AdminAuth;
import io.pricetide.http.JsonReplies;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert endpoints, mounted in three groups, and what the groups share (auth, paging, blocking work).
 *
 * <ul>
 *   <li>{@link SubscriptionRoutes}: {@code POST /api/subscriptions}: email is public (rate-limited per client
 *       address, at most {@value #CONFIRMS_PER_DAY} confirmation emails per address a day) and stays pending until
 *       confirmed; webhook, Slack and Discord need the admin token. Answers the subscription, a manage
 *       {@code token} and, for webhooks, the signing {@code secret} (shown once). {@code GET/DELETE
 *       /api/subscriptions/{id}} with the manage token or the admin token ({@code Authorization: Bearer …});
 *       {@code GET /api/subscriptions} (admin).</li>
 *   <li>{@link LinkRoutes}: {@code POST /api/subscriptions/confirm} and {@code …/unsubscribe}, and their
 *       one-button {@code GET} forms.</li>
 *   <li>{@link DeliveryRoutes}: {@code GET /api/deliveries}, {@code GET /api/deliveries/{delivery_id}},
 *       {@code POST /api/deliveries/{delivery_id}/redeliver} (admin): the delivery log and redelivery.</li>
 * </ul>
 */
final class AlertRoutes {
  static final Logger LOG = LoggerFactory.getLogger(AlertRoutes.class);
  static final int CONFIRMS_PER_DAY = 3;

  final AlertService a;
  final AdminAuth admin;

  private AlertRoutes(AlertService a) {
    this.a = a;
    this.admin = new AdminAuth(a.adminToken);
  }

  static void mount(Router r, AlertService a) {
    AlertRoutes k = new AlertRoutes(a);
    SubscriptionRoutes subs = new SubscriptionRoutes(k);
    LinkRoutes links = new LinkRoutes(k);
    DeliveryRoutes log = new DeliveryRoutes(k);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(16 * 1024);
    r.post("/api/subscriptions").handler(body).handler(subs::create);
    r.get("/api/subscriptions").handler(subs::list);
    // Before /api/subscriptions/:id, which would take "confirm" for an id.
    r.get("/api/subscriptions/confirm").handler(links::confirmForm);
    r.post("/api/subscriptions/confirm").handler(body).handler(links::confirm);
    r.get("/api/subscriptions/unsubscribe").handler(links::unsubscribeForm);
    r.post("/api/subscriptions/unsubscribe").handler(body).handler(links::unsubscribe);
    r.get("/api/subscriptions/:id").handler(subs::show);
    r.delete("/api/subscriptions/:id").handler(subs::delete);
    r.get("/api/deliveries").handler(log::deliveries);
    r.get("/api/deliveries/:id").handler(log::delivery);
    r.post("/api/deliveries/:id/redeliver").handler(log::redeliver);
  }

  /** A JSON answer computed off the event loop. */
  record Answer(int status, JsonObject body) {}

  /** Runs {@code work} off the event loop and answers it; {@code wakeAfter} wakes the delivery workers. */
  void blocking(RoutingContext ctx, Callable<Answer> work, boolean wakeAfter) {
    ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonReplies.json(ctx, ar.result().status(), ar.result().body());
        if (wakeAfter) {
          a.wake();
        }
      } else {
        JsonReplies.internalError(ctx, LOG, ar.cause());
      }
    });
  }

  /** The admin, or whoever holds this subscription's manage token (as a bearer token or {@code ?token=}). */
  boolean mayManage(RoutingContext ctx, String id) {
    if (admin.isAdmin(ctx.request())) {
      return true;
    }
    String h = ctx.request().getHeader("Authorization");
    String token = h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : JsonReplies.param(ctx, "token");
    Optional<String> who = tokens().verify(Tokens.MANAGE, token, Instant.now());
    if (who.isPresent() && who.get().equals(id)) {
      return true;
    }
    JsonReplies.error(ctx, 401, "this subscription's token or the admin token is required (Authorization: Bearer …)");
    return false;
  }

  /** The {@code limit} parameter (default 100, 1 to 1000); -1 after answering 400 when it is out of range. */
  int limit(RoutingContext ctx) {
    try {
      String p = JsonReplies.param(ctx, "limit");
      int limit = p == null ? 100 : Integer.parseInt(p);
      if (limit < 1 || limit > 1000) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      JsonReplies.error(ctx, 400, "limit must be between 1 and 1000");
      return -1;
    }
  }

  Tokens tokens() {
    return a.messages.tokens();
  }
}
