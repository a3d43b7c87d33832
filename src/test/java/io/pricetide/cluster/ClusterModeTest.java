package io.pricetide.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster mode's settings: what is refused, what stays single-node, and one clustered node on PostgreSQL. */
class ClusterModeTest {
  @TempDir
  Path root;

  private AppConfig load(Map<String, String> env) {
    return ConfigLoader.load(null, root.resolve("data"), root.resolve("sources"), env);
  }

  @Test
  @DisplayName("cluster_enabled without a PostgreSQL database_url is a clear error naming the key and the fix")
  void clusterNeedsPostgres() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> load(Map.of(
        "PRICETIDE_CLUSTER_ENABLED", "true", "PRICETIDE_CLUSTER_MEMBERS", "127.0.0.1:5701")));
    assertTrue(none.getMessage().contains("cluster_enabled is true but database_url is not set"), none::getMessage);
    assertTrue(none.getMessage().contains("PostgreSQL"), none::getMessage);
    IllegalArgumentException h2 = assertThrows(IllegalArgumentException.class, () -> load(Map.of(
        "PRICETIDE_CLUSTER_ENABLED", "true", "PRICETIDE_CLUSTER_MEMBERS", "127.0.0.1:5701",
        "PRICETIDE_DATABASE_URL", "jdbc:h2:mem:x")));
    assertTrue(h2.getMessage().contains("database_url is not PostgreSQL"), h2::getMessage);
  }

  @Test
  @DisplayName("cluster settings are checked: members required, host:port, yes/no, dead-after at least two beats")
  void settingsAreChecked() {
    Map<String, String> pg = Map.of("PRICETIDE_CLUSTER_ENABLED", "true",
        "PRICETIDE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/pricetide");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> load(pg)).getMessage()
        .contains("cluster_members must list at least one host:port"));
    Map<String, String> env = new HashMap<>(pg);
    env.put("PRICETIDE_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> load(env)).getMessage()
        .contains("'10.0.0.2' is not host:port"));
    env.put("PRICETIDE_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701");
    env.put("PRICETIDE_CLUSTER_ENABLED", "yes");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> load(env)).getMessage()
        .contains("cluster_enabled must be true or false"));
    env.put("PRICETIDE_CLUSTER_ENABLED", "true");
    env.put("PRICETIDE_CLUSTER_DEAD_AFTER_MS", "3000");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> load(env)).getMessage()
        .contains("cluster_dead_after_ms (3000) must be at least twice cluster_heartbeat_ms (2000)"));
    env.remove("PRICETIDE_CLUSTER_DEAD_AFTER_MS");
    env.put("PRICETIDE_CLUSTER_NODE_ID", "n".repeat(41));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> load(env)).getMessage()
        .contains("cluster_node_id must be 1-40 letters"));
    env.put("PRICETIDE_CLUSTER_NODE_ID", "node-a");
    AppConfig cfg = load(env);
    assertTrue(cfg.clustered());
    assertEquals(java.util.List.of("10.0.0.1:5701", "10.0.0.2:5701"), cfg.cluster().members());
    assertEquals("node-a", cfg.cluster().nodeId());
    assertEquals(5701, cfg.cluster().port());
    assertEquals(5801, cfg.cluster().busPort());
    assertEquals(2000, cfg.cluster().heartbeatMs());
    assertEquals(6000, cfg.cluster().deadAfterMs());
    assertEquals(5000, cfg.cluster().checkinMs());
  }

  @Test
  @DisplayName("The config file takes the cluster keys too (members as a YAML list); unknown keys stay errors")
  void configFile() throws Exception {
    Path file = root.resolve("cluster.yaml");
    Files.writeString(file, """
        database_url: jdbc:postgresql://db:5432/pricetide
        cluster_enabled: true
        cluster_node_id: pricetide-0
        cluster_host: 10.1.2.3
        cluster_members:
          - pricetide-0.pricetide-cluster:5701
          - pricetide-1.pricetide-cluster:5701
        """);
    AppConfig cfg = ConfigLoader.load(file, root.resolve("data"), root.resolve("sources"), Map.of());
    assertEquals(java.util.List.of("pricetide-0.pricetide-cluster:5701", "pricetide-1.pricetide-cluster:5701"),
        cfg.cluster().members());
    assertEquals("10.1.2.3", cfg.cluster().host());
    Files.writeString(file, "cluster_enable: true\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(file, null, null, Map.of()))
        .getMessage().contains("unknown configuration key 'cluster_enable'"));
  }

  @Test
  @DisplayName("Default: one node as before (local event bus, in-memory Quartz, no heartbeats, no claims by node)")
  void defaultStaysSingleNode() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("2.00"))) {
      AppConfig cfg = TestApp.config(root, Map.of("acme.yaml", Pages.sourceYaml("acme", vendor.url("/p"),
          "0/1 * * * * ?")));
      assertFalse(cfg.clustered());
      try (App app = TestApp.start(cfg, true)) {
        assertFalse(app.vertx.isClustered(), "a local Vert.x");
        assertNull(app.node);
        TestApp.awaitTrue("a scheduled check", Duration.ofSeconds(20), () -> count(app.db.dataSource(),
            "SELECT COUNT(*) FROM source_check WHERE scheduled_for IS NOT NULL") > 0);
        assertEquals(0, count(app.db.dataSource(), "SELECT COUNT(*) FROM cluster_node"));
        assertEquals(0, count(app.db.dataSource(), "SELECT COUNT(*) FROM source_check WHERE node_id IS NOT NULL"));
        assertEquals(0, count(app.db.dataSource(), "SELECT COUNT(*) FROM information_schema.tables "
            + "WHERE LOWER(table_name) LIKE 'qrtz%'"), "no Quartz tables on H2");
      }
    }
  }

  @Test
  @DisplayName("One clustered node on PostgreSQL: clustered Vert.x, its heartbeat moves, triggers in Quartz's tables, "
      + "checks recorded with the node and the fire time")
  void oneClusteredNode() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        FakeVendor vendor = new FakeVendor().serve(page("2.00"))) {
      int hz = freePort();
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PRICETIDE_DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"));
      env.put("PRICETIDE_DATABASE_USER", "postgres");
      env.put("PRICETIDE_CLUSTER_ENABLED", "true");
      env.put("PRICETIDE_CLUSTER_NODE_ID", "solo");
      env.put("PRICETIDE_CLUSTER_PORT", String.valueOf(hz));
      env.put("PRICETIDE_CLUSTER_BUS_PORT", String.valueOf(freePort()));
      env.put("PRICETIDE_CLUSTER_MEMBERS", "127.0.0.1:" + hz);
      env.put("PRICETIDE_CLUSTER_HEARTBEAT_MS", "500");
      env.put("PRICETIDE_CLUSTER_DEAD_AFTER_MS", "3000");
      AppConfig cfg = TestApp.config(root, Map.of("acme.yaml", Pages.sourceYaml("acme", vendor.url("/p"),
          "0/1 * * * * ?")), env);
      try (App app = TestApp.start(cfg, true)) {
        assertTrue(app.vertx.isClustered());
        assertTrue(app.node.incarnation().startsWith("solo/"), app.node.incarnation());
        DataSource ds = app.db.dataSource();
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_name = 'acme'"));
        Instant first = heartbeat(ds, app.node.incarnation());
        TestApp.awaitTrue("the heartbeat moves", Duration.ofSeconds(10),
            () -> heartbeat(ds, app.node.incarnation()).isAfter(first));
        TestApp.awaitTrue("scheduled checks by node solo", Duration.ofSeconds(30), () -> count(ds,
            "SELECT COUNT(*) FROM source_check WHERE node_id = 'solo' AND scheduled_for IS NOT NULL") >= 3);
        assertEquals(0, count(ds, "SELECT COUNT(*) FROM (SELECT source_id, scheduled_for FROM source_check "
            + "WHERE scheduled_for IS NOT NULL GROUP BY source_id, scheduled_for HAVING COUNT(*) > 1) d"));
        assertEquals(java.util.Set.of(app.node.incarnation()), app.node.live());
      }
    }
  }

  private static String page(String input) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("acme-large", new String[] {input, "8.00"});
    return Pages.table(rows);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Instant heartbeat(DataSource ds, String inc) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT heartbeat_at FROM cluster_node WHERE incarnation = '" + inc + "'")) {
      rs.next();
      return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long count(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
