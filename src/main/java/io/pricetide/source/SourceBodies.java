package io.pricetide.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one body a check of a several-URL source ({@link SourceDefinition#urls}) hands its extractor: every answer,
 * in the order of the source's URLs, each with the URL it answered, as
 * {@code {"pricetide_bodies":[{"url":"…","body":"…"},…]}} (bodies as JSON strings, whatever their format). The
 * fetch stage joins; extractors of such sources split. It is also what the archive keeps and what a replayed
 * snapshot of such a source holds.
 */
public final class SourceBodies {
  /** The envelope's only key. */
  public static final String KEY = "pricetide_bodies";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One URL's answer. */
  public record Part(String url, String body) {}

  private SourceBodies() {}

  /** The envelope of these answers, in order. */
  public static String join(List<Part> parts) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode list = root.putArray(KEY);
    for (Part p : parts) {
      list.addObject().put("url", p.url()).put("body", p.body());
    }
    return root.toString();
  }

  /**
   * The answers of an envelope, or empty when the body is not one (a single URL's answer as fetched).
   *
   * @throws IllegalArgumentException when the body starts as an envelope but is not a well-formed one
   */
  public static Optional<List<Part>> split(String body) {
    String head = body.stripLeading();
    if (!head.startsWith("{") || !head.substring(0, Math.min(head.length(), 64)).contains("\"" + KEY + "\"")) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a several-URL body (" + KEY + ") that is not well-formed JSON: "
          + e.getOriginalMessage());
    }
    JsonNode list = root.get(KEY);
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("a several-URL body whose " + KEY + " is not a list");
    }
    List<Part> parts = new ArrayList<>();
    for (JsonNode p : list) {
      if (!p.path("body").isTextual()) {
        throw new IllegalArgumentException("a several-URL body with an answer that has no body text");
      }
      parts.add(new Part(p.path("url").asText(""), p.get("body").asText()));
    }
    return Optional.of(parts);
  }
}
