package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Source failures and stale sources reach the operator channel, never subscribers. */
class AlertOperatorTest {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir
  Path root;

  @Test
  @DisplayName("A page without its table: the operator's webhook and email hear of it once, subscribers not at all")
  void brokenSource() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15")); Receiver hook = new Receiver()) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
          "PRICETIDE_MAIL_PORT", String.valueOf(mail.getSmtp().getPort()),
          "PRICETIDE_OPERATOR_EMAIL", "ops@pricetide.test", "PRICETIDE_OPERATOR_WEBHOOK", hook.url("/ops"),
          "PRICETIDE_OPERATOR_WEBHOOK_SECRET", "operator-secret-0123456789"));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        AlertKit.webhook(app, hook.url("/subscriber"), new JsonObject());
        subscribeEmail(app, "cy@example.test");

        vendor.serve(Pages.withoutTable());
        ChangeEvent failure = TestApp.check(app, "acme").events().get(0);
        assertEquals(ChangeEvent.SOURCE_FAILURE, failure.kind());
        TestApp.awaitTrue("the operator webhook", Duration.ofSeconds(15), () -> hook.requests("/ops").size() == 1);
        assertTrue(mail.waitForIncomingEmail(15_000, 2), "the operator email");
        Receiver.Request ops = hook.requests("/ops").get(0);
        JsonObject body = ops.json();
        assertEquals("source.failed", body.getString("type"));
        assertEquals("acme", body.getJsonObject("event").getString("source"));
        assertEquals("extract", body.getJsonObject("event").getString("stage"));
        assertTrue(AlertFlowTest.verify("operator-secret-0123456789", ops.header("Pricetide-Signature"), ops.body()));
        MimeMessage opsMail = Arrays.stream(mail.getReceivedMessages())
            .filter(m -> recipient(m).equals("ops@pricetide.test")).findFirst().orElseThrow();
        assertTrue(opsMail.getSubject().startsWith("[Pricetide operator] Source acme failed"), opsMail.getSubject());
        assertTrue(AlertKit.parts(opsMail).get("text").contains("Subscribers were not notified"));

        // A second failing check while it is still broken: matched, but nobody is told again.
        ChangeEvent again = TestApp.check(app, "acme").events().get(0);
        TestApp.awaitTrue("the second failure matched", Duration.ofSeconds(15), () -> app.alerts().isMatched(again.id()));
        assertEquals(1, hook.requests("/ops").size());
        assertEquals(0, hook.requests("/subscriber").size(), "no subscriber hears of a broken source");
        assertEquals(List.of("cy@example.test", "ops@pricetide.test"), Arrays.stream(mail.getReceivedMessages())
            .map(AlertOperatorTest::recipient).sorted().toList(), "the subscriber got only the confirmation");
        assertTrue(app.alerts().deliveries(null, null, 100).stream().map(JsonObject.class::cast)
            .filter(d -> d.getString("message_type").equals("source_failure"))
            .allMatch(d -> d.getString("subscription").startsWith("operator-")));

        // Fixed, then broken again: a new episode, told again.
        vendor.serve(AlertKit.page("10.00", "0.15"));
        TestApp.check(app, "acme");
        vendor.serve(Pages.withoutTable());
        TestApp.check(app, "acme");
        TestApp.awaitTrue("the second episode", Duration.ofSeconds(15), () -> hook.requests("/ops").size() == 2);
        assertEquals(0, hook.requests("/subscriber").size());
      }
    }
  }

  @Test
  @DisplayName("A source without a successful check for over two schedule periods is reported stale to the "
      + "operator, once per episode")
  void staleSource() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15")); Receiver hook = new Receiver()) {
      vendor.failNext(500, 1_000_000, -1);
      var cfg = AlertKit.config(root, vendor.url("/pricing"), "0/1 * * * * ?", Map.of(
          "PRICETIDE_OPERATOR_WEBHOOK", hook.url("/ops"), "PRICETIDE_STALE_GRACE_SECONDS", "0"));
      try (App app = TestApp.start(cfg, true)) {
        AlertKit.webhook(app, hook.url("/subscriber"), new JsonObject());
        TestApp.awaitTrue("a stale report", Duration.ofSeconds(30), () -> {
          app.alerts().housekeeping(Instant.now());
          return hook.requests("/ops").stream().anyMatch(r -> r.json().getString("type").equals("source.stale"));
        });
        JsonObject stale = hook.requests("/ops").stream().map(Receiver.Request::json)
            .filter(j -> j.getString("type").equals("source.stale")).findFirst().orElseThrow();
        assertEquals("acme", stale.getJsonObject("source").getString("source"));
        assertEquals(1, stale.getJsonObject("source").getInteger("period_seconds"));
        app.alerts().housekeeping(Instant.now());
        assertEquals(0, app.alerts().housekeeping(Instant.now()), "once per episode");
        assertEquals(0, hook.requests("/subscriber").size());
      }
    }
  }

  private static String recipient(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void subscribeEmail(App app, String email) throws Exception {
    subscribeEmailWith(mail, app, email);
  }

  /** Subscribes an address and follows the link in its confirmation email. */
  static void subscribeEmailWith(GreenMailExtension mail, App app, String email) throws Exception {
    int before = mail.getReceivedMessages().length;
    HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "email")
        .put("target", email), null);
    assertEquals(201, r.statusCode(), r.body());
    assertTrue(mail.waitForIncomingEmail(15_000, before + 1));
    MimeMessage confirm = Arrays.stream(mail.getReceivedMessages()).filter(m -> recipient(m).equals(email))
        .findFirst().orElseThrow();
    AlertKit.confirm(app, AlertKit.parts(confirm).get("text"));
  }
}
