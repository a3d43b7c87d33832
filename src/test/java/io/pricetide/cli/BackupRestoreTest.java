package io.pricetide.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.pricetide.cli.HandoffTest.Run;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.testing.ChildService;
import io.pricetide.testing.Pages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup} and {@code restore} (#14): a backup taken while the service runs restores into an empty dir with
 * every row and every archived body identical; and a data dir of the current release's schema (V15) upgrades in
 * place: the current code opens it and reads every row back.
 */
class BackupRestoreTest {
  private static final String ADMIN = "backup-admin";

  @TempDir
  Path root;

  @Test
  @DisplayName("backup while the service runs (handed over), restore into an empty dir: rows and archive identical;"
      + " restore into a non-empty dir is refused")
  void roundTrip() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", "http://127.0.0.1:9/p",
        "0 0 0 1 1 ? 2099"));
    Path snaps = Files.createDirectories(root.resolve("snaps"));
    Files.writeString(snaps.resolve("2025-01-01_acme.html"), HandoffTest.page("3.00"));
    Files.writeString(snaps.resolve("2025-02-01_acme.html"), HandoffTest.page("2.50"));
    Files.writeString(snaps.resolve("2025-03-01_acme.html"), HandoffTest.page("2.75"));
    Path config = Files.writeString(root.resolve("config.yaml"), "http_host: 127.0.0.1\nhttp_port: 0\nadmin_token: "
        + ADMIN + "\nscheduler_enabled: false\n");
    Path data = root.resolve("data");
    String[] common = {"--config", config.toString(), "--sources", sources.toString()};
    assertEquals(0, cli(common, "replay", "--source", "acme", "--data", data.toString(), snaps.toString()).code());

    Path backup = root.resolve("backup");
    ChildService child = ChildService.start(config, data, sources, Map.of(), ADMIN, root.resolve("child.log"));
    Run b;
    try {
      b = cli(common, "backup", "--to", backup.toString(), "--data", data.toString());
    } finally {
      child.close();
    }
    assertEquals(0, b.code(), b.toString());
    assertTrue(ChildService.tail(root.resolve("child.log")).contains("control: running 'backup'"), "handed over");
    assertTrue(Files.isRegularFile(backup.resolve("database.zip")));

    Path restored = root.resolve("restored");
    Run r = cli(common, "restore", "--from", backup.toString(), "--data", restored.toString());
    assertEquals(0, r.code(), r.toString());
    Run again = cli(common, "restore", "--from", backup.toString(), "--data", restored.toString());
    assertEquals(1, again.code());
    assertTrue(again.err().contains("is not empty"), again.err());

    assertEquals(dump(data), dump(restored), "every row");
    assertEquals(archive(data), archive(restored), "every archived body");
    for (String[] verb : List.of(new String[] {"events", "--format", "jsonl"},
        new String[] {"export", "prices", "--format", "json"})) {
      Run a = cli(common, concat(verb, "--data", data.toString()));
      Run c = cli(common, concat(verb, "--data", restored.toString()));
      assertEquals(a, c);
      assertFalse(a.out().isBlank());
    }
  }

  @Test
  @DisplayName("a data dir of the current release (schema V15, rows in every history table) upgrades in place: "
      + "the current code opens it and reads every row back")
  void upgradeInPlace() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", "http://127.0.0.1:9/p",
        "0 0 0 1 1 ? 2099"));
    Path data = root.resolve("data");
    AppConfig cfg = ConfigLoader.load(null, data, sources, Map.of());
    Files.createDirectories(data);
    Map<String, List<Map<String, String>>> before;
    try (HikariDataSource ds = new HikariDataSource()) {
      ds.setJdbcUrl(cfg.databaseUrl());
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("15")
          .placeholders(Map.of("exact_decimal", "DECFLOAT")).load().migrate();
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("INSERT INTO source_check (id, source_id, started_at, finished_at, outcome, stage, reason,"
            + " http_status, content_hash, observations, event_count, content_type) VALUES (1, 'acme',"
            + " TIMESTAMP WITH TIME ZONE '2025-06-01 10:00:00+00', TIMESTAMP WITH TIME ZONE '2025-06-01 10:00:01+00',"
            + " 'changed', NULL, 'one price changed', 200, 'ab', 2, 1, 'text/html')");
        st.execute("INSERT INTO series (id, source_id, provider, model, canonical_model, metric, cond, currency,"
            + " amount, usd_per_1m, first_seen, last_seen, last_changed, active, missing_checks) VALUES (1, 'acme',"
            + " 'acme', 'Acme Large', 'acme-large', 'input', '', 'USD', 2.5, 2.5, TIMESTAMP WITH TIME ZONE"
            + " '2025-05-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2025-06-01 10:00:01+00', TIMESTAMP WITH TIME ZONE"
            + " '2025-06-01 10:00:01+00', TRUE, 0)");
        st.execute("INSERT INTO price_point (id, series_id, observed_at, amount, usd_per_1m, check_id) VALUES (1, 1,"
            + " TIMESTAMP WITH TIME ZONE '2025-05-01 00:00:00+00', 3.0000000000001, 3.0000000000001, NULL), (2, 1,"
            + " TIMESTAMP WITH TIME ZONE '2025-06-01 10:00:01+00', 2.5, 2.5, 1)");
        st.execute("INSERT INTO change_event (id, kind, source_id, provider, model, canonical_model, metric, cond,"
            + " old_usd, new_usd, old_amount, new_amount, currency, change_pct, observed_at, check_id, created_at)"
            + " VALUES (1, 'price_cut', 'acme', 'acme', 'Acme Large', 'acme-large', 'input', '', 3.0000000000001,"
            + " 2.5, 3.0000000000001, 2.5, 'USD', -16.67, TIMESTAMP WITH TIME ZONE '2025-06-01 10:00:01+00', 1,"
            + " TIMESTAMP WITH TIME ZONE '2025-06-01 10:00:01+00')");
        st.execute("INSERT INTO fetch_state (source_id, etag, last_modified, content_hash, updated_at) VALUES"
            + " ('acme', 'W/\"1\"', NULL, 'ab', TIMESTAMP WITH TIME ZONE '2025-06-01 10:00:01+00')");
      }
      before = dump(ds);
    }
    assertTrue(before.values().stream().mapToInt(List::size).sum() >= 6, before.toString());

    // The current code: opening migrates to the newest schema; every row of before reads back, column by column.
    try (Database db = Database.open(cfg)) {
      Map<String, List<Map<String, String>>> after = dump(db.dataSource());
      for (Map.Entry<String, List<Map<String, String>>> t : before.entrySet()) {
        List<Map<String, String>> now = after.get(t.getKey());
        assertEquals(t.getValue().size(), now.size(), "rows of " + t.getKey());
        for (int i = 0; i < now.size(); i++) {
          Map<String, String> old = t.getValue().get(i);
          Map<String, String> kept = new TreeMap<>(now.get(i));
          kept.keySet().retainAll(old.keySet());
          assertEquals(old, kept, t.getKey() + " row " + i);
        }
      }
    }
    Run events = cli(new String[] {"--sources", sources.toString(), "--data", data.toString()}, "events");
    assertEquals(0, events.code(), events.toString());
    assertTrue(events.out().contains("\"kind\":\"price_cut\"") && events.out().contains("\"old\":\"3.0000000000001\""),
        events.out());
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  private static Run cli(String[] common, String... verb) {
    return HandoffTest.cli(concat(verb, common));
  }

  private static Map<String, List<Map<String, String>>> dump(Path data) throws Exception {
    AppConfig cfg = ConfigLoader.load(null, data, null, Map.of());
    try (Database db = Database.open(cfg)) {
      return dump(db.dataSource());
    }
  }

  /** Every row of every table but Flyway's, in id order, each column as text. */
  private static Map<String, List<Map<String, String>>> dump(DataSource ds) throws Exception {
    Map<String, List<Map<String, String>>> out = new TreeMap<>();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE"
          + " table_schema = 'public' AND table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        if (t.equals("flyway_schema_history")) {
          continue;
        }
        List<Map<String, String>> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + t + " ORDER BY 1")) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              row.put(md.getColumnName(i).toLowerCase(), rs.getString(i));
            }
            rows.add(row);
          }
        }
        out.put(t, rows);
      }
    }
    return out;
  }

  private static Map<String, String> archive(Path data) throws Exception {
    Map<String, String> out = new TreeMap<>();
    Path dir = data.resolve("archive");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), io.pricetide.archive.RawArchive.sha256(Files.readAllBytes(p)));
      }
    }
    return out;
  }
}
