package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.template.Templates;
import io.pricetide.workload.Workloads;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workload message on every channel: the headline, the links, and every scraped string escaped. */
class WorkloadMessagesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String HOSTILE = "<script>alert(1)</script>\"onerror=x & @everyone *bold*";

  @TempDir
  Path templates;

  private Job job(String channel, String newModel) {
    Workloads.Workload w = new Workloads.Workload(10_000_000, 0, 2_000_000, null, null, false, true);
    Subscription s = new Subscription(1, "sub_1", channel, "a@example.test", Filter.ANY, "previous", 30, "instant",
        0, "whsec_0123456789abcdef", "active", false, NOW, NOW, null, null, null, null,
        new WorkloadAlert(w, true, null));
    Workloads.Offer now = new Workloads.Offer("evil-model", "acme", "acme", newModel, true, new BigDecimal("0.20"),
        new BigDecimal("0.20"), new BigDecimal("0.30"), new BigDecimal("2.60"), 1, null);
    WorkloadWatch.Notice n = new WorkloadWatch.Notice(WorkloadWatch.CHEAPEST_CHANGED, true,
        new WorkloadWatch.Place("acme-small", "Acme Small", "acme", "acme", new BigDecimal("2.70")), now,
        new BigDecimal("-3.70"));
    return new Job(1, "d-1", Job.WORKLOAD, 0, NOW, NOW, "c", NOW, s, null, null, null,
        WorkloadStore.event(s, n, 42, NOW).encode(), List.of());
  }

  private Messages messages() {
    return new Messages(Templates.files(templates), new Tokens(new byte[32]), "https://pricetide.example/",
        Duration.ofHours(48));
  }

  @Test
  @DisplayName("The subject names the new cheapest model, its monthly cost and the old one's; the body links the "
      + "calculator and the model page")
  void headlineAndLinks() {
    Messages.Email m = messages().email(job("email", "Acme Large"), NOW);
    assertEquals("Cheapest for your workload is now Acme Large (acme): $2.60/month, was Acme Small $2.70/month "
        + "(\u22123.70%)", m.subject());
    assertTrue(m.text().contains("https://pricetide.example/calculator?in=10000000&cached=0&out=2000000"), m.text());
    assertTrue(m.html().contains("https://pricetide.example/calculator?in=10000000&amp;cached=0&amp;out=2000000"));
    assertTrue(m.text().contains("https://pricetide.example/model?id=evil-model"), m.text());
    assertTrue(m.oneClickUrl().startsWith("https://pricetide.example/api/subscriptions/unsubscribe?token="));
    JsonObject hook = new JsonObject(messages().webhookBody(job("webhook", "Acme Large")));
    assertEquals("workload.changed", hook.getString("type"));
    assertEquals("d-1", hook.getString("delivery_id"));
    assertEquals("workload_cheapest_changed", hook.getJsonObject("event").getString("kind"));
    assertEquals("2.60", hook.getJsonObject("event").getJsonObject("new").getString("monthly_usd"));
    assertEquals("-3.70", hook.getJsonObject("event").getString("change_pct"));
    assertEquals("42", hook.getJsonObject("event").getString("check_id"));
  }

  @Test
  @DisplayName("A scraped model name is escaped in the HTML email, Slack and Discord")
  void hostileModel() {
    Messages.Email m = messages().email(job("email", HOSTILE), NOW);
    assertFalse(m.html().contains("<script>"), m.html());
    assertTrue(m.html().contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onerror=x &amp; @everyone"), m.html());
    assertFalse(m.subject().contains("\n"));
    String slack = messages().slack(job("slack", HOSTILE)).encode();
    assertFalse(slack.contains("<script>"), slack);
    assertTrue(slack.contains("&lt;script&gt;"), slack);
    String discord = messages().discord(job("discord", HOSTILE)).getString("content");
    assertTrue(discord.contains("@\u200beveryone"), discord);
    assertTrue(discord.contains("\\*bold\\*"), discord);
  }
}
