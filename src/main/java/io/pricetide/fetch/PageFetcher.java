package io.pricetide.fetch;

import io.pricetide.net.AddressPolicy;
import io.pricetide.source.FetchSettings;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Fetches one source's URL with Vert.x WebClient: connect and read (idle) timeouts, a total deadline per fetch
 * ({@link FetchSettings#deadlineMs()}: attempts, backoff and a slowly trickled body all count against it), gzip (asked for here, kept as
 * sent and inflated by {@link ContentCoding} off the event loop), a body cap, a clear
 * User-Agent, redirects (at most {@value #MAX_REDIRECTS}) each checked like the first URL against the
 * address policy ({@link AddressPolicy}, unless the source sets {@code fetch.allow_private}), conditional GET (If-None-Match / If-Modified-Since), and retries with exponential backoff and full
 * jitter on 5xx, 429, timeouts and connection failures, honouring Retry-After up to the source's maximum delay.
 * Politeness: at most {@value #PER_HOST_CONNECTIONS} requests in flight per host; the others wait their turn here,
 * before the WebClient sees them, so that the connect timeout measures connecting, never the time spent queueing
 * behind the host's other checks (Vert.x counts a request's wait for a pooled connection against its connect
 * timeout, which failed the last of many sources of one host checked at once).
 */
public final class PageFetcher {
  /** Connections kept per host; a cap on concurrent requests to any one vendor. */
  public static final int PER_HOST_CONNECTIONS = 8;

  private final Vertx vertx;
  private final WebClient client;
  /** Per host and port: requests in flight, and attempts waiting for a slot, in arrival order. */
  private final Map<String, Integer> inFlight = new HashMap<>();
  private final Map<String, Deque<Runnable>> waiting = new HashMap<>();

  public PageFetcher(Vertx vertx, String userAgent) {
    this.vertx = vertx;
    WebClientOptions opts = new WebClientOptions()
        .setUserAgent(userAgent)
        .setDecompressionSupported(false)
        // Redirects are followed here, each one checked against the address policy like the first URL.
        .setFollowRedirects(false)
        .setKeepAlive(true);
    this.client = WebClient.create(vertx, opts, new PoolOptions().setHttp1MaxSize(PER_HOST_CONNECTIONS));
    // The connection under each request, so that a fetch's deadline can reset it (a write refused by the body's
    // sink stops the copy but leaves a trickling connection open).
    ((io.vertx.ext.web.client.impl.WebClientInternal) client).addInterceptor(ctx -> {
      if (ctx.phase() == io.vertx.ext.web.client.impl.ClientPhase.SEND_REQUEST) {
        Deadline d = open.get(ctx.request());
        if (d != null) {
          d.sending(ctx.clientRequest());
        }
      }
      ctx.next();
    });
  }

  /** Requests in flight and the deadline of the fetch each belongs to, by identity. */
  private final Map<HttpRequest<?>, Deadline> open = java.util.Collections.synchronizedMap(
      new java.util.IdentityHashMap<>());

  /** Fetches {@code source.url()}, sending the validators given (either may be null). */
  public Future<FetchResult> fetch(SourceDefinition source, String etag, String lastModified) {
    Promise<FetchResult> promise = Promise.promise();
    Deadline deadline = new Deadline();
    long ms = Math.max(1, source.fetch().deadlineMs());
    long timer = vertx.setTimer(ms, t -> {
      // The reason first: resetting the connection fails the attempt at once, with a vaguer one.
      promise.tryFail(new FetchException(source.id(), source.url(), 0, "timed out: no complete answer within the "
          + "fetch deadline of " + ms + " ms (fetch.deadline_ms)", false, -1));
      deadline.expire();
    });
    attempt(source, etag, lastModified, 1, promise, deadline);
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /**
   * One fetch's deadline: once expired, the body being read is refused at its next bytes (which drops the
   * connection, however slowly the server trickles) and no further attempt starts.
   */
  private static final class Deadline {
    private volatile boolean expired;
    private volatile CappedBuffer reading;
    private volatile io.vertx.core.http.HttpClientRequest request;

    void sending(io.vertx.core.http.HttpClientRequest r) {
      request = r;
      if (expired && r != null) {
        r.reset();
      }
    }

    void expire() {
      expired = true;
      CappedBuffer r = reading;
      if (r != null) {
        r.abort();
      }
      io.vertx.core.http.HttpClientRequest q = request;
      if (q != null) {
        q.reset();
      }
    }
  }

  private void attempt(SourceDefinition source, String etag, String lastModified, int n, Promise<FetchResult> done,
      Deadline deadline) {
    if (deadline.expired) {
      return;
    }
    admitted(source.url(), () -> once(source, etag, lastModified, n, deadline)).onComplete(ar -> {
      if (ar.succeeded()) {
        done.tryComplete(ar.result());
        return;
      }
      FetchException fe = ar.cause() instanceof FetchException f ? f
          : new FetchException(source.id(), source.url(), 0, describe(ar.cause()), true, -1);
      FetchSettings s = source.fetch();
      if (!fe.isRetryable() || n > s.retries()) {
        // try: the deadline may have failed the fetch already.
        done.tryFail(n > 1 && fe.isRetryable() ? new FetchException(source.id(), source.url(), fe.statusCode(),
            fe.reason() + " after " + n + " attempts", false, -1) : fe);
        return;
      }
      long delay = delay(s, n, fe.retryAfterMs());
      vertx.setTimer(Math.max(1, delay), t -> attempt(source, etag, lastModified, n + 1, done, deadline));
    });
  }

  /** Runs {@code work} once fewer than {@link #PER_HOST_CONNECTIONS} requests to the URL's host are in flight. */
  private <T> Future<T> admitted(String url, Supplier<Future<T>> work) {
    String host = endpoint(url);
    Promise<T> result = Promise.promise();
    Runnable start = () -> {
      Future<T> f;
      try {
        f = work.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        release(host);
        result.handle(ar);
      });
    };
    boolean now;
    synchronized (inFlight) {
      now = inFlight.getOrDefault(host, 0) < PER_HOST_CONNECTIONS;
      if (now) {
        inFlight.merge(host, 1, Integer::sum);
      } else {
        waiting.computeIfAbsent(host, k -> new ArrayDeque<>()).add(start);
      }
    }
    if (now) {
      start.run();
    }
    return result.future();
  }

  /** Hands a finished request's slot to the next waiting attempt of the host, if any. */
  private void release(String host) {
    Runnable next;
    synchronized (inFlight) {
      Deque<Runnable> q = waiting.get(host);
      next = q == null ? null : q.poll();
      if (q != null && q.isEmpty()) {
        waiting.remove(host);
      }
      if (next == null && inFlight.merge(host, -1, Integer::sum) <= 0) {
        inFlight.remove(host);
      }
    }
    if (next != null) {
      next.run();
    }
  }

  /** {@code host:port} of a URL, the unit the connection pool and politeness count by; the URL itself if odd. */
  static String endpoint(String url) {
    try {
      URI u = URI.create(url);
      if (u.getHost() == null) {
        return url;
      }
      int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
      return u.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
    } catch (RuntimeException e) {
      return url;
    }
  }

  /** Full jitter over an exponential ceiling; a server's Retry-After wins when longer, capped at the maximum. */
  static long delay(FetchSettings s, int attempt, long retryAfterMs) {
    long ceiling = Math.min(s.maxBackoffMs(), s.backoffMs() * (1L << Math.min(20, attempt - 1)));
    long jittered = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    return Math.min(s.maxBackoffMs(), Math.max(jittered, retryAfterMs));
  }

  /** Redirects one fetch follows at most. */
  static final int MAX_REDIRECTS = 5;

  private Future<FetchResult> once(SourceDefinition source, String etag, String lastModified, int n,
      Deadline deadline) {
    return hop(source, source.url(), etag, lastModified, n, deadline, 0);
  }

  /** One request of an attempt, to the source's URL or a redirect's target, after the address policy passed it. */
  private Future<FetchResult> hop(SourceDefinition source, String url, String etag, String lastModified, int n,
      Deadline deadline, int hops) {
    return allowed(source, url).compose(v -> request(source, url, etag, lastModified, n, deadline)).recover(err -> {
      if (!(err instanceof Redirect r)) {
        return Future.failedFuture(err);
      }
      if (hops >= MAX_REDIRECTS) {
        return Future.failedFuture(new FetchException(source.id(), source.url(), r.status, "more than "
            + MAX_REDIRECTS + " redirects (last to " + r.location + ")", false, -1));
      }
      return hop(source, r.location, etag, lastModified, n, deadline, hops + 1);
    });
  }

  /** A 3xx answer with a Location: the next hop, not an outcome. */
  private static final class Redirect extends RuntimeException {
    final int status;
    final String location;

    Redirect(int status, String location) {
      super(null, null, false, false);
      this.status = status;
      this.location = location;
    }
  }

  /**
   * Passes a URL whose host resolves to public addresses only ({@link AddressPolicy}), unless the source sets
   * {@code fetch.allow_private}; a host that does not resolve is left to the request, which fails as it always did.
   */
  private Future<Void> allowed(SourceDefinition source, String url) {
    if (source.fetch().allowPrivate()) {
      return Future.succeededFuture();
    }
    String host;
    try {
      host = URI.create(url).getHost();
    } catch (RuntimeException e) {
      return Future.failedFuture(new FetchException(source.id(), url, 0, "bad URL: " + e.getMessage(), false, -1));
    }
    if (host == null || host.isEmpty()) {
      return Future.failedFuture(new FetchException(source.id(), url, 0, "URL has no host", false, -1));
    }
    return vertx.executeBlocking(() -> AddressPolicy.judge(host), false).compose(v -> v.resolved()
        && v.refusal() != null ? Future.failedFuture(new FetchException(source.id(), url, 0, "refused: "
        + v.refusal() + " (set fetch.allow_private: true to fetch internal addresses)", false, -1))
        : Future.succeededFuture());
  }

  private Future<FetchResult> request(SourceDefinition source, String url, String etag, String lastModified, int n,
      Deadline deadline) {
    FetchSettings s = source.fetch();
    CappedBuffer sink = new CappedBuffer(s.maxBytes());
    deadline.reading = sink;
    if (deadline.expired) {
      return Future.failedFuture(new FetchException(source.id(), source.url(), 0, "fetch deadline passed", false, -1));
    }
    HttpRequest<Void> req;
    try {
      req = client.getAbs(url).as(BodyCodec.pipe(sink));
    } catch (RuntimeException e) {
      return Future.failedFuture(new FetchException(source.id(), url, 0,
          "bad URL: " + e.getMessage(), false, -1));
    }
    req.connectTimeout(s.connectTimeoutMs()).idleTimeout(s.readTimeoutMs());
    req.putHeader("Accept", accept(source.format()));
    // Decompressed by ContentCoding off the event loop; the gzip bytes themselves go to the raw archive.
    req.putHeader("Accept-Encoding", "gzip");
    if (etag != null && !etag.isEmpty()) {
      req.putHeader("If-None-Match", etag);
    }
    if (lastModified != null && !lastModified.isEmpty()) {
      req.putHeader("If-Modified-Since", lastModified);
    }
    HttpRequest<Void> sent = req;
    open.put(sent, deadline);
    return req.send().onComplete(x -> open.remove(sent)).transform(ar -> {
      if (ar.failed()) {
        if (sink.isOver()) {
          return Future.failedFuture(new FetchException(source.id(), source.url(), 0,
              "body larger than the cap of " + s.maxBytes() + " bytes", false, -1));
        }
        return Future.failedFuture(new FetchException(source.id(), source.url(), 0, describe(ar.cause()),
            true, -1));
      }
      HttpResponse<Void> resp = ar.result();
      int status = resp.statusCode();
      if (status == 304) {
        return Future.succeededFuture(new FetchResult(304, null, null, null, resp.getHeader("ETag"),
            resp.getHeader("Last-Modified"), n));
      }
      String location = resp.getHeader("Location");
      if ((status == 301 || status == 302 || status == 303 || status == 307 || status == 308) && location != null) {
        try {
          return Future.failedFuture(new Redirect(status, URI.create(url).resolve(location.trim()).toString()));
        } catch (RuntimeException e) {
          return Future.failedFuture(new FetchException(source.id(), url, status, "bad redirect Location '"
              + location + "'", false, -1));
        }
      }
      if (status == 429 || status >= 500) {
        return Future.failedFuture(new FetchException(source.id(), source.url(), status,
            "server answered " + status, true, retryAfter(resp.getHeader("Retry-After"))));
      }
      if (status < 200 || status >= 300) {
        return Future.failedFuture(new FetchException(source.id(), source.url(), status,
            "server answered " + status, false, -1));
      }
      return Future.succeededFuture(new FetchResult(status, sink.buffer().getBytes(),
          resp.getHeader("Content-Encoding"), resp.getHeader("Content-Type"), resp.getHeader("ETag"), resp.getHeader("Last-Modified"), n));
    });
  }

  private static String accept(String format) {
    return switch (format) {
      case "json" -> "application/json, */*;q=0.5";
      case "markdown" -> "text/markdown, text/plain;q=0.9, */*;q=0.5";
      case "xml" -> "application/xml, text/xml;q=0.9, */*;q=0.5";
      default -> "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";
    };
  }

  /** Retry-After as delta-seconds or an HTTP date; -1 when absent or unreadable. */
  static long retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim()) * 1000L;
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
      } catch (RuntimeException e2) {
        return -1;
      }
    }
  }

  private static String describe(Throwable t) {
    if (t instanceof TimeoutException || (t.getMessage() != null && t.getMessage().toLowerCase().contains("timeout"))) {
      return "timed out: " + t.getMessage();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** The host of a URL, for logs. */
  public static String host(String url) {
    try {
      return URI.create(url).getHost();
    } catch (RuntimeException e) {
      return url;
    }
  }

  public void close() {
    client.close();
  }
}
