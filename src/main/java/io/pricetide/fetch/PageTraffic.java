package io.pricetide.fetch;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The requests of one rendering page, from its DevTools network events: which are in flight, the main document's
 * status, and the responses whose bodies the extractor is given. Used from one Vert.x context.
 */
final class PageTraffic {
  /** What is known of one request: the order the page asked for it in, its URL, status, type and body. */
  static final class Request {
    final String id;
    final int seq;
    String url;
    int status;
    String contentType;
    boolean kept;

    Request(String id, int seq, String url) {
      this.id = id;
      this.seq = seq;
      this.url = url;
    }
  }

  private record Kept(int seq, RenderedFetch.Response response) {}

  private final Map<String, Request> requests = new HashMap<>();
  private final Set<String> inFlight = new HashSet<>();
  private final List<Kept> kept = new ArrayList<>();
  private int nextSeq;
  private Request document;

  /** {@code Network.requestWillBeSent}: a request starts (or follows a redirect, under the same id). */
  void requested(JsonObject params) {
    String id = params.getString("requestId");
    String url = params.getJsonObject("request", new JsonObject()).getString("url", "");
    requests.computeIfAbsent(id, k -> new Request(id, nextSeq++, url)).url = url;
    inFlight.add(id);
  }

  /**
   * {@code Network.responseReceived}: notes status and type, and whether the body is kept. Returns the request
   * when it is the document of the page's main frame ({@code mainFrame}, the target's id), else null.
   */
  Request responded(JsonObject params, String mainFrame) {
    Request req = requests.get(params.getString("requestId"));
    if (req == null) {
      return null;
    }
    JsonObject resp = params.getJsonObject("response", new JsonObject());
    req.url = resp.getString("url", req.url);
    req.status = resp.getInteger("status", 0);
    String mime = resp.getString("mimeType", "");
    String header = header(resp.getJsonObject("headers", new JsonObject()), "content-type");
    req.contentType = header == null ? mime : header;
    req.kept = captures(mime, req.url);
    if ("Document".equals(params.getString("type")) && mainFrame != null
        && mainFrame.equals(params.getString("frameId"))) {
      document = req;
      return req;
    }
    return null;
  }

  /** {@code Network.loadingFinished}: the request is done; returned when its body is to be read, else null. */
  Request finished(String id) {
    inFlight.remove(id);
    Request req = requests.get(id);
    return req != null && req.kept ? req : null;
  }

  /** {@code Network.loadingFailed}: the request is done, without a body. */
  void failed(String id) {
    inFlight.remove(id);
  }

  /** Keeps a body read for {@code req}. */
  void keep(Request req, String body) {
    kept.add(new Kept(req.seq, new RenderedFetch.Response(req.url, req.status, req.contentType, body)));
  }

  int inFlight() {
    return inFlight.size();
  }

  /** The main document's response, or null before it came. */
  Request document() {
    return document;
  }

  /** The kept responses, in the order the page asked for them. */
  List<RenderedFetch.Response> responses() {
    return kept.stream().sorted(Comparator.comparingInt(Kept::seq)).map(Kept::response).toList();
  }

  private static String header(JsonObject headers, String name) {
    for (String k : headers.fieldNames()) {
      if (k.equalsIgnoreCase(name)) {
        return String.valueOf(headers.getValue(k));
      }
    }
    return null;
  }

  /**
   * True for the responses the extractor is given: JSON ({@code application/json}, {@code …+json},
   * {@code text/json}) and React Server Component payloads ({@code text/x-component}, how a Next.js page loads
   * its data), over http or https.
   */
  static boolean captures(String mimeType, String url) {
    String m = mimeType.toLowerCase(Locale.ROOT);
    String u = url.toLowerCase(Locale.ROOT);
    return (u.startsWith("http://") || u.startsWith("https://"))
        && (m.equals("application/json") || m.endsWith("+json") || m.equals("text/json")
            || m.equals("text/x-component"));
  }
}
