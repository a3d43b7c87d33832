package io.pricetide.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin API's bearer token ({@code PRICETIDE_ADMIN_TOKEN}). An empty token turns the admin API off: every
 * admin request is then refused with 403, a missing or wrong token with 401. The header is compared in constant
 * time, so the answer's timing says nothing about how much of a guess was right.
 */
public final class AdminAuth {
  private final String token;

  /** {@code token}: the admin token, "" (or null) for none. */
  public AdminAuth(String token) {
    this.token = token == null ? "" : token;
  }

  /** True when the admin API is on and the request carries {@code Authorization: Bearer <token>}. */
  public boolean isAdmin(HttpServerRequest req) {
    return !token.isEmpty() && bearerIs(req.getHeader("Authorization"), token);
  }

  /** True for the admin; otherwise answers 403 (admin API off) or 401 and returns false. */
  public boolean require(RoutingContext ctx) {
    if (isAdmin(ctx.request())) {
      return true;
    }
    JsonReplies.error(ctx, token.isEmpty() ? 403 : 401, token.isEmpty()
        ? "admin API disabled: set PRICETIDE_ADMIN_TOKEN" : "admin token required (Authorization: Bearer …)");
    return false;
  }

  /** Timing-safe: whether an {@code Authorization} header value is exactly {@code Bearer <token>}. */
  public static boolean bearerIs(String header, String token) {
    return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
        ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
  }
}
