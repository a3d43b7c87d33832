package io.pricetide.fetch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy a rendering browser is given for every host but the page's own: a server on 127.0.0.1 that refuses
 * each request (403) and notes what was asked for. Chromium's own services (network time, component and extension
 * updates, account checks) and a page's calls to other sites end here instead of on the network, and the notes
 * say what a page wanted that it did not get. One per render.
 */
final class OffsiteSink {
  /** Requests noted, at most; later ones are refused without a note. */
  static final int MAX_NOTED = 50;

  private final HttpServer server;
  private final List<String> refused = new ArrayList<>();

  private OffsiteSink(HttpServer server) {
    this.server = server;
  }

  static Future<OffsiteSink> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    OffsiteSink sink = new OffsiteSink(server);
    server.requestHandler(req -> {
      synchronized (sink.refused) {
        if (sink.refused.size() < MAX_NOTED) {
          // A CONNECT names host:port (https), a plain request its absolute URL (http).
          sink.refused.add(req.method() + " " + req.uri());
        }
      }
      req.response().setStatusCode(403).putHeader("Connection", "close").end();
    });
    return server.listen().map(s -> sink);
  }

  int port() {
    return server.actualPort();
  }

  /** What was refused so far, in arrival order: {@code "GET http://host/path"} or {@code "CONNECT host:443"}. */
  List<String> refused() {
    synchronized (refused) {
      return List.copyOf(refused);
    }
  }

  Future<Void> close() {
    return server.close();
  }
}
