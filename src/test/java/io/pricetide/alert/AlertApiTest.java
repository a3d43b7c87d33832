package io.pricetide.alert;

import static io.pricetide.alert.AlertKit.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subscription API's guards: admin token, SSRF refusal, validation and the public rate limit. */
class AlertApiTest {
  @TempDir
  Path root;

  @Test
  @DisplayName("Webhooks need the admin token and are refused on loopback and private addresses by default; bad "
      + "bodies get a 400 that says why; the public endpoint is rate-limited; the delivery log is admin-only")
  void guards() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"))) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "false",
          "PRICETIDE_SUBSCRIBE_PER_MINUTE", "3"));
      try (App app = TestApp.start(cfg, true)) {
        JsonObject hook = new JsonObject().put("channel", "webhook").put("target", "http://127.0.0.1:9/hook");
        assertEquals(401, AlertKit.post(app, "/api/subscriptions", hook, null).statusCode());
        assertEquals(401, AlertKit.post(app, "/api/subscriptions", hook, "wrong").statusCode());
        for (String target : List.of("http://127.0.0.1:9/hook", "http://localhost/x", "http://10.1.2.3/x",
            "http://192.168.0.10/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x",
            "http://100.64.0.1/x", "http://0.0.0.0/x")) {
          HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", hook.copy().put("target", target), ADMIN);
          assertEquals(400, r.statusCode(), target + ": " + r.body());
          assertTrue(r.body().contains("refused"), r.body());
        }
        for (JsonObject bad : List.of(new JsonObject().put("channel", "pigeon").put("target", "x"),
            hook.copy().put("target", "ftp://example.com/x"),
            hook.copy().put("target", "http://user:pw@example.com/x"),
            hook.copy().put("mode", "daily"),
            hook.copy().put("secret", "short"),
            hook.copy().put("filter", new JsonObject().put("colour", "red")),
            hook.copy().put("filter", new JsonObject().put("direction", "sideways")),
            hook.copy().put("filter", new JsonObject().put("kinds", List.of("source_failure"))),
            hook.copy().put("filter", new JsonObject().put("min_percent", "lots")),
            hook.copy().put("baseline", "vibes"),
            hook.copy().put("surprise", true))) {
          HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", bad, ADMIN);
          assertEquals(400, r.statusCode(), bad.encode() + ": " + r.body());
          assertNotNull(new JsonObject(r.body()).getString("error"));
        }

        // Email is public: no SMTP here (503), and after 3 requests a minute from one address, 429.
        JsonObject email = new JsonObject().put("channel", "email").put("target", "dee@example.test");
        for (int i = 0; i < 3; i++) {
          assertEquals(503, AlertKit.post(app, "/api/subscriptions", email, null).statusCode());
        }
        HttpResponse<String> limited = AlertKit.post(app, "/api/subscriptions", email, null);
        assertEquals(429, limited.statusCode());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());

        assertEquals(401, AlertKit.get(AlertKit.base(app) + "/api/deliveries", null).statusCode());
        assertEquals(401, AlertKit.get(AlertKit.base(app) + "/api/subscriptions", null).statusCode());
        assertEquals(200, AlertKit.get(AlertKit.base(app) + "/api/subscriptions", ADMIN).statusCode());
        assertEquals(404, AlertKit.post(app, "/api/deliveries/nope/redeliver", new JsonObject(), ADMIN)
            .statusCode());
        assertEquals(400, AlertKit.get(AlertKit.base(app) + "/api/subscriptions/confirm?token=forged.token", null)
            .statusCode());
        assertEquals(400, AlertKit.post(app, "/api/subscriptions/confirm", new JsonObject().put("token", "forged.x"),
            null).statusCode());
        assertEquals(400, AlertKit.postForm(AlertKit.base(app) + "/api/subscriptions/unsubscribe?token=forged.token",
            "List-Unsubscribe=One-Click").statusCode());
      }
    }
  }
}
