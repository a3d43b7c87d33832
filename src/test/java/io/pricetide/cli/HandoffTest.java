package io.pricetide.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.ChildService;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every CLI verb while the service runs on the same data dir (#14): the service (a real child process holding the
 * embedded database) writes a 0600 control token; the verbs hand themselves over and print exactly what they print
 * alone, with the same exit code; a wrong token is refused; a stale token file is ignored; H2's "Database may be
 * already in use" never reaches the operator.
 */
class HandoffTest {
  private static final String ADMIN = "handoff-admin";
  private static final Map<String, String> ENV = Map.of("PRICETIDE_HTTP_HOST", "127.0.0.1");

  @TempDir
  Path root;

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), ENV);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String page(String large) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {large, "30.00", "5.00"});
    rows.put("Acme Small", new String[] {"0.15", "0.60", null});
    return Pages.table(rows);
  }

  private Path config() throws Exception {
    return Files.writeString(root.resolve("config.yaml"), """
        http_host: 127.0.0.1
        http_port: 0
        admin_token: %s
        scheduler_enabled: false
        """.formatted(ADMIN));
  }

  private Path snapshots() throws Exception {
    Path dir = Files.createDirectories(root.resolve("snaps"));
    Files.writeString(dir.resolve("2025-01-01_acme.html"), page("3.00"));
    Files.writeString(dir.resolve("2025-02_acme.html"), page("2.50"));
    return dir;
  }

  /** The verbs of the comparison, on one data dir; {@code check} first, so its fetch sees the last page. */
  private List<Run> verbs(Path config, Path data, Path sources, Path snaps) {
    String c = config.toString();
    String d = data.toString();
    String s = sources.toString();
    return List.of(
        cli("replay", "--source", "acme", "--config", c, "--data", d, "--sources", s, snaps.toString()),
        cli("check", "acme", "--config", c, "--data", d, "--sources", s),
        cli("check", "nosuch", "--config", c, "--data", d, "--sources", s),
        cli("events", "--format", "jsonl", "--config", c, "--data", d, "--sources", s),
        cli("export", "series", "--model", "acme-large", "--metric", "input", "--format", "json", "--config", c,
            "--data", d, "--sources", s),
        cli("replay", "--source", "acme", "--config", c, "--data", d, "--sources", s, snaps.toString()),
        cli("reextract", "--source", "nosuch", "--config", c, "--data", d, "--sources", s));
  }

  @Test
  @DisplayName("with the service running: replay, check, events, export, reextract print what they print alone, "
      + "with the same exit codes; the token file is 0600; a wrong token is 401; a stale file is ignored")
  void verbsWhileServing() throws Exception {
    Path config = config();
    Path snaps = snapshots();
    Path sources = Files.createDirectories(root.resolve("sources"));
    try (FakeVendor vendor = new FakeVendor()) {
      Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", vendor.url("/pricing"),
          "0 0 0 1 1 ? 2099"));
      vendor.serve(page("2.50"));

      // Alone, on a data dir of its own.
      Path alone = root.resolve("alone");
      List<Run> expected = verbs(config, alone, sources, snaps);
      assertEquals(1, expected.get(2).code(), "an unknown source fails: " + expected.get(2));
      assertEquals(1, expected.get(5).code(), "an older replay is refused: " + expected.get(5));
      assertEquals(0, expected.get(0).code(), expected.get(0).toString());

      // The same verbs on another data dir, while a service (another process) holds its database.
      Path data = root.resolve("served");
      Path log = root.resolve("child.log");
      List<Run> handed;
      ChildService child = ChildService.start(config, data, sources, Map.of(), ADMIN, log);
      try {
        Path token = data.resolve(Control.TOKEN_FILE);
        assertTrue(Files.isRegularFile(token), "the service wrote " + token);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
        handed = verbs(config, data, sources, snaps);

        JsonObject t = new JsonObject(Files.readString(token));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + t.getInteger("port") + "/control/verb")).header("Authorization", "Bearer not-" + t.getString("token"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"argv\":[\"events\"]}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode(), wrong.body());
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + t.getInteger("port") + "/control/ping")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode(), none.body());

        // While served, events there equal what events prints there alone (below, once the service stopped).
        Run servedEvents = cli("events", "--format", "jsonl", "--data", data.toString(), "--sources",
            sources.toString());
        Run servedExport = cli("export", "prices", "--format", "csv", "--data", data.toString(), "--sources",
            sources.toString());
        Run run = cli("run", "--config", config.toString(), "--data", data.toString(), "--sources",
            sources.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("a service already runs on " + data), run.err());
        child.kill();

        // kill -9 left the token file behind: stale, ignored, the verbs run alone on the freed database.
        assertTrue(Files.exists(token), "a killed service cannot remove its token file");
        Run aloneEvents = cli("events", "--format", "jsonl", "--data", data.toString(), "--sources",
            sources.toString());
        assertEquals(servedEvents, aloneEvents);
        assertEquals(servedExport, cli("export", "prices", "--format", "csv", "--data", data.toString(),
            "--sources", sources.toString()));
        assertFalse(aloneEvents.out().isBlank(), "the replay recorded events");
      } finally {
        child.close();
      }

      for (int i = 0; i < expected.size(); i++) {
        Run a = expected.get(i);
        Run h = handed.get(i);
        assertEquals(a.code(), h.code(), "verb " + i + " exit code: " + h);
        assertEquals(a.out(), h.out(), "verb " + i + " output");
        // The one difference allowed: the data dir's name, and the time of its own check in a refusal's reason.
        assertEquals(normal(a.err(), alone), normal(h.err(), data), "verb " + i + " errors");
        assertFalse(h.err().contains("already in use"), h.err());
      }
      assertTrue(ChildService.tail(log).contains("control: running 'replay'"), "the verbs ran in the service");
    }
  }

  private static String normal(String err, Path data) {
    return err.replace(data.toString(), "DATA").replaceAll("last observed [0-9T:.\\-]+Z", "last observed TIME");
  }

  @Test
  @DisplayName("a database held by a process that answers no control endpoint: a plain message, no H2 text")
  void heldWithoutToken() throws Exception {
    Path config = config();
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", "http://127.0.0.1:9/pricing",
        "0 0 0 1 1 ? 2099"));
    Path data = root.resolve("data");
    Path log = root.resolve("child.log");
    ChildService child = ChildService.start(config, data, sources, Map.of(), ADMIN, log);
    try {
      // The token names a port nobody answers on: as if the service had not written it yet.
      int dead;
      try (ServerSocket s = new ServerSocket(0)) {
        dead = s.getLocalPort();
      }
      Files.writeString(data.resolve(Control.TOKEN_FILE), new JsonObject().put("port", dead).put("token", "x")
          .encode());
      for (String[] verb : List.of(new String[] {"events", "--format", "jsonl"},
          new String[] {"check", "acme"}, new String[] {"export", "prices"})) {
        List<String> argv = new java.util.ArrayList<>(List.of(verb));
        argv.addAll(List.of("--data", data.toString(), "--sources", sources.toString()));
        Run r = cli(argv.toArray(String[]::new));
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is held by another process"), r.err());
        assertFalse(r.err().contains("Database may be already in use"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
      }
    } finally {
      child.close();
    }
  }
}
