package io.pricetide.check;

import io.pricetide.archive.RawArchive;
import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.bus.CheckRequest;
import io.pricetide.bus.PageFetched;
import io.pricetide.fetch.BrowserFetcher;
import io.pricetide.fetch.FetchException;
import io.pricetide.fetch.FetchResult;
import io.pricetide.fetch.PageFetcher;
import io.pricetide.metrics.Meters;
import io.pricetide.history.CheckInfo;
import io.pricetide.history.FetchState;
import io.pricetide.source.SourceBodies;
import io.pricetide.source.SourceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns {@code source.check}: fetches the source ({@link PageFetcher}), stores the body in the raw archive and hands
 * its hash to extraction. A 304 or a body identical to the last extracted one ends the check as {@code unchanged}
 * without parsing; a fetch error ends it at stage {@code fetch}. Overlapping checks of one source are refused;
 * every check replies with its {@link CheckOutcome}. What is recorded goes through {@link CheckPipeline}.
 */
public final class CheckVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CheckVerticle.class);
  /**
   * Fetched checks in extraction and history at once, at most; the others wait here holding only their body's name
   * (the body itself is in the archive by then, and extraction reads it back). A cycle fires every source at once and
   * fetching runs ahead of extraction and history: without this bound the bodies and extracted prices of a thousand
   * sources queued in memory together, and a small heap spent itself in garbage collection. Fetching itself is not
   * bounded here, only per host ({@link PageFetcher}), so a vendor that is down or slow never holds up the others.
   * Touched only on this verticle's event loop.
   */
  static final int MAX_PROCESSING = 16;

  private final CheckPipeline pipeline;
  private final RawArchive archive;
  private final String userAgent;
  private final Set<String> inFlight = new HashSet<>();
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int processing;
  private PageFetcher fetcher;
  private BrowserFetcher browser;

  public CheckVerticle(CheckPipeline pipeline, RawArchive archive, String userAgent) {
    this.pipeline = pipeline;
    this.archive = archive;
    this.userAgent = userAgent;
  }

  @Override
  public Future<?> start() {
    fetcher = new PageFetcher(vertx, userAgent);
    browser = new BrowserFetcher(vertx, userAgent);
    return vertx.eventBus().<JsonObject>consumer(Addresses.SOURCE_CHECK, this::check).completion();
  }

  @Override
  public Future<?> stop() {
    fetcher.close();
    return Future.succeededFuture();
  }

  private void check(Message<JsonObject> msg) {
    CheckRequest request = CheckRequest.fromJson(msg.body());
    String id = request.sourceId();
    Instant scheduled = request.scheduledFor();
    Optional<SourceDefinition> src = pipeline.sources().source(id);
    if (src.isEmpty()) {
      msg.fail(404, "unknown source '" + id + "'");
      return;
    }
    if (!inFlight.add(id)) {
      msg.fail(409, "source " + id + " is already being checked");
      return;
    }
    Instant started = Instant.now();
    run(src.get(), started, scheduled)
        .recover(err -> {
          // Unexpected: logged once with its trace, recorded as the check's internal failure.
          LOG.error("source {} stage internal: check failed", id, err);
          // The recorded reason is shown on public pages: it names the error's kind, never its SQL or trace.
          return blocking(() -> published(pipeline.failed(id, Instant.now(), "internal", internalReason(err),
              new CheckInfo(started, null, null).scheduledFor(scheduled))));
        })
        .onComplete(ar -> {
          inFlight.remove(id);
          if (ar.succeeded()) {
            vertx.eventBus().publish(Addresses.CHECK_ENDED, ar.result());
            msg.reply(ar.result());
          } else {
            LOG.error("source {} stage internal: the failure could not be recorded", id, ar.cause());
            msg.fail(500, "source " + id + ": " + ar.cause().getMessage());
          }
        });
  }

  private Future<JsonObject> run(SourceDefinition src, Instant started, Instant scheduled) {
    return vertx.executeBlocking(() -> pipeline.fetchState(src.id()), false)
        // A source that renders its page in a browser (fetch.render) gets the rendered container, never a 304.
        .compose(state -> (src.fetch().render() ? browser.fetchResult(src)
                : src.multiUrl() ? fetchAll(src)
                : fetcher.fetch(src, state.map(FetchState::etag).orElse(null),
                    state.map(FetchState::lastModified).orElse(null)))
            .andThen(Meters.of(vertx).fetchTimer(src.id(), FetchResult::notModified))
            .transform(ar -> ar.succeeded() ? handle(src, started, scheduled, ar.result(), state.orElse(null))
                : failed(src, started, scheduled, ar.cause())));
  }

  /**
   * A source of several URLs: each is fetched in turn with the source's settings (no validators: the check's body is
   * all of them together), and the bodies are joined in URL order into one body ({@link SourceBodies}), archived and
   * extracted as one. A URL that fails fails the check, so a partial answer never looks like a collapse.
   */
  private Future<FetchResult> fetchAll(SourceDefinition src) {
    List<SourceBodies.Part> parts = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    int[] attempts = {0};
    for (String url : src.urls()) {
      chain = chain.compose(x -> fetcher.fetch(src.at(url), null, null)).compose(r -> vertx.executeBlocking(() -> {
        parts.add(new SourceBodies.Part(url, new String(r.decodedFor(src.at(url)), StandardCharsets.UTF_8)));
        attempts[0] += r.attempts();
        return null;
      }, false));
    }
    return chain.map(x -> new FetchResult(200, SourceBodies.join(parts).getBytes(StandardCharsets.UTF_8), null,
        "application/json; charset=utf-8", null, null, attempts[0]));
  }

  /** A fetch that failed after its retries: one clear line, recorded at stage {@code fetch}. */
  private Future<JsonObject> failed(SourceDefinition src, Instant started, Instant scheduled, Throwable cause) {
    int status = cause instanceof FetchException fe ? fe.statusCode() : 0;
    LOG.warn("{}", cause.getMessage());
    return blocking(() -> published(pipeline.failed(src.id(), Instant.now(), "fetch", cause.getMessage(),
        new CheckInfo(started, status == 0 ? null : status, null).scheduledFor(scheduled))));
  }

  private Future<JsonObject> handle(SourceDefinition src, Instant started, Instant scheduled, FetchResult r,
      FetchState prior) {
    // An unchanged body is not parsed again, except once per UTC day: dated prices in a catalogue take effect on
    // their day even when the file itself does not change.
    boolean daily = prior != null && prior.contentHash() != null && prior.extractedBefore(started);
    if (r.notModified()) {
      if (daily) {
        return handOff(new PageFetched(src.id(), prior.contentHash(), started, null, prior.etag(),
            prior.lastModified(), 304, scheduled), null);
      }
      return blocking(() -> pipeline.unchanged(src.id(), started,
          new CheckInfo(started, 304, prior == null ? null : prior.contentHash()).scheduledFor(scheduled), null)
          .toJson());
    }
    // Unordered: each check's blocking work is its own, and one queue for all of them held every waiting body.
    return vertx.executeBlocking(() -> stored(src, r), false).transform(ar -> {
      if (ar.failed()) {
        // A body that cannot be decoded is the fetch's failure; one the archive cannot store is internal.
        return ar.cause() instanceof FetchException ? failed(src, started, scheduled, ar.cause())
            : Future.failedFuture(ar.cause());
      }
      Stored body = ar.result();
      if (prior != null && body.hash().equals(prior.contentHash()) && !daily) {
        // Only names and values: neither body is kept while the rows wait for a thread.
        CheckInfo info = new CheckInfo(started, r.status(), body.hash()).scheduledFor(scheduled);
        FetchState state = new FetchState(r.etag(), r.lastModified(), body.hash());
        return blocking(() -> pipeline.unchanged(src.id(), started, info, state).toJson());
      }
      return handOff(new PageFetched(src.id(), body.hash(), started, r.contentType(), r.etag(), r.lastModified(),
          r.status(), scheduled), body.bytes());
    });
  }

  /** A fetched body, decoded, and the SHA-256 it is archived under. */
  private record Stored(String hash, byte[] bytes) {}

  /** Blocking: undoes the content encoding, hashes the body and archives it (a gzip body as it came). */
  private Stored stored(SourceDefinition src, FetchResult r) {
    byte[] body = r.decodedFor(src);
    String hash = RawArchive.sha256(body);
    archive.put(hash, body, r.isGzip() ? r.body() : null);
    return new Stored(hash, body);
  }

  /**
   * Hands the check to extraction: the body's hash and, when it was just fetched and fewer than
   * {@value #MAX_PROCESSING} checks are being processed, the body itself (a local message never leaves this node), so
   * extraction does not read back what the archive just wrote. Over the bound the hand-off waits with the hash alone.
   */
  private Future<JsonObject> handOff(PageFetched page, byte[] body) {
    Promise<JsonObject> done = Promise.promise();
    if (processing < MAX_PROCESSING) {
      processing++;
      process(page.toJson(body), done);
    } else {
      waiting.add(() -> process(page.toJson(null), done));
    }
    return done.future();
  }

  private void process(JsonObject handoff, Promise<JsonObject> done) {
    vertx.eventBus().<JsonObject>request(Addresses.PAGE_FETCHED, handoff, Addresses.CHECK_TIMEOUT).map(Message::body)
        .onComplete(ar -> {
          Runnable next = waiting.poll();
          if (next != null) {
            next.run();
          } else {
            processing--;
          }
          done.handle(ar);
        });
  }

  private JsonObject published(CheckOutcome o) {
    Outcomes.publish(vertx.eventBus(), o);
    return o.toJson();
  }

  /** What the check log and the public pages say of an unexpected error: its kind, with the details in the log. */
  static String internalReason(Throwable err) {
    Throwable t = err instanceof io.vertx.core.eventbus.ReplyException && err.getCause() != null ? err.getCause() : err;
    return "internal error (" + t.getClass().getSimpleName() + "); the details are in the service log";
  }

  /** Blocking work on the worker pool, unordered. */
  private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
