package io.pricetide.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The body of {@link Addresses#SOURCE_CHECK}: check one source now. The reply is a {@link CheckOutcome}.
 *
 * @param firedAt when the trigger fired (or the operator asked)
 * @param scheduledFor the fire time the trigger was scheduled for; null for a check asked for by hand. In cluster
 *     mode each (source, scheduled fire time) is fired on exactly one node, and the check log records it.
 */
public record CheckRequest(String sourceId, Instant firedAt, Instant scheduledFor) {
  /** A check asked for by hand at {@code firedAt}. */
  public CheckRequest(String sourceId, Instant firedAt) {
    this(sourceId, firedAt, null);
  }

  /** A check asked for now. */
  public static CheckRequest now(String sourceId) {
    return new CheckRequest(sourceId, Instant.now());
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("sourceId", sourceId).put("firedAt", firedAt.toString());
    return scheduledFor == null ? j : j.put("scheduledFor", scheduledFor.toString());
  }

  public static CheckRequest fromJson(JsonObject j) {
    String fired = j.getString("firedAt");
    String scheduled = j.getString("scheduledFor");
    return new CheckRequest(j.getString("sourceId"), fired == null ? Instant.now() : Instant.parse(fired),
        scheduled == null ? null : Instant.parse(scheduled));
  }
}
