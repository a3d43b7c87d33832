package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.template.TemplateException;
import io.pricetide.template.Templates;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rendering and escaping per channel, templates and their overrides, tokens, and the address guard. */
class MessagesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String HOSTILE = "<script>alert(1)</script>\"onerror=x & @everyone *bold*";

  @TempDir
  Path templates;

  private Messages messages() {
    return new Messages(Templates.files(templates), new Tokens(new byte[32]), "https://pricetide.example/",
        Duration.ofHours(48));
  }

  private static Job job(ChangeEvent e) {
    Subscription s = new Subscription(1, "sub_1", "email", "a@example.test", Filter.ANY, "previous", 30, "instant",
        0, null, "active", false, NOW, NOW, null);
    return new Job(1, "d-1", Job.CHANGE, 0, NOW, NOW, "c", NOW, s, e, e.oldUsd(), e.changePct(), null, List.of());
  }

  @Test
  @DisplayName("A scraped model name is escaped in the email HTML, Slack and Discord, and cannot break the subject")
  void hostileModelName() {
    ChangeEvent e = MatcherTest.cut(HOSTILE + "\r\nBcc: x@y.z", "0.80", "0.56");
    Messages m = messages();
    Messages.Email mail = m.email(job(e), NOW);
    assertFalse(mail.html().contains("<script>"), mail.html());
    assertTrue(mail.html().contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onerror=x &amp; @everyone"));
    assertFalse(mail.subject().contains("\n") || mail.subject().contains("\r"), mail.subject());
    assertTrue(mail.subject().endsWith("input \u221230.00% to $0.56 / 1M tokens (was $0.80)"), mail.subject());
    String slack = m.slack(job(e)).encode();
    assertFalse(slack.contains("<script>"));
    assertTrue(slack.contains("&lt;script&gt;") && slack.contains("&amp; @everyone"));
    JsonObject discord = m.discord(job(e));
    assertTrue(discord.getString("content").contains("@\u200beveryone"));
    assertTrue(discord.getString("content").contains("\\*bold\\*"));
    assertEquals(0, discord.getJsonObject("allowed_mentions").getJsonArray("parse").size());
  }

  @Test
  @DisplayName("Templates: sections, inverted sections, escaping by file type; a file in the templates dir wins")
  void templatesAndOverrides() throws Exception {
    Map<String, Object> model = Map.of("name", "<b>", "items", List.of(Map.of("x", "1"), Map.of("x", "2")),
        "none", List.of());
    assertEquals("&lt;b&gt;12-", render("a.html", "{{name}}{{#items}}{{x}}{{/items}}{{^none}}-{{/none}}", model));
    assertEquals("<b>", render("b.txt", "{{! note }}{{name}}", model));
    assertThrows(TemplateException.class, () -> render("c.txt", "{{#a}}x", model));
    assertThrows(TemplateException.class, () -> render("d.txt", "{{#a}}{{/b}}", model));

    assertTrue(messages().email(job(MatcherTest.cut("M", "10", "7")), NOW).subject().startsWith("M input"));
    Files.createDirectories(templates.resolve("email"));
    Files.writeString(templates.resolve("email/change.subject.txt"), "PRICE ALERT {{model}} {{pct}}");
    assertEquals("PRICE ALERT M \u221230.00%", messages().email(job(MatcherTest.cut("M", "10", "7")), NOW)
        .subject());
  }

  private static String render(String name, String src, Map<String, Object> model) throws Exception {
    Path dir = Files.createTempDirectory("tpl");
    Files.writeString(dir.resolve(name), src);
    return Templates.files(dir).render(name, model);
  }

  @Test
  @DisplayName("Tokens: valid while signed and unexpired, bound to a purpose; the webhook signature is HMAC-SHA256 "
      + "over t.body")
  void tokens() {
    Tokens t = new Tokens("0123456789abcdef0123456789abcdef".getBytes());
    String c = t.sign(Tokens.CONFIRM, "sub_1", NOW.plusSeconds(60));
    assertEquals("sub_1", t.verify(Tokens.CONFIRM, c, NOW).orElseThrow());
    assertTrue(t.verify(Tokens.CONFIRM, c, NOW.plusSeconds(61)).isEmpty(), "expired");
    assertTrue(t.verify(Tokens.UNSUBSCRIBE, c, NOW).isEmpty(), "wrong purpose");
    assertTrue(new Tokens(new byte[32]).verify(Tokens.CONFIRM, c, NOW).isEmpty(), "other secret");
    String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("confirm|sub_2|"
        + NOW.plusSeconds(60).getEpochSecond()).getBytes()) + c.substring(c.indexOf('.'));
    assertTrue(t.verify(Tokens.CONFIRM, forged, NOW).isEmpty());
    // Known answer: HMAC-SHA256("secret", "1700000000.{}").
    assertEquals("t=1700000000,v1=" + hex("secret", "1700000000.{}"),
        Tokens.webhookSignature("secret", 1_700_000_000L, "{}".getBytes()));
  }

  private static String hex(String key, String data) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(), "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(data.getBytes()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("Internal addresses: loopback, private, link-local, CGNAT, unique-local, mapped; public ones pass")
  void internalAddresses() throws Exception {
    for (String a : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.1.1",
        "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "64:ff9b::a00:1")) {
      assertTrue(WebhookGuard.isInternal(InetAddress.getByName(a)), a);
    }
    for (String a : List.of("93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1")) {
      assertFalse(WebhookGuard.isInternal(InetAddress.getByName(a)), a);
    }
    assertTrue(WebhookGuard.checkSyntax("https://hooks.example.com/x?y=1").isEmpty());
    assertTrue(WebhookGuard.checkSyntax("gopher://x").isPresent());
  }

  @Test
  @DisplayName("Percentages carry a true minus sign and two decimals; money at least two")
  void formats() {
    assertEquals("\u221230.00%", Formats.pct(new BigDecimal("-30")));
    assertEquals("+12.50%", Formats.pct(new BigDecimal("12.5")));
    assertEquals("$0.075", Formats.usd(new BigDecimal("0.075")));
    assertEquals("$7.00", Formats.usd(new BigDecimal("7")));
  }
}
