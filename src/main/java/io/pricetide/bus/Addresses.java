package io.pricetide.bus;

/** Every event-bus address, in one place. Commands are sent; facts are published. See docs/architecture.md. */
public final class Addresses {
  /** Longest a check may take end to end, retries included: the send timeout of {@link #SOURCE_CHECK}. */
  public static final io.vertx.core.eventbus.DeliveryOptions CHECK_TIMEOUT =
      new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(15 * 60_000L);

  /** Command, request/reply: check one source now. Body {@code {sourceId, firedAt}}; reply: the check outcome. */
  public static final String SOURCE_CHECK = "source.check";
  /** Hand-off, request/reply: a body is in the raw archive. {@code {sourceId, checkId, hash, fetchedAt, format}}. */
  public static final String PAGE_FETCHED = "page.fetched";
  /** Hand-off, request/reply: observations read from a body. {@code {sourceId, checkId, hash, observedAt, observations}}. */
  public static final String PRICES_EXTRACTED = "prices.extracted";
  /** Hand-off, request/reply: the check ended before history (fetch or extract error, unchanged body). */
  public static final String CHECK_ENDED = "check.ended";
  /** Fact, published: one change event as in the contract. */
  public static final String CHANGE_DETECTED = "change.detected";
  /** Fact, published: a source failed a check. {@code {sourceId, stage, reason, at}}. */
  public static final String SOURCE_FAILED = "source.failed";

  private Addresses() {}
}
