package io.pricetide.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The body of {@link Addresses#PAGE_FETCHED}: a body of the source is in the raw archive under {@code hash}, to be
 * extracted as observed at {@code observedAt}. The decoded bytes travel in the same local message when they were
 * just fetched ({@link #toJson(byte[])}); without them, extraction reads the archive.
 *
 * @param contentType the content type the fetch declared (its charset decodes the body), or null
 * @param etag validator to send next time, or null
 * @param lastModified validator to send next time, or null
 * @param status the HTTP status of the fetch (304 for a body re-read from the archive)
 * @param scheduledFor the trigger fire the check answers, or null when it was asked for by hand
 */
public record PageFetched(String sourceId, String hash, Instant observedAt, String contentType, String etag,
    String lastModified, Integer status, Instant scheduledFor) {
  private static final String BODY = "body";

  /** A page of a check asked for by hand. */
  public PageFetched(String sourceId, String hash, Instant observedAt, String contentType, String etag,
      String lastModified, Integer status) {
    this(sourceId, hash, observedAt, contentType, etag, lastModified, status, null);
  }

  /** The message, with the body's bytes when given (a local message never leaves this node). */
  public JsonObject toJson(byte[] body) {
    JsonObject j = new JsonObject().put("sourceId", sourceId).put("hash", hash)
        .put("observedAt", observedAt.toString()).put("contentType", contentType).put("etag", etag)
        .put("lastModified", lastModified).put("status", status)
        .put("scheduledFor", scheduledFor == null ? null : scheduledFor.toString());
    if (body != null) {
      j.put(BODY, body);
    }
    return j;
  }

  public static PageFetched fromJson(JsonObject j) {
    String scheduled = j.getString("scheduledFor");
    return new PageFetched(j.getString("sourceId"), j.getString("hash"), Instant.parse(j.getString("observedAt")),
        j.getString("contentType"), j.getString("etag"), j.getString("lastModified"), j.getInteger("status"),
        scheduled == null ? null : Instant.parse(scheduled));
  }

  /** Takes the body's bytes out of a received message (null when it carries none), so the message holds them no more. */
  public static byte[] takeBody(JsonObject j) {
    // Taken out of the map itself: JsonObject.remove would first wrap the bytes as base64.
    Object raw = j.getMap().remove(BODY);
    return raw instanceof byte[] b ? b : null;
  }
}
