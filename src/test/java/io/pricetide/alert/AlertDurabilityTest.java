package io.pricetide.alert;

import static io.pricetide.alert.AlertKit.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.pricetide.app.App;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries survive receivers that fail and an SMTP server that is down. */
class AlertDurabilityTest {
  @TempDir
  Path root;

  @Test
  @DisplayName("A receiver answering 500 three times, then 200, gets the delivery once, every attempt with the "
      + "same delivery_id, and the log shows the four attempts; redelivery sends it again under the same id")
  void retriesUntilTwoHundred() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"));
        Receiver hook = new Receiver().failNext(500, 3)) {
      try (App app = TestApp.start(AlertKit.config(root, vendor.url("/pricing"), Map.of()), true)) {
        TestApp.check(app, "acme");
        String sub = AlertKit.webhook(app, hook.url("/flaky"), new JsonObject()).getString("id");
        vendor.serve(AlertKit.page("7.00", "0.15"));
        TestApp.check(app, "acme");
        TestApp.awaitTrue("the delivery to be recorded as delivered", Duration.ofSeconds(20),
            () -> status(app, sub).equals("delivered"));
        List<Receiver.Request> got = hook.requests();
        assertEquals(List.of(500, 500, 500, 200), got.stream().map(Receiver.Request::answered).toList());
        String id = got.get(0).json().getString("delivery_id");
        assertTrue(got.stream().allMatch(r -> r.json().getString("delivery_id").equals(id)
            && r.header("Pricetide-Delivery").equals(id)));
        JsonObject d = AlertKit.deliveries(app, sub).getJsonObject(0);
        assertEquals(id, d.getString("delivery_id"));
        assertEquals(4, d.getInteger("attempts"));
        JsonArray log = d.getJsonArray("attempt_log");
        assertEquals(List.of(500, 500, 500, 200), log.stream().map(o -> ((JsonObject) o).getInteger("status_code"))
            .toList());
        assertEquals(List.of("failed", "failed", "failed", "delivered"), log.stream()
            .map(o -> ((JsonObject) o).getString("outcome")).toList());
        assertEquals(4, hook.count(), "delivered once: no send after the 200");

        HttpResponse<String> again = AlertKit.post(app, "/api/deliveries/" + id + "/redeliver", new JsonObject(),
            ADMIN);
        assertEquals(202, again.statusCode(), again.body());
        TestApp.awaitTrue("the redelivery", Duration.ofSeconds(15), () -> hook.count() == 5);
        assertEquals(id, hook.requests().get(4).json().getString("delivery_id"));
        TestApp.awaitTrue("the redelivery recorded", Duration.ofSeconds(15),
            () -> latest(app, sub).getInteger("attempts") == 5);
      }
    }
  }

  @Test
  @DisplayName("A receiver that never answers 2xx is dead-lettered once the give-up window has passed")
  void deadLetter() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"));
        Receiver hook = new Receiver().failNext(503, 1000)) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_DELIVERY_GIVE_UP_HOURS", "0"));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        String sub = AlertKit.webhook(app, hook.url("/down"), new JsonObject()).getString("id");
        vendor.serve(AlertKit.page("7.00", "0.15"));
        TestApp.check(app, "acme");
        TestApp.awaitTrue("the dead letter", Duration.ofSeconds(20), () -> status(app, sub).equals("dead"));
        JsonObject d = AlertKit.deliveries(app, sub).getJsonObject(0);
        assertEquals(1, d.getInteger("attempts"));
        assertEquals(503, d.getInteger("last_status"));
        assertEquals("dead", d.getJsonArray("attempt_log").getJsonObject(0).getString("outcome"));
        HttpResponse<String> dead = AlertKit.get(AlertKit.base(app) + "/api/deliveries?status=dead", ADMIN);
        assertEquals(1, new JsonObject(dead.body()).getJsonArray("deliveries").size());
      }
    }
  }

  @Test
  @DisplayName("SMTP down: the confirmation and then the alert stay queued, retried, and are sent when the "
      + "server is back")
  void smtpDown() throws Exception {
    int smtpPort = AlertKit.freePort();
    ServerSetup setup = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"))) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
          "PRICETIDE_MAIL_PORT", String.valueOf(smtpPort)));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "email")
            .put("target", "bo@example.test"), null);
        assertEquals(201, r.statusCode(), r.body());
        String sub = new JsonObject(r.body()).getString("id");
        TestApp.awaitTrue("failed attempts at the confirmation", Duration.ofSeconds(20),
            () -> attempts(app, sub) >= 2);
        assertEquals("pending", status(app, sub));

        GreenMail smtp = new GreenMail(setup);
        smtp.start();
        try {
          assertTrue(smtp.waitForIncomingEmail(20_000, 1), "the confirmation once SMTP is back");
          AlertKit.confirm(app, AlertKit.parts(smtp.getReceivedMessages()[0]).get("text"));
        } finally {
          smtp.stop();
        }

        vendor.serve(AlertKit.page("7.00", "0.15"));
        TestApp.check(app, "acme");
        TestApp.awaitTrue("failed attempts at the alert", Duration.ofSeconds(20), () -> {
          JsonObject d = latest(app, sub);
          return d.getString("message_type").equals("change") && d.getInteger("attempts") >= 2;
        });
        JsonObject queued = latest(app, sub);
        assertEquals("pending", queued.getString("status"));
        assertTrue(queued.getString("last_error").startsWith("SMTP"), queued.encode());

        GreenMail back = new GreenMail(setup);
        back.start();
        try {
          assertTrue(back.waitForIncomingEmail(20_000, 1), "the alert once SMTP is back");
          MimeMessage m = back.getReceivedMessages()[0];
          assertEquals("Acme Large input \u221230.00% to $7.00 / 1M tokens (was $10.00)", m.getSubject());
          TestApp.awaitTrue("recorded as delivered", Duration.ofSeconds(15),
              () -> latest(app, sub).getString("status").equals("delivered"));
          assertEquals(m.getHeader("X-Pricetide-Delivery")[0], latest(app, sub).getString("delivery_id"));
        } finally {
          back.stop();
        }
      }
    }
  }

  private static JsonObject latest(App app, String sub) {
    try {
      JsonArray d = AlertKit.deliveries(app, sub);
      return d.isEmpty() ? null : d.getJsonObject(0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String status(App app, String sub) {
    JsonArray d;
    try {
      d = AlertKit.deliveries(app, sub);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return d.isEmpty() ? "none" : d.getJsonObject(0).getString("status");
  }

  private static int attempts(App app, String sub) {
    JsonObject d = latest(app, sub);
    return d == null ? 0 : d.getInteger("attempts");
  }
}
