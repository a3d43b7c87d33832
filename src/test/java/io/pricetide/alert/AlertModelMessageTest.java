package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13's alerts people want to read: one vendor check that cuts a model's input and output is one email and
 * one Slack post naming both, each linking to the model's page on the public URL; webhooks keep the contract's
 * one event per delivery unless they ask for the grouped form; a target price fires when the price crosses it.
 */
class AlertModelMessageTest {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  static final String PUBLIC = "http://prices.example.test";

  @TempDir
  Path root;

  private static String page(String input, String output) {
    return io.pricetide.testing.Pages.table(Map.of("Acme Large", new String[] {input, output, null}));
  }

  @Test
  @DisplayName("A cut of input and output is one email and one Slack post with a link to the model's page; a "
      + "webhook gets two deliveries, a grouped webhook one; a target below $8 fires, one below $5 does not")
  void oneMessagePerModelChange() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00", "30.00")); Receiver hook = new Receiver()) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
          "PRICETIDE_MAIL_PORT", String.valueOf(mail.getSmtp().getPort()), "PRICETIDE_PUBLIC_URL", PUBLIC));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        assertEquals(201, AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "slack")
            .put("target", hook.url("/slack")), AlertKit.ADMIN).statusCode());
        AlertKit.webhook(app, hook.url("/each"), new JsonObject());
        JsonObject grouped = AlertKit.webhook(app, hook.url("/grouped"), new JsonObject().put("group", "model"));
        assertEquals("model", grouped.getJsonObject("subscription", grouped).getString("group"), grouped.encode());
        AlertKit.webhook(app, hook.url("/below8"), new JsonObject().put("target_price", new JsonObject()
            .put("below", "8")).put("filter", new JsonObject().put("metrics", List.of("input"))));
        AlertKit.webhook(app, hook.url("/below5"), new JsonObject().put("target_price", new JsonObject()
            .put("below", 5)).put("filter", new JsonObject().put("metrics", List.of("input"))));
        AlertOperatorTest.subscribeEmailWith(mail, app, "ana@example.test");
        int before = mail.getReceivedMessages().length;

        vendor.serve(page("7.00", "21.00"));
        TestApp.check(app, "acme");
        TestApp.awaitTrue("webhook deliveries", Duration.ofSeconds(20), () -> hook.requests("/each").size() == 2
            && hook.requests("/grouped").size() == 1 && hook.requests("/slack").size() == 1
            && hook.requests("/below8").size() == 1);
        assertTrue(mail.waitForIncomingEmail(15_000, before + 1));
        Thread.sleep(1500); // a second email or post, were one coming, is sent by now: the outbox is empty
        assertEquals(1, hook.requests("/slack").size(), "one Slack post for the model");
        assertEquals(2, hook.requests("/each").size(), "the webhook contract: one event per delivery");
        assertEquals(0, hook.requests("/below5").size(), "$7.00 is not below $5");

        List<MimeMessage> alerts = Arrays.stream(mail.getReceivedMessages()).skip(before).toList();
        assertEquals(1, alerts.size(), "one email for the model change");
        MimeMessage m = alerts.get(0);
        assertEquals("Acme Large: input \u221230.00% to $7.00, output \u221230.00% to $21.00 / 1M tokens",
            m.getSubject());
        String text = AlertKit.parts(m).get("text");
        String html = AlertKit.parts(m).get("html");
        String link = PUBLIC + "/model?id=acme-large";
        assertTrue(text.contains("Price history: " + link), text);
        assertTrue(html.contains("href=\"" + link + "\""), html);
        assertTrue(html.contains("$21.00") && html.contains("$30.00"), html);
        String messageId = m.getHeader("Message-ID")[0];
        assertTrue(messageId.matches("<[0-9a-f-]{36}@prices\\.example\\.test>"), messageId);
        assertEquals(m.getHeader("X-Pricetide-Delivery")[0], messageId.substring(1, 37));

        JsonObject slack = hook.requests("/slack").get(0).json();
        assertEquals("Acme Large: input \u221230.00% to $7.00, output \u221230.00% to $21.00 / 1M tokens",
            slack.getString("text"));
        assertTrue(slack.getJsonArray("blocks").encode().contains("<" + link + "|Price history of Acme Large>"),
            slack.encode());

        JsonObject g = hook.requests("/grouped").get(0).json();
        assertEquals("prices.changed", g.getString("type"));
        assertEquals("prices.changed", hook.requests("/grouped").get(0).headers().get("pricetide-event"));
        JsonArray events = g.getJsonArray("events");
        assertEquals(List.of("input", "output"), events.stream().map(o -> ((JsonObject) o).getString("metric"))
            .sorted().toList());
        assertEquals(link, g.getJsonObject("model").getString("url"));
        for (var r : hook.requests("/each")) {
          JsonObject one = r.json();
          assertEquals("price.changed", one.getString("type"));
          assertEquals("price_cut", one.getJsonObject("event").getString("kind"));
        }
        JsonObject target = hook.requests("/below8").get(0).json();
        assertEquals("input", target.getJsonObject("event").getString("metric"));
        assertEquals("7.00", target.getJsonObject("event").getString("new"));
      }
    }
  }
}
