package io.pricetide.check;

import io.pricetide.bus.CheckOutcome;
import io.pricetide.detect.EventMode;
import io.pricetide.extract.ExtractException;
import io.pricetide.extract.Extractors;
import io.pricetide.history.CheckInfo;
import io.pricetide.history.FetchState;
import io.pricetide.history.FxRateStore;
import io.pricetide.history.HistoryStore;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.Sources;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The steps of a check after its fetch, and what each failure becomes, written once. Every step blocks (parsing,
 * JDBC): callers run it on a worker. The live check runs {@link #extract} and {@link #record} in two stages so a
 * cycle's extraction and history overlap; {@code replay} and {@code reextract} run both at once ({@link #run}).
 *
 * <ul>
 *   <li>A body is decoded by the charset its fetch declared (UTF-8 when none), then read by its source's
 *       extractor; an extraction error is a failed check at stage {@code extract}, never an empty extraction.</li>
 *   <li>Observations are applied to history with the detection policy of the source's kind, in one transaction
 *       with their events ({@link HistoryStore#apply}).</li>
 *   <li>A body identical to the last one is recorded as unchanged; a fetch error as a failed check.</li>
 * </ul>
 */
public final class CheckPipeline {
  private final Extractors extractors;
  private final Sources sources;
  private final HistoryStore history;
  private final FxRateStore fx;
  /** The node every check is recorded as run by; null outside cluster mode. */
  private final String nodeId;

  /** A pipeline; {@code fx} (may be null) forgets its cached rates after each recorded exchange-rate check. */
  public CheckPipeline(Extractors extractors, HistoryStore history, FxRateStore fx) {
    this(extractors, history, fx, null);
  }

  /** As {@link #CheckPipeline(Extractors, HistoryStore, FxRateStore)}, recording checks as run by node {@code nodeId}. */
  public CheckPipeline(Extractors extractors, HistoryStore history, FxRateStore fx, String nodeId) {
    this.extractors = extractors;
    this.sources = extractors.sources();
    this.history = history;
    this.fx = fx;
    this.nodeId = nodeId;
  }

  public Sources sources() {
    return sources;
  }

  /** What extraction made of one body: its observations, or why it failed. */
  public record Extraction(List<Observation> observations, String failure) {
    static Extraction of(List<Observation> observations) {
      return new Extraction(observations, null);
    }

    static Extraction failedBecause(String reason) {
      return new Extraction(List.of(), reason);
    }

    public boolean failed() {
      return failure != null;
    }
  }

  /**
   * Decodes a body by its declared content type and runs its source's extractor, in {@code format} (the source's
   * own when null), as observed at {@code at}.
   */
  public Extraction extract(String sourceId, byte[] body, String contentType, String format, Instant at) {
    try {
      return Extraction.of(extractors.extract(sourceId, Extractors.decode(body, contentType), format, at));
    } catch (ExtractException e) {
      return Extraction.failedBecause(e.getMessage());
    }
  }

  /** Records an extraction: a failure as a failed check at stage {@code extract}, observations into history. */
  public CheckOutcome record(String sourceId, Instant at, Extraction x, CheckInfo given) {
    CheckInfo info = given.onNode(nodeId);
    SourceDefinition src = sources.require(sourceId);
    if (x.failed()) {
      return history.recordFailure(sourceId, at, "extract", x.failure(), info);
    }
    CheckOutcome o = history.apply(sourceId, at, x.observations(), src.guards(), info, EventMode.of(src.kind()),
        sources.catalogueIds());
    if (fx != null && !o.isError() && src.kind().equals("fx")) {
      fx.invalidate();
    }
    return o;
  }

  /** Both steps at once: replay and re-extraction. */
  public CheckOutcome run(String sourceId, Instant at, byte[] body, String contentType, String format,
      CheckInfo info) {
    return record(sourceId, at, extract(sourceId, body, contentType, format, at), info);
  }

  /** What the source's last checks left for the next fetch: validators and the hash of the last body applied. */
  public Optional<FetchState> fetchState(String sourceId) {
    return history.fetchState(sourceId);
  }

  /** A check whose body was not modified or is the same as the last one: nothing parsed, two rows written. */
  public CheckOutcome unchanged(String sourceId, Instant at, CheckInfo info, FetchState state) {
    return history.recordUnchanged(sourceId, at, info.onNode(nodeId), state);
  }

  /** A check that failed before extraction ({@code fetch}) or for a reason of its own ({@code internal}). */
  public CheckOutcome failed(String sourceId, Instant at, String stage, String reason, CheckInfo info) {
    return history.recordFailure(sourceId, at, stage, reason, info.onNode(nodeId));
  }
}
