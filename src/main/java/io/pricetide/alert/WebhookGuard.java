package io.pricetide.alert;

import io.pricetide.net.AddressPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps subscriber webhooks off internal networks (SSRF) with the address policy every outgoing request shares
 * ({@link AddressPolicy}): a target's host is resolved and refused when any of its addresses is internal, unless
 * private targets are allowed. The request then connects to the very address that was checked, so a DNS answer
 * that changes between check and connect cannot slip through, and redirects are never followed.
 */
final class WebhookGuard {
  private static final long CACHE_MS = 30_000;
  private final Vertx vertx;
  private final boolean allowPrivate;
  private final Map<String, Resolved> cache = new ConcurrentHashMap<>();

  private record Resolved(InetAddress address, String refusal, long until) {}

  WebhookGuard(Vertx vertx, boolean allowPrivate) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
  }

  boolean allowsPrivate() {
    return allowPrivate;
  }

  /** Checks a target URL's form: http or https, a host, no credentials, at most 2000 characters. */
  static Optional<String> checkSyntax(String url) {
    if (url == null || url.isBlank() || url.length() > 2000) {
      return Optional.of("target must be an http(s) URL of at most 2000 characters");
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("target is not a valid URL: " + e.getReason());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("target must use http or https");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      return Optional.of("target has no host");
    }
    if (u.getRawUserInfo() != null) {
      return Optional.of("target must not carry credentials");
    }
    return Optional.empty();
  }

  /** Resolves a host to the one address a request may use, or fails with the reason it is refused. */
  Future<InetAddress> resolve(String host, boolean trusted) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    Resolved r = cache.get(h);
    long now = System.currentTimeMillis();
    if (r == null || r.until() < now) {
      return vertx.executeBlocking(() -> lookup(h), false).compose(res -> {
        cache.put(h, res);
        return verdict(res, trusted);
      });
    }
    return verdict(r, trusted);
  }

  private Future<InetAddress> verdict(Resolved r, boolean trusted) {
    if (r.refusal() != null && !(allowPrivate || trusted) || r.address() == null) {
      return Future.failedFuture(new Refused(r.refusal()));
    }
    return Future.succeededFuture(r.address());
  }

  private static Resolved lookup(String host) {
    long now = System.currentTimeMillis();
    AddressPolicy.Verdict v = AddressPolicy.judge(host);
    return new Resolved(v.address(), v.refusal(), now + (v.resolved() ? CACHE_MS : 2_000));
  }

  /** A target refused by the guard; never sent, and its message says why. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super("refused: " + message + " (set PRICETIDE_ALLOW_PRIVATE_WEBHOOKS=true to allow internal targets)");
    }
  }

  /** True for addresses a public webhook has no business reaching ({@link AddressPolicy#isInternal}). */
  static boolean isInternal(InetAddress a) {
    return AddressPolicy.isInternal(a);
  }
}
