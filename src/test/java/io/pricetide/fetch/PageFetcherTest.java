package io.pricetide.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.source.FetchSettings;
import io.pricetide.source.Guards;
import io.pricetide.source.SourceDefinition;
import io.pricetide.testing.FakeVendor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class PageFetcherTest {
  private static final FetchSettings S = new FetchSettings(1000, 1000, 1000, 5, 100, 1000);

  @RepeatedTest(20)
  @DisplayName("Backoff doubles per attempt with jitter in [ceiling/2, ceiling], capped at the maximum")
  void backoff() {
    long d1 = PageFetcher.delay(S, 1, -1);
    long d3 = PageFetcher.delay(S, 3, -1);
    long d9 = PageFetcher.delay(S, 9, -1);
    assertTrue(d1 >= 50 && d1 <= 100, "attempt 1: " + d1);
    assertTrue(d3 >= 200 && d3 <= 400, "attempt 3: " + d3);
    assertTrue(d9 >= 500 && d9 <= 1000, "attempt 9: " + d9);
  }

  @Test
  @DisplayName("Retry-After wins when longer, within the maximum delay")
  void retryAfter() {
    assertEquals(700, PageFetcher.delay(S, 1, 700));
    assertEquals(1000, PageFetcher.delay(S, 1, 60_000));
    assertEquals(2000, PageFetcher.retryAfter("2"));
    assertEquals(-1, PageFetcher.retryAfter("soon"));
    assertEquals(-1, PageFetcher.retryAfter(null));
  }

  @Test
  @DisplayName("Many sources on one host checked at once: the connect timeout never counts time spent queueing for"
      + " one of the host's connections")
  void queueingForAHostIsNotAConnectTimeout() throws Exception {
    int sources = 6 * PageFetcher.PER_HOST_CONNECTIONS;
    // Each answer takes 200 ms, so the last of 48 requests waits about 1 s for a connection: longer than the
    // 500 ms connect timeout, which only the TCP connect itself should have to meet.
    FetchSettings quickConnect = new FetchSettings(500, 10_000, 1_000_000, 0, 10, 10).withAllowPrivate(true);
    Vertx vertx = Vertx.vertx();
    try (FakeVendor vendor = new FakeVendor().serve("<html><body>prices</body></html>").stall(200)) {
      PageFetcher fetcher = new PageFetcher(vertx, "Pricetide-test");
      List<Future<FetchResult>> fetches = new ArrayList<>();
      for (int i = 0; i < sources; i++) {
        SourceDefinition src = new SourceDefinition("s" + i, "s" + i, "acme", "prices", vendor.url("/p/" + i),
            "html", "0 0 0 1 1 ? 2099", "USD", "per_1m", "html-table", Map.of(), quickConnect, Guards.DEFAULTS,
            true, "s" + i + ".yaml");
        fetches.add(fetcher.fetch(src, null, null));
      }
      Future.join(fetches).toCompletionStage().handle((x, e) -> null).toCompletableFuture().get(60, TimeUnit.SECONDS);
      List<String> failures = new ArrayList<>();
      fetches.stream().filter(Future::failed).forEach(f -> failures.add(f.cause().getMessage()));
      assertTrue(failures.isEmpty(), () -> failures.size() + " of " + sources + " fetches failed, first: "
          + failures.get(0));
      assertEquals(sources, vendor.requests());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
