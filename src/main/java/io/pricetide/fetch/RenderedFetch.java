package io.pricetide.fetch;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A page rendered in headless Chromium: the document as the browser holds it once the page is loaded and quiet
 * ({@code document.documentElement.outerHTML}, script-inserted content included), and the JSON responses the page
 * loaded, in the order it asked for them.
 *
 * <p>{@link #body()} encodes both into one document, the {@value #FORMAT} container, which the raw archive stores
 * and extraction reads ({@code io.pricetide.extract.RenderedPage} unpacks it):
 *
 * <pre>{"format": "rendered", "version": 1, "url": "&lt;document URL&gt;", "status": 200,
 *  "rendered": "&lt;html&gt;…&lt;/html&gt;",
 *  "responses": [{"url": "…", "status": 200, "content_type": "application/json", "body": "…"}]}</pre>
 *
 * The keys come in this order, {@code format} first, so a reader can tell a container from its first bytes.
 *
 * @param url the document's URL after redirects
 * @param status the document's HTTP status
 * @param html the rendered document
 * @param responses the captured JSON responses, bodies decoded to text
 * @param refused the requests to other hosts that the browser was refused ({@code "GET http://…"},
 *     {@code "CONNECT host:443"}), for diagnosis; not part of the container
 */
public record RenderedFetch(String url, int status, String html, List<Response> responses, List<String> refused) {
  /** The container's format name, also the {@code format} of a source that renders. */
  public static final String FORMAT = "rendered";
  public static final int VERSION = 1;
  /** The content type the container is handed on with. */
  public static final String CONTENT_TYPE = "application/vnd.pricetide.rendered+json; charset=utf-8";

  /** One response the page loaded: its URL, status, {@code Content-Type} (or the browser's MIME type) and body. */
  public record Response(String url, int status, String contentType, String body) {}

  public RenderedFetch {
    responses = List.copyOf(responses);
    refused = List.copyOf(refused);
  }

  /** A render with nothing refused. */
  public RenderedFetch(String url, int status, String html, List<Response> responses) {
    this(url, status, html, responses, List.of());
  }

  /** The container, UTF-8: what is archived, hashed and extracted. */
  public byte[] body() {
    JsonArray rs = new JsonArray();
    for (Response r : responses) {
      rs.add(new JsonObject().put("url", r.url()).put("status", r.status()).put("content_type", r.contentType())
          .put("body", r.body()));
    }
    return new JsonObject().put("format", FORMAT).put("version", VERSION).put("url", url).put("status", status)
        .put("rendered", html).put("responses", rs).encode().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The render as the check pipeline's fetch result: the container as an unencoded body of {@link #CONTENT_TYPE},
   * without validators (a rendered page is never fetched conditionally), after {@code attempts} attempts.
   */
  public FetchResult toFetchResult(int attempts) {
    return new FetchResult(status, body(), null, CONTENT_TYPE, null, null, attempts);
  }
}
