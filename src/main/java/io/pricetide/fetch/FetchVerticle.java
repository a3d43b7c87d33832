package io.pricetide.fetch;

import io.pricetide.archive.RawArchive;
import io.pricetide.bus.Addresses;
import io.pricetide.extract.Extractors;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.history.HistoryStore;
import io.pricetide.history.HistoryStore.CheckInfo;
import io.pricetide.history.HistoryStore.FetchState;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns {@code source.check}: fetches the source, stores the body in the raw archive and hands its hash to
 * extraction. A 304 or a body identical to the last extracted one ends the check as {@code unchanged} without
 * parsing. Overlapping checks of one source are refused; every check replies with its {@link CheckOutcome}.
 */
public final class FetchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FetchVerticle.class);



  private final Extractors sources;
  private final HistoryStore history;
  private final RawArchive archive;
  private final String userAgent;
  private final Set<String> inFlight = new HashSet<>();
  /**
   * Fetched checks in extraction and history at once, at most; the others wait here holding only their body's name
   * (the body itself is in the archive by then, and extraction reads it back). A cycle fires every source at once and
   * fetching runs ahead of extraction and history: without this bound the bodies and extracted prices of a thousand
   * sources queued in memory together, and a small heap spent itself in garbage collection. Fetching itself is not
   * bounded here, only per host ({@link PageFetcher}), so a vendor that is down or slow never holds up the others.
   * Touched only on this verticle's event loop.
   */
  static final int MAX_PROCESSING = 16;
  private int processing;
  private final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();
  private PageFetcher fetcher;

  public FetchVerticle(Extractors sources, HistoryStore history, RawArchive archive, String userAgent) {
    this.sources = sources;
    this.history = history;
    this.archive = archive;
    this.userAgent = userAgent;
  }

  @Override
  public Future<?> start() {
    fetcher = new PageFetcher(vertx, userAgent);
    return vertx.eventBus().<JsonObject>consumer(Addresses.SOURCE_CHECK, this::check).completion();
  }

  @Override
  public Future<?> stop() {
    fetcher.close();
    return Future.succeededFuture();
  }

  private void check(Message<JsonObject> msg) {
    String id = msg.body().getString("sourceId");
    Optional<SourceDefinition> src = sources.sources().source(id);
    if (src.isEmpty()) {
      msg.fail(404, "unknown source '" + id + "'");
      return;
    }
    if (!inFlight.add(id)) {
      msg.fail(409, "source " + id + " is already being checked");
      return;
    }
    Instant started = Instant.now();
    run(src.get(), started)
        .recover(err -> vertx.executeBlocking(() -> history.recordFailure(id, Instant.now(), "internal",
            String.valueOf(err.getMessage()), new CheckInfo(started, null, null))).map(CheckOutcome::toJson))
        .onComplete(ar -> {
          inFlight.remove(id);
          if (ar.succeeded()) {
            msg.reply(ar.result());
          } else {
            LOG.error("source {} stage internal: check failed: {}", id, ar.cause().getMessage());
            msg.fail(500, "source " + id + ": " + ar.cause().getMessage());
          }
        });
  }

  private Future<JsonObject> run(SourceDefinition src, Instant started) {
    return vertx.executeBlocking(() -> history.fetchState(src.id()), false)
        .compose(state -> fetcher.fetch(src, state.map(FetchState::etag).orElse(null),
                state.map(FetchState::lastModified).orElse(null))
            .transform(ar -> ar.succeeded() ? handle(src, started, ar.result(), state.orElse(null))
                : failed(src, started, ar.cause())));
  }

  private Future<JsonObject> failed(SourceDefinition src, Instant started, Throwable cause) {
    int status = cause instanceof FetchException fe ? fe.statusCode() : 0;
    LOG.warn("{}", cause.getMessage());
    return vertx.executeBlocking(() -> history.recordFailure(src.id(), Instant.now(), "fetch", cause.getMessage(),
        new CheckInfo(started, status == 0 ? null : status, null))).map(o -> published(o).toJson());
  }

  private Future<JsonObject> handle(SourceDefinition src, Instant started, FetchResult r, FetchState prior) {
    // An unchanged body is not parsed again, except once per UTC day: dated prices in a catalogue take effect on
    // their day even when the file itself does not change.
    boolean daily = prior != null && prior.contentHash() != null && prior.extractedBefore(started);
    if (r.notModified()) {
      if (daily) {
        return handOff(src, started, prior.contentHash(), null, null, prior.etag(), prior.lastModified(), 304);
      }
      return vertx.executeBlocking(() -> history.recordUnchanged(src.id(), started,
          new CheckInfo(started, 304, prior == null ? null : prior.contentHash()))).map(CheckOutcome::toJson);
    }
    // Unordered: each check's blocking work is its own, and one queue for all of them held every waiting body.
    return vertx.executeBlocking(() -> stored(src, r), false).transform(ar -> {
      if (ar.failed()) {
        // A body that cannot be decoded is the fetch's failure; one the archive cannot store is internal.
        return ar.cause() instanceof FetchException ? failed(src, started, ar.cause())
            : Future.failedFuture(ar.cause());
      }
      Stored body = ar.result();
      if (prior != null && body.hash().equals(prior.contentHash()) && !daily) {
        // Only names and values: neither body is kept while the rows wait for a thread.
        CheckInfo info = new CheckInfo(started, r.status(), body.hash());
        FetchState state = new FetchState(r.etag(), r.lastModified(), body.hash());
        return vertx.executeBlocking(() -> history.recordUnchanged(src.id(), started, info, state), false)
            .map(CheckOutcome::toJson);
      }
      return handOff(src, started, body.hash(), body.bytes(), r.contentType(), r.etag(), r.lastModified(),
          r.status());
    });
  }

  /** A fetched body, decoded, and the SHA-256 it is archived under. */
  private record Stored(String hash, byte[] bytes) {}

  /** Blocking: undoes the content encoding, hashes the body and archives it (a gzip body as it came). */
  private Stored stored(SourceDefinition src, FetchResult r) {
    byte[] body;
    try {
      body = r.decoded(src.fetch().maxBytes());
    } catch (ContentCoding.BadBody e) {
      throw new FetchException(src.id(), src.url(), r.status(), e.getMessage(), false, -1);
    }
    String hash = RawArchive.sha256(body);
    archive.put(hash, body, r.isGzip() ? r.body() : null);
    return new Stored(hash, body);
  }

  /**
   * Hands the check to extraction: the body's hash and, when it was just fetched and fewer than
   * {@value #MAX_PROCESSING} checks are being processed, the body itself (a local message never leaves this node), so
   * extraction does not read back what the archive just wrote. Over the bound the hand-off waits with the hash alone.
   */
  private Future<JsonObject> handOff(SourceDefinition src, Instant started, String hash, byte[] body,
      String contentType, String etag, String lastModified, int status) {
    JsonObject handoff = new JsonObject().put("sourceId", src.id()).put("hash", hash)
        .put("observedAt", started.toString()).put("contentType", contentType)
        .put("etag", etag).put("lastModified", lastModified).put("status", status);
    Promise<JsonObject> done = Promise.promise();
    if (processing < MAX_PROCESSING) {
      processing++;
      if (body != null) {
        handoff.put("body", body);
      }
      process(handoff, done);
    } else {
      waiting.add(() -> process(handoff, done));
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

  private CheckOutcome published(CheckOutcome o) {
    vertx.eventBus().publish(Addresses.SOURCE_FAILED, new JsonObject().put("sourceId", o.sourceId())
        .put("stage", o.stage()).put("reason", o.reason()));
    o.events().forEach(e -> vertx.eventBus().publish(Addresses.CHANGE_DETECTED, e.toJson()));
    return o;
  }
}
