package io.pricetide.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A page rendered in headless Chromium, read back from its {@code rendered} container (written by
 * {@code io.pricetide.fetch.RenderedFetch}, described in docs/sources.md): the rendered document and the JSON
 * responses the page loaded. An extractor whose data may sit in either calls {@link #documents(String)} and
 * searches each text; one that knows which it needs calls {@link #unpack(String)}.
 *
 * @param url the document's URL after redirects
 * @param status the document's HTTP status
 * @param html the rendered document ({@code outerHTML} once the page was loaded and quiet)
 * @param responses the JSON responses, in the order the page asked for them
 */
public record RenderedPage(String url, int status, String html, List<Response> responses) {
  /** The container's format name, the {@code format} of a source that renders. */
  public static final String FORMAT = "rendered";
  /** The container version this reader knows. */
  public static final int VERSION = 1;
  private static final Pattern HEAD = Pattern.compile("\\A\\s*\\{\\s*\"format\"\\s*:\\s*\"rendered\"");

  /** One response the page loaded, its body as text. */
  public record Response(String url, int status, String contentType, String body) {}

  public RenderedPage {
    responses = List.copyOf(responses);
  }

  /** True when {@code body} is a rendered-page container (its first key is {@code "format": "rendered"}). */
  public static boolean isRendered(String body) {
    return body != null && HEAD.matcher(body.length() > 200 ? body.substring(0, 200) : body).find();
  }

  /**
   * The texts to search for a page's data: the rendered document, then each JSON response's body, for a
   * container; the body itself for anything else (a page fetched without a browser, a saved capture).
   */
  public static List<String> documents(String body) {
    return isRendered(body) ? unpack(body).documents() : List.of(body);
  }

  /** The rendered document, then each response body. */
  public List<String> documents() {
    List<String> out = new ArrayList<>(responses.size() + 1);
    out.add(html);
    responses.forEach(r -> out.add(r.body()));
    return out;
  }

  /**
   * Reads a container; a body that is not one, or one that is malformed, fails with an {@link ExtractException}
   * of the context's source naming what is wrong.
   */
  public static RenderedPage unpack(String body, ExtractContext ctx) {
    try {
      return unpack(body);
    } catch (IllegalArgumentException e) {
      throw ctx.fail(e.getMessage());
    }
  }

  /** Reads a container; throws {@link IllegalArgumentException} naming what is wrong when it is not one. */
  public static RenderedPage unpack(String body) {
    if (!isRendered(body)) {
      throw new IllegalArgumentException("not a rendered-page container (it must start with"
          + " {\"format\":\"rendered\")");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed rendered-page container: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isIntegralNumber() || version.intValue() != VERSION) {
      throw new IllegalArgumentException("rendered-page container version " + version + " is not the known "
          + VERSION);
    }
    JsonNode list = root.get("responses");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("rendered-page container without a 'responses' list");
    }
    List<Response> responses = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode r = list.get(i);
      String where = "response " + (i + 1) + " of the rendered-page container";
      if (!r.isObject()) {
        throw new IllegalArgumentException(where + " is not an object");
      }
      JsonNode type = r.get("content_type");
      responses.add(new Response(text(r, "url", where), number(r, "status", where),
          type == null || type.isNull() ? "" : type.asText(), text(r, "body", where)));
    }
    return new RenderedPage(text(root, "url", "the rendered-page container"),
        number(root, "status", "the rendered-page container"), text(root, "rendered", "the rendered-page container"),
        responses);
  }

  private static String text(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + " has no text '" + key + "'");
    }
    return v.textValue();
  }

  private static int number(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(where + " has no whole number '" + key + "'");
    }
    return v.intValue();
  }
}
