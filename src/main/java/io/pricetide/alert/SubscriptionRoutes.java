package io.pricetide.alert;

import io.pricetide.http.JsonReplies;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code POST /api/subscriptions}, {@code GET /api/subscriptions} (admin) and {@code GET/DELETE
 * /api/subscriptions/{id}} (the manage token or the admin token). The body is validated by
 * {@link SubscriptionRequest}; this class adds what needs the request: auth, rate limits, the address check of
 * webhook hosts, and the answers.
 */
final class SubscriptionRoutes {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AlertRoutes k;
  private final AlertService a;

  SubscriptionRoutes(AlertRoutes k) {
    this.k = k;
    this.a = k.a;
  }

  void create(RoutingContext ctx) {
    JsonObject in;
    try {
      in = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      JsonReplies.error(ctx, 400, "the body must be a JSON object");
      return;
    }
    SubscriptionRequest.Parsed p = SubscriptionRequest.parse(in);
    if (p.error() != null) {
      JsonReplies.error(ctx, 400, p.error());
    } else if (p.request().isEmail()) {
      createEmail(ctx, p.request());
    } else {
      createHttp(ctx, p.request());
    }
  }

  private void createEmail(RoutingContext ctx, SubscriptionRequest req) {
    Optional<String> bad = req.secretError();
    if (bad.isPresent()) {
      JsonReplies.error(ctx, 400, bad.get());
      return;
    }
    if (!k.admin.isAdmin(ctx.request())) {
      long wait = a.limiter.take(ctx.request().remoteAddress().hostAddress(), System.currentTimeMillis());
      if (wait > 0) {
        ctx.response().putHeader("Retry-After", String.valueOf(wait));
        JsonReplies.error(ctx, 429, "too many subscribe requests; retry in " + wait + " s");
        return;
      }
    }
    if (!a.settings.emailEnabled()) {
      JsonReplies.error(ctx, 503, "email alerts are not configured on this server (PRICETIDE_MAIL_HOST)");
      return;
    }
    bad = req.emailError();
    if (bad.isPresent()) {
      JsonReplies.error(ctx, 400, bad.get());
      return;
    }
    Subscription draft = req.toSubscription(SubscriptionStore.newPublicId(), null, Instant.now());
    k.blocking(ctx, () -> {
      Instant now = Instant.now();
      if (a.subscriptions.confirmationsSince(draft.target(), now.minusSeconds(86_400))
          >= AlertRoutes.CONFIRMS_PER_DAY) {
        return new AlertRoutes.Answer(429, new JsonObject()
            .put("error", "too many confirmation emails for this address today"));
      }
      Instant expires = now.plusSeconds(3600 * Math.max(1, a.settings.giveUpHours()));
      Optional<Subscription> twin = a.subscriptions.pendingTwin(draft);
      if (twin.isPresent()) {
        a.subscriptions.resendConfirm(twin.get().id(), now, expires);
        return new AlertRoutes.Answer(202, twin.get().toJson().put("message", "confirmation email sent again"));
      }
      Subscription s = a.subscriptions.create(draft, now, expires);
      a.workloads.baselineOf(s, now);
      return new AlertRoutes.Answer(201, s.toJson().put("token", a.messages.manageToken(s))
          .put("message", "confirmation email sent; nothing else is sent until the link in it is followed"));
    }, true);
  }

  private void createHttp(RoutingContext ctx, SubscriptionRequest req) {
    if (!k.admin.require(ctx)) {
      return;
    }
    Optional<String> bad = WebhookGuard.checkSyntax(req.target());
    if (bad.isEmpty()) {
      bad = req.secretError();
    }
    if (bad.isPresent()) {
      JsonReplies.error(ctx, 400, bad.get());
      return;
    }
    boolean webhook = req.channel().equals(Subscription.WEBHOOK);
    String secret = webhook && req.secret() == null ? generatedSecret() : req.secret();
    boolean generated = webhook && req.secret() == null;
    Subscription s = req.toSubscription(SubscriptionStore.newPublicId(), secret, Instant.now());
    a.guard.resolve(java.net.URI.create(req.target()).getHost(), false).onComplete(ar -> {
      if (ar.failed()) {
        JsonReplies.error(ctx, 400, ar.cause().getMessage());
        return;
      }
      k.blocking(ctx, () -> {
        Subscription stored = a.subscriptions.create(s, Instant.now(), null);
        a.workloads.baselineOf(stored, Instant.now());
        JsonObject out = stored.toJson().put("token", a.messages.manageToken(stored));
        if (generated) {
          out.put("secret", secret).put("message", "keep the secret: it is shown only now");
        } else if (secret != null) {
          out.put("secret", secret);
        }
        return new AlertRoutes.Answer(201, out);
      }, true);
    });
  }

  private static String generatedSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  void list(RoutingContext ctx) {
    if (!k.admin.require(ctx)) {
      return;
    }
    String status = JsonReplies.param(ctx, "status");
    int limit = k.limit(ctx);
    if (limit < 0) {
      return;
    }
    k.blocking(ctx, () -> {
      JsonArray arr = new JsonArray();
      a.subscriptions.list(status, limit).forEach(s -> arr.add(s.toJson()));
      return new AlertRoutes.Answer(200, new JsonObject().put("subscriptions", arr));
    }, false);
  }

  void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!k.mayManage(ctx, id)) {
      return;
    }
    k.blocking(ctx, () -> a.subscriptions.byPublicId(id).map(s -> new AlertRoutes.Answer(200, s.isWorkload()
        ? s.toJson().put("ranking", a.workloads.state(s.id())) : s.toJson()))
        .orElse(new AlertRoutes.Answer(404, new JsonObject().put("error", "no subscription " + id))), false);
  }

  void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!k.mayManage(ctx, id)) {
      return;
    }
    ctx.vertx().executeBlocking(() -> a.subscriptions.unsubscribe(id, Instant.now()), false).onComplete(ar -> {
      if (ar.failed()) {
        JsonReplies.internalError(ctx, AlertRoutes.LOG, ar.cause());
      } else if (ar.result().isEmpty()) {
        JsonReplies.error(ctx, 404, "no subscription " + id);
      } else {
        ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
      }
    });
  }
}
