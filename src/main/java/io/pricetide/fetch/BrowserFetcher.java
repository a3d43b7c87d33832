package io.pricetide.fetch;

import io.pricetide.source.FetchSettings;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Fetches a page by rendering it in headless Chromium (Debian's {@code /usr/bin/chromium}), driven over the
 * Chrome DevTools Protocol on a Vert.x WebSocket, for sources whose data loads in the browser. Only a source that
 * sets {@code fetch: {render: true}} is rendered; nothing else ever starts a browser.
 *
 * <p>Each render starts a browser of its own, with a fresh profile and the flags in {@link Chromium#FLAGS}, and
 * stops it, its child processes and its profile before the future completes. The browser reaches the source's host
 * (and its subdomains) and loopback directly; every other request, its own background services' included, goes to
 * an {@link OffsiteSink} that refuses it. The source's User-Agent is the fetcher's (DevTools {@code Network.setUserAgentOverride}, so every
 * request of the page carries it), {@code max_bytes} caps the rendered document and the JSON responses together,
 * {@code render_timeout_ms} limits one render from the browser's start to the document, and failures that may
 * pass (time limit, 5xx, 429, a crashed page) are retried like any fetch, with {@code retries} and the same
 * backoff. At most {@value #MAX_BROWSERS} browsers run at once; other renders wait their turn.
 */
public final class BrowserFetcher {
  /** Where Debian's {@code chromium} package puts the browser. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** Browsers running at once, at most: each takes a few hundred MB. */
  public static final int MAX_BROWSERS = 2;

  private final Vertx vertx;
  private final String userAgent;
  private final Path chromium;
  private final Path profileRoot;
  private int running;
  private final Deque<Runnable> waiting = new ArrayDeque<>();

  /** A fetcher using {@link #CHROMIUM}, with browser profiles under the system's temporary folder. */
  public BrowserFetcher(Vertx vertx, String userAgent) {
    this(vertx, userAgent, CHROMIUM, Path.of(System.getProperty("java.io.tmpdir"), "pricetide-chromium"));
  }

  /** A fetcher using the browser at {@code chromium}, with each render's profile in a new folder under the root. */
  public BrowserFetcher(Vertx vertx, String userAgent, Path chromium, Path profileRoot) {
    this.vertx = vertx;
    this.userAgent = userAgent;
    this.chromium = chromium;
    this.profileRoot = profileRoot;
  }

  /**
   * Renders {@code source.url()}: the rendered document and the JSON responses of the page, or a
   * {@link FetchException} naming the source and the reason.
   */
  public Future<RenderedFetch> fetch(SourceDefinition source) {
    return attempted(source).map(a -> a.page);
  }

  /**
   * Renders the source for the check pipeline: the {@code rendered} container as a {@link FetchResult} (status
   * 200, body the container, no content encoding, content type {@link RenderedFetch#CONTENT_TYPE}, no validators),
   * to be decoded, hashed, archived and handed on like any fetched body.
   */
  public Future<FetchResult> fetchResult(SourceDefinition source) {
    return attempted(source).map(a -> a.page.toFetchResult(a.attempts));
  }

  private record Attempted(RenderedFetch page, int attempts) {}

  private Future<Attempted> attempted(SourceDefinition source) {
    if (!source.fetch().render()) {
      return Future.failedFuture(new FetchException(source.id(), source.url(), 0,
          "the source does not set fetch.render, so it is not rendered in a browser", false, -1));
    }
    if (!Files.isExecutable(chromium)) {
      return Future.failedFuture(new FetchException(source.id(), source.url(), 0, "headless Chromium not found at "
          + chromium + " (apt-get install chromium)", false, -1));
    }
    Context context = vertx.getOrCreateContext();
    Promise<Attempted> done = Promise.promise();
    context.runOnContext(v -> attempt(source, context, 1, done));
    return done.future();
  }

  private void attempt(SourceDefinition source, Context context, int n, Promise<Attempted> done) {
    admitted(() -> new PageRender(vertx, context, source, chromium, profileRoot, userAgent).run())
        .onComplete(ar -> {
          if (ar.succeeded()) {
            done.complete(new Attempted(ar.result(), n));
            return;
          }
          FetchException fe = ar.cause() instanceof FetchException f ? f
              : new FetchException(source.id(), source.url(), 0, String.valueOf(ar.cause().getMessage()), true, -1);
          FetchSettings s = source.fetch();
          if (!fe.isRetryable() || n > s.retries()) {
            done.fail(n == 1 ? fe : new FetchException(source.id(), source.url(), fe.statusCode(),
                fe.reason() + " (after " + n + " attempts)", false, -1));
            return;
          }
          vertx.setTimer(Math.max(1, PageFetcher.delay(s, n, -1)), t -> attempt(source, context, n + 1, done));
        });
  }

  /** Runs {@code work} once fewer than {@link #MAX_BROWSERS} renders are running. */
  private Future<RenderedFetch> admitted(java.util.function.Supplier<Future<RenderedFetch>> work) {
    Promise<RenderedFetch> out = Promise.promise();
    Runnable start = () -> work.get().onComplete(ar -> {
      Runnable next;
      synchronized (waiting) {
        next = waiting.poll();
        if (next == null) {
          running--;
        }
      }
      if (next != null) {
        next.run();
      }
      out.handle(ar);
    });
    boolean now;
    synchronized (waiting) {
      now = running < MAX_BROWSERS;
      if (now) {
        running++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return out.future();
  }
}
