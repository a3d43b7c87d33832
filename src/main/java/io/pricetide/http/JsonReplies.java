package io.pricetide.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;

/**
 * JSON answers, never cached: a body with its status, or an error as {@code {"error": "…"}}. An unexpected
 * failure is logged once, with its stack trace, and answered 500 without detail.
 */
public final class JsonReplies {
  private JsonReplies() {}

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  public static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  /** Logs an unexpected failure of the request with its stack trace and answers 500 "internal error". */
  public static void internalError(RoutingContext ctx, Logger log, Throwable cause) {
    log.error("{} {} failed", ctx.request().method(), ctx.request().path(), cause);
    error(ctx, 500, "internal error");
  }

  /** A query parameter, null when absent or blank. */
  public static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v;
  }
}
