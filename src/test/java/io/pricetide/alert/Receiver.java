package io.pricetide.alert;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1 for tests: records every POST (path, headers, raw body, arrival time, the status
 * it answered) and answers 200 unless told otherwise: queued statuses first, or held requests that are never
 * answered while {@link #hold} is on.
 */
final class Receiver implements AutoCloseable {
  /** One request as received. */
  record Request(String path, Map<String, String> headers, String body, long nanos, int answered) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Integer> queued = new ArrayDeque<>();
  private volatile boolean hold;
  private volatile int holdAfter = Integer.MAX_VALUE;

  Receiver() {
    server = await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(b -> {
      long at = System.nanoTime();
      Map<String, String> h = new TreeMap<>();
      req.headers().forEach(e -> h.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
      int status;
      synchronized (this) {
        if (hold || requests.size() >= holdAfter) {
          requests.add(new Request(req.path(), h, b.toString(), at, 0));
          return; // never answered
        }
        Integer q = queued.poll();
        status = q == null ? 200 : q;
        requests.add(new Request(req.path(), h, b.toString(), at, status));
      }
      req.response().setStatusCode(status).end(status == 200 ? "ok" : "nope");
    });
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  synchronized Receiver failNext(int status, int times) {
    for (int i = 0; i < times; i++) {
      queued.add(status);
    }
    return this;
  }

  /** While on, requests are recorded and never answered. */
  Receiver hold(boolean on) {
    hold = on;
    return this;
  }

  /** Answers the first {@code n} requests, then holds every later one. */
  Receiver holdAfter(int n) {
    holdAfter = n;
    return this;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  synchronized int count() {
    return requests.size();
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
