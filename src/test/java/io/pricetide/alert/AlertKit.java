package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pricetide.app.App;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.testing.Pages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Configurations and HTTP helpers for alert tests: a fixed free port so links in emails point at the server. */
final class AlertKit {
  static final String ADMIN = "test-admin-token";
  /** HTTP/1.1 (no h2c upgrade dance with the server) and timeouts, so a stuck answer fails instead of hanging. */
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(java.time.Duration.ofSeconds(10)).build();
  static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(30);

  private AlertKit() {}

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * A config over {@code root} with one Acme source at {@code vendorUrl}, the scheduler off (tests check on
   * demand), fast retries, private webhooks allowed, and {@code extra} environment on top.
   */
  static AppConfig config(Path root, String vendorUrl, Map<String, String> extra) throws IOException {
    return config(root, vendorUrl, "0 0 0 1 1 ? 2099", extra).withScheduler(false);
  }

  static AppConfig config(Path root, String vendorUrl, String cron, Map<String, String> extra) throws IOException {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", vendorUrl, cron));
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("PRICETIDE_HTTP_PORT", String.valueOf(port));
    env.put("PRICETIDE_HTTP_HOST", "127.0.0.1");
    env.put("PRICETIDE_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("PRICETIDE_ADMIN_TOKEN", ADMIN);
    env.put("PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "true");
    env.put("PRICETIDE_DELIVERY_RETRY_BASE_MS", "50");
    env.put("PRICETIDE_DELIVERY_RETRY_MAX_MS", "300");
    env.put("PRICETIDE_DELIVERY_POLL_MS", "100");
    env.put("PRICETIDE_MAIL_STARTTLS", "disabled");
    env.put("PRICETIDE_MAIL_FROM", "alerts@pricetide.test");
    env.put("PRICETIDE_TEMPLATES_DIR", root.resolve("templates").toString());
    env.putAll(extra);
    return ConfigLoader.load(null, root.resolve("data"), sources, env);
  }

  static Map<String, String[]> prices(String largeInput, String smallInput) {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put("Acme Large", new String[] {largeInput, "30.00", "5.00"});
    m.put("Acme Small", new String[] {smallInput, "0.60", null});
    return m;
  }

  static String page(String largeInput, String smallInput) {
    return Pages.table(prices(largeInput, smallInput));
  }

  static HttpResponse<String> post(App app, String path, JsonObject body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(app) + path)).timeout(TIMEOUT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String url, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> postForm(String url, String form) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Confirms a subscription from the text of its confirmation email the way the web UI's /confirm page does: the
   * token of the link, posted as JSON to /api/subscriptions/confirm.
   */
  static void confirm(App app, String emailText) throws Exception {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://\\S+/confirm\\?token=([A-Za-z0-9_.-]+)")
        .matcher(emailText);
    if (!m.find()) {
      throw new AssertionError("no confirmation link in: " + emailText);
    }
    HttpResponse<String> r = post(app, "/api/subscriptions/confirm", new JsonObject().put("token", m.group(1)),
        null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("active", new JsonObject(r.body()).getString("status"), r.body());
  }

  static String base(App app) {
    return "http://127.0.0.1:" + app.httpPort();
  }

  /** Subscribes a webhook (admin) and returns the answer (with the secret). */
  static JsonObject webhook(App app, String url, JsonObject extra) throws Exception {
    JsonObject body = new JsonObject().put("channel", "webhook").put("target", url).mergeIn(extra);
    HttpResponse<String> r = post(app, "/api/subscriptions", body, ADMIN);
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  /** The delivery log of one subscription, newest first. */
  static JsonArray deliveries(App app, String subscription) throws Exception {
    HttpResponse<String> r = get(base(app) + "/api/deliveries?subscription=" + subscription, ADMIN);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getJsonArray("deliveries");
  }

  static List<ChangeEvent> events(App app) {
    return app.queries.events(new EventFilter("acme", null, null, null, null, null, 0, false));
  }

  /** The text/plain and text/html parts of a message, by content type prefix. */
  static Map<String, String> parts(MimeMessage m) throws Exception {
    Map<String, String> out = new HashMap<>();
    collect(m.getContent(), m.getContentType(), out);
    return out;
  }

  private static void collect(Object content, String type, Map<String, String> out) throws Exception {
    if (content instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart p = mp.getBodyPart(i);
        collect(p.getContent(), p.getContentType(), out);
      }
    } else if (content instanceof String s) {
      out.put(type.toLowerCase().startsWith("text/html") ? "html" : "text", s);
    }
  }
}
