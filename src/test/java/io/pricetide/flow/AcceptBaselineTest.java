package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.cli.Cli;
import io.pricetide.config.AppConfig;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source stuck after a redesign ("lost N of N prices") recovers when an operator accepts a new baseline, by
 * the admin API while the service runs or by the CLI verb while it does not: the next check replaces the series
 * with what the page says, with no events, and the check log shows both steps.
 */
class AcceptBaselineTest {
  private static final String NEVER = "0 0 0 1 1 ? 2099";

  @TempDir
  Path root;

  private static String page(String... modelsAndInput) {
    Map<String, String[]> m = new LinkedHashMap<>();
    for (int i = 0; i < modelsAndInput.length; i += 2) {
      m.put(modelsAndInput[i], new String[] {modelsAndInput[i + 1], "30.00", null});
    }
    return Pages.table(m);
  }

  @Test
  @DisplayName("Stuck on lost rows; accept-baseline by the admin API, then by the CLI: the next check is a baseline")
  void acceptBaseline() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("Acme Large", "10.00", "Acme Small", "0.15"))) {
      AppConfig cfg = TestApp.config(root, Map.of("acme.yaml", Pages.sourceYaml("acme", vendor.url("/p"), NEVER)));
      try (App app = TestApp.start(cfg, true)) {
        assertEquals(CheckOutcome.NEW, TestApp.check(app, "acme").outcome());
        vendor.serve(page("Beta One", "1.00", "Beta Two", "2.00"));
        CheckOutcome stuck = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.ERROR, stuck.outcome());
        assertTrue(stuck.reason().contains("lost 4 of 4"), stuck.reason());

        assertEquals(401, post(app, "/api/sources/acme/accept-baseline", null).statusCode(), "admin only");
        assertEquals(404, post(app, "/api/sources/nope/accept-baseline", "test-admin-token").statusCode());
        HttpResponse<String> ok = post(app, "/api/sources/acme/accept-baseline", "test-admin-token");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("baseline", new JsonObject(ok.body()).getString("outcome"));
        assertEquals("baseline", app.queries.checks("acme", 1).getJsonObject(0).getString("outcome"));
        int events = events(app);

        CheckOutcome accepted = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.NEW, accepted.outcome(), accepted.toString());
        assertTrue(accepted.events().isEmpty(), accepted.events().toString());
        assertTrue(accepted.reason().contains("baseline accepted"), accepted.reason());
        assertEquals(events, events(app), "no events");
        assertEquals(List.of("Beta One", "Beta Two"), models(app));
        vendor.serve(page("Gamma", "3.00"));
        assertEquals(CheckOutcome.ERROR, TestApp.check(app, "acme").outcome(), "stuck again");
      }

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = Cli.run(new String[] {"accept-baseline", "--source", "acme", "--data", cfg.dataDir().toString(),
          "--sources", root.resolve("sources").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of());
      assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
      assertEquals("baseline", new JsonObject(out.toString(StandardCharsets.UTF_8).trim()).getString("outcome"));
      try (App app = TestApp.start(cfg, true)) {
        CheckOutcome accepted = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.NEW, accepted.outcome(), accepted.toString());
        assertEquals(List.of("Gamma"), models(app));
      }
    }
  }

  private static int events(App app) {
    return app.queries.events(new EventFilter("acme", null, null, null, null, null, 0, false)).size();
  }

  private static List<String> models(App app) {
    return app.queries.currentPrices("acme", null).stream().map(JsonObject.class::cast)
        .map(p -> p.getString("model")).distinct().sorted().toList();
  }

  private static HttpResponse<String> post(App app, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
