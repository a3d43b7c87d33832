package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.ChildService;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 case 1: a check's answer is on disk before it is sent. The service runs as a child JVM on a data dir
 * that already has a history; each round cuts the served price, asks for a check, {@code kill -9}s the child 0-100
 * ms after the answer (and, on PostgreSQL, the database server too), starts both again and finds the check, its
 * {@code price_cut} event and the new price; the next round's ids are new. The restarted child is the next round's.
 */
class KillNineTest {
  private static final String ADMIN = "kill-nine-admin-token";
  private static final int ROUNDS = 20;
  private static final String MODEL = "acme-large";

  @TempDir
  Path root;

  @Test
  @DisplayName("case 1, H2: 20 answered checks in a row survive kill -9 0-100 ms after the answer; no id twice")
  void case1_answeredCheckSurvivesKill9() throws Exception {
    rounds(Map.of(), () -> { }, () -> { });
  }

  @Test
  @DisplayName("case 1, PostgreSQL (synchronous_commit on): 20 answered checks survive kill -9 of the service and "
      + "of the PostgreSQL server; no id twice")
  void case1_answeredCheckSurvivesKill9OnPostgres() throws Exception {
    Path pgData = Files.createDirectories(root.resolve("pg"));
    KilledPostgres pg = new KilledPostgres(pgData);
    try {
      pg.start();
      Map<String, String> env = Map.of("PRICETIDE_DATABASE_URL", pg.jdbcUrl(), "PRICETIDE_DATABASE_USER",
          "postgres", "PRICETIDE_DATABASE_PASSWORD", "postgres");
      rounds(env, pg::kill9, pg::start);
    } finally {
      pg.stop();
    }
  }

  private void rounds(Map<String, String> env, Checked killDatabase, Checked startDatabase) throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Path data = root.resolve("data");
    Path config = root.resolve("config.yaml");
    Path log = root.resolve("child.log");
    Files.writeString(config, """
        http_host: 127.0.0.1
        http_port: 0
        admin_token: %s
        scheduler_enabled: false
        """.formatted(ADMIN));
    Random random = new Random(16);
    Set<Long> checkIds = new HashSet<>();
    Set<String> eventIds = new HashSet<>();
    try (FakeVendor vendor = new FakeVendor()) {
      Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", vendor.url("/pricing"),
          "0 0 0 1 1 ? 2099"));
      int cents = 10_000;
      vendor.serve(page(cents));
      ChildService child = ChildService.start(config, data, sources, env, ADMIN, log);
      try {
        // A history first: a baseline and a few changes, closed cleanly by nothing (the first kill is round 1).
        for (int i = 0; i < 3; i++) {
          cents += 137;
          vendor.serve(page(cents));
          JsonObject answer = check(child, log, i == 0 ? "new" : "changed");
          checkIds.add(answer.getLong("checkId"));
        }
        for (int round = 1; round <= ROUNDS; round++) {
          cents -= 100 + random.nextInt(200);
          String price = money(cents);
          vendor.serve(page(cents));
          JsonObject answer = check(child, log, "changed");
          long checkId = answer.getLong("checkId");
          List<String> cuts = new ArrayList<>();
          for (Object e : answer.getJsonArray("events")) {
            JsonObject ev = (JsonObject) e;
            if (ev.getString("kind").equals("price_cut")) {
              cuts.add(ev.getString("id"));
            }
          }
          String context = "round " + round + " (check " + checkId + ", price " + price + ")";
          assertEquals(1, cuts.size(), () -> context + ": one price_cut in the answer: " + answer.encode());
          assertTrue(checkIds.add(checkId), () -> context + ": check id " + checkId + " was handed out before");
          assertTrue(eventIds.add(cuts.get(0)), () -> context + ": event id " + cuts.get(0) + " was handed out "
              + "before");
          Thread.sleep(random.nextInt(101));
          killDatabase.run();
          child.kill();
          startDatabase.run();
          child = ChildService.start(config, data, sources, env, ADMIN, log);
          assertSurvived(child, context, checkId, cuts.get(0), price, log);
        }
      } finally {
        child.kill();
      }
    }
  }

  private static void assertSurvived(ChildService child, String context, long checkId, String eventId, String price,
      Path log) throws Exception {
    JsonArray checks = json(child.get("/api/sources/acme/checks")).getJsonArray("checks");
    assertTrue(checks.stream().map(JsonObject.class::cast).anyMatch(c -> c.getLong("id") == checkId),
        () -> context + ": the check is gone after kill -9; checks now: " + checks.encode() + "\n" + ChildService
            .tail(log));
    JsonArray events = json(child.get("/api/changes?source=acme&kind=price_cut&limit=100")).getJsonArray("changes");
    assertTrue(events.stream().map(JsonObject.class::cast).anyMatch(e -> e.getString("id").equals(eventId)),
        () -> context + ": the price_cut event " + eventId + " is gone after kill -9: " + events.encode());
    JsonArray prices = json(child.get("/api/prices?model=" + MODEL)).getJsonArray("prices");
    assertTrue(prices.stream().map(JsonObject.class::cast).anyMatch(p -> p.getString("metric").equals("input")
        && p.getString("value").equals(price)), () -> context + ": the new price is gone: " + prices.encode());
  }

  private static JsonObject check(ChildService child, Path log, String outcome) throws Exception {
    HttpResponse<String> r = child.post("/api/sources/acme/check", "");
    assertEquals(200, r.statusCode(), () -> r.body() + "\n" + ChildService.tail(log));
    JsonObject j = new JsonObject(r.body());
    assertEquals(outcome, j.getString("outcome"), r::body);
    return j;
  }

  private static JsonObject json(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r::body);
    return new JsonObject(r.body());
  }

  private static String page(int cents) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put(MODEL, new String[] {money(cents), "30.00"});
    rows.put("acme-small", new String[] {"0.15", "0.60"});
    return Pages.table(rows);
  }

  private static String money(int cents) {
    return String.format("%d.%02d", cents / 100, cents % 100);
  }

  @FunctionalInterface
  private interface Checked {
    void run() throws Exception;
  }

  /**
   * An embedded PostgreSQL on a fixed data dir and port that can be killed with SIGKILL (the postmaster and every
   * backend, as a power cut or OOM kill of the whole server would leave it) and started again on the same files.
   */
  private static final class KilledPostgres {
    private final Path dir;
    private int port;
    private EmbeddedPostgres pg;

    KilledPostgres(Path dir) {
      this.dir = dir;
    }

    void start() throws Exception {
      EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
          .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on");
      if (port != 0) {
        b.setPort(port);
      }
      pg = b.start();
      port = pg.getPort();
    }

    String jdbcUrl() {
      return pg.getJdbcUrl("postgres", "postgres");
    }

    void kill9() throws Exception {
      long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).strip());
      ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
      List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
      all.add(0, postmaster);
      all.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle h : all) {
        h.onExit().get(30, TimeUnit.SECONDS);
      }
      // Releases zonky's lock on the data dir (its "stop" finds no server and says so; the files stay as killed).
      try {
        pg.close();
      } catch (Exception e) {
        // nothing to stop
      }
      pg = null;
    }

    void stop() throws Exception {
      if (pg != null) {
        pg.close();
      }
    }
  }
}
