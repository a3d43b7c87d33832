package io.pricetide.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vendor on 127.0.0.1: serves one page whose body, status and behaviour tests change while it runs. Queued
 * statuses are answered first (for runs of 500s and 429s); a stall holds the answer back; ETag support answers
 * 304 to a matching If-None-Match.
 */
public final class FakeVendor implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private volatile String body = "";
  private volatile String contentType = "text/html; charset=utf-8";
  private volatile long stallMs;
  private volatile boolean etags;
  private volatile boolean gzip;
  private volatile byte[] encodedBody;
  private volatile String encoding;
  private final AtomicInteger gzipped = new AtomicInteger();
  private volatile AtomicInteger concurrent;
  private volatile AtomicInteger maxConcurrent;
  private final Deque<int[]> queued = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger notModified = new AtomicInteger();

  public FakeVendor() {
    server = await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    int[] q;
    synchronized (queued) {
      q = queued.poll();
    }
    if (q != null) {
      req.response().setStatusCode(q[0]);
      if (q[1] >= 0) {
        req.response().putHeader("Retry-After", String.valueOf(q[1]));
      }
      req.response().end("temporarily unavailable");
      return;
    }
    AtomicInteger now = concurrent;
    if (now != null) {
      maxConcurrent.accumulateAndGet(now.incrementAndGet(), Math::max);
      req.response().endHandler(v -> now.decrementAndGet());
    }
    String b = body;
    String tag = "\"" + Integer.toHexString(b.hashCode()) + "\"";
    Runnable answer = () -> {
      if (etags && tag.equals(req.getHeader("If-None-Match"))) {
        notModified.incrementAndGet();
        req.response().setStatusCode(304).putHeader("ETag", tag).end();
        return;
      }
      if (etags) {
        req.response().putHeader("ETag", tag);
      }
      req.response().putHeader("Content-Type", contentType);
      byte[] enc = encodedBody;
      if (enc != null) {
        req.response().putHeader("Content-Encoding", encoding).end(io.vertx.core.buffer.Buffer.buffer(enc));
      } else if (gzip && String.valueOf(req.getHeader("Accept-Encoding")).contains("gzip")) {
        gzipped.incrementAndGet();
        req.response().putHeader("Content-Encoding", "gzip").end(io.vertx.core.buffer.Buffer.buffer(gzip(b)));
      } else {
        req.response().end(b);
      }
    };
    if (stallMs > 0) {
      vertx.setTimer(stallMs, t -> answer.run());
    } else {
      answer.run();
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public FakeVendor serve(String body) {
    this.body = body;
    return this;
  }

  public FakeVendor contentType(String type) {
    this.contentType = type;
    return this;
  }

  /** Answers the next requests with these statuses (then the page again); retryAfterSeconds -1 for none. */
  public FakeVendor failNext(int status, int times, int retryAfterSeconds) {
    synchronized (queued) {
      for (int i = 0; i < times; i++) {
        queued.add(new int[] {status, retryAfterSeconds});
      }
    }
    return this;
  }

  public FakeVendor stall(long ms) {
    this.stallMs = ms;
    return this;
  }

  /** Counts requests being answered in {@code current} (shared by several vendors) and its peak in {@code max}. */
  public FakeVendor countConcurrency(AtomicInteger current, AtomicInteger max) {
    this.maxConcurrent = max;
    this.concurrent = current;
    return this;
  }

  /** Answers with a gzip body (Content-Encoding: gzip) when the request accepts it. */
  public FakeVendor gzip(boolean on) {
    this.gzip = on;
    return this;
  }

  /** Answers with these bytes as they are, under this Content-Encoding (null: back to the page). */
  public FakeVendor serveEncoded(byte[] bytes, String contentEncoding) {
    this.encoding = contentEncoding;
    this.encodedBody = bytes;
    return this;
  }

  /** How many answers went out gzipped by {@link #gzip(boolean)}. */
  public int gzipped() {
    return gzipped.get();
  }

  /** {@code text} as UTF-8, gzipped. */
  public static byte[] gzip(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public FakeVendor etags(boolean on) {
    this.etags = on;
    return this;
  }

  public int requests() {
    return requests.get();
  }

  public int notModified() {
    return notModified.get();
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
