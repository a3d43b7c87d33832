package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.config.ConfigLoader;
import io.pricetide.testing.Corpus;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real DeepSeek pricing pages of {@code ../shared/corpus/pages/deepseek} (issue #13): the September 2025 cut
 * moved input, output and cache read of deepseek-chat and deepseek-reasoner in one check, and dropped the off-peak
 * band. A subscriber hears of it in one email and one Slack post per model, each naming every metric and linking
 * to the model's page. Runs where the corpus exists; required when {@code CI=true}.
 */
class AlertRealCutCorpusTest {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir
  Path root;

  @Test
  @DisplayName("DeepSeek's real 2025 cut is one email and one Slack post per model, with every metric and a link")
  void oneMessagePerModelOnTheRealCut() throws Exception {
    Path dir = Corpus.dir("pages/deepseek");
    int port = AlertKit.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("PRICETIDE_HTTP_PORT", String.valueOf(port));
    env.put("PRICETIDE_HTTP_HOST", "127.0.0.1");
    env.put("PRICETIDE_PUBLIC_URL", "http://prices.example.test");
    env.put("PRICETIDE_ADMIN_TOKEN", AlertKit.ADMIN);
    env.put("PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "true");
    env.put("PRICETIDE_MAIL_HOST", "127.0.0.1");
    env.put("PRICETIDE_MAIL_PORT", String.valueOf(mail.getSmtp().getPort()));
    env.put("PRICETIDE_MAIL_STARTTLS", "disabled");
    env.put("PRICETIDE_MAIL_FROM", "alerts@pricetide.test");
    var cfg = ConfigLoader.load(null, root.resolve("data"), Path.of("sources"), env).withScheduler(false);
    try (App app = TestApp.start(cfg, true); Receiver hook = new Receiver()) {
      List<Replayer.Snapshot> snaps = new ArrayList<>(Replayer.snapshots(dir, new ArrayList<>()));
      snaps.sort(java.util.Comparator.comparing(Replayer.Snapshot::at));
      assertEquals(3, snaps.size(), snaps.toString());
      Replayer r = new Replayer(app.extractors, app.store, app.archive);
      List<Long> before = new ArrayList<>();
      for (Replayer.Snapshot s : snaps.subList(0, 2)) {
        r.replay("deepseek-en", s).events().forEach(e -> before.add(e.id()));
      }
      AlertService.suppress(app.db.dataSource(), before); // earlier history: nobody was subscribed yet
      assertEquals(201, AlertKit.post(app, "/api/subscriptions", new JsonObject().put("channel", "slack")
          .put("target", hook.url("/slack")), AlertKit.ADMIN).statusCode());
      AlertOperatorTest.subscribeEmailWith(mail, app, "dev@example.test");
      int mails = mail.getReceivedMessages().length;

      CheckOutcome cut = r.replay("deepseek-en", snaps.get(2));
      long models = cut.events().stream().filter(e -> e.kind().equals("price_cut")).map(e -> e.model()).distinct()
          .count();
      assertEquals(2, models, cut.events().toString());
      TestApp.awaitTrue("two Slack posts", Duration.ofSeconds(30), () -> hook.requests("/slack").size() >= 2);
      assertTrue(mail.waitForIncomingEmail(20_000, mails + 2));
      Thread.sleep(2000); // more messages, were any coming, are out by now
      assertEquals(2, hook.requests("/slack").size(), "one post per model, not one per metric");
      List<MimeMessage> alerts = Arrays.stream(mail.getReceivedMessages()).skip(mails).toList();
      assertEquals(2, alerts.size(), "one email per model, not one per metric");
      for (MimeMessage m : alerts) {
        String subject = m.getSubject();
        String model = subject.substring(0, subject.indexOf(':'));
        assertTrue(model.equals("deepseek-chat") || model.equals("deepseek-reasoner"), subject);
        assertTrue(subject.contains("input") && subject.contains("output") && subject.contains("cache_read")
            && subject.contains("to $0.42"), subject);
        String text = AlertKit.parts(m).get("text");
        assertTrue(text.contains("Price history: http://prices.example.test/model?id=" + model), text);
        assertTrue(m.getHeader("Message-ID")[0].endsWith("@prices.example.test>"));
      }
      for (var post : hook.requests("/slack")) {
        String blocks = post.json().getJsonArray("blocks").encode();
        assertTrue(blocks.contains("http://prices.example.test/model?id=deepseek-"), blocks);
      }
    }
  }
}
