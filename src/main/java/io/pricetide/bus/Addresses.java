package io.pricetide.bus;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Every event-bus address, in one place, with the record that is its body. Commands are sent; hand-offs are sent
 * to the next stage; facts are published. {@code docs/architecture.md} shows the flow (a test keeps the two in step).
 */
public final class Addresses {
  /** Longest a check may take end to end, retries included: the send timeout of every check hand-off. */
  public static final DeliveryOptions CHECK_TIMEOUT = new DeliveryOptions().setSendTimeout(15 * 60_000L);

  /** Command, request/reply: check one source now. Body {@link CheckRequest}; reply {@link CheckOutcome}. */
  public static final String SOURCE_CHECK = "source.check";
  /** Hand-off, request/reply: a fetched body is in the raw archive. Body {@link PageFetched}; reply {@link CheckOutcome}. */
  public static final String PAGE_FETCHED = "page.fetched";
  /** Hand-off, request/reply: what extraction read. Body {@link PricesExtracted}; reply {@link CheckOutcome}. */
  public static final String PRICES_EXTRACTED = "prices.extracted";
  /** Fact, published once per ended check, whatever its outcome: body {@link CheckOutcome}. */
  public static final String CHECK_ENDED = "check.ended";
  /** Fact, published once per recorded event: body {@link ChangeEvent} as in the contract. */
  public static final String CHANGE_DETECTED = "change.detected";

  private Addresses() {}
}
