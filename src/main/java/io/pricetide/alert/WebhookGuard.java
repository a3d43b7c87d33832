package io.pricetide.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps subscriber webhooks off internal networks (SSRF). A target's host is resolved and refused when any of its
 * addresses is loopback, private, link-local, unique-local, carrier-grade NAT, multicast or unspecified, unless
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
    long until = System.currentTimeMillis() + CACHE_MS;
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return new Resolved(null, "cannot resolve " + host, System.currentTimeMillis() + 2_000);
    }
    for (InetAddress a : all) {
      if (isInternal(a)) {
        return new Resolved(all[0], host + " resolves to the internal address " + a.getHostAddress(), until);
      }
    }
    return new Resolved(all[0], null, until);
  }

  /** A target refused by the guard; never sent, and its message says why. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super("refused: " + message + " (set PRICETIDE_ALLOW_PRIVATE_WEBHOOKS=true to allow internal targets)");
    }
  }

  /** True for addresses a public webhook has no business reaching. */
  static boolean isInternal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int o0 = b[0] & 0xff;
      int o1 = b[1] & 0xff;
      return o0 == 0 || o0 == 10 || o0 == 127 || o0 >= 224                 // this network, private, loopback, class D/E
          || o0 == 100 && o1 >= 64 && o1 < 128                             // carrier-grade NAT 100.64/10
          || o0 == 169 && o1 == 254 || o0 == 172 && o1 >= 16 && o1 < 32   // link-local, private
          || o0 == 192 && o1 == 168 || o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0
          || o0 == 198 && (o1 == 18 || o1 == 19);                          // benchmarking 198.18/15
    }
    if (a instanceof Inet6Address) {
      int o0 = b[0] & 0xff;
      if ((o0 & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7
      }
      boolean nat64 = o0 == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
      boolean compat = true;
      for (int i = 0; i < 12; i++) {
        compat &= b[i] == 0 || i >= 10 && (b[i] & 0xff) == 0xff;
      }
      if (nat64 || compat) {
        try {
          return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
