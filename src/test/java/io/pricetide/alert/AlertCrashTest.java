package io.pricetide.alert;

import static io.pricetide.alert.AlertKit.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a fan-out: the service runs as a child JVM ({@code io.pricetide.Main run}, as
 * {@code java -jar} would), is killed with {@link Process#destroyForcibly()} while 500 deliveries are queued or in
 * flight, and is started again on the same data directory.
 */
class AlertCrashTest {
  private static final int SUBSCRIBERS = 500;
  private static final Pattern SERVING = Pattern.compile("Pricetide serving on http://127\\.0\\.0\\.1:(\\d+) ");
  private final HttpClient http = AlertKit.HTTP;

  @TempDir
  Path root;

  @Test
  @DisplayName("kill -9 with 500 pending deliveries: after the restart every subscriber has its delivery, and "
      + "any duplicate carries the same delivery_id")
  void killDuringFanOut() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Path config = root.resolve("config.yaml");
    try (FakeVendor vendor = new FakeVendor().serve(AlertKit.page("10.00", "0.15"));
        Receiver hook = new Receiver().holdAfter(100)) {
      Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", vendor.url("/pricing"),
          "0 0 0 1 1 ? 2099"));
      Files.writeString(config, """
          http_host: 127.0.0.1
          http_port: 0
          admin_token: %s
          scheduler_enabled: false
          allow_private_webhooks: true
          delivery_retry_base_ms: 50
          delivery_retry_max_ms: 300
          delivery_poll_ms: 100
          """.formatted(ADMIN));
      Set<String> recordedBeforeKill = new HashSet<>();
      Process first = start(config, sources);
      try {
        String base = base(first);
        assertEquals(200, post(base + "/api/sources/acme/check", "").statusCode());
        for (int i = 0; i < SUBSCRIBERS; i++) {
          HttpResponse<String> r = post(base + "/api/subscriptions", "{\"channel\":\"webhook\",\"target\":\""
              + hook.url("/hook/" + i) + "\"}");
          assertEquals(201, r.statusCode(), r.body());
        }
        vendor.serve(AlertKit.page("7.00", "0.15"));
        assertEquals(200, post(base + "/api/sources/acme/check", "").statusCode());
        // The first 100 are answered, then the receiver stops answering: the fan-out is mid-way. Kill once the
        // service has recorded some of the answered ones as delivered.
        TestApp.awaitTrue("the fan-out to be under way", Duration.ofSeconds(60), () -> hook.count() > 120);
        TestApp.awaitTrue("deliveries recorded", Duration.ofSeconds(60), () -> delivered(base).size() >= 50);
        recordedBeforeKill.addAll(delivered(base));
      } finally {
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      int beforeKill = hook.count();
      hook.holdAfter(Integer.MAX_VALUE);

      Process second = start(config, sources);
      try {
        try {
          TestApp.awaitTrue("every subscriber's delivery after the restart", Duration.ofSeconds(180),
              () -> answeredPaths(hook).size() == SUBSCRIBERS);
        } catch (AssertionError e) {
          List<String> log = lines(root.resolve("child.log"));
          throw new AssertionError(e.getMessage() + ": " + answeredPaths(hook).size() + " of " + SUBSCRIBERS
              + " answered, " + hook.count() + " requests; child log:\n"
              + String.join("\n", log.subList(Math.max(0, log.size() - 60), log.size())), e);
        }
        Map<String, Set<String>> idsByPath = new HashMap<>();
        for (Receiver.Request r : hook.requests()) {
          idsByPath.computeIfAbsent(r.path(), k -> new HashSet<>()).add(r.json().getString("delivery_id"));
        }
        assertEquals(SUBSCRIBERS, idsByPath.size());
        idsByPath.forEach((path, ids) -> assertEquals(1, ids.size(), () -> path + " got several ids: " + ids));
        Set<String> all = new HashSet<>();
        idsByPath.values().forEach(all::addAll);
        assertEquals(SUBSCRIBERS, all.size(), "one delivery_id per subscriber");
        int duplicates = hook.count() - SUBSCRIBERS;
        System.out.println("crash test: " + beforeKill + " requests before the kill, " + hook.count()
            + " in all, " + duplicates + " repeated (held or unrecorded before the kill)");
        assertTrue(beforeKill < hook.count(), "deliveries went out after the restart");
        // What the service had recorded as delivered survived the kill: none of those was sent again.
        Map<String, Long> sends = new HashMap<>();
        hook.requests().forEach(r -> sends.merge(r.json().getString("delivery_id"), 1L, Long::sum));
        List<String> resent = recordedBeforeKill.stream().filter(id -> sends.getOrDefault(id, 0L) > 1).toList();
        assertTrue(resent.isEmpty(), () -> resent.size() + " recorded deliveries were sent again: " + resent);
      } finally {
        second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The delivery ids the child has recorded as delivered, from its delivery log. */
  private Set<String> delivered(String base) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
          + "/api/deliveries?status=delivered&limit=1000")).timeout(AlertKit.TIMEOUT)
          .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
      Set<String> out = new HashSet<>();
      new io.vertx.core.json.JsonObject(r.body()).getJsonArray("deliveries")
          .forEach(d -> out.add(((io.vertx.core.json.JsonObject) d).getString("delivery_id")));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> answeredPaths(Receiver hook) {
    Set<String> out = new HashSet<>();
    for (Receiver.Request r : hook.requests()) {
      if (r.answered() == 200) {
        out.add(r.path());
      }
    }
    return out;
  }

  private Process start(Path config, Path sources) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-cp", cp, "io.pricetide.Main", "run", "--config",
        config.toString(), "--data", root.resolve("data").toString(), "--sources", sources.toString())
        .redirectError(ProcessBuilder.Redirect.appendTo(root.resolve("child.log").toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("PRICETIDE_"));
    return pb.start();
  }

  /** Reads the child's stdout until it says where it serves. */
  private String base(Process p) throws Exception {
    CompletableFuture<String> port = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          Matcher m = SERVING.matcher(line);
          if (m.find()) {
            return m.group(1);
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    String found = port.get(120, TimeUnit.SECONDS);
    if (found == null) {
      throw new AssertionError("the child did not start: " + Files.readString(root.resolve("child.log")));
    }
    return "http://127.0.0.1:" + found;
  }

  private HttpResponse<String> post(String url, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(AlertKit.TIMEOUT)
        .header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static List<String> lines(Path p) throws IOException {
    return Files.readAllLines(p);
  }
}
