package io.pricetide.source;

/**
 * How one source is fetched.
 *
 * @param connectTimeoutMs TCP connect timeout; default 10,000 ms
 * @param readTimeoutMs longest silence while reading the answer; default 30,000 ms
 * @param maxBytes cap on the decoded body; a larger answer is an error; default 20 MB. For a rendered page, the cap
 *     on the rendered document and the JSON responses together
 * @param retries retries after the first attempt on 5xx, 429 and timeouts; default 3
 * @param backoffMs first backoff delay, doubled per retry with full jitter; default 1,000 ms
 * @param maxBackoffMs upper bound for one delay, Retry-After included; default 60,000 ms
 * @param deadlineMs the longest one fetch may take, every attempt and every backoff wait included, however the
 *     server paces its bytes (a trickle never counts as silence); then the fetch fails as timed out and the
 *     connection is dropped; default 120,000 ms
 * @param allowPrivate whether the URL, and every redirect, may lead to an internal address (loopback, private,
 *     link-local…: {@code io.pricetide.net.AddressPolicy}); default false, so a source cannot be used to probe the
 *     network the service runs in; tests and benches that serve vendors on 127.0.0.1 set it
 * @param render fetch the page by rendering it in headless Chromium (the body is then a {@code rendered}
 *     container); default false, and only a source that sets it ever starts a browser
 * @param renderTimeoutMs time limit on one render, from starting the browser to the rendered document; default
 *     60,000 ms
 */
public record FetchSettings(int connectTimeoutMs, int readTimeoutMs, long maxBytes, int retries, long backoffMs,
    long maxBackoffMs, long deadlineMs, boolean allowPrivate, boolean render, long renderTimeoutMs) {
  public static final long DEFAULT_DEADLINE_MS = 120_000;
  public static final long DEFAULT_RENDER_TIMEOUT_MS = 60_000;
  public static final FetchSettings DEFAULTS = new FetchSettings(10_000, 30_000, 20_000_000L, 3, 1_000, 60_000);

  /** Settings of a plain HTTP fetch (no rendering) with the default deadline, public addresses only. */
  public FetchSettings(int connectTimeoutMs, int readTimeoutMs, long maxBytes, int retries, long backoffMs,
      long maxBackoffMs) {
    this(connectTimeoutMs, readTimeoutMs, maxBytes, retries, backoffMs, maxBackoffMs, DEFAULT_DEADLINE_MS, false);
  }

  /** Settings of a plain HTTP fetch (no rendering). */
  public FetchSettings(int connectTimeoutMs, int readTimeoutMs, long maxBytes, int retries, long backoffMs,
      long maxBackoffMs, long deadlineMs, boolean allowPrivate) {
    this(connectTimeoutMs, readTimeoutMs, maxBytes, retries, backoffMs, maxBackoffMs, deadlineMs, allowPrivate, false,
        DEFAULT_RENDER_TIMEOUT_MS);
  }

  /** Settings with rendering as given, the default deadline, public addresses only. */
  public FetchSettings(int connectTimeoutMs, int readTimeoutMs, long maxBytes, int retries, long backoffMs,
      long maxBackoffMs, boolean render, long renderTimeoutMs) {
    this(connectTimeoutMs, readTimeoutMs, maxBytes, retries, backoffMs, maxBackoffMs, DEFAULT_DEADLINE_MS, false,
        render, renderTimeoutMs);
  }

  /** These settings with rendering switched on, under a time limit of {@code timeoutMs}. */
  public FetchSettings rendered(long timeoutMs) {
    return new FetchSettings(connectTimeoutMs, readTimeoutMs, maxBytes, retries, backoffMs, maxBackoffMs, deadlineMs,
        allowPrivate, true, timeoutMs);
  }

  /** The same settings with internal addresses allowed or not. */
  public FetchSettings withAllowPrivate(boolean allow) {
    return new FetchSettings(connectTimeoutMs, readTimeoutMs, maxBytes, retries, backoffMs, maxBackoffMs, deadlineMs,
        allow, render, renderTimeoutMs);
  }
}
