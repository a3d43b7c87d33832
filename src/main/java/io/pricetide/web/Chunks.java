package io.pricetide.web;

import io.pricetide.http.JsonReplies;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chunked answer written off the event loop as rows are read: text collects in a small buffer that is sent
 * whenever it passes {@link #FLUSH_AT} characters, and the writer waits while the connection's write queue is full,
 * so a request holds one buffer whatever the answer's size.
 */
final class Chunks {
  static final int FLUSH_AT = 32 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(Chunks.class);
  private static final long DRAIN_WAIT_SECONDS = 60;

  /** Writes an answer into {@link Chunks}; a {@link Ui.PageException} before the first chunk answers its status. */
  @FunctionalInterface
  interface Work {
    void write(Chunks out) throws Exception;
  }

  /** The client went away or stopped reading: the answer is abandoned. */
  static final class Gone extends RuntimeException {
    Gone(String why) {
      super(why);
    }
  }

  /** The most of an answer kept for {@code whole}; a longer one is not kept. */
  static final int KEEP_AT_MOST = 2 * 1024 * 1024;
  private final HttpServerResponse response;
  private Buffer kept;
  private final StringBuilder buf = new StringBuilder(FLUSH_AT + 1024);

  private Chunks(HttpServerResponse response) {
    this.response = response;
  }

  /**
   * Answers {@code ctx} with a chunked 200 of {@code contentType} (an attachment when {@code filename} is given),
   * written by {@code work} on a worker thread. A failure before anything was sent answers an error; after, the
   * connection is reset, since a half-sent answer must not look complete.
   */
  static void answer(Vertx vertx, RoutingContext ctx, String contentType, String filename, Work work) {
    answer(vertx, ctx, contentType, filename, null, work);
  }

  /**
   * As {@link #answer(Vertx, RoutingContext, String, String, Work)}; when {@code whole} is given, the answer is
   * also collected, up to {@link #KEEP_AT_MOST} bytes, and handed to it once complete (to be cached).
   */
  static void answer(Vertx vertx, RoutingContext ctx, String contentType, String filename,
      java.util.function.Consumer<Buffer> whole, Work work) {
    HttpServerResponse r = ctx.response();
    r.setChunked(true).putHeader("Content-Type", contentType).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-store");
    if (filename != null) {
      r.putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }
    vertx.executeBlocking(() -> {
      Chunks out = new Chunks(r);
      if (whole != null) {
        out.kept = Buffer.buffer();
      }
      work.write(out);
      out.end();
      if (whole != null && out.kept != null) {
        whole.accept(out.kept);
      }
      return null;
    }, false).onFailure(err -> {
      if (!r.headWritten()) {
        if (err instanceof Ui.PageException pe) {
          JsonReplies.error(ctx, pe.status, pe.getMessage());
        } else {
          JsonReplies.internalError(ctx, LOG, err);
        }
      } else if (err instanceof Gone) {
        LOG.debug("{} {}: {}", ctx.request().method(), ctx.request().path(), err.getMessage());
      } else {
        LOG.error("{} {} failed after the answer began", ctx.request().method(), ctx.request().path(), err);
        r.reset();
      }
    });
  }

  /**
   * As {@link #answer(Vertx, RoutingContext, String, String, Work)}, answered from {@code cache} under this
   * request's address when there (sent chunked, as the streamed answer is), and stored there when complete.
   */
  static void cached(Vertx vertx, RoutingContext ctx, io.pricetide.http.ReadCache cache, String contentType,
      Work work) {
    String key = "api " + ctx.request().uri();
    Buffer hit = cache.get(key);
    if (hit != null) {
      ctx.response().setChunked(true).putHeader("Content-Type", contentType)
          .putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-cache").end(hit);
      return;
    }
    long generation = cache.generation();
    // A request queued behind the build of the same answer finds it in the cache when its turn comes, and
    // writes it instead of building it again (a burst of misses does not become a backlog of builds).
    answer(vertx, ctx, contentType, null, whole -> cache.put(key, generation, whole), out -> {
      Buffer now = cache.get(key);
      if (now != null) {
        out.add(now.toString(java.nio.charset.StandardCharsets.UTF_8));
      } else {
        work.write(out);
      }
    });
  }

  /** Appends text, sending a chunk once enough has collected. */
  Chunks add(String s) {
    buf.append(s);
    if (buf.length() >= FLUSH_AT) {
      flush();
    }
    return this;
  }

  /** Appends a JSON string literal (quoted and escaped), or {@code null}. */
  Chunks str(String s) {
    return add(s == null ? "null" : io.vertx.core.json.Json.encode(s));
  }

  /** Appends {@code "name":} for a JSON member. */
  Chunks name(String n) {
    return str(n).add(":");
  }

  private void flush() {
    if (buf.isEmpty()) {
      return;
    }
    if (response.closed()) {
      throw new Gone("client closed the connection");
    }
    Buffer b = Buffer.buffer(buf.toString());
    keep(b);
    response.write(b);
    buf.setLength(0);
    if (response.writeQueueFull()) {
      CountDownLatch drained = new CountDownLatch(1);
      response.drainHandler(v -> drained.countDown());
      response.closeHandler(v -> drained.countDown());
      try {
        if (response.writeQueueFull() && !drained.await(DRAIN_WAIT_SECONDS, TimeUnit.SECONDS)) {
          throw new Gone("client read nothing for " + DRAIN_WAIT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Gone("interrupted");
      }
    }
  }

  private void end() {
    if (response.closed()) {
      throw new Gone("client closed the connection");
    }
    Buffer b = Buffer.buffer(buf.toString());
    keep(b);
    response.end(b);
    buf.setLength(0);
  }

  private void keep(Buffer b) {
    if (kept != null) {
      kept = kept.length() + b.length() > KEEP_AT_MOST ? null : kept.appendBuffer(b);
    }
  }
}
