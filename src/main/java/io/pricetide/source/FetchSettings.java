package io.pricetide.source;

/**
 * How one source is fetched.
 *
 * @param connectTimeoutMs TCP connect timeout; default 10,000 ms
 * @param readTimeoutMs longest silence while reading the answer; default 30,000 ms
 * @param maxBytes cap on the decoded body; a larger answer is an error; default 20 MB
 * @param retries retries after the first attempt on 5xx, 429 and timeouts; default 3
 * @param backoffMs first backoff delay, doubled per retry with full jitter; default 1,000 ms
 * @param maxBackoffMs upper bound for one delay, Retry-After included; default 60,000 ms
 */
public record FetchSettings(int connectTimeoutMs, int readTimeoutMs, long maxBytes, int retries, long backoffMs,
    long maxBackoffMs) {
  public static final FetchSettings DEFAULTS = new FetchSettings(10_000, 30_000, 20_000_000L, 3, 1_000, 60_000);
}
