package io.pricetide.web;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.RankingsPages;
import static io.pricetide.testing.RankingsPages.week;
import io.pricetide.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running Pricetide with history for the web tests: two vendors' pages (acme in USD, orbit in CNY) replayed
 * over dated snapshots written here, then one live check of acme's page served on loopback, whose table now also
 * lists a model with a hostile name.
 */
final class UiFixture implements AutoCloseable {
  /** A model name a hostile page could carry: markup, a script, an attribute breaker. */
  static final String HOSTILE = "Evil <script>window.__pwned=1</script> \"onerror=window.__pwned=2 "
      + "<img src=x onerror=window.__pwned=3>";
  /** Never fires during a test: checks happen through the replay and one explicit check. */
  static final String NEVER = "0 0 0 1 1 ? 2099";

  final FakeVendor vendor;
  final App app;
  final String base;
  /** SMTP for the alert emails the subscribe form triggers. */
  final GreenMail smtp;

  private UiFixture(FakeVendor vendor, App app, GreenMail smtp) {
    this.vendor = vendor;
    this.app = app;
    this.smtp = smtp;
    this.base = "http://127.0.0.1:" + app.httpPort();
  }

  static UiFixture start(Path root) throws Exception {
    FakeVendor vendor = new FakeVendor();
    GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    String orbitYaml = Pages.sourceYaml("orbit", vendor.url("/orbit"), NEVER)
        .replace("provider: acme", "provider: orbit").replace("currency: USD", "currency: CNY")
        .replace("name: Acme AI pricing page", "name: Orbit Cloud price list");
    App app = TestApp.start(TestApp.config(root, Map.of(
        "acme.yaml", Pages.sourceYaml("acme", vendor.url("/pricing"), NEVER),
        "orbit.yaml", orbitYaml,
        "openrouter-rankings.yaml", """
            id: openrouter-rankings
            provider: openrouter
            kind: usage
            url: %s
            schedule: "%s"
            fetch:
              allow_private: true
            extractor:
              kind: openrouter-rankings
            """.formatted(vendor.url("/rankings"), NEVER)), Map.of("PRICETIDE_MAIL_HOST", "127.0.0.1",
        "PRICETIDE_MAIL_PORT", String.valueOf(smtp.getSmtp().getPort()), "PRICETIDE_MAIL_STARTTLS", "disabled")),
        true);
    UiFixture f = new UiFixture(vendor, app, smtp);
    try {
      f.history();
    } catch (Exception | AssertionError e) {
      f.close();
      throw e;
    }
    return f;
  }

  private void history() {
    Replayer r = new Replayer(app.extractors, app.store, app.archive);
    replay(r, "acme", "2024-01-10", acme("10.00", "30.00", "5.00", "0.15", "0.60"));
    replay(r, "acme", "2024-09-01", acme("8.00", "30.00", "5.00", "0.15", "0.60"));
    replay(r, "acme", "2025-03-01", acme("12.00", "30.00", "4.00", "0.15", "0.60"));
    replay(r, "acme", "2025-08-01", acme("7.00", "28.00", "3.50", "0.10", "0.60"));
    replay(r, "orbit", "2024-03-01", orbit("20.00", "60.00"));
    replay(r, "orbit", "2025-05-01", orbit("5.80", "60.00"));
    // Each page's complete week is its middle point (the first is the window's edge, the last in progress).
    replay(r, "openrouter-rankings", "2026-01-05", RankingsPages.page(week("2025-12-22", 480, 310, 190),
        week("2025-12-29", 500, 300, 200), week("2026-01-05", 40, 30, 20)));
    replay(r, "openrouter-rankings", "2026-01-12", RankingsPages.page(week("2025-12-29", 500, 300, 200),
        week("2026-01-05", 400, 250, 450), week("2026-01-12", 35, 25, 30)));
    // The live check: today's page adds the hostile model.
    Map<String, String[]> today = rowsAcme("7.00", "28.00", "3.50", "0.104", "0.60");
    today.put(escape(HOSTILE), new String[] {"1.00", "2.00", null});
    vendor.serve(Pages.table(today));
    CheckOutcome live = TestApp.check(app, "acme");
    if (!"changed".equals(live.outcome())) {
      throw new AssertionError("the live check should change history, got " + live);
    }
  }

  private static void replay(Replayer r, String source, String day, String page) {
    CheckOutcome o = r.replay(source, Instant.parse(day + "T00:00:00Z"), page.getBytes(StandardCharsets.UTF_8),
        "html");
    if ("error".equals(o.outcome())) {
      throw new AssertionError("replay of " + source + " " + day + " failed: " + o);
    }
  }

  private static Map<String, String[]> rowsAcme(String largeIn, String largeOut, String largeCache, String smallIn,
      String smallOut) {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put("Acme Large", new String[] {largeIn, largeOut, largeCache});
    m.put("Acme Small", new String[] {smallIn, smallOut, null});
    return m;
  }

  private static String acme(String largeIn, String largeOut, String largeCache, String smallIn, String smallOut) {
    return Pages.table(rowsAcme(largeIn, largeOut, largeCache, smallIn, smallOut));
  }

  private static String orbit(String in, String out) {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put("Orbit Max", new String[] {in, out, null});
    return Pages.table(m).replace("$", "");
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** GET {@code path}; the body, or an AssertionError naming the status. */
  String get(String path) throws Exception {
    HttpResponse<String> r = send(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** HTTP/1.1 (no h2c upgrade dance with the server) and a timeout, so a stuck answer fails instead of hanging. */
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(java.time.Duration.ofSeconds(10)).build();

  HttpResponse<String> send(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    try {
      app.close();
    } finally {
      vendor.close();
      smtp.stop();
    }
  }
}
