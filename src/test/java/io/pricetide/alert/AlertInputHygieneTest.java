package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input at the subscription API, the cases of issue #16 named after their numbers. */
class AlertInputHygieneTest {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir
  Path root;

  @Test
  @DisplayName("#16 case 5: the per-address confirmation limit holds whatever the letter case of the address")
  void case5ConfirmationLimitIgnoresLetterCase() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"))) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
          "PRICETIDE_MAIL_PORT", String.valueOf(mail.getSmtp().getPort()), "PRICETIDE_SUBSCRIBE_PER_MINUTE", "100"));
      try (App app = TestApp.start(cfg, true)) {
        List<String> spellings = List.of("victim@example.org", "Victim@example.org", "VICTIM@example.org");
        assertEquals(AlertRoutes.CONFIRMS_PER_DAY, spellings.size());
        for (String address : spellings) {
          HttpResponse<String> r = subscribe(app, address);
          assertEquals(201, r.statusCode(), address + ": " + r.body());
        }
        for (String address : List.of("victim@EXAMPLE.ORG", "vIcTiM@example.org", "victim@example.org")) {
          HttpResponse<String> r = subscribe(app, address);
          assertEquals(429, r.statusCode(), address + ": " + r.body());
          assertTrue(r.body().contains("too many confirmation emails for this address"), r.body());
        }
        assertTrue(mail.waitForIncomingEmail(15_000, spellings.size()));
      }
    }
  }

  @Test
  @DisplayName("#16 case 7: POST /api/subscriptions/confirm with the JSON body null answers 400, not 500")
  void case7ConfirmWithJsonNullAnswers400() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"))) {
      try (App app = TestApp.start(AlertKit.config(root, vendor.url("/pricing"), Map.of()), true)) {
        for (String path : List.of("/api/subscriptions/confirm", "/api/subscriptions/unsubscribe",
            "/api/subscriptions")) {
          HttpResponse<String> r = AlertKit.HTTP.send(HttpRequest.newBuilder(URI.create(AlertKit.base(app) + path))
              .timeout(AlertKit.TIMEOUT).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("null")).build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(400, r.statusCode(), path + ": " + r.body());
          assertTrue(new JsonObject(r.body()).getString("error") != null, r.body());
        }
      }
    }
  }

  private static HttpResponse<String> subscribe(App app, String address) throws Exception {
    return AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "email").put("target", address),
        null);
  }
}
