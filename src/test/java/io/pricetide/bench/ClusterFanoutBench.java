package io.pricetide.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pricetide.testing.ChildService;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster fan-out benchmark (not a timed test; run with {@code mvn -Pbench test -Dtest=ClusterFanoutBench}): one price
 * change sent by the real pipeline to {@code bench.subscribers} (default 100,000) webhook subscribers on a loopback
 * receiver that answers at once, first by one clustered node, then, in the same run on the same PostgreSQL, by three
 * (two more join the first). Each round changes the price, asks node 1 for a check and times from the request to the
 * last delivery's arrival. Per topology {@code bench.warmup} unmeasured rounds (default 1), then {@code bench.rounds}
 * (default 3); {@code bench.order=3,1} runs three nodes first, then stops two; the outbox is emptied after each round
 * unless {@code bench.reset=false}. The report gives the median and range
 * per topology, the ratio of the medians, and the load average before each round. The nodes are child JVMs with 512
 * MB heaps; PostgreSQL (zonky), the receiver and the three nodes all share this machine's cores.
 */
class ClusterFanoutBench {
  private static final int SUBSCRIBERS = Integer.getInteger("bench.subscribers", 100_000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  private static final int WARMUP = Integer.getInteger("bench.warmup", 1);
  /** Empty the outbox after each round (default true), so that rounds do not pay for the rows of the ones before. */
  private static final boolean RESET = Boolean.parseBoolean(System.getProperty("bench.reset", "true"));
  private static final String ADMIN = "cluster-bench-admin-token";

  @TempDir
  Path root;

  @Test
  void fanoutOneNodeVersusThree() throws Exception {
    BenchReport report = new BenchReport("cluster-fanout");
    Vertx vertx = Vertx.vertx();
    List<ChildService> nodes = new ArrayList<>();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
        FakeVendor fan = new FakeVendor().serve(page(1000))) {
      DataSource ds = pg.getPostgresDatabase();
      Map<Long, AtomicInteger> byEvent = new ConcurrentHashMap<>();
      AtomicLong lastArrival = new AtomicLong();
      HttpServer receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        long event = Long.parseLong(b.toJsonObject().getJsonObject("event").getString("id"));
        byEvent.computeIfAbsent(event, k -> new AtomicInteger()).incrementAndGet();
        lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
        req.response().end("ok");
      })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Path sources = Files.createDirectories(root.resolve("sources"));
      Files.writeString(sources.resolve("fan.yaml"), Pages.sourceYaml("fan", fan.url("/fan"), "0 0 0 1 1 ? 2099"));
      Path config = root.resolve("config.yaml");
      Files.writeString(config, "http_host: 127.0.0.1\nhttp_port: 0\nadmin_token: " + ADMIN + "\n");
      int[] hz = {freePort(), freePort(), freePort()};
      String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
      List<String> jvm = List.of("-Xmx512m", "-XX:+UseSerialGC");
      java.util.function.IntFunction<Map<String, String>> env = i -> {
        Map<String, String> e = new HashMap<>();
        e.put("PRICETIDE_DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"));
        e.put("PRICETIDE_DATABASE_USER", "postgres");
        e.put("PRICETIDE_SECRET", "cluster-bench-shared-secret-0123456789");
        e.put("PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "true");
        e.put("PRICETIDE_CLUSTER_ENABLED", "true");
        e.put("PRICETIDE_CLUSTER_NODE_ID", "node-" + (i + 1));
        e.put("PRICETIDE_CLUSTER_PORT", String.valueOf(hz[i]));
        e.put("PRICETIDE_CLUSTER_BUS_PORT", String.valueOf(freePortUnchecked()));
        e.put("PRICETIDE_CLUSTER_MEMBERS", members);
        e.put("PRICETIDE_LOG_LEVEL", "warn");
        return e;
      };
      nodes.add(ChildService.start(config, root.resolve("data-1"), sources, env.apply(0), ADMIN,
          root.resolve("node-1.log"), jvm));
      ChildService first = nodes.get(0);
      // The baseline check before any subscriber exists, then the subscribers straight into the table.
      check(first);
      AlertFanoutBench.insertSubscribers(ds, "http://127.0.0.1:" + receiver.actualPort() + "/hook/", SUBSCRIBERS, 0,
          "{}");
      report.line("# Cluster fan-out: %,d webhook subscribers, 1 node vs 3 nodes", SUBSCRIBERS);
      report.line("");
      report.line("%d cores; nodes: child JVMs -Xmx512m SerialGC, webhook_concurrency 64 each; PostgreSQL %s "
          + "embedded; receiver on loopback answering at once; outbox emptied after each round: %s; order %s",
          Runtime.getRuntime().availableProcessors(), "(zonky)", RESET ? "yes" : "no",
          System.getProperty("bench.order", "1,3"));
      report.line("");
      report.line("| topology | round | seconds | deliveries/s | load avg before |");
      report.line("|---|---|---|---|---|");
      int[] cents = {1000};
      // One topology after the other, each warmed up first by an unmeasured round (the JIT of every node has compiled
      // the send path): nodes restarted between rounds would run cold. bench.order=3,1 runs three nodes first (then
      // stops two), so a drift over the run (the outbox table grows by every round) can be told from the topology.
      List<Double> one = new ArrayList<>();
      List<Double> three = new ArrayList<>();
      boolean threeFirst = System.getProperty("bench.order", "1,3").equals("3,1");
      List<ChildService> joined = new ArrayList<>();
      for (String topology : threeFirst ? List.of("3 nodes", "1 node") : List.of("1 node", "3 nodes")) {
        if (topology.equals("3 nodes")) {
          for (int i = 1; i < 3; i++) {
            joined.add(ChildService.start(config, root.resolve("data-" + (i + 1)), sources, env.apply(i), ADMIN,
                root.resolve("node-" + (i + 1) + ".log"), jvm));
          }
          nodes.addAll(joined);
          TestApp.awaitTrue("3 live nodes", Duration.ofSeconds(60), () -> liveNodes(ds) == 3);
        } else if (!joined.isEmpty()) {
          for (ChildService n : joined) {
            n.kill(); // idle: the outbox is settled, they hold no claim
          }
          nodes.removeAll(joined);
          // Until Hazelcast has removed them, the event bus could still route node 1's check to one of them.
          TestApp.awaitTrue("1 live node", Duration.ofSeconds(60), () -> liveNodes(ds) == 1);
          Thread.sleep(8_000);
        }
        for (int r = 1 - WARMUP; r <= ROUNDS; r++) {
          double s = round(report, topology, r, ds, first, fan, byEvent, lastArrival, cents);
          if (r >= 1) {
            (topology.equals("1 node") ? one : three).add(s);
          }
        }
      }
      double m1 = median(one);
      double m3 = median(three);
      report.line("");
      report.line("| topology | median s | range s | median deliveries/s |");
      report.line("|---|---|---|---|");
      report.line("| 1 node | %.2f | %.2f-%.2f | %,.0f |", m1, min(one), max(one), SUBSCRIBERS / m1);
      report.line("| 3 nodes | %.2f | %.2f-%.2f | %,.0f |", m3, min(three), max(three), SUBSCRIBERS / m3);
      report.line("");
      report.line("3 nodes / 1 node, ratio of median times: %.2f (below 1 is faster)", m3 / m1);
      report.line("BENCH %s", new JsonObject().put("subscribers", SUBSCRIBERS).put("rounds", ROUNDS)
          .put("order", threeFirst ? "3,1" : "1,3")
          .put("one_node_s", one).put("three_nodes_s", three).put("ratio_median", m3 / m1).encode());
    } finally {
      for (ChildService n : nodes) {
        n.kill();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static long liveNodes(DataSource ds) {
    return count(ds, "SELECT COUNT(*) FROM cluster_node WHERE stopped_at IS NULL "
        + "AND heartbeat_at > NOW() - INTERVAL '5 seconds'");
  }

  private double round(BenchReport report, String topology, int r, DataSource ds, ChildService node, FakeVendor fan,
      Map<Long, AtomicInteger> byEvent, AtomicLong lastArrival, int[] cents) throws Exception {
    {
      String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      cents[0] -= 10;
      fan.serve(page(cents[0]));
      long before = maxEvent(ds);
      long t0 = System.nanoTime();
      check(node);
      TestApp.awaitTrue("the change's event", Duration.ofSeconds(60), () -> maxEvent(ds) > before);
      long event = maxEvent(ds);
      TestApp.awaitTrue(topology + " round " + r + ": all delivered", Duration.ofMinutes(10),
          () -> byEvent.getOrDefault(event, new AtomicInteger()).get() >= SUBSCRIBERS);
      double s = (lastArrival.get() - t0) / 1e9;
      assertEquals(SUBSCRIBERS, byEvent.get(event).get(), "each subscriber once");
      report.line("| %s | %s | %.2f | %,.0f | %s |", topology, r < 1 ? "warm-up" : String.valueOf(r), s,
          SUBSCRIBERS / s, load);
      TestApp.awaitTrue("outbox settled", Duration.ofMinutes(2), () -> count(ds,
          "SELECT COUNT(*) FROM alert_delivery WHERE status = 'pending'") == 0);
      if (RESET) {
        // Each round on an empty outbox: otherwise every round's 10^5 rows (and their dead versions) make the next
        // round's inserts and index updates dearer, and the topology measured later pays for the earlier one.
        try (var c = ds.getConnection(); var st = c.createStatement()) {
          st.execute("TRUNCATE alert_attempt, alert_delivery");
          st.execute("VACUUM ANALYZE alert_delivery");
        }
      }
      return s;
    }
  }

  private static void check(ChildService node) throws Exception {
    HttpResponse<String> r = node.post("/api/sources/fan/check", "");
    assertEquals(200, r.statusCode(), r::body);
  }

  private static long maxEvent(DataSource ds) {
    return count(ds, "SELECT COALESCE(MAX(id), 0) FROM change_event WHERE source_id = 'fan' AND kind = 'price_cut'");
  }

  private static String page(int cents) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("acme-large", new String[] {String.format("%d.%02d", cents / 100, cents % 100), "30.00"});
    return Pages.table(rows);
  }

  private static long count(DataSource ds, String sql) {
    try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freePortUnchecked() {
    try {
      return freePort();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }
}
