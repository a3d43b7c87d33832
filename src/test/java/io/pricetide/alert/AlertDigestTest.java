package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Daily digests: events wait, then go out together in one email. */
class AlertDigestTest {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir
  Path root;

  @Test
  @DisplayName("A daily-digest subscriber gets nothing at the moment of a change and one email listing the day's "
      + "changes when the digest is due, with the one-click unsubscribe headers")
  void dailyDigest() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"))) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
          "PRICETIDE_MAIL_PORT", String.valueOf(mail.getSmtp().getPort())));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "email")
            .put("target", "eve@example.test").put("mode", "daily"), null);
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(mail.waitForIncomingEmail(15_000, 1));
        AlertKit.confirm(app, AlertKit.parts(mail.getReceivedMessages()[0]).get("text"));

        vendor.serve(AlertKit.page("7.00", "0.15"));
        ChangeEvent first = TestApp.check(app, "acme").events().get(0);
        vendor.serve(AlertKit.page("7.00", "0.12"));
        ChangeEvent second = TestApp.check(app, "acme").events().get(0);
        TestApp.awaitTrue("both matched", Duration.ofSeconds(15),
            () -> app.alerts().isMatched(first.id()) && app.alerts().isMatched(second.id()));
        assertEquals(0, app.alerts().housekeeping(Instant.now()), "not due before midnight UTC");
        assertEquals(1, mail.getReceivedMessages().length, "no instant email for a digest subscriber");

        assertEquals(1, app.alerts().housekeeping(Instant.now().plus(Duration.ofDays(1))));
        assertTrue(mail.waitForIncomingEmail(15_000, 2), "the digest");
        MimeMessage digest = mail.getReceivedMessages()[1];
        assertEquals("Pricetide daily digest: 2 price change(s)", digest.getSubject());
        String text = AlertKit.parts(digest).get("text");
        assertTrue(text.contains("Acme Large input \u221230.00% to $7.00 / 1M tokens (was $10.00)"), text);
        assertTrue(text.contains("Acme Small input \u221220.00% to $0.12 / 1M tokens (was $0.15)"), text);
        assertTrue(digest.getHeader("List-Unsubscribe")[0].contains("/api/subscriptions/unsubscribe?token="));
        assertEquals(0, app.alerts().housekeeping(Instant.now().plus(Duration.ofDays(1))), "sent once");
      }
    }
  }
}
