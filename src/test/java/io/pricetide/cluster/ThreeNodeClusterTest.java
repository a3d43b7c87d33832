package io.pricetide.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.ChildService;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Pricetide nodes as child JVMs on loopback, clustered (Hazelcast TCP-IP, Quartz's clustered JDBC store) on one
 * PostgreSQL embedded in the test. Nine sources fire every second, served by loopback vendors; one of them changes
 * its price three times, and each change goes to 1,000 webhook subscribers on a loopback receiver that counts what
 * it gets by subscriber and {@code delivery_id}. In the middle of the second fan-out the node holding the most claims
 * is killed with SIGKILL. What the outside world saw is then checked: no (source, scheduled fire time) checked twice,
 * every subscriber got every change under one {@code delivery_id}, a repeat only of what the killed node held, its
 * claims delivered by the others within 15 s, and checks on every live node before and after the kill.
 */
class ThreeNodeClusterTest {
  private static final String ADMIN = "three-node-admin-token";
  private static final int NODES = 3;
  private static final int SUBSCRIBERS = 1_000;
  private static final int STATIC_SOURCES = 8;
  private static final String EVERY_SECOND = "0/1 * * * * ?";

  @TempDir
  Path root;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  @DisplayName("3 nodes, kill -9 of one mid fan-out: each fire checked once, every delivery made once per subscriber "
      + "(same delivery_id on a repeat), takeover under 15 s, checks on every live node")
  void threeNodes() throws Exception {
    Map<String, ChildService> nodes = new TreeMap<>();
    Vertx vertx = Vertx.vertx();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        FakeVendor fan = new FakeVendor().serve(page("10.00"));
        FakeVendor still = new FakeVendor().serve(page("3.00"))) {
      DataSource ds = pg.getPostgresDatabase();
      Receiver receiver = new Receiver(vertx);
      Path sources = Files.createDirectories(root.resolve("sources"));
      Files.writeString(sources.resolve("fan.yaml"), Pages.sourceYaml("fan", fan.url("/fan"), EVERY_SECOND));
      for (int i = 0; i < STATIC_SOURCES; i++) {
        Files.writeString(sources.resolve("s" + i + ".yaml"), Pages.sourceYaml("s" + i, still.url("/s" + i),
            EVERY_SECOND));
      }
      Path config = root.resolve("config.yaml");
      Files.writeString(config, "http_host: 127.0.0.1\nhttp_port: 0\nadmin_token: " + ADMIN + "\n");
      int[] hz = new int[NODES];
      int[] bus = new int[NODES];
      List<String> members = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        hz[i] = ClusterModeTest.freePort();
        bus[i] = ClusterModeTest.freePort();
        members.add("127.0.0.1:" + hz[i]);
      }
      java.util.function.IntFunction<Map<String, String>> env = i -> {
        Map<String, String> e = new HashMap<>();
        e.put("PRICETIDE_DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"));
        e.put("PRICETIDE_DATABASE_USER", "postgres");
        e.put("PRICETIDE_SECRET", "three-node-shared-secret-0123456789");
        e.put("PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "true");
        // Few sends in flight per node and a receiver that takes 100 ms: a fan-out lasts seconds, so the kill
        // lands in the middle of one, with claims held.
        e.put("PRICETIDE_WEBHOOK_CONCURRENCY", "8");
        e.put("PRICETIDE_DELIVERY_RETRY_BASE_MS", "500");
        e.put("PRICETIDE_CLUSTER_ENABLED", "true");
        e.put("PRICETIDE_CLUSTER_NODE_ID", "node-" + (i + 1));
        e.put("PRICETIDE_CLUSTER_HOST", "127.0.0.1");
        e.put("PRICETIDE_CLUSTER_PORT", String.valueOf(hz[i]));
        e.put("PRICETIDE_CLUSTER_BUS_PORT", String.valueOf(bus[i]));
        e.put("PRICETIDE_CLUSTER_MEMBERS", String.join(",", members));
        return e;
      };
      // The first node forms the cluster; the other two join it together.
      nodes.put("node-1", ChildService.start(config, root.resolve("data-1"), sources, env.apply(0), ADMIN,
          root.resolve("node-1.log")));
      List<Future<ChildService>> joining = new ArrayList<>();
      for (int i = 1; i < NODES; i++) {
        int n = i;
        joining.add(pool.submit(() -> ChildService.start(config, root.resolve("data-" + (n + 1)), sources,
            env.apply(n), ADMIN, root.resolve("node-" + (n + 1) + ".log"))));
      }
      for (int i = 1; i < NODES; i++) {
        nodes.put("node-" + (i + 1), joining.get(i - 1).get(3, TimeUnit.MINUTES));
      }
      Instant allUp = Instant.now();
      String loadAtStart = loadAverage();
      Map<String, String> incarnations = incarnations(ds);
      assertEquals(NODES, incarnations.size(), () -> "one live incarnation per node: " + incarnations);

      // 1,000 webhook subscribers, each on its own path of the receiver.
      ChildService first = nodes.get("node-1");
      List<Future<HttpResponse<String>>> created = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        String body = new JsonObject().put("channel", "webhook").put("target", receiver.url("/hook/" + i))
            .put("secret", "subscriber-secret-" + i).encode();
        created.add(pool.submit(() -> first.post("/api/subscriptions", body)));
      }
      for (Future<HttpResponse<String>> f : created) {
        HttpResponse<String> r = f.get(2, TimeUnit.MINUTES);
        assertEquals(201, r.statusCode(), r::body);
      }

      // Checks on every node before anything changes.
      TestApp.awaitTrue("scheduled checks on each of the 3 nodes", Duration.ofSeconds(90), () ->
          checksByNode(ds, allUp).keySet().containsAll(incarnationNodes(incarnations)));

      // Change 1: a fan-out while all three run; who holds the claims is sampled meanwhile.
      Set<String> claimersSeen = ConcurrentHashMap.newKeySet();
      fan.serve(page("9.00"));
      awaitEvents(ds, 1);
      long e1 = eventIds(ds).get(0);
      TestApp.awaitTrue("change 1 delivered to all " + SUBSCRIBERS, Duration.ofSeconds(120), () -> {
        claimersSeen.addAll(claimers(ds, e1));
        return receiver.subscribersOf(e1) == SUBSCRIBERS;
      });

      // Change 2: kill -9 the node with the most claims once a part of the fan-out is out.
      fan.serve(page("8.00"));
      awaitEvents(ds, 2);
      long e2 = eventIds(ds).get(1);
      TestApp.awaitTrue("a part of change 2 delivered", Duration.ofSeconds(60),
          () -> receiver.subscribersOf(e2) >= 150);
      Map<String, Integer> held = claimsByIncarnation(ds, e2);
      assertTrue(!held.isEmpty(), "claims are held mid fan-out");
      String victimInc = held.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      String victim = victimInc.substring(0, victimInc.indexOf('/'));
      nodes.get(victim).kill();
      Instant killed = Instant.now();
      String loadAtKill = loadAverage();
      Set<String> heldByVictim = deliveryIds(ds, "SELECT delivery_id FROM alert_delivery WHERE status = 'pending' "
          + "AND claimed_by = ?", victimInc);
      int receivedBeforeKill = receiver.subscribersOf(e2);
      TestApp.awaitTrue("change 2 delivered to all " + SUBSCRIBERS + " after the kill", Duration.ofSeconds(60),
          () -> receiver.subscribersOf(e2) == SUBSCRIBERS);
      Instant lastOfVictims = receiver.firstArrivalOfLast(heldByVictim);
      // Null: one of them never arrived (the wait above would have failed first).
      Duration takeover = lastOfVictims == null ? Duration.ofDays(1) : Duration.between(killed, lastOfVictims);

      // Change 3 with two nodes; then run on until 200 fires and a while after the kill.
      fan.serve(page("7.00"));
      awaitEvents(ds, 3);
      long e3 = eventIds(ds).get(2);
      TestApp.awaitTrue("change 3 delivered to all " + SUBSCRIBERS, Duration.ofSeconds(120),
          () -> receiver.subscribersOf(e3) == SUBSCRIBERS);
      TestApp.awaitTrue("200 trigger fires checked, the last 15 s after the kill", Duration.ofSeconds(120), () ->
          count(ds, "SELECT COUNT(*) FROM source_check WHERE scheduled_for IS NOT NULL") >= 200
              && Duration.between(killed, Instant.now()).toSeconds() >= 15);
      // A receiver's 200 comes before the node records it: let the live nodes record what they sent before the
      // stop, or a delivery received a moment ago would count as not delivered.
      TestApp.awaitTrue("every delivery recorded as delivered by the live nodes", Duration.ofSeconds(60), () ->
          count(ds, "SELECT COUNT(*) FROM alert_delivery WHERE status <> 'delivered'") == 0);
      Instant stop = Instant.now();
      for (ChildService c : nodes.values()) {
        c.kill();
      }
      Thread.sleep(300); // the receiver's last answers

      // What the outside world received.
      long fires = count(ds, "SELECT COUNT(*) FROM source_check WHERE scheduled_for IS NOT NULL");
      long twice = count(ds, "SELECT COUNT(*) FROM (SELECT source_id, scheduled_for FROM source_check "
          + "WHERE scheduled_for IS NOT NULL GROUP BY source_id, scheduled_for HAVING COUNT(*) > 1) d");
      Map<String, Long> before = checksByNode(ds, allUp, killed);
      Map<String, Long> after = checksByNode(ds, killed.plusSeconds(1), stop);
      Instant triggersBack = triggersRecovered(ds, killed);
      List<Long> events = eventIds(ds);
      String report = "fires checked " + fires + ", checked twice " + twice + "; checks by node before the kill "
          + before + ", after " + after + "; killed " + victim + " holding " + heldByVictim.size() + " claims ("
          + receivedBeforeKill + "/" + SUBSCRIBERS + " of change 2 out); its claims all delivered "
          + takeover.toMillis() + " ms after the kill; every source fired again "
          + (triggersBack == null ? "never" : Duration.between(killed, triggersBack).toMillis() + " ms")
          + " after it; claimers seen during change 1: " + claimersSeen.size() + "; deliveries received "
          + receiver.total() + ", repeats of one delivery_id " + receiver.repeats() + " " + receiver.repeatedIds()
          + "; load average " + loadAtStart + " when all were up, " + loadAtKill + " at the kill";
      System.out.println("ThreeNodeClusterTest: " + report);
      Files.writeString(root.resolve("report.txt"), report);

      assertTrue(fires >= 200, report);
      assertEquals(0, twice, () -> "a (source, scheduled fire time) checked twice: " + report);
      assertEquals(3, events.size(), () -> "one price_cut per change, none detected twice: " + events);
      for (long e : events) {
        assertEquals(SUBSCRIBERS, receiver.subscribersOf(e), "event " + e + " reached every subscriber");
        assertEquals(0, receiver.subscribersWithTwoIds(e), "event " + e + ": a subscriber got it under two ids");
        assertEquals(receiver.idsOf(e), deliveryIds(ds, "SELECT delivery_id FROM alert_delivery WHERE event_id = ?",
            e), "event " + e + ": the receiver got exactly the outbox's delivery ids");
      }
      assertEquals(0, count(ds, "SELECT COUNT(*) FROM alert_delivery WHERE status <> 'delivered'"),
          "every delivery recorded as delivered");
      assertTrue(heldByVictim.containsAll(receiver.repeatedIds()), () -> "a delivery_id came twice that the killed "
          + "node did not hold: " + report);
      assertTrue(takeover.compareTo(Duration.ofSeconds(15)) < 0, () -> "takeover took " + takeover + ": " + report);
      assertTrue(claimersSeen.size() >= 2, () -> "a fan-out is claimed by several nodes: " + report);
      assertEquals(Set.of("node-1", "node-2", "node-3"), before.keySet(), () -> "checks on every node: " + report);
      Set<String> survivors = new HashSet<>(Set.of("node-1", "node-2", "node-3"));
      survivors.remove(victim);
      assertEquals(survivors, after.keySet(), () -> "checks on every live node after the kill: " + report);
    } catch (Throwable t) {
      for (String n : nodes.keySet()) {
        System.out.println("---- " + n + " ----\n" + ChildService.tail(root.resolve(n + ".log")));
      }
      throw t;
    } finally {
      for (ChildService c : nodes.values()) {
        c.kill();
      }
      pool.shutdownNow();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The 1-minute load average (the machine is shared; the report says how loaded it was). */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static java.time.OffsetDateTime utc(Instant i) {
    return java.time.OffsetDateTime.ofInstant(i, java.time.ZoneOffset.UTC);
  }

  private static String page(String input) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("acme-large", new String[] {input, "30.00"});
    return Pages.table(rows);
  }

  private static void awaitEvents(DataSource ds, int n) {
    TestApp.awaitTrue(n + " price_cut events", Duration.ofSeconds(60), () -> eventIds(ds).size() >= n);
  }

  private static List<Long> eventIds(DataSource ds) {
    List<Long> out = new ArrayList<>();
    query(ds, "SELECT id FROM change_event WHERE source_id = 'fan' AND kind = 'price_cut' ORDER BY id",
        rs -> out.add(rs.getLong(1)));
    return out;
  }

  /** The live incarnation of each node id. */
  private static Map<String, String> incarnations(DataSource ds) {
    Map<String, String> out = new TreeMap<>();
    query(ds, "SELECT node_id, incarnation FROM cluster_node WHERE stopped_at IS NULL", rs -> out.put(rs.getString(1),
        rs.getString(2)));
    return out;
  }

  private static Set<String> incarnationNodes(Map<String, String> incarnations) {
    return incarnations.keySet();
  }

  private static Map<String, Long> checksByNode(DataSource ds, Instant from) {
    return checksByNode(ds, from, Instant.now().plusSeconds(3600));
  }

  /** Scheduled checks started in [from, to) by node. */
  private static Map<String, Long> checksByNode(DataSource ds, Instant from, Instant to) {
    Map<String, Long> out = new TreeMap<>();
    query(ds, "SELECT node_id, COUNT(*) FROM source_check WHERE scheduled_for IS NOT NULL AND started_at >= ? "
        + "AND started_at < ? GROUP BY node_id", rs -> out.put(rs.getString(1), rs.getLong(2)),
        utc(from), utc(to));
    return out;
  }

  /** When every source had a check scheduled after the kill (the triggers the dead node held came back). */
  private static Instant triggersRecovered(DataSource ds, Instant killed) {
    List<Instant> firsts = new ArrayList<>();
    query(ds, "SELECT source_id, MIN(scheduled_for) FROM source_check WHERE scheduled_for > ? GROUP BY source_id",
        rs -> firsts.add(rs.getTimestamp(2).toInstant()), utc(killed));
    return firsts.size() < STATIC_SOURCES + 1 ? null : firsts.stream().max(Instant::compareTo).orElseThrow();
  }

  private static Set<String> claimers(DataSource ds, long eventId) {
    Set<String> out = new HashSet<>();
    query(ds, "SELECT DISTINCT claimed_by FROM alert_delivery WHERE event_id = ? AND claimed_by IS NOT NULL",
        rs -> out.add(rs.getString(1)), eventId);
    return out;
  }

  private static Map<String, Integer> claimsByIncarnation(DataSource ds, long eventId) {
    Map<String, Integer> out = new HashMap<>();
    query(ds, "SELECT claimed_by, COUNT(*) FROM alert_delivery WHERE event_id = ? AND status = 'pending' "
        + "AND claimed_by IS NOT NULL GROUP BY claimed_by", rs -> out.put(rs.getString(1), rs.getInt(2)), eventId);
    return out;
  }

  private static Set<String> deliveryIds(DataSource ds, String sql, Object arg) {
    Set<String> out = new HashSet<>();
    query(ds, sql, rs -> out.add(rs.getString(1)), arg);
    return out;
  }

  private static long count(DataSource ds, String sql) {
    long[] n = {0};
    query(ds, sql, rs -> n[0] = rs.getLong(1));
    return n[0];
  }

  private interface Row {
    void read(ResultSet rs) throws java.sql.SQLException;
  }

  private static void query(DataSource ds, String sql, Row row, Object... args) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.read(rs);
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * Webhook receiver on 127.0.0.1: {@code /hook/<n>} is subscriber n. Counts every POST by (subscriber, delivery_id),
   * keeps each delivery's event and first arrival, and answers 200 after 100 ms.
   */
  private static final class Receiver {
    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, Long> eventOf = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstArrival = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, Set<String>>> idsBySubscriber = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    Receiver(Vertx vertx) throws Exception {
      server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        String subscriber = req.path().substring(req.path().lastIndexOf('/') + 1);
        JsonObject j = b.toJsonObject();
        String id = j.getString("delivery_id");
        long event = Long.parseLong(j.getJsonObject("event").getString("id"));
        total.incrementAndGet();
        hits.computeIfAbsent(subscriber + "|" + id, k -> new AtomicInteger()).incrementAndGet();
        eventOf.put(id, event);
        firstArrival.putIfAbsent(id, Instant.now());
        idsBySubscriber.computeIfAbsent(event, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(subscriber, k -> ConcurrentHashMap.newKeySet()).add(id);
        vertx.setTimer(100, t -> req.response().setStatusCode(200).end("ok"));
      })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    int subscribersOf(long event) {
      return idsBySubscriber.getOrDefault(event, Map.of()).size();
    }

    long subscribersWithTwoIds(long event) {
      return idsBySubscriber.getOrDefault(event, Map.of()).values().stream().filter(s -> s.size() > 1).count();
    }

    Set<String> idsOf(long event) {
      Set<String> out = new HashSet<>();
      idsBySubscriber.getOrDefault(event, Map.of()).values().forEach(out::addAll);
      return out;
    }

    int total() {
      return total.get();
    }

    long repeats() {
      return hits.values().stream().filter(n -> n.get() > 1).count();
    }

    Set<String> repeatedIds() {
      Set<String> out = new HashSet<>();
      hits.forEach((k, n) -> {
        if (n.get() > 1) {
          out.add(k.substring(k.indexOf('|') + 1));
        }
      });
      return out;
    }

    /** The latest first arrival among these delivery ids; null when one never arrived. */
    Instant firstArrivalOfLast(Set<String> ids) {
      Instant last = null;
      for (String id : ids) {
        Instant t = firstArrival.get(id);
        if (t == null) {
          return null;
        }
        last = last == null || t.isAfter(last) ? t : last;
      }
      return last;
    }
  }
}
