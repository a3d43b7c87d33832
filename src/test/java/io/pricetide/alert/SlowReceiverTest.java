package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 case 2 (delivery side): a webhook receiver that would answer only after 40 s. Each attempt gets the
 * documented 15 s in all (not a 10 s idle timeout), is then dropped, and the next attempt waits its backoff.
 */
class SlowReceiverTest {
  @TempDir
  Path root;

  /** When a request arrived and when the service dropped its connection, in ms since the first arrival. */
  private record Attempt(long arrivedNanos, long[] closedNanos) {}

  @Test
  @DisplayName("case 2: a receiver silent for 40 s is dropped after the 15 s attempt deadline and backed off")
  void case2_slowReceiverIsBackedOffNotHammered() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Attempt> attempts = new CopyOnWriteArrayList<>();
    int port = vertx.createHttpServer().requestHandler(req -> {
      Attempt a = new Attempt(System.nanoTime(), new long[] {0});
      attempts.add(a);
      req.connection().closeHandler(v -> a.closedNanos()[0] = System.nanoTime());
      vertx.setTimer(40_000, t -> {
        if (a.closedNanos()[0] == 0) {
          req.response().end("late");
        }
      });
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"))) {
      // Retries from 4 s (jittered 2-4 s), doubling: a receiver that is hammered would be asked again at once.
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_DELIVERY_RETRY_BASE_MS", "4000",
          "PRICETIDE_DELIVERY_RETRY_MAX_MS", "60000"));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        assertEquals(201, AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "webhook")
            .put("target", "http://127.0.0.1:" + port + "/slow"), AlertKit.ADMIN).statusCode());
        vendor.serve(AlertKit.page("7.00", "0.15"));
        TestApp.check(app, "acme");
        TestApp.awaitTrue("a second attempt", Duration.ofSeconds(60), () -> attempts.size() >= 2);
        Attempt first = attempts.get(0);
        Attempt second = attempts.get(1);
        long heldMs = (first.closedNanos()[0] - first.arrivedNanos()) / 1_000_000;
        long waitedMs = (second.arrivedNanos() - first.closedNanos()[0]) / 1_000_000;
        assertTrue(first.closedNanos()[0] > 0, "the first attempt was dropped by the service");
        assertTrue(heldMs >= 14_000 && heldMs < 25_000, "the attempt got its 15 s, no less: " + heldMs + " ms");
        assertTrue(waitedMs >= 1_900, "the second attempt waited its backoff after the first: " + waitedMs + " ms");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
