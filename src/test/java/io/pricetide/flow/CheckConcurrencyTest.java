package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.App;
import io.pricetide.bus.Addresses;
import io.pricetide.fetch.FetchVerticle;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cycle fires every source at once. Fetching runs ahead of extraction and history, so the pipeline bounds the
 * checks in progress (not only the requests per host): otherwise every fetched body and extracted price list of a
 * large cycle would wait in memory together.
 */
class CheckConcurrencyTest {
  @TempDir
  Path root;

  @Test
  @DisplayName("36 sources on 3 hosts checked at once: all succeed, never more than 16 checks in progress")
  void checksInProgressAreBounded() throws Exception {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {"10.00", "30.00", "5.00"});
    AtomicInteger current = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<FakeVendor> vendors = new ArrayList<>();
    Map<String, String> files = new LinkedHashMap<>();
    try {
      for (int v = 0; v < 3; v++) {
        FakeVendor vendor = new FakeVendor().serve(Pages.table(rows)).stall(300).countConcurrency(current, peak);
        vendors.add(vendor);
        for (int i = 0; i < 12; i++) {
          String id = "v" + v + "-s" + i;
          files.put(id + ".yaml", Pages.sourceYaml(id, vendor.url("/pricing/" + i), "0 0 0 * * ?"));
        }
      }
      try (App app = TestApp.start(TestApp.config(root, files), false)) {
        List<Future<JsonObject>> checks = new ArrayList<>();
        for (String file : files.keySet()) {
          checks.add(app.vertx.eventBus().<JsonObject>request(Addresses.SOURCE_CHECK, new JsonObject()
              .put("sourceId", file.replace(".yaml", "")), FetchVerticle.LONG).map(Message::body));
        }
        Future.all(checks).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        for (Future<JsonObject> f : checks) {
          assertEquals("new", f.result().getString("outcome"), f.result().encode());
        }
      }
      assertTrue(peak.get() <= 16, "at most 16 checks in progress, saw " + peak.get() + " requests at once");
      assertTrue(peak.get() > 8, "more than one host's 8 connections were used: " + peak.get());
    } finally {
      vendors.forEach(FakeVendor::close);
    }
  }
}
