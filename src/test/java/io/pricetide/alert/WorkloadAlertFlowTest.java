package io.pricetide.alert;

import static io.pricetide.alert.AlertKit.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workload subscriptions end to end: a served vendor page, the real pipeline and database, GreenMail and a webhook
 * receiver on loopback. The workload is 10M input and 2M output tokens a month; every expected cost is worked out
 * by hand with BigDecimal from the page's prices.
 */
class WorkloadAlertFlowTest {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final JsonObject WORKLOAD = new JsonObject().put("in", "10M").put("out", "2M");
  private static final BigDecimal IN = new BigDecimal("10");   // millions of input tokens a month
  private static final BigDecimal OUT = new BigDecimal("2");   // millions of output tokens a month

  @TempDir
  Path root;

  /** A page: each model with its input and output price per 1M tokens (no cache price). */
  private static String page(String largeIn, String largeOut, String smallIn, String smallOut) {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put("Acme Large", new String[] {largeIn, largeOut, null});
    m.put("Acme Small", new String[] {smallIn, smallOut, null});
    return Pages.table(m);
  }

  /** The workload's monthly cost at these prices, by hand. */
  private static BigDecimal monthly(String in, String out) {
    return IN.multiply(new BigDecimal(in)).add(OUT.multiply(new BigDecimal(out)));
  }

  private static String usd(BigDecimal d) {
    return "$" + d.setScale(2, RoundingMode.HALF_UP).toPlainString();
  }

  private static String pct(BigDecimal was, BigDecimal now) {
    BigDecimal p = now.subtract(was).multiply(BigDecimal.valueOf(100)).divide(was, 2, RoundingMode.HALF_UP);
    return (p.signum() < 0 ? "\u2212" : "+") + p.abs().toPlainString() + "%";
  }

  private static JsonObject workloadSub(String channel, String target, JsonObject trigger) {
    JsonObject body = new JsonObject().put("channel", channel).put("target", target).put("workload", WORKLOAD);
    return trigger == null ? body : body.put("trigger", trigger);
  }

  private static List<JsonObject> workloadDeliveries(App app, String sub) throws Exception {
    JsonArray all = AlertKit.deliveries(app, sub);
    return all.stream().map(JsonObject.class::cast).filter(d -> "workload".equals(d.getString("message_type")))
        .toList();
  }

  /** The subscription's last-known first place, as {@code GET /api/subscriptions/{id}} shows it; null before any. */
  private static JsonObject cheapest(App app, String sub) {
    try {
      JsonObject s = new JsonObject(AlertKit.get(AlertKit.base(app) + "/api/subscriptions/" + sub, ADMIN).body());
      JsonObject r = s.getJsonObject("ranking");
      return r == null ? null : r.getJsonObject("cheapest");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Waits until the evaluation after the last check has moved the first place to this model and cost. */
  private static void awaitCheapest(App app, String sub, String model, BigDecimal monthly) {
    TestApp.awaitTrue(model + " at " + monthly + " a month", Duration.ofSeconds(15), () -> {
      JsonObject c = cheapest(app, sub);
      return c != null && model.equals(c.getString("model"))
          && monthly.compareTo(new BigDecimal(c.getString("monthly_usd"))) == 0;
    });
  }

  @Test
  @DisplayName("A vendor's cut that makes another model the cheapest for a workload sends exactly one email and one "
      + "signed webhook, with the new model, its monthly cost as worked out by hand, and links to the calculator "
      + "and the model")
  void cutMakesAnotherModelCheapest() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00", "30.00", "0.15", "0.60"));
        Receiver hook = new Receiver()) {
      var cfg = AlertKit.config(root, vendor.url("/pricing"), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
          "PRICETIDE_MAIL_PORT", String.valueOf(mail.getSmtp().getPort())));
      try (App app = TestApp.start(cfg, true)) {
        assertEquals("new", TestApp.check(app, "acme").outcome());

        HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", workloadSub("email", "wl@example.test",
            null), null);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject sub = new JsonObject(r.body());
        assertEquals("workload", sub.getString("kind"), r.body());
        assertEquals("10000000", sub.getJsonObject("workload").getString("in"), r.body());
        assertTrue(mail.waitForIncomingEmail(15_000, 1), "the confirmation email");
        String confirmText = AlertKit.parts(mail.getReceivedMessages()[0]).get("text");
        assertTrue(confirmText.contains("when the cheapest model for your workload (10M input, 2M output tokens a "
            + "month) changes"), confirmText);
        AlertKit.confirm(app, confirmText);
        JsonObject wh = AlertKit.webhook(app, hook.url("/hooks/w"), new JsonObject().put("workload", WORKLOAD));
        String secret = wh.getString("secret");
        assertEquals("Acme Small", cheapest(app, sub.getString("id")).getString("model"), "the baseline, recorded "
            + "when subscribing");

        // A cut that leaves Acme Small the cheapest: no message (Large: 10 x 9 + 2 x 30 = 150 > Small's 2.70).
        vendor.serve(page("9.00", "30.00", "0.15", "0.60"));
        assertEquals("changed", TestApp.check(app, "acme").outcome());

        // The cut that makes Acme Large the cheapest.
        BigDecimal was = monthly("0.15", "0.60");   // 1.50 + 1.20 = 2.70
        BigDecimal now = monthly("0.20", "0.30");   // 2.00 + 0.60 = 2.60
        assertEquals(0, new BigDecimal("2.60").compareTo(now));
        vendor.serve(page("0.20", "0.30", "0.15", "0.60"));
        CheckOutcome cut = TestApp.check(app, "acme");
        assertEquals("changed", cut.outcome());
        assertTrue(mail.waitForIncomingEmail(15_000, 2), "the workload email");
        TestApp.awaitTrue("the webhook", Duration.ofSeconds(15), () -> hook.count() >= 1);

        String expected = "Cheapest for your workload is now Acme Large (acme): " + usd(now) + "/month, was "
            + "Acme Small " + usd(was) + "/month (" + pct(was, now) + ")";
        assertEquals("Cheapest for your workload is now Acme Large (acme): $2.60/month, was Acme Small $2.70/month "
            + "(\u22123.70%)", expected, "the hand calculation");
        MimeMessage m = mail.getReceivedMessages()[1];
        assertEquals(expected, m.getSubject());
        assertEquals("wl@example.test", m.getAllRecipients()[0].toString());
        assertNotNull(m.getHeader("List-Unsubscribe"), "one-click unsubscribe");
        Map<String, String> parts = AlertKit.parts(m);
        String calculator = AlertKit.base(app) + "/calculator?in=10000000&cached=0&out=2000000";
        assertTrue(parts.get("text").contains(calculator), parts.get("text"));
        assertTrue(parts.get("html").contains("href=\"" + calculator.replace("&", "&amp;") + "\""), parts.get("html"));
        for (String body : List.of(parts.get("text"), parts.get("html"))) {
          assertTrue(body.contains(AlertKit.base(app) + "/model?id="), body);
          assertTrue(body.contains("$2.60") && body.contains("$2.70"), body);
        }

        Receiver.Request req = hook.requests().get(0);
        JsonObject body = req.json();
        assertEquals("workload.changed", body.getString("type"));
        assertEquals("workload.changed", req.header("Pricetide-Event"));
        assertEquals(req.header("Pricetide-Delivery"), body.getString("delivery_id"));
        assertTrue(AlertFlowTest.verify(secret, req.header("Pricetide-Signature"), req.body()));
        JsonObject ev = body.getJsonObject("event");
        assertEquals("workload_cheapest_changed", ev.getString("kind"));
        assertEquals("cheapest_changed", ev.getString("reason"));
        assertEquals("Acme Large", ev.getJsonObject("new").getString("model"));
        assertEquals("acme", ev.getJsonObject("new").getString("source"));
        assertEquals(0, now.compareTo(new BigDecimal(ev.getJsonObject("new").getString("monthly_usd"))),
            ev.encodePrettily());
        assertEquals("Acme Small", ev.getJsonObject("old").getString("model"));
        assertEquals(0, was.compareTo(new BigDecimal(ev.getJsonObject("old").getString("monthly_usd"))));
        assertEquals(now.subtract(was).multiply(BigDecimal.valueOf(100)).divide(was, 2, RoundingMode.HALF_UP)
            .toPlainString(), ev.getString("change_pct"));
        assertEquals("USD/month", ev.getString("unit"));
        assertEquals(String.valueOf(cut.checkId()), ev.getString("check_id"));
        assertEquals(calculator, ev.getString("calculator_url"));
        assertEquals(AlertKit.base(app) + "/model?id=" + ev.getJsonObject("new").getString("canonical_model"),
            ev.getString("model_url"));
        assertEquals(10_000_000L, ev.getJsonObject("workload").getLong("input_tokens"));

        // Exactly one each: the first cut (no change of first place) sent nothing.
        assertEquals(1, workloadDeliveries(app, sub.getString("id")).size());
        assertEquals(1, workloadDeliveries(app, wh.getString("id")).size());
        assertEquals(1, hook.count());
        // The calculator agrees with the message.
        JsonObject calc = new JsonObject(AlertKit.get(calculator.replace("/calculator", "/api/calculator"), null)
            .body());
        assertEquals("Acme Large", calc.getJsonArray("ranking").getJsonObject(0).getString("model"));
      }
    }
  }

  @Test
  @DisplayName("A fall of the cheapest's monthly cost below the subscriber's percentage sends nothing; steps that add "
      + "up to the percentage from the baseline send one message")
  void fallThreshold() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00", "30.00", "0.15", "0.60"));
        Receiver hook = new Receiver()) {
      try (App app = TestApp.start(AlertKit.config(root, vendor.url("/pricing"), Map.of()), true)) {
        assertEquals("new", TestApp.check(app, "acme").outcome());
        JsonObject wh = AlertKit.webhook(app, hook.url("/hooks/f"), new JsonObject().put("workload", WORKLOAD)
            .put("trigger", new JsonObject().put("cheapest_changes", false).put("falls_percent", 20)));
        BigDecimal base = monthly("0.15", "0.60");                          // 2.70
        // 2.60: -3.70%, then 2.20: -18.52% from the baseline: both below 20%.
        String id = wh.getString("id");
        vendor.serve(page("10.00", "30.00", "0.14", "0.60"));
        assertEquals("changed", TestApp.check(app, "acme").outcome());
        awaitCheapest(app, id, "Acme Small", monthly("0.14", "0.60"));
        vendor.serve(page("10.00", "30.00", "0.10", "0.60"));
        assertEquals("changed", TestApp.check(app, "acme").outcome());
        awaitCheapest(app, id, "Acme Small", monthly("0.10", "0.60"));
        assertTrue(pct(base, monthly("0.10", "0.60")).equals("\u221218.52%"));
        // 2.10: -22.22% from 2.70, at or above 20%.
        vendor.serve(page("10.00", "30.00", "0.09", "0.60"));
        assertEquals("changed", TestApp.check(app, "acme").outcome());
        TestApp.awaitTrue("the webhook", Duration.ofSeconds(15), () -> hook.count() >= 1);
        JsonObject ev = hook.requests().get(0).json().getJsonObject("event");
        assertEquals("cost_fell", ev.getString("reason"));
        assertEquals(false, ev.getBoolean("model_changed"));
        assertEquals(0, base.compareTo(new BigDecimal(ev.getJsonObject("old").getString("monthly_usd"))),
            "measured from the baseline, not from the previous step");
        assertEquals(0, monthly("0.09", "0.60").compareTo(new BigDecimal(ev.getJsonObject("new")
            .getString("monthly_usd"))));
        assertEquals("-22.22", ev.getString("change_pct"));
        assertEquals(1, workloadDeliveries(app, wh.getString("id")).size(), "the small falls sent nothing");
        // After a message the reference is what was told: 2.08 (-0.95%) and 1.70 (-19.05%) from 2.10 send nothing.
        vendor.serve(page("10.00", "30.00", "0.088", "0.60"));
        assertEquals("changed", TestApp.check(app, "acme").outcome());
        awaitCheapest(app, id, "Acme Small", monthly("0.088", "0.60"));
        vendor.serve(page("10.00", "30.00", "0.05", "0.60"));
        assertEquals("changed", TestApp.check(app, "acme").outcome());
        awaitCheapest(app, id, "Acme Small", monthly("0.05", "0.60"));
        vendor.serve(page("10.00", "30.00", "0.04", "0.60"));   // 1.60: -23.81% from 2.10
        assertEquals("changed", TestApp.check(app, "acme").outcome());
        TestApp.awaitTrue("the second webhook", Duration.ofSeconds(15), () -> hook.count() >= 2);
        JsonObject second = hook.requests().get(1).json().getJsonObject("event");
        assertEquals("-23.81", second.getString("change_pct"), second.encodePrettily());
        assertEquals(2, workloadDeliveries(app, wh.getString("id")).size());
      }
    }
  }

  @Test
  @DisplayName("The first evaluation of a subscription made before any price was known records a baseline and sends "
      + "nothing; a broken page (held back as suspect) sends nothing; the next real change does")
  void firstEvaluationAndFailedCheck() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00", "30.00", "0.15", "0.60"));
        Receiver hook = new Receiver()) {
      try (App app = TestApp.start(AlertKit.config(root, vendor.url("/pricing"), Map.of()), true)) {
        JsonObject wh = AlertKit.webhook(app, hook.url("/hooks/b"), new JsonObject().put("workload", WORKLOAD));
        assertEquals(null, cheapest(app, wh.getString("id")), "no price known yet: no baseline");
        assertEquals("new", TestApp.check(app, "acme").outcome());
        // First evaluation: Large becomes the cheapest, but there was nothing to compare with.
        vendor.serve(page("0.20", "0.30", "0.15", "0.60"));
        assertEquals("changed", TestApp.check(app, "acme").outcome());
        awaitCheapest(app, wh.getString("id"), "Acme Large", monthly("0.20", "0.30"));
        // A scraper gone wrong: Small's prices fall to zero. Held back as suspect; the check is an error.
        vendor.serve(page("0.20", "0.30", "0.00", "0.00"));
        CheckOutcome broken = TestApp.check(app, "acme");
        assertEquals("error", broken.outcome(), () -> "held back: " + broken.reason());
        vendor.serve(Pages.withoutTable());
        assertEquals("error", TestApp.check(app, "acme").outcome());
        // The real change: Small is the cheapest again (2.70 < Large's 10 x 1 + 2 x 1 = 12).
        vendor.serve(page("1.00", "1.00", "0.15", "0.60"));
        assertEquals("changed", TestApp.check(app, "acme").outcome());
        TestApp.awaitTrue("the webhook", Duration.ofSeconds(15), () -> hook.count() >= 1);
        JsonObject ev = hook.requests().get(0).json().getJsonObject("event");
        assertEquals("Acme Small", ev.getJsonObject("new").getString("model"));
        assertEquals("Acme Large", ev.getJsonObject("old").getString("model"), "the baseline the first "
            + "evaluation recorded");
        assertEquals(0, monthly("0.20", "0.30").compareTo(new BigDecimal(ev.getJsonObject("old")
            .getString("monthly_usd"))));
        assertEquals(1, workloadDeliveries(app, wh.getString("id")).size(), "nothing before the real change");
        assertFalse(hook.requests().get(0).json().encode().contains("\"0.00\""));
      }
    }
  }

  @Test
  @DisplayName("Several evaluators of one check (nodes of a cluster) send one message: the state row is a "
      + "compare-and-set and the message's key names the check")
  void severalEvaluatorsSendOnce() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00", "30.00", "0.15", "0.60"));
        Receiver hook = new Receiver()) {
      try (App app = TestApp.start(AlertKit.config(root, vendor.url("/pricing"), Map.of()), true)) {
        assertEquals("new", TestApp.check(app, "acme").outcome());
        JsonObject wh = AlertKit.webhook(app, hook.url("/hooks/n"), new JsonObject().put("workload", WORKLOAD));
        vendor.serve(page("0.20", "0.30", "0.15", "0.60"));
        CheckOutcome cut = TestApp.check(app, "acme");
        // Four more "nodes" evaluate the same check at once, racing the service's own evaluation.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
          List<java.util.concurrent.Future<WorkloadStore.Result>> runs = new java.util.ArrayList<>();
          for (int i = 0; i < 4; i++) {
            WorkloadStore node = new WorkloadStore(app.db.dataSource(), new io.pricetide.history.WorkloadMarket(
                app.queries, app.sources), Duration.ofHours(1));
            runs.add(pool.submit(() -> node.evaluate(cut.checkId(), java.time.Instant.now())));
          }
          for (java.util.concurrent.Future<WorkloadStore.Result> f : runs) {
            f.get(30, java.util.concurrent.TimeUnit.SECONDS);
          }
        } finally {
          pool.shutdownNow();
        }
        awaitCheapest(app, wh.getString("id"), "Acme Large", monthly("0.20", "0.30"));
        TestApp.awaitTrue("the webhook", Duration.ofSeconds(15), () -> hook.count() >= 1);
        TestApp.awaitTrue("the service's evaluation", Duration.ofSeconds(15), () -> {
          try {
            return String.valueOf(cut.checkId()).equals(new JsonObject(AlertKit.get(AlertKit.base(app)
                + "/api/subscriptions/" + wh.getString("id"), ADMIN).body()).getJsonObject("ranking")
                .getString("check_id"));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        assertEquals(1, workloadDeliveries(app, wh.getString("id")).size());
        assertEquals(1, hook.count());
      }
    }
  }

  @Test
  @DisplayName("POST /api/subscriptions refuses bad workload parameters and settings with a 400 that names them")
  void badRequests() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00", "30.00", "0.15", "0.60"))) {
      try (App app = TestApp.start(AlertKit.config(root, vendor.url("/pricing"), Map.of()), true)) {
        Map<JsonObject, String> cases = new LinkedHashMap<>();
        cases.put(new JsonObject().put("in", "lots"), "workload: 'in' must be a token count");
        cases.put(new JsonObject().put("in", "1M").put("modality", "smell"), "workload: modality must be one of");
        cases.put(new JsonObject().put("in", "1M").put("first_party", "maybe"), "workload: 'first_party' must be");
        cases.put(new JsonObject().put("in", "1M").put("tokens", 5), "workload: unknown key 'tokens'");
        cases.put(new JsonObject().put("in", 0).put("out", 0), "workload: no tokens asked for");
        for (Map.Entry<JsonObject, String> c : cases.entrySet()) {
          HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "email")
              .put("target", "a@example.test").put("workload", c.getKey()), null);
          assertEquals(400, r.statusCode(), r.body());
          assertTrue(new JsonObject(r.body()).getString("error").startsWith(c.getValue()), r.body());
        }
        Map<JsonObject, String> settings = new LinkedHashMap<>();
        settings.put(new JsonObject().put("trigger", new JsonObject().put("falls_percent", 150)),
            "trigger.falls_percent must be above 0 and below 100");
        settings.put(new JsonObject().put("trigger", new JsonObject().put("cheapest_changes", false)),
            "trigger: nothing to tell of");
        settings.put(new JsonObject().put("filter", new JsonObject()), "filter does not apply to a workload");
        settings.put(new JsonObject().put("mode", "daily"), "a workload subscription is sent as it happens");
        for (Map.Entry<JsonObject, String> c : settings.entrySet()) {
          JsonObject body = new JsonObject().put("channel", "email").put("target", "a@example.test")
              .put("workload", WORKLOAD).mergeIn(c.getKey());
          HttpResponse<String> r = AlertKit.post(app, "/api/subscriptions", body, null);
          assertEquals(400, r.statusCode(), r.body());
          assertTrue(new JsonObject(r.body()).getString("error").startsWith(c.getValue()), r.body());
        }
        HttpResponse<String> noWorkload = AlertKit.post(app, "/api/subscriptions", new JsonObject()
            .put("channel", "webhook").put("target", "http://127.0.0.1:9/x")
            .put("trigger", new JsonObject().put("falls_percent", 10)), ADMIN);
        assertEquals(400, noWorkload.statusCode(), noWorkload.body());
        assertTrue(noWorkload.body().contains("trigger is for workload subscriptions"), noWorkload.body());
      }
    }
  }
}
