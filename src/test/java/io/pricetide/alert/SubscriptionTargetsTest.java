package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Target prices, grouping and canonical vendors in subscription requests and in matching (#13). */
class SubscriptionTargetsTest {
  private static SubscriptionRequest.Parsed parse(String json) {
    return SubscriptionRequest.parse(new JsonObject(json));
  }

  @Test
  @DisplayName("target_price takes below/above as numbers or decimal strings; group takes model or event")
  void parsesTargetsAndGroup() {
    SubscriptionRequest r = parse("{\"channel\":\"email\",\"target\":\"a@b.org\",\"target_price\":{\"below\":1,"
        + "\"above\":\"20.50\"},\"group\":\"event\"}").request();
    assertEquals(0, new BigDecimal("1").compareTo(r.targetBelow()));
    assertEquals(0, new BigDecimal("20.5").compareTo(r.targetAbove()));
    assertEquals("event", r.grouping());
    assertEquals("target_price needs below or above (USD per 1M tokens)",
        parse("{\"channel\":\"email\",\"target\":\"a@b.org\",\"target_price\":{}}").error());
    assertEquals("target_price: unknown key 'under' (allowed: above, below)",
        parse("{\"channel\":\"email\",\"target\":\"a@b.org\",\"target_price\":{\"under\":1}}").error());
    assertEquals("target_price.below must be above 0 and at most 1000000 (USD per 1M tokens)",
        parse("{\"channel\":\"email\",\"target\":\"a@b.org\",\"target_price\":{\"below\":0}}").error());
    assertEquals("target_price.below must be a number of USD per 1M tokens",
        parse("{\"channel\":\"email\",\"target\":\"a@b.org\",\"target_price\":{\"below\":\"cheap\"}}").error());
    assertTrue(parse("{\"channel\":\"email\",\"target\":\"a@b.org\",\"group\":\"all\"}").error().startsWith("group"));
    assertNull(parse("{\"channel\":\"email\",\"target\":\"a@b.org\"}").request().targetBelow());
  }

  @Test
  @DisplayName("Email and chat group by model unless asked not to; webhooks keep one event per delivery unless asked")
  void groupingDefaults() {
    Subscription web = MatcherTest.sub(1, "{}", "previous", 0);
    assertFalse(web.groupsByModel());
    Subscription grouped = new Subscription(2, "sub_2", "webhook", "https://x.org", Filter.ANY, "previous", 30,
        "instant", 0, "s", "active", false, null, null, null, null, null, "model");
    assertTrue(grouped.groupsByModel());
    Subscription slack = new Subscription(3, "sub_3", "slack", "https://x.org", Filter.ANY, "previous", 30,
        "instant", 0, null, "active", false, java.time.Instant.EPOCH, null, null);
    assertTrue(slack.groupsByModel());
    assertEquals("event", web.toJson().getString("group"));
    assertEquals("model", slack.toJson().getString("group"));
  }

  @Test
  @DisplayName("A target fires when the price crosses it, not while it stays beyond it")
  void targetIsAnEdge() {
    BigDecimal one = BigDecimal.ONE;
    assertTrue(Matcher.crosses(MatcherTest.cut("m", "1.20", "0.90"), one, null));
    assertFalse(Matcher.crosses(MatcherTest.cut("m", "0.95", "0.90"), one, null), "already below");
    assertTrue(Matcher.crosses(MatcherTest.cut("m", "1.00", "0.99"), one, null), "from the target itself");
    assertFalse(Matcher.crosses(MatcherTest.cut("m", "1.20", "1.00"), one, null), "at the target is not below");
    assertTrue(Matcher.crosses(MatcherTest.cut("m", "4.00", "6.00"), null, new BigDecimal("5")));
    assertFalse(Matcher.crosses(MatcherTest.cut("m", "6.00", "7.00"), null, new BigDecimal("5")));
    Subscription target = new Subscription(4, "sub_4", "webhook", "https://x.org", Filter.ANY, "previous", 30,
        "instant", 0, "s", "active", false, null, null, null, one, null, null);
    MatcherTest.Fake none = new MatcherTest.Fake();
    assertEquals(1, Matcher.plan(MatcherTest.cut("m", "1.20", "0.90"), List.of(target), none,
        java.time.Instant.parse("2026-03-01T12:00:00Z")).notices().size());
    assertEquals(0, Matcher.plan(MatcherTest.cut("m", "0.95", "0.90"), List.of(target), none,
        java.time.Instant.parse("2026-03-01T12:00:00Z")).notices().size());
  }

  @Test
  @DisplayName("A provider filter means the vendor: zai, z-ai and zhipuai are one")
  void providersByVendor() {
    Filter f = Filter.fromJson(new JsonObject().put("providers", List.of("z-ai")));
    assertEquals(List.of("zhipu"), f.providers());
    io.pricetide.bus.ChangeEvent e = MatcherTest.cut("glm-4.6", "1.00", "0.50");
    io.pricetide.bus.ChangeEvent zai = new io.pricetide.bus.ChangeEvent(8, e.kind(), "litellm", "zai", e.model(),
        e.canonicalModel(), e.metric(), "", e.oldUsd(), e.newUsd(), e.oldValue(), e.newValue(), "USD",
        e.changePct(), e.observedAt(), null, null);
    assertTrue(f.selects(zai));
    assertFalse(Filter.fromJson(new JsonObject().put("providers", List.of("openai"))).selects(zai));
  }
}
