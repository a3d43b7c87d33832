package io.pricetide.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The stored conditional-GET validators and last extracted body hash of a source. */
public record FetchState(String etag, String lastModified, String contentHash, Instant extractedAt) {
  public FetchState(String etag, String lastModified, String contentHash) {
    this(etag, lastModified, contentHash, null);
  }

  /** True when the body was last extracted on an earlier UTC day than {@code now}. */
  public boolean extractedBefore(Instant now) {
    return extractedAt != null && extractedAt.truncatedTo(ChronoUnit.DAYS)
        .isBefore(now.truncatedTo(ChronoUnit.DAYS));
  }
}
