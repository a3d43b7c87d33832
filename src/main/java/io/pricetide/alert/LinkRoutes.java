package io.pricetide.alert;

import io.pricetide.http.JsonReplies;
import io.pricetide.template.Html;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;

/**
 * The links of the emails: {@code POST /api/subscriptions/confirm} and {@code POST /api/subscriptions/unsubscribe}
 * take the token as JSON {@code {"token"}} (the web UI's pages), a form field or {@code ?token=} (the RFC 8058
 * one-click target of {@code List-Unsubscribe}); a {@code GET} of either shows a one-button form that posts (the
 * script-free fallback): a GET never changes anything, since mail scanners follow links.
 */
final class LinkRoutes {
  private final AlertRoutes k;

  LinkRoutes(AlertRoutes k) {
    this.k = k;
  }

  /**
   * The token of a confirm or unsubscribe request: {@code {"token": …}} (the web pages' script), a {@code token}
   * form field (the same pages without script), or {@code ?token=} (the RFC 8058 one-click POST, whose body is
   * just {@code List-Unsubscribe=One-Click}).
   */
  private static String token(RoutingContext ctx) {
    String type = String.valueOf(ctx.request().getHeader("Content-Type"));
    if (type.startsWith("application/json") && ctx.body() != null && ctx.body().length() > 0) {
      try {
        JsonObject body = ctx.body().asJsonObject(); // null for the JSON body null
        Object t = body == null ? null : body.getValue("token");
        return t instanceof String s ? s : null;
      } catch (DecodeException | ClassCastException e) {
        return null;
      }
    }
    String form = ctx.request().getFormAttribute("token");
    return form != null && !form.isBlank() ? form : JsonReplies.param(ctx, "token");
  }

  /** Scripts and API clients get JSON; a browser posting a plain form gets a small page. */
  private static boolean wantsJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String accept = ctx.request().getHeader("Accept");
    return type != null && type.startsWith("application/json") || accept != null && accept.contains("json");
  }

  void confirmForm(RoutingContext ctx) {
    String token = JsonReplies.param(ctx, "token");
    if (k.tokens().verify(Tokens.CONFIRM, token, Instant.now()).isEmpty()) {
      page(ctx, 400, "Link not valid", "This confirmation link is not valid or has expired. Subscribe again to get "
          + "a new one.", null, null);
      return;
    }
    page(ctx, 200, "Confirm your Pricetide subscription", "Press the button to start receiving price alerts.",
        "/api/subscriptions/confirm", new String[] {token, "Confirm subscription"});
  }

  void confirm(RoutingContext ctx) {
    boolean json = wantsJson(ctx);
    Optional<String> id = k.tokens().verify(Tokens.CONFIRM, token(ctx), Instant.now());
    if (id.isEmpty()) {
      answer(ctx, json, 400, "Link not valid", "This confirmation link is not valid or has expired. Subscribe again "
          + "to get a new one.", null);
      return;
    }
    ctx.vertx().executeBlocking(() -> k.a.subscriptions.confirm(id.get(), Instant.now()), false).onComplete(ar -> {
      if (ar.failed()) {
        AlertRoutes.LOG.error("confirm {} failed", id.get(), ar.cause());
        answer(ctx, json, 500, "Something went wrong", "Please try the link again later.", null);
      } else if (ar.result().isEmpty()) {
        answer(ctx, json, 410, "Subscription ended", "This subscription no longer exists.", null);
      } else {
        answer(ctx, json, 200, "Subscription confirmed", "You will now get Pricetide alerts at "
            + ar.result().get().target() + ". Every alert carries a one-click unsubscribe link.", ar.result().get());
      }
    });
  }

  void unsubscribeForm(RoutingContext ctx) {
    String token = JsonReplies.param(ctx, "token");
    if (k.tokens().verify(Tokens.UNSUBSCRIBE, token, Instant.now()).isEmpty()) {
      page(ctx, 400, "Link not valid", "This unsubscribe link is not valid.", null, null);
      return;
    }
    page(ctx, 200, "Unsubscribe from Pricetide alerts?", "Press the button to stop these alerts.",
        "/api/subscriptions/unsubscribe", new String[] {token, "Unsubscribe"});
  }

  void unsubscribe(RoutingContext ctx) {
    boolean json = wantsJson(ctx);
    Optional<String> id = k.tokens().verify(Tokens.UNSUBSCRIBE, token(ctx), Instant.now());
    if (id.isEmpty()) {
      answer(ctx, json, 400, "Link not valid", "This unsubscribe link is not valid.", null);
      return;
    }
    ctx.vertx().executeBlocking(() -> k.a.subscriptions.unsubscribe(id.get(), Instant.now()), false)
        .onComplete(ar -> {
          if (ar.failed()) {
            AlertRoutes.LOG.error("unsubscribe {} failed", id.get(), ar.cause());
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
      JsonReplies.error(ctx, status, text);
    } else {
      JsonReplies.json(ctx, status, (s == null ? new JsonObject() : s.toJson()).put("message", text));
    }
  }

  /**
   * A minimal page: what a browser posting a plain form gets back, and the script-free fallback of the web UI's
   * confirm and unsubscribe pages; {@code form} (token, button label) adds a one-button POST form.
   */
  private static void page(RoutingContext ctx, int status, String title, String text, String formAction, String[] form) {
    String f = formAction == null ? "" : "<form method=\"post\" action=\"" + Html.escape(formAction)
        + "\"><input type=\"hidden\" name=\"token\" value=\"" + Html.escape(form[0]) + "\">"
        + "<button type=\"submit\">" + Html.escape(form[1]) + "</button></form>";
    String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        + "content=\"width=device-width\"><title>" + Html.escape(title) + " - Pricetide</title></head><body>"
        + "<main><h1>" + Html.escape(title) + "</h1><p>" + Html.escape(text) + "</p>" + f
        + "</main></body></html>";
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'")
        .putHeader("Referrer-Policy", "no-referrer").end(html);
  }}
