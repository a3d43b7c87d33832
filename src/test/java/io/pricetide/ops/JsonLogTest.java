package io.pricetide.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON logs (#14): with {@code PRICETIDE_LOG_FORMAT=json} every line the service writes is one JSON object with
 * time, level, logger and message; a failing check's line carries its source, check id and stage; expected
 * conditions (a failed fetch, a busy port) print no stack trace. The plain default stays readable lines.
 */
class JsonLogTest {
  private static final String ADMIN = "json-admin";

  @TempDir
  Path root;

  private Path config(int port) throws Exception {
    return Files.writeString(root.resolve("config.yaml"), """
        http_host: 127.0.0.1
        http_port: %d
        admin_token: %s
        scheduler_enabled: false
        """.formatted(port, ADMIN));
  }

  private static List<JsonObject> json(Path log) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(new JsonObject(line));
      } catch (DecodeException e) {
        throw new AssertionError("not one JSON object per line: " + line, e);
      }
    }
    return out;
  }

  @Test
  @DisplayName("PRICETIDE_LOG_FORMAT=json: every line parses; the failed check's line has source, check_id, stage "
      + "and no stack; a busy port is one JSON line and exit 1, with no stack trace")
  void jsonLines() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = s.getLocalPort();
    }
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", "http://127.0.0.1:" + dead + "/p",
        "0 0 0 1 1 ? 2099"));
    Path log = root.resolve("child.log");
    Path stdout = root.resolve("child.out");
    Map<String, String> env = Map.of("PRICETIDE_LOG_FORMAT", "json");
    Process child = process(List.of("run", "--config", config(0).toString(), "--data", root.resolve("data")
        .toString(), "--sources", sources.toString()), env, log, stdout);
    long checkId;
    try {
      String[] base = {null};
      TestApp.awaitTrue("the service serves", Duration.ofSeconds(120), () -> {
        try {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("serving on (http://127\\.0\\.0\\.1:\\d+) ")
              .matcher(Files.readString(stdout));
          base[0] = m.find() ? m.group(1) : null;
          return base[0] != null;
        } catch (Exception e) {
          return false;
        }
      });
      HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(base[0] + "/api/sources/acme/check")).header("Authorization", "Bearer " + ADMIN)
          .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonObject outcome = new JsonObject(r.body());
      assertEquals("error", outcome.getString("outcome"), r.body());
      checkId = outcome.getLong("checkId");
      TestApp.awaitTrue("the failed check's log line", Duration.ofSeconds(20), () -> {
        try {
          return json(log).stream().anyMatch(j -> Long.valueOf(checkId).equals(j.getLong("check_id")));
        } catch (Exception e) {
          return false;
        }
      });
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    List<JsonObject> lines = json(log);
    assertFalse(lines.isEmpty());
    for (JsonObject j : lines) {
      for (String field : List.of("time", "level", "logger", "message")) {
        assertTrue(j.getString(field) != null, field + " in " + j.encode());
      }
    }
    JsonObject failed = lines.stream().filter(j -> Long.valueOf(checkId).equals(j.getLong("check_id")))
        .findFirst().orElseThrow();
    assertEquals("acme", failed.getString("source"), failed.encode());
    assertEquals("fetch", failed.getString("stage"), failed.encode());
    assertEquals("WARN", failed.getString("level"), failed.encode());
    assertEquals("error", failed.getString("outcome"), failed.encode());
    assertTrue(lines.stream().noneMatch(j -> j.containsKey("stack")), "no stack trace for a failed fetch: " + lines);
    assertTrue(lines.stream().anyMatch(j -> j.getString("message").contains("127.0.0.1:" + dead)),
        "the fetch's own line names what it could not reach");

    // A busy port: the run exits 1 with one line saying so, and JSON lines only, none with a stack trace.
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Path busyLog = root.resolve("busy.log");
      Process p = process(List.of("run", "--config", config(taken.getLocalPort()).toString(), "--data",
          root.resolve("busy").toString(), "--sources", sources.toString()), env, busyLog, busyLog);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run must not hang on a busy port");
      assertEquals(1, p.exitValue());
      String all = Files.readString(busyLog);
      assertTrue(all.contains("pricetide run: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + ": address already in use"), all);
      assertFalse(all.contains("\tat ") || all.contains("\"stack\""), "no stack trace for a busy port: " + all);
      for (String line : all.split("\n")) {
        if (!line.isBlank() && !line.startsWith("pricetide run: ")) {
          new JsonObject(line); // the log lines around the verb's own message are JSON
        }
      }
    }
  }

  @Test
  @DisplayName("the default is plain text: [thread] LEVEL logger - message")
  void plainByDefault() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", "http://127.0.0.1:9/p",
        "0 0 0 1 1 ? 2099"));
    Path log = root.resolve("plain.log");
    Process p = process(List.of("run", "--exit-when-ready", "--config", config(0).toString(), "--data",
        root.resolve("data").toString(), "--sources", sources.toString()), Map.of(), log, log);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(log));
    String all = Files.readString(log);
    assertTrue(all.matches("(?s).*\\[[^\\]]+\\] INFO io\\.pricetide\\.web\\.WebVerticle - HTTP API listening on .*"),
        all);
    assertFalse(all.contains("{\"time\""), all);
  }

  /** The CLI as a process of its own: standard error appended to {@code log}, standard output to {@code out}. */
  private static Process process(List<String> args, Map<String, String> env, Path log, Path out) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", cp, "io.pricetide.Main"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (out.equals(log)) {
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    } else {
      pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("PRICETIDE_"));
    pb.environment().putAll(env);
    return pb.start();
  }
}
