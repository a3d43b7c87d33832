package io.pricetide.fetch;

import io.pricetide.source.SourceDefinition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One render of one page, start to end: launches Chromium, opens a page over DevTools, sets the User-Agent,
 * navigates, collects the JSON responses as they finish, waits for the load event and then for
 * {@value #QUIET_MS} ms without a request in flight, and reads the document. The time limit covers all of it, the
 * browser's start included; the size cap covers the document and the responses together. Whatever the outcome,
 * the browser and its profile are gone before the future completes. Runs on one Vert.x context.
 */
final class PageRender {
  /** How long the network must stay quiet after the load event before the document is read. */
  static final long QUIET_MS = 500;

  private final Vertx vertx;
  private final Context context;
  private final SourceDefinition source;
  private final Path chromiumBinary;
  private final Path profileRoot;
  private final String userAgent;
  private final long cap;
  private final long limitMs;
  private final Promise<RenderedFetch> result = Promise.promise();

  private OffsiteSink sink;
  private Chromium chromium;
  private DevTools devtools;
  private String targetId;
  private String session;
  private long limitTimer = -1;
  private long quietTimer = -1;
  private boolean done;
  private boolean launching;
  private Future<RenderedFetch> outcome;
  private boolean loaded;
  private boolean reading;
  private int bodiesPending;
  private long bytes;
  private final PageTraffic traffic = new PageTraffic();

  PageRender(Vertx vertx, Context context, SourceDefinition source, Path chromiumBinary, Path profileRoot,
      String userAgent) {
    this.vertx = vertx;
    this.context = context;
    this.source = source;
    this.chromiumBinary = chromiumBinary;
    this.profileRoot = profileRoot;
    this.userAgent = userAgent;
    this.cap = source.fetch().maxBytes();
    this.limitMs = source.fetch().renderTimeoutMs();
  }

  Future<RenderedFetch> run() {
    context.runOnContext(v -> start());
    return result.future();
  }

  private void start() {
    limitTimer = vertx.setTimer(Math.max(1, limitMs), t -> {
      limitTimer = -1;
      fail(0, "render did not finish within " + limitMs + " ms (" + waitingFor() + ")" + refusedNote(), true);
    });
    launching = true;
    OffsiteSink.start(vertx).compose(s -> {
      sink = s;
      List<String> flags = List.of("--proxy-server=http://127.0.0.1:" + s.port(),
          "--proxy-bypass-list=" + bypass(source.url()));
      return vertx.executeBlocking(() -> Chromium.launch(chromiumBinary, profileRoot, flags, limitMs), false);
    }).onComplete(ar -> {
      launching = false;
      if (ar.failed()) {
        if (done) {
          report();
          return;
        }
        fail(0, "cannot start the browser: " + ar.cause().getMessage(), false);
        return;
      }
      chromium = ar.result();
      if (done) {
        // The time limit passed while the browser started: the failure is decided, the browser only stopped.
        Chromium browser = chromium;
        vertx.executeBlocking(() -> {
          browser.close();
          return null;
        }, false).onComplete(c -> report());
        return;
      }
      connect();
    });
  }

  /**
   * The hosts reached without the sink: the source's and its subdomains, nothing else. {@code <-loopback>} takes
   * away Chromium's implicit bypass of loopback, so a page cannot reach services on this machine (Pricetide's own
   * API among them) unless the source itself is on loopback.
   */
  static String bypass(String url) {
    String host = java.net.URI.create(url).getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the source URL has no host");
    }
    return "<-loopback>;" + host + ";*." + host;
  }

  /** The off-site requests refused so far, for a failure's reason: a page may have needed one of them. */
  private String refusedNote() {
    List<String> r = sink == null ? List.of() : sink.refused();
    return r.isEmpty() ? "" : "; refused off-site requests: " + String.join(", ", r.subList(0, Math.min(5, r.size())))
        + (r.size() > 5 ? " and " + (r.size() - 5) + " more" : "");
  }

  private String waitingFor() {
    if (chromium == null) {
      return "the browser was still starting";
    }
    if (!loaded) {
      return "the page had not finished loading";
    }
    return traffic.inFlight() + " request(s) still in flight" + (bodiesPending > 0 ? ", " + bodiesPending
        + " response body(ies) being read" : "");
  }

  private void connect() {
    // One message holds at most a body or the document, JSON-escaped (or base64): bounded by twice the cap.
    int maxMessage = (int) Math.min(Integer.MAX_VALUE - 1, 2 * cap + (1 << 20));
    DevTools.connect(vertx, chromium.webSocketUrl(), maxMessage, (int) Math.min(limitMs, 10_000))
        .compose(dt -> {
          devtools = dt;
          dt.onEvent(this::event);
          dt.onClosed(reason -> fail(0, reason, true));
          return dt.send(null, "Target.createTarget", new JsonObject().put("url", "about:blank"));
        })
        .compose(r -> {
          targetId = r.getString("targetId");
          return devtools.send(null, "Target.attachToTarget",
              new JsonObject().put("targetId", targetId).put("flatten", true));
        })
        .compose(r -> {
          session = r.getString("sessionId");
          // Bodies stay in the browser until read: room for one of max_bytes, and never less than usual.
          int resource = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(cap, 10_000_000L));
          int total = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(2 * cap, 100_000_000L));
          return devtools.send(session, "Network.enable", new JsonObject().put("maxTotalBufferSize", total)
              .put("maxResourceBufferSize", resource));
        })
        .compose(r -> devtools.send(session, "Network.setUserAgentOverride",
            new JsonObject().put("userAgent", userAgent)))
        .compose(r -> devtools.send(session, "Page.enable", null))
        .compose(r -> devtools.send(session, "Page.navigate", new JsonObject().put("url", source.url())))
        .onComplete(ar -> {
          if (ar.failed()) {
            fail(0, ar.cause().getMessage(), true);
          } else if (ar.result().getString("errorText") != null) {
            String error = ar.result().getString("errorText");
            fail(0, "the browser could not load the page: " + error, !error.contains("ERR_INVALID_URL"));
          }
        });
  }

  private void event(JsonObject msg) {
    if (done) {
      return;
    }
    String method = msg.getString("method", "");
    JsonObject p = msg.getJsonObject("params", new JsonObject());
    if (!method.startsWith("Target.") && session != null && !session.equals(msg.getString("sessionId"))) {
      return;
    }
    switch (method) {
      case "Network.requestWillBeSent" -> {
        traffic.requested(p);
        quiet(false);
      }
      case "Network.responseReceived" -> {
        PageTraffic.Request doc = traffic.responded(p, targetId);
        if (doc != null && doc.status >= 400) {
          fail(doc.status, "server answered " + doc.status, doc.status == 429 || doc.status >= 500);
        }
      }
      case "Network.loadingFinished" -> finished(p.getString("requestId"));
      case "Network.loadingFailed" -> {
        traffic.failed(p.getString("requestId"));
        settle();
      }
      case "Page.loadEventFired" -> {
        loaded = true;
        settle();
      }
      case "Inspector.targetCrashed" -> fail(0, "the page crashed in the browser", true);
      case "Target.targetCrashed" -> {
        if (p.getString("targetId", "").equals(targetId)) {
          fail(0, "the page crashed in the browser", true);
        }
      }
      case "Target.detachedFromTarget" -> {
        if (p.getString("sessionId", "").equals(session)) {
          fail(0, "the browser closed the page", true);
        }
      }
      default -> { }
    }
  }

  private void finished(String id) {
    PageTraffic.Request req = traffic.finished(id);
    if (req == null) {
      settle();
      return;
    }
    bodiesPending++;
    devtools.send(session, "Network.getResponseBody", new JsonObject().put("requestId", id)).onComplete(ar -> {
      bodiesPending--;
      if (done) {
        return;
      }
      if (ar.failed()) {
        fail(0, "could not read the response of " + req.url + ": " + ar.cause().getMessage(), true);
        return;
      }
      String body = ar.result().getString("body", "");
      if (ar.result().getBoolean("base64Encoded", false)) {
        body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      }
      traffic.keep(req, body);
      if (counted(body)) {
        settle();
      }
    });
  }

  /** Adds a text's UTF-8 size to the total; false (and the render failed) once the total passes the cap. */
  private boolean counted(String text) {
    bytes += text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > cap) {
      fail(0, "rendered page and its JSON responses larger than the cap of " + cap + " bytes", false);
      return false;
    }
    return true;
  }

  /** Once loaded, with nothing in flight, starts the quiet period; anything else cancels it. */
  private void settle() {
    quiet(loaded && traffic.inFlight() == 0 && bodiesPending == 0);
  }

  private void quiet(boolean idle) {
    if (!idle || done || reading) {
      if (quietTimer >= 0) {
        vertx.cancelTimer(quietTimer);
        quietTimer = -1;
      }
      return;
    }
    if (quietTimer < 0) {
      quietTimer = vertx.setTimer(QUIET_MS, t -> {
        quietTimer = -1;
        if (loaded && traffic.inFlight() == 0 && bodiesPending == 0) {
          read();
        }
      });
    }
  }

  private void read() {
    if (done) {
      return;
    }
    PageTraffic.Request doc = traffic.document();
    if (doc == null) {
      fail(0, "the browser received no document for the page", true);
      return;
    }
    reading = true;
    devtools.send(session, "Runtime.evaluate", new JsonObject()
        .put("expression", "document.documentElement ? document.documentElement.outerHTML : ''")
        .put("returnByValue", true)).onComplete(ar -> {
          if (done) {
            return;
          }
          if (ar.failed()) {
            fail(0, "could not read the rendered document: " + ar.cause().getMessage(), true);
            return;
          }
          JsonObject value = ar.result().getJsonObject("result", new JsonObject());
          String html = value.getValue("value") instanceof String s ? s : null;
          if (html == null) {
            fail(0, "the rendered document could not be read: " + ar.result().encode(), true);
            return;
          }
          if (!counted(html)) {
            return;
          }
          end(new RenderedFetch(doc.url, doc.status, html, traffic.responses(), sink.refused()), null);
        });
  }

  private void fail(int status, String reason, boolean retryable) {
    end(null, new FetchException(source.id(), source.url(), status, reason, retryable, -1));
  }

  /** Decides the outcome once, then closes the page, the connection and the browser before reporting it. */
  private void end(RenderedFetch ok, FetchException err) {
    if (done) {
      return;
    }
    done = true;
    if (limitTimer >= 0) {
      vertx.cancelTimer(limitTimer);
    }
    quiet(false);
    outcome = err == null ? Future.succeededFuture(ok) : Future.failedFuture(err);
    if (chromium == null) {
      if (!launching) {
        report();
      }
      // Otherwise the browser is still starting: the launch callback stops it, then reports.
      return;
    }
    Future<Void> closing = devtools == null ? Future.succeededFuture()
        : devtools.send(null, "Browser.close", null).timeout(2, TimeUnit.SECONDS).<Void>mapEmpty()
            .otherwiseEmpty().compose(v -> devtools.close().timeout(2, TimeUnit.SECONDS).otherwiseEmpty());
    Chromium browser = chromium;
    closing.onComplete(v -> {
      if (devtools != null) {
        browser.askedToClose();
      }
      vertx.executeBlocking(() -> {
        browser.close();
        return null;
      }, false).onComplete(c -> report());
    });
  }

  /** Closes the sink, then hands on the outcome decided by {@link #end}. */
  private void report() {
    Future<Void> closed = sink == null ? Future.succeededFuture() : sink.close().otherwiseEmpty();
    closed.onComplete(v -> result.handle(outcome));
  }
}
