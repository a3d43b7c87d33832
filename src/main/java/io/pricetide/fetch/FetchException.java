package io.pricetide.fetch;

/**
 * A fetch that did not yield a usable body: carries the source, the URL, the HTTP status (0 when none came back)
 * and whether trying again may help (5xx, 429, timeouts, resets).
 */
public class FetchException extends RuntimeException {
  private final String sourceId;
  private final String url;
  private final int statusCode;
  private final boolean retryable;
  private final long retryAfterMs;
  private final String reason;

  public FetchException(String sourceId, String url, int statusCode, String reason, boolean retryable,
      long retryAfterMs) {
    super("source " + sourceId + ", stage fetch: " + reason + (statusCode > 0 ? ". Status=" + statusCode : "")
        + ", URL=[" + url + "]");
    this.sourceId = sourceId;
    this.url = url;
    this.statusCode = statusCode;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
    this.reason = reason;
  }

  /** Why the fetch failed, without the source, stage, status and URL the message adds. */
  public String reason() {
    return reason;
  }

  public String sourceId() {
    return sourceId;
  }

  public String url() {
    return url;
  }

  public int statusCode() {
    return statusCode;
  }

  public boolean isRetryable() {
    return retryable;
  }

  /** The server's Retry-After in milliseconds, or -1 when it sent none. */
  public long retryAfterMs() {
    return retryAfterMs;
  }
}
