package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.history.HistoryQueries;
import io.pricetide.http.RateLimit;
import io.pricetide.source.Sources;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The per-client limit on a running server: public reads answer 429 with Retry-After; health and admin do not. */
class RateLimitRouteTest {
  @Test
  void publicReadsAreLimitedHealthIsNot() throws Exception {
    Path data = Files.createTempDirectory("pricetide-limit");
    Database db = Database.open(ConfigLoader.load(null, data, data, Map.of()));
    Vertx vertx = Vertx.vertx();
    try {
      WebVerticle web = new WebVerticle(new HistoryQueries(db.dataSource()), new Sources(List.of()), "127.0.0.1", 0,
          "secret", new AtomicBoolean(true)).rateLimit(new RateLimit(0.01, 2).includingLoopback());
      vertx.deployVerticle(web).toCompletionStage().toCompletableFuture().get();
      String base = "http://127.0.0.1:" + web.actualPort();
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(200, get(http, base + "/api/prices").statusCode());
      assertEquals(200, get(http, base + "/").statusCode());
      HttpResponse<String> limited = get(http, base + "/api/changes");
      assertEquals(429, limited.statusCode());
      long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retry >= 1 && retry <= 100, "Retry-After " + retry);
      assertTrue(limited.body().contains("too many requests"), limited.body());
      assertEquals(429, get(http, base + "/?sort=blended").statusCode(), "pages share the client's bucket");
      for (int i = 0; i < 5; i++) {
        assertEquals(200, get(http, base + "/health").statusCode(), "health is never limited");
      }
      HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(base + "/api/sources/none/check"))
          .header("Authorization", "Bearer secret").POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, admin.statusCode(), "admin routes are not limited: " + admin.body());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      db.close();
    }
  }

  @Test
  void loopbackPassesByDefault() throws Exception {
    Path data = Files.createTempDirectory("pricetide-limit");
    Database db = Database.open(ConfigLoader.load(null, data, data, Map.of()));
    Vertx vertx = Vertx.vertx();
    try {
      WebVerticle web = new WebVerticle(new HistoryQueries(db.dataSource()), new Sources(List.of()), "127.0.0.1", 0,
          null, new AtomicBoolean(true)).rateLimit(new RateLimit(0.01, 1));
      vertx.deployVerticle(web).toCompletionStage().toCompletableFuture().get();
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 4; i++) {
        assertEquals(200, get(http, "http://127.0.0.1:" + web.actualPort() + "/api/prices").statusCode());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      db.close();
    }
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
