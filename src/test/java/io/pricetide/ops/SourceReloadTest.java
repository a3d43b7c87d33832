package io.pricetide.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.config.AppConfig;
import io.pricetide.testing.ChildService;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading sources/ without a restart (#14): validated first; a broken file refuses the reload with every problem
 * and the old sources keep running; added sources are scheduled, removed ones are gone, changed ones check as now
 * defined. Through the admin API in-process, and through SIGHUP and the {@code sources reload} verb on a real child.
 */
class SourceReloadTest {
  private static final String ADMIN = "test-admin-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String NEVER = "0 0 0 1 1 ? 2099";

  @TempDir
  Path root;

  static String page(String large) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {large, "30.00", "5.00"});
    return Pages.table(rows);
  }

  private static HttpResponse<String> post(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static List<String> ids(String sourcesJson) {
    return new JsonObject(sourcesJson).getJsonArray("sources").stream().map(o -> ((JsonObject) o).getString("id"))
        .toList();
  }

  @Test
  @DisplayName("POST /api/admin/reload: a broken file is refused with every problem, the old set keeps checking; a "
      + "valid set adds (and schedules), removes and changes sources in place; no admin token is 401")
  void adminReload() throws Exception {
    try (FakeVendor v1 = new FakeVendor().serve(page("10.00")); FakeVendor v2 = new FakeVendor().serve(page("9.00"))) {
      AppConfig cfg = TestApp.config(root, Map.of("acme.yaml", Pages.sourceYaml("acme", v1.url("/pricing"), NEVER),
          "gone.yaml", Pages.sourceYaml("gone", v1.url("/pricing"), NEVER)));
      Path dir = cfg.sourcesDir();
      try (App app = TestApp.start(cfg, true)) {
        String base = "http://127.0.0.1:" + app.httpPort();
        assertEquals(401, post(base + "/api/admin/reload", null).statusCode());
        assertEquals(401, post(base + "/api/admin/reload", "wrong").statusCode());

        // A broken file: two problems in it, both named; nothing changes.
        Files.writeString(dir.resolve("broken.yaml"), "id: broken\nkind: prices\nschedule: \"not a cron\"\n");
        HttpResponse<String> refused = post(base + "/api/admin/reload", ADMIN);
        assertEquals(422, refused.statusCode(), refused.body());
        JsonObject r = new JsonObject(refused.body());
        assertEquals(false, r.getBoolean("reloaded"));
        JsonArray errors = r.getJsonArray("errors");
        assertTrue(errors.size() >= 2, "every problem of the file: " + errors);
        assertTrue(errors.stream().allMatch(e -> e.toString().contains("broken.yaml")), errors.encodePrettily());
        assertEquals(List.of("acme", "gone"), ids(get(base + "/api/sources")).stream().sorted().toList());
        assertEquals(CheckOutcome.NEW, TestApp.check(app, "acme").outcome());

        // Valid: beta added with a cron of every second, gone removed, acme now read from the other vendor.
        Files.delete(dir.resolve("broken.yaml"));
        Files.delete(dir.resolve("gone.yaml"));
        Files.writeString(dir.resolve("acme.yaml"), Pages.sourceYaml("acme", v2.url("/pricing"), NEVER));
        Files.writeString(dir.resolve("beta.yaml"), Pages.sourceYaml("beta", v1.url("/beta"), "* * * * * ?"));
        HttpResponse<String> ok = post(base + "/api/admin/reload", ADMIN);
        assertEquals(200, ok.statusCode(), ok.body());
        JsonObject done = new JsonObject(ok.body());
        assertEquals(new JsonArray().add("beta"), done.getJsonArray("added"));
        assertEquals(new JsonArray().add("gone"), done.getJsonArray("removed"));
        assertEquals(new JsonArray().add("acme"), done.getJsonArray("changed"));
        assertEquals(List.of("acme", "beta"), ids(get(base + "/api/sources")).stream().sorted().toList());

        int before = v2.requests();
        CheckOutcome changed = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.CHANGED, changed.outcome(), changed.toString());
        assertEquals(before + 1, v2.requests(), "acme is fetched from its new URL");
        HttpResponse<String> goneCheck = post(base + "/api/sources/gone/check", ADMIN);
        assertEquals(404, goneCheck.statusCode(), goneCheck.body());
        TestApp.awaitTrue("the scheduler checks the added source", Duration.ofSeconds(30), () -> {
          try {
            return new JsonObject(get(base + "/api/sources/beta/checks")).getJsonArray("checks").size() > 0;
          } catch (Exception e) {
            return false;
          }
        });
      }
    }
  }

  @Test
  @DisplayName("a running service reloads on SIGHUP and on 'sources reload' (handed over); a broken file refused")
  void hangupAndVerb() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Path data = root.resolve("data");
    Path config = Files.writeString(root.resolve("config.yaml"), """
        http_host: 127.0.0.1
        http_port: 0
        admin_token: %s
        scheduler_enabled: false
        """.formatted(ADMIN));
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", "http://127.0.0.1:9/p", NEVER));
    Path log = root.resolve("child.log");
    ChildService child = ChildService.start(config, data, sources, Map.of(), ADMIN, log);
    try {
      Files.writeString(sources.resolve("beta.yaml"), Pages.sourceYaml("beta", "http://127.0.0.1:9/b", NEVER));
      Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(child.pid())).start();
      assertEquals(0, hup.waitFor());
      TestApp.awaitTrue("SIGHUP reloads", Duration.ofSeconds(30), () -> {
        try {
          return ids(child.get("/api/sources").body()).contains("beta");
        } catch (Exception e) {
          return false;
        }
      });
      assertTrue(ChildService.tail(log).contains("SIGHUP: reloading the sources"), ChildService.tail(log));

      Files.writeString(sources.resolve("gamma.yaml"), "id: gamma\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = io.pricetide.cli.Cli.run(new String[] {"sources", "reload", "--config", config.toString(), "--data",
          data.toString(), "--sources", sources.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
      assertEquals(1, code, out + " / " + err);
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("gamma.yaml"), err.toString(StandardCharsets.UTF_8));
      assertEquals(false, new JsonObject(out.toString(StandardCharsets.UTF_8).strip()).getBoolean("reloaded"));

      Files.delete(sources.resolve("gamma.yaml"));
      Files.delete(sources.resolve("beta.yaml"));
      out.reset();
      code = io.pricetide.cli.Cli.run(new String[] {"sources", "reload", "--config", config.toString(), "--data",
          data.toString(), "--sources", sources.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
      assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
      assertEquals(new JsonArray().add("beta"), new JsonObject(out.toString(StandardCharsets.UTF_8).strip())
          .getJsonArray("removed"));
      assertEquals(List.of("acme"), ids(child.get("/api/sources").body()));
    } finally {
      child.close();
    }
  }
}
