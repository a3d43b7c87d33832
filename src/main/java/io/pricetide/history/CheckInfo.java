package io.pricetide.history;

import java.time.Instant;

/**
 * What a check brings besides its observations: when it started, the HTTP status, the body's hash and the
 * validators to send next time ({@code etag}, {@code lastModified}; either may be null) and the body's declared
 * {@code contentType}, kept with the check so a re-extraction decodes the archived body as its fetch did.
 */
public record CheckInfo(Instant startedAt, Integer httpStatus, String contentHash, String etag,
    String lastModified, String contentType) {
  public CheckInfo(Instant startedAt, Integer httpStatus, String contentHash) {
    this(startedAt, httpStatus, contentHash, null, null, null);
  }

  public CheckInfo(Instant startedAt, Integer httpStatus, String contentHash, String etag, String lastModified) {
    this(startedAt, httpStatus, contentHash, etag, lastModified, null);
  }
}
