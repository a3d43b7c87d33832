package io.pricetide.alert;

import static io.pricetide.alert.AlertKit.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** End to end: GreenMail, a webhook receiver on loopback and the real pipeline over a served page. */
class AlertFlowTest {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir
  Path root;

  @Test
  @DisplayName("Email (double opt-in) and webhook subscribers get one message each for a 30% cut, with working "
      + "unsubscribe headers and link and a valid signature; after unsubscribing, the next cut sends no email")
  void emailAndWebhook() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15")); Receiver hook = new Receiver()) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
          "PRICETIDE_MAIL_PORT", String.valueOf(mail.getSmtp().getPort())));
      try (App app = TestApp.start(cfg, true)) {
        assertEquals("new", TestApp.check(app, "acme").outcome());

        // Subscribe an email: pending, and nothing but the confirmation is sent.
        HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "email")
            .put("target", "ana@example.test").put("filter", new JsonObject().put("providers", List.of("acme"))
                .put("models", List.of("acme-*")).put("min_percent", 20)), null);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject sub = new JsonObject(r.body());
        assertEquals("pending", sub.getString("status"));
        assertTrue(mail.waitForIncomingEmail(15_000, 1), "the confirmation email");
        MimeMessage confirm = mail.getReceivedMessages()[0];
        assertEquals("Please confirm your Pricetide alert subscription", confirm.getSubject());
        assertEquals("ana@example.test", confirm.getAllRecipients()[0].toString());
        String confirmText = AlertKit.parts(confirm).get("text");
        Matcher link = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/confirm\\?token=[A-Za-z0-9_.-]+)")
            .matcher(confirmText);
        assertTrue(link.find(), confirmText);
        assertTrue(AlertKit.parts(confirm).get("html").contains(link.group(1)));
        // The link opens the confirm page; a visit alone confirms nothing (mail scanners follow links).
        HttpResponse<String> confirmPage = AlertKit.get(link.group(1), null);
        assertEquals(200, confirmPage.statusCode(), confirmPage.body());
        assertEquals("pending", status(app, sub));
        HttpResponse<String> confirmed = submit(app, confirmPage.body());
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        assertTrue(confirmed.body().contains("Subscription confirmed"), confirmed.body());
        HttpResponse<String> shown = AlertKit.get(AlertKit.base(app) + "/api/subscriptions/" + sub.getString("id"),
            sub.getString("token"));
        assertEquals("active", new JsonObject(shown.body()).getString("status"), shown.body());
        assertEquals(401, AlertKit.get(AlertKit.base(app) + "/api/subscriptions/" + sub.getString("id"), "nope")
            .statusCode());

        // A webhook, admin only.
        assertEquals(401, AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "webhook")
            .put("target", hook.url("/hooks/a")), null).statusCode());
        JsonObject wh = AlertKit.webhook(app, hook.url("/hooks/a"), new JsonObject()
            .put("filter", new JsonObject().put("metrics", List.of("input"))));
        String secret = wh.getString("secret");
        assertNotNull(secret);

        // The 30% cut.
        vendor.serve(AlertKit.page("7.00", "0.15"));
        CheckOutcome cut = TestApp.check(app, "acme");
        assertEquals(1, cut.events().size(), () -> "one event: " + cut.events());
        assertTrue(mail.waitForIncomingEmail(15_000, 2), "the alert email");
        TestApp.awaitTrue("the webhook", Duration.ofSeconds(15), () -> hook.count() >= 1);

        MimeMessage alert = mail.getReceivedMessages()[1];
        String subject = alert.getSubject();
        assertEquals("Acme Large input \u221230.00% to $7.00 / 1M tokens (was $10.00)", subject);
        Map<String, String> parts = AlertKit.parts(alert);
        for (String body : List.of(parts.get("text"), parts.get("html"))) {
          assertTrue(body.contains("Acme Large"), body);
          assertTrue(body.contains("$10.00") && body.contains("$7.00"), body);
          assertTrue(body.contains("\u221230.00%"), body);
        }
        String[] listUnsubscribe = alert.getHeader("List-Unsubscribe");
        assertNotNull(listUnsubscribe);
        Matcher u = Pattern.compile(
            "<(http://127\\.0\\.0\\.1:\\d+/api/subscriptions/unsubscribe\\?token=([A-Za-z0-9_.-]+))>")
            .matcher(listUnsubscribe[0]);
        assertTrue(u.matches(), listUnsubscribe[0]);
        assertEquals("List-Unsubscribe=One-Click", alert.getHeader("List-Unsubscribe-Post")[0]);
        String bodyLink = "http://127.0.0.1:" + app.httpPort() + "/unsubscribe?token=" + u.group(2);
        assertTrue(parts.get("text").contains(bodyLink), "the body links the unsubscribe page with the same token");
        assertTrue(parts.get("html").contains(bodyLink));

        JsonObject delivered = hook.requests().get(0).json();
        Receiver.Request req = hook.requests().get(0);
        assertEquals("price.changed", delivered.getString("type"));
        assertEquals(req.header("Pricetide-Delivery"), delivered.getString("delivery_id"));
        JsonObject ev = delivered.getJsonObject("event");
        assertEquals("price_cut", ev.getString("kind"));
        assertEquals("Acme Large", ev.getString("model"));
        assertEquals("10.00", ev.getString("old"));
        assertEquals("7.00", ev.getString("new"));
        assertEquals("-30.00", ev.getString("change_pct"));
        assertEquals(String.valueOf(cut.events().get(0).id()), ev.getString("id"));
        assertTrue(verify(secret, req.header("Pricetide-Signature"), req.body()), req.header("Pricetide-Signature"));
        assertTrue(!verify("whsec_wrong-secret-000000", req.header("Pricetide-Signature"), req.body()));

        // The link in the body opens a page with a button (a GET never unsubscribes); the RFC 8058 POST that mail
        // clients send to the List-Unsubscribe URL does.
        HttpResponse<String> form = AlertKit.get(bodyLink, null);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("action=\"/api/subscriptions/unsubscribe\""), form.body());
        assertEquals("active", status(app, sub));
        HttpResponse<String> gone = AlertKit.postForm(u.group(1), "List-Unsubscribe=One-Click");
        assertEquals(200, gone.statusCode(), gone.body());
        assertEquals("unsubscribed", status(app, sub));

        // The next cut: the webhook hears it, the unsubscribed address does not.
        vendor.serve(AlertKit.page("5.00", "0.15"));
        ChangeEvent next = TestApp.check(app, "acme").events().get(0);
        TestApp.awaitTrue("the second webhook", Duration.ofSeconds(15), () -> hook.count() >= 2);
        TestApp.awaitTrue("the second event matched", Duration.ofSeconds(15),
            () -> app.alerts().isMatched(next.id()));
        assertEquals(2, mail.getReceivedMessages().length, "no email after unsubscribing");
        assertTrue(AlertKit.deliveries(app, sub.getString("id")).stream().map(JsonObject.class::cast)
            .noneMatch(d -> String.valueOf(next.id()).equals(d.getString("event_id"))));
        assertEquals("-28.57", hook.requests().get(1).json().getJsonObject("event").getString("change_pct"));
      }
    }
  }

  private static String status(App app, JsonObject sub) throws Exception {
    return new JsonObject(AlertKit.get(AlertKit.base(app) + "/api/subscriptions/" + sub.getString("id"), ADMIN)
        .body()).getString("status");
  }

  /** Posts a page's form the way a browser without script does: its fields, form-encoded, to its action. */
  static HttpResponse<String> submit(App app, String html) throws Exception {
    Matcher action = Pattern.compile("<form[^>]*action=\"(/api/subscriptions/(?:confirm|unsubscribe))\"").matcher(html);
    Matcher token = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(html);
    assertTrue(action.find() && token.find(), html);
    return AlertKit.postForm(AlertKit.base(app) + action.group(1), "token="
        + java.net.URLEncoder.encode(token.group(1), StandardCharsets.UTF_8));
  }

  static boolean verify(String secret, String header, String body) throws Exception {
    Matcher m = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})").matcher(header);
    if (!m.matches()) {
      return false;
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] sig = mac.doFinal((m.group(1) + "." + body).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sig).equals(m.group(2));
  }
}
