package io.pricetide.fetch;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The Chrome DevTools Protocol over one Vert.x WebSocket to the browser endpoint, in flat-session mode: commands
 * carry the {@code sessionId} of the page they address, and every event is handed to one handler. Used from one
 * Vert.x context only (the one that connected), so its state needs no locks.
 */
final class DevTools {
  private final WebSocketClient client;
  private final WebSocket socket;
  private final Map<Long, Promise<JsonObject>> pending = new HashMap<>();
  private long nextId = 1;
  private Handler<JsonObject> events = e -> {};
  private Handler<String> closed = reason -> {};
  private boolean open = true;

  private DevTools(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(this::received);
    socket.exceptionHandler(err -> lost("DevTools connection failed: " + err.getMessage()));
    socket.closeHandler(v -> lost("DevTools connection closed"));
  }

  /**
   * Connects to {@code url} (a {@code ws://127.0.0.1:…} browser endpoint). {@code maxMessage} bounds one message,
   * so a body larger than the fetch's cap is refused by the socket rather than held whole in memory.
   */
  static Future<DevTools> connect(Vertx vertx, String url, int maxMessage, int connectTimeoutMs) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxMessageSize(maxMessage).setMaxFrameSize(Math.min(maxMessage, 16 << 20))
        .setConnectTimeout(connectTimeoutMs));
    // No Origin header: Chromium refuses DevTools connections from origins it was not told to allow.
    WebSocketConnectOptions opts = new WebSocketConnectOptions().setAbsoluteURI(url).setAllowOriginHeader(false);
    return client.connect(opts).transform(ar -> {
      if (ar.failed()) {
        client.close();
        return Future.failedFuture("cannot connect to Chromium's DevTools at " + url + ": " + ar.cause().getMessage());
      }
      return Future.succeededFuture(new DevTools(client, ar.result()));
    });
  }

  /** Every event ({@code method}, {@code params}, {@code sessionId}) goes to {@code handler}. */
  void onEvent(Handler<JsonObject> handler) {
    events = handler;
  }

  /** Called once, with a reason, when the connection is lost before {@link #close}. */
  void onClosed(Handler<String> handler) {
    closed = handler;
  }

  /** Sends a command to the page of {@code sessionId} (the browser itself when null); the future holds its result. */
  Future<JsonObject> send(String sessionId, String method, JsonObject params) {
    if (!open) {
      return Future.failedFuture("DevTools connection closed, cannot send " + method);
    }
    long id = nextId++;
    JsonObject msg = new JsonObject().put("id", id).put("method", method).put("params", params == null
        ? new JsonObject() : params);
    if (sessionId != null) {
      msg.put("sessionId", sessionId);
    }
    Promise<JsonObject> p = Promise.promise();
    pending.put(id, p);
    socket.writeTextMessage(msg.encode()).onFailure(err -> {
      Promise<JsonObject> q = pending.remove(id);
      if (q != null) {
        q.fail(method + " could not be sent: " + err.getMessage());
      }
    });
    return p.future().recover(err -> Future.failedFuture(method + ": " + err.getMessage()));
  }

  private void received(String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (RuntimeException e) {
      lost("DevTools sent a message that is not JSON: " + e.getMessage());
      return;
    }
    Long id = msg.getLong("id");
    if (id == null) {
      events.handle(msg);
      return;
    }
    Promise<JsonObject> p = pending.remove(id);
    if (p == null) {
      return;
    }
    JsonObject error = msg.getJsonObject("error");
    if (error != null) {
      p.fail(error.getString("message", error.encode()));
    } else {
      p.complete(msg.getJsonObject("result", new JsonObject()));
    }
  }

  private void lost(String reason) {
    if (!open) {
      return;
    }
    open = false;
    pending.values().forEach(p -> p.tryFail(reason));
    pending.clear();
    closed.handle(reason);
  }

  /** Closes the socket and its client; commands still waiting fail. */
  Future<Void> close() {
    open = false;
    pending.values().forEach(p -> p.tryFail("DevTools connection closed"));
    pending.clear();
    return socket.close().transform(ar -> client.close());
  }
}
