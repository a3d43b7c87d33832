package io.pricetide.alert;

import io.pricetide.http.JsonReplies;
import io.pricetide.template.Html;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

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

  /** What differs between the confirm and the unsubscribe link. */
  private record Link(String purpose, String invalid, String formTitle, String formText, String action,
      String button, String retry) {}

  private static final Link CONFIRM = new Link(Tokens.CONFIRM, "This confirmation link is not valid or has "
      + "expired. Subscribe again to get a new one.", "Confirm your Pricetide subscription",
      "Press the button to start receiving price alerts.", "/api/subscriptions/confirm", "Confirm subscription",
      "Please try the link again later.");
  private static final Link UNSUBSCRIBE = new Link(Tokens.UNSUBSCRIBE, "This unsubscribe link is not valid.",
      "Unsubscribe from Pricetide alerts?", "Press the button to stop these alerts.", "/api/subscriptions/unsubscribe",
      "Unsubscribe", "Please try again later.");

  void confirmForm(RoutingContext ctx) {
    form(ctx, CONFIRM);
  }

  void unsubscribeForm(RoutingContext ctx) {
    form(ctx, UNSUBSCRIBE);
  }

  void confirm(RoutingContext ctx) {
    act(ctx, CONFIRM, id -> k.a.subscriptions.confirm(id, Instant.now()), (json, s) -> {
      if (s.isEmpty()) {
        answer(ctx, json, 410, "Subscription ended", "This subscription no longer exists.", null);
      } else {
        answer(ctx, json, 200, "Subscription confirmed", "You will now get Pricetide alerts at " + s.get().target()
            + ". Every alert carries a one-click unsubscribe link.", s.get());
      }
    });
  }

  void unsubscribe(RoutingContext ctx) {
    act(ctx, UNSUBSCRIBE, id -> k.a.subscriptions.unsubscribe(id, Instant.now()), (json, s) -> answer(ctx, json,
        200, "Unsubscribed", "You will get no more alerts from this subscription.", s.orElse(null)));
  }

  /** The one-button form that posts the link's token; a GET changes nothing. */
  private void form(RoutingContext ctx, Link link) {
    String token = JsonReplies.param(ctx, "token");
    if (k.tokens().verify(link.purpose(), token, Instant.now()).isEmpty()) {
      page(ctx, 400, "Link not valid", link.invalid(), null, null);
      return;
    }
    page(ctx, 200, link.formTitle(), link.formText(), link.action(), new String[] {token, link.button()});
  }

  /** Verifies the posted token, runs {@code work} on its subscription id off the event loop, then answers. */
  private void act(RoutingContext ctx, Link link, Function<String, Optional<Subscription>> work,
      BiConsumer<Boolean, Optional<Subscription>> done) {
    boolean json = wantsJson(ctx);
    Optional<String> id = k.tokens().verify(link.purpose(), token(ctx), Instant.now());
    if (id.isEmpty()) {
      answer(ctx, json, 400, "Link not valid", link.invalid(), null);
      return;
    }
    ctx.vertx().executeBlocking(() -> work.apply(id.get()), false).onComplete(ar -> {
      if (ar.failed()) {
        AlertRoutes.LOG.error("{} {} failed", link.purpose(), id.get(), ar.cause());
        answer(ctx, json, 500, "Something went wrong", link.retry(), null);
      } else {
        done.accept(json, ar.result());
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
