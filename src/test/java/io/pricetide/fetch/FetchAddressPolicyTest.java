package io.pricetide.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.source.FetchSettings;
import io.pricetide.source.Guards;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 case 8: a source's URL and every redirect it follows are judged by the webhooks' address policy
 * ({@code net.AddressPolicy}); internal addresses need {@code fetch.allow_private: true}. A real server on
 * 127.0.0.1 (internal by that policy) answers or redirects.
 */
class FetchAddressPolicyTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger requests = new AtomicInteger();
  private int port;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void serve() throws Exception {
    port = vertx.createHttpServer().requestHandler(req -> {
      requests.incrementAndGet();
      switch (req.path()) {
        case "/hop" -> req.response().setStatusCode(302).putHeader("Location", "/hop2").end();
        case "/hop2" -> req.response().setStatusCode(301).putHeader("Location", "http://127.0.0.1:" + port
            + "/final").end();
        case "/loop" -> req.response().setStatusCode(302).putHeader("Location", "/loop").end();
        default -> req.response().putHeader("Content-Type", "text/html").end("<html>final</html>");
      }
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  private SourceDefinition source(String path, boolean allowPrivate) {
    FetchSettings s = new FetchSettings(2_000, 2_000, 1_000_000, 0, 10, 10, 10_000, allowPrivate);
    return new SourceDefinition("guarded", "guarded", "acme", "prices", "http://127.0.0.1:" + port + path, "html",
        "0 0 0 1 1 ? 2099", "USD", "per_1m", "html-table", Map.of(), s, Guards.DEFAULTS, true, "guarded.yaml");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("case 8: a source URL on an internal address is refused before any request, naming the setting")
  void case8_internalUrlRefusedWithoutAllowPrivate() throws Exception {
    serve();
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(new PageFetcher(vertx, "Pricetide-test").fetch(source("/final", false), null, null)));
    String why = e.getCause().getMessage();
    assertTrue(why.contains("internal address 127.0.0.1") && why.contains("fetch.allow_private"), why);
    assertEquals(0, requests.get(), "nothing was sent to the internal address");
  }

  @Test
  @DisplayName("case 8: with fetch.allow_private every redirect is followed through the same check, to the end")
  void case8_redirectsFollowedHopByHop() throws Exception {
    serve();
    FetchResult r = await(new PageFetcher(vertx, "Pricetide-test").fetch(source("/hop", true), null, null));
    assertEquals(200, r.status());
    assertEquals("<html>final</html>", new String(r.body(), StandardCharsets.UTF_8));
    assertEquals(3, requests.get(), "/hop, /hop2 and /final");
  }

  @Test
  @DisplayName("case 8: a redirect loop ends after the limit with a clear reason")
  void case8_redirectLoopEnds() throws Exception {
    serve();
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(new PageFetcher(vertx, "Pricetide-test").fetch(source("/loop", true), null, null)));
    assertTrue(e.getCause().getMessage().contains("more than " + PageFetcher.MAX_REDIRECTS + " redirects"),
        e.getCause().getMessage());
    assertEquals(PageFetcher.MAX_REDIRECTS + 1, requests.get());
  }
}
