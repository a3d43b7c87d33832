package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.Addresses;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cycle fires every source at once. Fetching is bounded per host only, so one slow vendor never holds up the
 * others; extraction and history run behind it, and the fetched checks they have in hand at once are bounded, so a
 * large cycle never holds every body and every price list in memory together.
 */
class CheckConcurrencyTest {
  @TempDir
  Path root;

  private static final Map<String, String[]> ROWS = Map.of("Acme Large", new String[] {"10.00", "30.00", "5.00"});

  @Test
  @DisplayName("36 sources on 3 hosts at once: 24 fetches in parallel, at most 16 checks in extraction and history")
  void processingIsBoundedNotFetching() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger peakRequests = new AtomicInteger();
    List<FakeVendor> vendors = new ArrayList<>();
    Map<String, String> files = new LinkedHashMap<>();
    try {
      for (int v = 0; v < 3; v++) {
        FakeVendor vendor = new FakeVendor().serve(Pages.table(new LinkedHashMap<>(ROWS))).stall(300)
            .countConcurrency(requests, peakRequests);
        vendors.add(vendor);
        for (int i = 0; i < 12; i++) {
          String id = "v" + v + "-s" + i;
          files.put(id + ".yaml", Pages.sourceYaml(id, vendor.url("/pricing/" + i), "0 0 0 * * ?"));
        }
      }
      try (App app = TestApp.start(TestApp.config(root, files), false)) {
        // Hand-offs to extraction in progress: sent on page.fetched, over when their reply goes back.
        Set<String> open = ConcurrentHashMap.newKeySet();
        AtomicInteger peakProcessing = new AtomicInteger();
        AtomicInteger withoutBody = new AtomicInteger();
        app.vertx.eventBus().addOutboundInterceptor(dc -> {
          Message<Object> m = dc.message();
          if (Addresses.PAGE_FETCHED.equals(m.address())) {
            open.add(m.replyAddress());
            peakProcessing.accumulateAndGet(open.size(), Math::max);
            if (!((JsonObject) m.body()).containsKey("body")) {
              withoutBody.incrementAndGet();
            }
          } else if (m.address() != null && open.contains(m.address())) {
            // A hand-off's reply reaches the fetcher 300 ms late, as if history were slow: the checks fetched
            // meanwhile must wait for a slot, whatever the speed of this machine.
            String address = m.address();
            app.vertx.setTimer(300, t -> {
              open.remove(address);
              dc.next();
            });
            return;
          }
          dc.next();
        });
        List<Future<JsonObject>> checks = new ArrayList<>();
        for (String file : files.keySet()) {
          checks.add(app.vertx.eventBus().<JsonObject>request(Addresses.SOURCE_CHECK, new JsonObject()
              .put("sourceId", file.replace(".yaml", "")), Addresses.CHECK_TIMEOUT).map(Message::body));
        }
        Future.all(checks).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        for (Future<JsonObject> f : checks) {
          assertEquals("new", f.result().getString("outcome"), f.result().encode());
          assertEquals(3, f.result().getInteger("observations"), "read from the archive when handed off without");
        }
        assertEquals(24, peakRequests.get(), "fetches are bounded per host (8), not overall");
        assertTrue(peakProcessing.get() <= 16, "at most 16 in extraction and history, saw " + peakProcessing.get());
        assertTrue(withoutBody.get() > 0, "hand-offs over the bound waited without their body");
      }
    } finally {
      vendors.forEach(FakeVendor::close);
    }
  }

  @Test
  @DisplayName("A vendor that stalls does not hold up the checks of the others")
  void slowVendorDoesNotHoldUpOthers() throws Exception {
    FakeVendor slow = new FakeVendor().serve(Pages.table(new LinkedHashMap<>(ROWS))).stall(4_000);
    FakeVendor fast = new FakeVendor().serve(Pages.table(new LinkedHashMap<>(ROWS)));
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      files.put("slow-" + i + ".yaml", Pages.sourceYaml("slow-" + i, slow.url("/p/" + i), "0 0 0 * * ?"));
    }
    for (int i = 0; i < 20; i++) {
      files.put("fast-" + i + ".yaml", Pages.sourceYaml("fast-" + i, fast.url("/p/" + i), "0 0 0 * * ?"));
    }
    try (App app = TestApp.start(TestApp.config(root, files), false)) {
      List<Future<JsonObject>> slowChecks = new ArrayList<>();
      List<Future<JsonObject>> fastChecks = new ArrayList<>();
      for (String file : files.keySet()) {
        String id = file.replace(".yaml", "");
        Future<JsonObject> f = app.vertx.eventBus().<JsonObject>request(Addresses.SOURCE_CHECK,
            new JsonObject().put("sourceId", id), Addresses.CHECK_TIMEOUT).map(Message::body);
        (id.startsWith("slow") ? slowChecks : fastChecks).add(f);
      }
      long t0 = System.nanoTime();
      Future.all(fastChecks).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      Duration fastDone = Duration.ofNanos(System.nanoTime() - t0);
      assertTrue(slowChecks.stream().noneMatch(Future::isComplete), "the slow vendor's checks are still waiting");
      assertTrue(fastDone.toMillis() < 3_000, "the fast vendor's 20 checks did not wait for the slow one: "
          + fastDone.toMillis() + " ms");
      fastChecks.forEach(f -> assertEquals("new", f.result().getString("outcome")));
      Future.all(slowChecks).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } finally {
      slow.close();
      fast.close();
    }
  }
}
