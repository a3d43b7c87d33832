package io.pricetide.alert;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert endpoints.
 *
 * <ul>
 *   <li>{@code POST /api/subscriptions}: email is public (rate-limited per client address, at most
 *       {@value #CONFIRMS_PER_DAY} confirmation emails per address a day) and stays pending until confirmed;
 *       webhook, Slack and Discord need the admin token. Answers the subscription, a manage {@code token} and, for
 *       webhooks, the signing {@code secret} (shown once).</li>
 *   <li>{@code GET/DELETE /api/subscriptions/{id}} with the manage token or the admin token
 *       ({@code Authorization: Bearer …}); {@code GET /api/subscriptions} (admin).</li>
 *   <li>{@code POST /api/subscriptions/confirm}: the token of the confirmation email, as JSON {@code {"token"}}
 *       (the web UI's {@code /confirm} page), a form field or {@code ?token=}.</li>
 *   <li>{@code POST /api/subscriptions/unsubscribe}: the same for unsubscribe tokens; with {@code ?token=} it is
 *       the RFC 8058 one-click target of {@code List-Unsubscribe}.</li>
 *   <li>{@code GET} of either shows a one-button form that posts (the script-free fallback of the web UI's pages):
 *       a GET never changes anything, since mail scanners follow links.</li>
 *   <li>{@code GET /api/deliveries}, {@code GET /api/deliveries/{delivery_id}},
 *       {@code POST /api/deliveries/{delivery_id}/redeliver} (admin): the delivery log and redelivery.</li>
 * </ul>
 */
final class AlertRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRoutes.class);
  static final int CONFIRMS_PER_DAY = 3;
  private static final Set<String> KEYS = Set.of("channel", "target", "filter", "secret", "mode", "baseline",
      "baseline_days", "rearm_hours");
  private static final Pattern EMAIL = Pattern.compile("[^\\s@<>(),;:\"\\[\\]\\\\]{1,64}@[A-Za-z0-9.-]{1,253}"
      + "\\.[A-Za-z]{2,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AlertService a;

  private AlertRoutes(AlertService a) {
    this.a = a;
  }

  static void mount(Router r, AlertService a) {
    AlertRoutes h = new AlertRoutes(a);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(16 * 1024);
    r.post("/api/subscriptions").handler(body).handler(h::create);
    r.get("/api/subscriptions").handler(h::list);
    // Before /api/subscriptions/:id, which would take "confirm" for an id.
    r.get("/api/subscriptions/confirm").handler(h::confirmForm);
    r.post("/api/subscriptions/confirm").handler(body).handler(h::confirm);
    r.get("/api/subscriptions/unsubscribe").handler(h::unsubscribeForm);
    r.post("/api/subscriptions/unsubscribe").handler(body).handler(h::unsubscribe);
    r.get("/api/subscriptions/:id").handler(h::show);
    r.delete("/api/subscriptions/:id").handler(h::delete);
    r.get("/api/deliveries").handler(h::deliveries);
    r.get("/api/deliveries/:id").handler(h::delivery);
    r.post("/api/deliveries/:id/redeliver").handler(h::redeliver);
  }

  // ------------------------------------------------------------------ subscriptions

  private void create(RoutingContext ctx) {
    JsonObject in;
    try {
      in = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "the body must be a JSON object");
      return;
    }
    if (in == null) {
      error(ctx, 400, "the body must be a JSON object");
      return;
    }
    Subscription draft;
    String secret;
    try {
      for (String k : in.fieldNames()) {
        if (!KEYS.contains(k)) {
          throw new IllegalArgumentException("unknown key '" + k + "'");
        }
      }
      draft = draft(in);
      secret = in.getValue("secret") == null ? null : String.valueOf(in.getValue("secret"));
    } catch (IllegalArgumentException | ClassCastException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    if (draft.channel().equals(Subscription.EMAIL)) {
      createEmail(ctx, draft, secret);
    } else {
      createHttp(ctx, draft, secret);
    }
  }

  private Subscription draft(JsonObject in) {
    String channel = str(in, "channel");
    if (channel == null || !Subscription.CHANNELS.contains(channel)) {
      throw new IllegalArgumentException("channel must be one of email, webhook, slack, discord");
    }
    String target = str(in, "target");
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("target is required");
    }
    target = target.trim();
    Object f = in.getValue("filter");
    if (f != null && !(f instanceof JsonObject)) {
      throw new IllegalArgumentException("filter must be an object");
    }
    Filter filter = Filter.fromJson((JsonObject) f);
    String baseline = Optional.ofNullable(str(in, "baseline")).orElse(Subscription.PREVIOUS);
    if (!Subscription.BASELINES.contains(baseline)) {
      throw new IllegalArgumentException("baseline must be one of previous, last_notified, n_day_high, all_time_low");
    }
    int days = 30;
    if (in.getValue("baseline_days") != null) {
      days = wholeNumber(in.getValue("baseline_days"), "baseline_days", 1, 3650);
    }
    String mode = Optional.ofNullable(str(in, "mode")).orElse(Subscription.INSTANT);
    if (!Subscription.MODES.contains(mode)) {
      throw new IllegalArgumentException("mode must be one of instant, daily, weekly");
    }
    if (!channel.equals(Subscription.EMAIL) && !mode.equals(Subscription.INSTANT)) {
      throw new IllegalArgumentException("digests (daily, weekly) are for email; " + channel + " is instant");
    }
    long rearm = 0;
    if (in.getValue("rearm_hours") != null) {
      BigDecimal h;
      try {
        h = new BigDecimal(String.valueOf(in.getValue("rearm_hours")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("rearm_hours must be a number");
      }
      if (h.signum() < 0 || h.compareTo(BigDecimal.valueOf(8760)) > 0) {
        throw new IllegalArgumentException("rearm_hours must be between 0 and 8760");
      }
      rearm = h.multiply(BigDecimal.valueOf(3600)).longValue();
    }
    boolean email = channel.equals(Subscription.EMAIL);
    return new Subscription(0, SubscriptionStore.newPublicId(), channel, target, filter, baseline, days, mode,
        rearm, null, email ? Subscription.PENDING : Subscription.ACTIVE, false, null, email ? null : Instant.now(),
        null);
  }

  private void createEmail(RoutingContext ctx, Subscription draft, String secret) {
    if (secret != null) {
      error(ctx, 400, "secret is for webhooks");
      return;
    }
    if (!isAdmin(ctx)) {
      long wait = a.limiter.take(ctx.request().remoteAddress().hostAddress(), System.currentTimeMillis());
      if (wait > 0) {
        ctx.response().putHeader("Retry-After", String.valueOf(wait));
        error(ctx, 429, "too many subscribe requests; retry in " + wait + " s");
        return;
      }
    }
    if (!a.settings.emailEnabled()) {
      error(ctx, 503, "email alerts are not configured on this server (PRICETIDE_MAIL_HOST)");
      return;
    }
    String email = draft.target();
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      error(ctx, 400, "target must be an email address");
      return;
    }
    blocking(ctx, () -> {
      Instant now = Instant.now();
      if (a.subscriptions.confirmationsSince(email, now.minusSeconds(86_400)) >= CONFIRMS_PER_DAY) {
        return new Answer(429, new JsonObject().put("error", "too many confirmation emails for this address today"));
      }
      Instant expires = now.plusSeconds(3600 * Math.max(1, a.settings.giveUpHours()));
      Optional<Subscription> twin = a.subscriptions.pendingTwin(draft);
      if (twin.isPresent()) {
        a.subscriptions.resendConfirm(twin.get().id(), now, expires);
        return new Answer(202, twin.get().toJson().put("message", "confirmation email sent again"));
      }
      Subscription s = a.subscriptions.create(draft, now, expires);
      return new Answer(201, s.toJson().put("token", a.messages.manageToken(s))
          .put("message", "confirmation email sent; nothing else is sent until the link in it is followed"));
    }, true);
  }

  private void createHttp(RoutingContext ctx, Subscription draft, String secret) {
    if (!requireAdmin(ctx)) {
      return;
    }
    Optional<String> bad = WebhookGuard.checkSyntax(draft.target());
    if (bad.isPresent()) {
      error(ctx, 400, bad.get());
      return;
    }
    String sec = null;
    if (draft.channel().equals(Subscription.WEBHOOK)) {
      if (secret != null && (secret.length() < 16 || secret.length() > 200)) {
        error(ctx, 400, "secret must have 16 to 200 characters");
        return;
      }
      sec = secret != null ? secret : generatedSecret();
    } else if (secret != null) {
      error(ctx, 400, "secret is for webhooks; " + draft.channel() + " URLs carry their own");
      return;
    }
    String finalSecret = sec;
    boolean generated = secret == null && sec != null;
    Subscription s = new Subscription(0, draft.publicId(), draft.channel(), draft.target(), draft.filter(),
        draft.baseline(), draft.baselineDays(), draft.mode(), draft.rearmSeconds(), finalSecret, draft.status(),
        false, null, draft.confirmedAt(), null);
    a.guard.resolve(java.net.URI.create(draft.target()).getHost(), false).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, 400, ar.cause().getMessage());
        return;
      }
      blocking(ctx, () -> {
        Subscription stored = a.subscriptions.create(s, Instant.now(), null);
        JsonObject out = stored.toJson().put("token", a.messages.manageToken(stored));
        if (generated) {
          out.put("secret", finalSecret).put("message", "keep the secret: it is shown only now");
        } else if (finalSecret != null) {
          out.put("secret", finalSecret);
        }
        return new Answer(201, out);
      }, true);
    });
  }

  private static String generatedSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private void list(RoutingContext ctx) {
    if (!requireAdmin(ctx)) {
      return;
    }
    String status = param(ctx, "status");
    int limit = limit(ctx);
    if (limit < 0) {
      return;
    }
    blocking(ctx, () -> {
      io.vertx.core.json.JsonArray arr = new io.vertx.core.json.JsonArray();
      a.subscriptions.list(status, limit).forEach(s -> arr.add(s.toJson()));
      return new Answer(200, new JsonObject().put("subscriptions", arr));
    }, false);
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!mayManage(ctx, id)) {
      return;
    }
    blocking(ctx, () -> a.subscriptions.byPublicId(id).map(s -> new Answer(200, s.toJson()))
        .orElse(new Answer(404, new JsonObject().put("error", "no subscription " + id))), false);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!mayManage(ctx, id)) {
      return;
    }
    ctx.vertx().executeBlocking(() -> a.subscriptions.unsubscribe(id, Instant.now()), false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("DELETE subscription {}: {}", id, ar.cause().getMessage());
        error(ctx, 500, "internal error");
      } else if (ar.result().isEmpty()) {
        error(ctx, 404, "no subscription " + id);
      } else {
        ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
      }
    });
  }

  // ------------------------------------------------------------------ confirm and unsubscribe

  /**
   * The token of a confirm or unsubscribe request: {@code {"token": …}} (the web pages' script), a {@code token}
   * form field (the same pages without script), or {@code ?token=} (the RFC 8058 one-click POST, whose body is
   * just {@code List-Unsubscribe=One-Click}).
   */
  private static String token(RoutingContext ctx) {
    String type = String.valueOf(ctx.request().getHeader("Content-Type"));
    if (type.startsWith("application/json") && ctx.body() != null && ctx.body().length() > 0) {
      try {
        Object t = ctx.body().asJsonObject().getValue("token");
        return t instanceof String s ? s : null;
      } catch (DecodeException | ClassCastException e) {
        return null;
      }
    }
    String form = ctx.request().getFormAttribute("token");
    return form != null && !form.isBlank() ? form : param(ctx, "token");
  }

  /** Scripts and API clients get JSON; a browser posting a plain form gets a small page. */
  private static boolean wantsJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String accept = ctx.request().getHeader("Accept");
    return type != null && type.startsWith("application/json") || accept != null && accept.contains("json");
  }

  private void confirmForm(RoutingContext ctx) {
    String token = param(ctx, "token");
    if (tokens().verify(Tokens.CONFIRM, token, Instant.now()).isEmpty()) {
      page(ctx, 400, "Link not valid", "This confirmation link is not valid or has expired. Subscribe again to get "
          + "a new one.", null, null);
      return;
    }
    page(ctx, 200, "Confirm your Pricetide subscription", "Press the button to start receiving price alerts.",
        "/api/subscriptions/confirm", new String[] {token, "Confirm subscription"});
  }

  private void confirm(RoutingContext ctx) {
    boolean json = wantsJson(ctx);
    Optional<String> id = tokens().verify(Tokens.CONFIRM, token(ctx), Instant.now());
    if (id.isEmpty()) {
      answer(ctx, json, 400, "Link not valid", "This confirmation link is not valid or has expired. Subscribe again "
          + "to get a new one.", null);
      return;
    }
    ctx.vertx().executeBlocking(() -> a.subscriptions.confirm(id.get(), Instant.now()), false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("confirm {}: {}", id.get(), ar.cause().getMessage());
        answer(ctx, json, 500, "Something went wrong", "Please try the link again later.", null);
      } else if (ar.result().isEmpty()) {
        answer(ctx, json, 410, "Subscription ended", "This subscription no longer exists.", null);
      } else {
        answer(ctx, json, 200, "Subscription confirmed", "You will now get Pricetide alerts at "
            + ar.result().get().target() + ". Every alert carries a one-click unsubscribe link.", ar.result().get());
      }
    });
  }

  private void unsubscribeForm(RoutingContext ctx) {
    String token = param(ctx, "token");
    if (tokens().verify(Tokens.UNSUBSCRIBE, token, Instant.now()).isEmpty()) {
      page(ctx, 400, "Link not valid", "This unsubscribe link is not valid.", null, null);
      return;
    }
    page(ctx, 200, "Unsubscribe from Pricetide alerts?", "Press the button to stop these alerts.",
        "/api/subscriptions/unsubscribe", new String[] {token, "Unsubscribe"});
  }

  private void unsubscribe(RoutingContext ctx) {
    boolean json = wantsJson(ctx);
    Optional<String> id = tokens().verify(Tokens.UNSUBSCRIBE, token(ctx), Instant.now());
    if (id.isEmpty()) {
      answer(ctx, json, 400, "Link not valid", "This unsubscribe link is not valid.", null);
      return;
    }
    ctx.vertx().executeBlocking(() -> a.subscriptions.unsubscribe(id.get(), Instant.now()), false)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.error("unsubscribe {}: {}", id.get(), ar.cause().getMessage());
            answer(ctx, json, 500, "Something went wrong", "Please try again later.", null);
          } else {
            answer(ctx, json, 200, "Unsubscribed", "You will get no more alerts from this subscription.",
                ar.result().orElse(null));
          }
        });
  }

  private static void answer(RoutingContext ctx, boolean json, int status, String title, String text,
      Subscription s) {
    if (!json) {
      page(ctx, status, title, text, null, null);
    } else if (status >= 400) {
      error(ctx, status, text);
    } else {
      json(ctx, status, (s == null ? new JsonObject() : s.toJson()).put("message", text));
    }
  }

  private Tokens tokens() {
    return a.messages.tokens();
  }

  // ------------------------------------------------------------------ deliveries

  private void deliveries(RoutingContext ctx) {
    if (!requireAdmin(ctx)) {
      return;
    }
    int limit = limit(ctx);
    if (limit < 0) {
      return;
    }
    Long cursor;
    Long event;
    try {
      cursor = param(ctx, "cursor") == null ? null : Long.parseLong(param(ctx, "cursor"));
      event = param(ctx, "event") == null ? null : Long.parseLong(param(ctx, "event"));
    } catch (NumberFormatException e) {
      error(ctx, 400, "cursor and event must be numbers");
      return;
    }
    DeliveryLog.LogFilter f = new DeliveryLog.LogFilter(param(ctx, "status"), param(ctx, "subscription"), null,
        event, cursor, limit + 1);
    blocking(ctx, () -> {
      io.vertx.core.json.JsonArray rows = a.outbox.log.log(f);
      String next = null;
      if (rows.size() > limit) {
        next = rows.getJsonObject(limit - 1).getString("cursor");
        rows.remove(limit);
      }
      return new Answer(200, new JsonObject().put("deliveries", rows).put("next_cursor", next));
    }, false);
  }

  private void delivery(RoutingContext ctx) {
    if (!requireAdmin(ctx)) {
      return;
    }
    String id = ctx.pathParam("id");
    blocking(ctx, () -> {
      io.vertx.core.json.JsonArray rows = a.outbox.log.log(new DeliveryLog.LogFilter(null, null, id, null, null, 1));
      return rows.isEmpty() ? new Answer(404, new JsonObject().put("error", "no delivery " + id))
          : new Answer(200, rows.getJsonObject(0));
    }, false);
  }

  private void redeliver(RoutingContext ctx) {
    if (!requireAdmin(ctx)) {
      return;
    }
    String id = ctx.pathParam("id");
    blocking(ctx, () -> {
      if (!a.outbox.log.redeliver(id, Instant.now())) {
        return new Answer(404, new JsonObject().put("error", "no delivery " + id));
      }
      a.wake();
      return new Answer(202, new JsonObject().put("delivery_id", id).put("status", "pending"));
    }, false);
  }

  // ------------------------------------------------------------------ helpers

  private record Answer(int status, JsonObject body) {}

  private void blocking(RoutingContext ctx, Callable<Answer> work, boolean wakeAfter) {
    ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, ar.result().status(), ar.result().body());
        if (wakeAfter) {
          a.wake();
        }
      } else {
        LOG.error("{} {}: {}", ctx.request().method(), ctx.request().path(), ar.cause().getMessage());
        error(ctx, 500, "internal error");
      }
    });
  }

  private boolean isAdmin(RoutingContext ctx) {
    if (a.adminToken.isEmpty()) {
      return false;
    }
    return bearerIs(ctx.request(), a.adminToken);
  }

  private static boolean bearerIs(HttpServerRequest req, String token) {
    String h = req.getHeader("Authorization");
    return h != null && MessageDigest.isEqual(h.getBytes(StandardCharsets.UTF_8),
        ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
  }

  private boolean requireAdmin(RoutingContext ctx) {
    if (isAdmin(ctx)) {
      return true;
    }
    error(ctx, a.adminToken.isEmpty() ? 403 : 401, a.adminToken.isEmpty()
        ? "admin API disabled: set PRICETIDE_ADMIN_TOKEN" : "admin token required (Authorization: Bearer …)");
    return false;
  }

  /** The admin, or whoever holds this subscription's manage token (as a bearer token or {@code ?token=}). */
  private boolean mayManage(RoutingContext ctx, String id) {
    if (isAdmin(ctx)) {
      return true;
    }
    String h = ctx.request().getHeader("Authorization");
    String token = h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : param(ctx, "token");
    Optional<String> who = tokens().verify(Tokens.MANAGE, token, Instant.now());
    if (who.isPresent() && who.get().equals(id)) {
      return true;
    }
    error(ctx, 401, "this subscription's token or the admin token is required (Authorization: Bearer …)");
    return false;
  }

  private int limit(RoutingContext ctx) {
    try {
      int limit = param(ctx, "limit") == null ? 100 : Integer.parseInt(param(ctx, "limit"));
      if (limit < 1 || limit > 1000) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      error(ctx, 400, "limit must be between 1 and 1000");
      return -1;
    }
  }

  private static int wholeNumber(Object v, String key, int min, int max) {
    try {
      int n = new BigDecimal(String.valueOf(v)).intValueExact();
      if (n < min || n > max) {
        throw new ArithmeticException();
      }
      return n;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(key + " must be a whole number between " + min + " and " + max);
    }
  }

  private static String str(JsonObject in, String key) {
    Object v = in.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return (String) v;
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v;
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  /**
   * A minimal page: what a browser posting a plain form gets back, and the script-free fallback of the web UI's
   * confirm and unsubscribe pages; {@code form} (token, button label) adds a one-button POST form.
   */
  static void page(RoutingContext ctx, int status, String title, String text, String formAction, String[] form) {
    String f = formAction == null ? "" : "<form method=\"post\" action=\"" + Templates.escapeHtml(formAction)
        + "\"><input type=\"hidden\" name=\"token\" value=\"" + Templates.escapeHtml(form[0]) + "\">"
        + "<button type=\"submit\">" + Templates.escapeHtml(form[1]) + "</button></form>";
    String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        + "content=\"width=device-width\"><title>" + Templates.escapeHtml(title) + " - Pricetide</title></head><body>"
        + "<main><h1>" + Templates.escapeHtml(title) + "</h1><p>" + Templates.escapeHtml(text) + "</p>" + f
        + "</main></body></html>";
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'")
        .putHeader("Referrer-Policy", "no-referrer").end(html);
  }
}
