package io.pricetide.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The body of {@link Addresses#SOURCE_CHECK}: check one source now. The reply is a {@link CheckOutcome}.
 *
 * @param firedAt when the trigger fired (or the operator asked)
 */
public record CheckRequest(String sourceId, Instant firedAt) {
  /** A check asked for now. */
  public static CheckRequest now(String sourceId) {
    return new CheckRequest(sourceId, Instant.now());
  }

  public JsonObject toJson() {
    return new JsonObject().put("sourceId", sourceId).put("firedAt", firedAt.toString());
  }

  public static CheckRequest fromJson(JsonObject j) {
    String fired = j.getString("firedAt");
    return new CheckRequest(j.getString("sourceId"), fired == null ? Instant.now() : Instant.parse(fired));
  }
}
