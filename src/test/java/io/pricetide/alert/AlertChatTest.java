package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Slack and Discord through the pipeline, with a scraped model name that tries to be markup. */
class AlertChatTest {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir
  Path root;

  private static String page(String price) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    // In the page source: escaped, so the scraped text is literally  Acme <b>Large</b> & @here
    rows.put("Acme &lt;b&gt;Large&lt;/b&gt; &amp; @here", new String[] {price, "30.00", null});
    rows.put("Acme Small", new String[] {"0.15", "0.60", null});
    return Pages.table(rows);
  }

  @Test
  @DisplayName("Slack gets Block Kit with &, <, > escaped; Discord gets escaped markdown without mentions; the "
      + "email's HTML shows the name as text")
  void chatChannels() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00")); Receiver hook = new Receiver()) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
          "PRICETIDE_MAIL_PORT", String.valueOf(mail.getSmtp().getPort())));
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        JsonObject onlyLarge = new JsonObject().put("filter", new JsonObject().put("metrics", java.util.List.of("input")));
        assertEquals(201, AlertKit.post(app, "/api/subscriptions", onlyLarge.copy().put("channel", "slack")
            .put("target", hook.url("/slack")), AlertKit.ADMIN).statusCode());
        assertEquals(201, AlertKit.post(app, "/api/subscriptions", onlyLarge.copy().put("channel", "discord")
            .put("target", hook.url("/discord")), AlertKit.ADMIN).statusCode());
        AlertOperatorTest.subscribeEmailWith(mail, app, "fay@example.test");

        vendor.serve(page("7.00"));
        TestApp.check(app, "acme");
        TestApp.awaitTrue("slack and discord", Duration.ofSeconds(15),
            () -> hook.requests("/slack").size() == 1 && hook.requests("/discord").size() == 1);
        assertTrue(mail.waitForIncomingEmail(15_000, 2));

        JsonObject slack = hook.requests("/slack").get(0).json();
        String text = slack.getString("text");
        assertEquals("Acme &lt;b&gt;Large&lt;/b&gt; &amp; @here input \u221230.00% to $7.00 / 1M tokens (was $10.00)",
            text);
        JsonObject section = slack.getJsonArray("blocks").getJsonObject(0);
        assertEquals("section", section.getString("type"));
        assertEquals("mrkdwn", section.getJsonObject("text").getString("type"));
        assertTrue(section.getJsonObject("text").getString("text").contains("&lt;b&gt;Large&lt;/b&gt;"));
        assertFalse(slack.encode().contains("<b>"));

        JsonObject discord = hook.requests("/discord").get(0).json();
        assertTrue(discord.getString("content").contains("@\u200bhere"), discord.getString("content"));
        assertEquals(0, discord.getJsonObject("allowed_mentions").getJsonArray("parse").size());

        String html = AlertKit.parts(mail.getReceivedMessages()[1]).get("html");
        assertTrue(html.contains("Acme &lt;b&gt;Large&lt;/b&gt; &amp; @here"), html);
        assertFalse(html.contains("<b>Large</b>"), html);
      }
    }
  }
}
