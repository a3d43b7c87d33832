package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One claimed delivery, with everything a notifier needs to send it.
 *
 * @param pk database id of the delivery row
 * @param deliveryId the idempotency key receivers see
 * @param messageType {@code change}, {@code digest}, {@code confirm}, {@code source_failure},
 *     {@code source_stale} or {@code workload} (a workload's cheapest model changed; its event in {@code payload})
 * @param attempts attempts made before this one
 * @param claimToken the claim this job was taken under
 * @param leaseEnd when that claim runs out unless renewed (the same for every row of a claim)
 * @param subscription the recipient
 * @param event the change event of {@code change} and {@code source_failure} messages
 * @param baselineUsd the reference price the change was measured against
 * @param baselinePct the change against that reference
 * @param payload JSON of {@code source_stale} and {@code workload} messages
 * @param digest the events of a digest
 */
record Job(long pk, String deliveryId, String messageType, int attempts, Instant createdAt, Instant expiresAt,
    String claimToken, Instant leaseEnd, Subscription subscription, ChangeEvent event, BigDecimal baselineUsd, BigDecimal baselinePct,
    String payload, List<DigestItem> digest) {

  static final String CHANGE = "change";
  static final String DIGEST = "digest";
  static final String CONFIRM = "confirm";
  static final String SOURCE_FAILURE = "source_failure";
  static final String SOURCE_STALE = "source_stale";
  static final String WORKLOAD = "workload";

  /** One event of a digest and its change against the subscriber's baseline. */
  record DigestItem(ChangeEvent event, BigDecimal baselineUsd, BigDecimal baselinePct) {}

  Job withDigest(List<DigestItem> items) {
    return new Job(pk, deliveryId, messageType, attempts, createdAt, expiresAt, claimToken, leaseEnd, subscription,
        event, baselineUsd, baselinePct, payload, items);
  }

  Job withEvent(ChangeEvent e) {
    return new Job(pk, deliveryId, messageType, attempts, createdAt, expiresAt, claimToken, leaseEnd, subscription,
        e, baselineUsd, baselinePct, payload, digest);
  }
}
