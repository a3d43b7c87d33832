package io.pricetide.history;

import java.time.Instant;

/**
 * What a check brings besides its observations: when it started, the HTTP status, the body's hash and the
 * validators to send next time ({@code etag}, {@code lastModified}; either may be null) and the body's declared
 * {@code contentType}, kept with the check so a re-extraction decodes the archived body as its fetch did; the
 * trigger fire it answers ({@code scheduledFor}, null when asked for by hand) and, in cluster mode, the node that ran
 * it ({@code nodeId}).
 */
public record CheckInfo(Instant startedAt, Integer httpStatus, String contentHash, String etag,
    String lastModified, String contentType, Instant scheduledFor, String nodeId) {
  public CheckInfo(Instant startedAt, Integer httpStatus, String contentHash) {
    this(startedAt, httpStatus, contentHash, null, null, null);
  }

  public CheckInfo(Instant startedAt, Integer httpStatus, String contentHash, String etag, String lastModified) {
    this(startedAt, httpStatus, contentHash, etag, lastModified, null);
  }

  public CheckInfo(Instant startedAt, Integer httpStatus, String contentHash, String etag, String lastModified,
      String contentType) {
    this(startedAt, httpStatus, contentHash, etag, lastModified, contentType, null, null);
  }

  /** The same, answering the trigger fire scheduled for {@code at} (null: asked for by hand). */
  public CheckInfo scheduledFor(Instant at) {
    return new CheckInfo(startedAt, httpStatus, contentHash, etag, lastModified, contentType, at, nodeId);
  }

  /** The same, run by node {@code id} (null outside cluster mode). */
  public CheckInfo onNode(String id) {
    return new CheckInfo(startedAt, httpStatus, contentHash, etag, lastModified, contentType, scheduledFor, id);
  }
}
