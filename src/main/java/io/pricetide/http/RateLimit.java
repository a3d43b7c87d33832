package io.pricetide.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A rate limit per client on the public read endpoints: a token bucket per remote address that holds at most
 * {@code burst} requests and refills at {@code perSecond}. A request finding the bucket empty is answered 429 with
 * {@code Retry-After} (whole seconds until a token is back) and goes no further. Buckets idle long enough to be full
 * again are dropped, so the map stays as small as the set of recent clients. Loopback clients pass unless
 * {@link #includingLoopback()}; {@code PRICETIDE_RATE_LIMIT=PER_SECOND,BURST,loopback} limits them too.
 */
public final class RateLimit implements Handler<RoutingContext> {
  /** The environment variable of {@link #fromEnv}: {@code PER_SECOND,BURST[,loopback]}, or {@code off}. */
  public static final String ENV = "PRICETIDE_RATE_LIMIT";
  /** Defaults: 20 requests a second sustained, bursts of 100, per address. */
  public static final double DEFAULT_PER_SECOND = 20;
  public static final int DEFAULT_BURST = 100;

  private final double perSecond;
  private final int burst;
  private boolean loopback;
  private final LongSupplier nanos;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private long lastSweep;

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  public RateLimit(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  /** With a clock of its own (tests). */
  public RateLimit(double perSecond, int burst, LongSupplier nanos) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate limit: per second must be above 0 and burst at least 1, not "
          + perSecond + "," + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanos = nanos;
  }

  /**
   * The limit {@code value} names ({@code PER_SECOND,BURST}, {@code PER_SECOND} with a burst of five seconds'
   * worth, or {@code off}); null or blank for the defaults. Null for off.
   *
   * @throws IllegalArgumentException naming {@link #ENV} and what is wrong
   */
  public static RateLimit parse(String value) {
    if (value == null || value.isBlank()) {
      return new RateLimit(DEFAULT_PER_SECOND, DEFAULT_BURST);
    }
    String v = value.trim();
    if (v.equalsIgnoreCase("off") || v.equals("0")) {
      return null;
    }
    try {
      String[] parts = v.split(",");
      double rate = Double.parseDouble(parts[0].trim());
      int burst = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : (int) Math.max(1, Math.ceil(rate * 5));
      if (parts.length > 3 || parts.length == 3 && !parts[2].trim().equals("loopback")) {
        throw new IllegalArgumentException("only 'loopback' may follow the two numbers");
      }
      RateLimit limit = new RateLimit(rate, burst);
      return parts.length == 3 ? limit.includingLoopback() : limit;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ENV + "='" + value + "': expected PER_SECOND,BURST or off ("
          + e.getMessage() + ")", e);
    }
  }

  /** The limit of {@link #ENV} (or the system property {@code pricetide.rate_limit}), defaults when unset. */
  public static RateLimit fromEnv() {
    String v = System.getProperty("pricetide.rate_limit", System.getenv(ENV));
    return parse(v);
  }

  /**
   * Takes a token for {@code client}: 0 when the request may go on, else the whole seconds until one is back.
   */
  public long take(String client) {
    long now = nanos.getAsLong();
    sweep(now);
    Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(burst, now));
    synchronized (b) {
      b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1e9 * perSecond);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
    }
  }

  /**
   * Limits loopback clients too. Off by default: on loopback the client is this host (a reverse proxy in front
   * of every user, a local tool, a benchmark), and one bucket for all of a proxy's users would throttle them all.
   */
  public RateLimit includingLoopback() {
    this.loopback = true;
    return this;
  }

  @Override
  public void handle(RoutingContext ctx) {
    var addr = ctx.request().remoteAddress();
    String host = addr == null ? "unknown" : addr.hostAddress();
    if (!loopback && isLoopback(host)) {
      ctx.next();
      return;
    }
    long wait = take(host);
    if (wait == 0) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(wait))
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", "too many requests: at most " + perSecond + " a second (bursts of "
            + burst + ") per client; retry after " + wait + " s").encode());
  }

  static boolean isLoopback(String host) {
    return host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
  }

  /** Clients whose buckets are held now. */
  public int clients() {
    return buckets.size();
  }

  private void sweep(long now) {
    long fullAfter = (long) (burst / perSecond * 1e9);
    synchronized (this) {
      if (now - lastSweep < Math.max(fullAfter, 1_000_000_000L)) {
        return;
      }
      lastSweep = now;
    }
    for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
      Bucket b = it.next().getValue();
      synchronized (b) {
        if (now - b.at > fullAfter) {
          it.remove();
        }
      }
    }
  }
}
