package io.pricetide.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.config.AppConfig;
import io.pricetide.config.Retention;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention (#14): past the limits, check rows nothing names and archived bodies nothing needs are deleted; rows
 * that events or points name, a source's last check and last good check, and the last extracted body stay.
 */
class RetentionTest {
  @TempDir
  Path root;

  static String page(String large) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {large, "30.00", "5.00"});
    return Pages.table(rows);
  }

  @Test
  @DisplayName("a pass 40 days on with 30-day limits deletes the unnamed unchanged check, the orphan body and the superseded page only")
  void pass() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page("10.00"))) {
      AppConfig cfg = TestApp.config(root, Map.of("acme.yaml", Pages.sourceYaml("acme", vendor.url("/pricing"),
          "0 0 0 1 1 ? 2099"))).withScheduler(false);
      assertEquals(new Retention(30, 7), io.pricetide.config.ConfigLoader.load(null, root.resolve("data"),
          cfg.sourcesDir(), Map.of("PRICETIDE_ARCHIVE_RETENTION_DAYS", "30", "PRICETIDE_CHECK_LOG_RETENTION_DAYS",
              "7")).retention());
      try (App app = TestApp.start(cfg, false)) {
        List<Long> ids = new ArrayList<>();
        ids.add(TestApp.check(app, "acme").checkId()); // new
        vendor.serve(page("8.00"));
        CheckOutcome changed = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.CHANGED, changed.outcome());
        ids.add(changed.checkId());
        CheckOutcome unchanged = TestApp.check(app, "acme");
        assertEquals(CheckOutcome.UNCHANGED, unchanged.outcome());
        ids.add(unchanged.checkId());
        ids.add(TestApp.check(app, "acme").checkId()); // unchanged again: the last good check
        vendor.failNext(500, 1000, 0);
        CheckOutcome failed = TestApp.check(app, "acme");
        assertTrue(failed.isError());
        ids.add(failed.checkId()); // the last check

        RawArchive archive = new RawArchive(cfg.dataDir());
        String orphan = archive.put("an old body nothing names".getBytes(StandardCharsets.UTF_8));
        String fresh = archive.put("a body archived today".getBytes(StandardCharsets.UTF_8));
        String latest = one(app, "SELECT content_hash FROM fetch_state WHERE source_id = 'acme'");
        String first = one(app, "SELECT content_hash FROM source_check WHERE id = " + ids.get(0));
        assertFalse(first.equals(latest));
        Instant now = Instant.now().plus(Duration.ofDays(40));

        // Within the limits nothing goes.
        assertEquals(new RetentionPass.Result(0, 0), new RetentionPass(app.db.dataSource(), cfg.dataDir(),
            new Retention(30, 30)).run(Instant.now()));

        // Forty days on: every body but the fresh one is older than the limit.
        try (Stream<Path> files = Files.walk(cfg.dataDir().resolve("archive"))) {
          for (Path p : files.filter(Files::isRegularFile).toList()) {
            if (!p.getFileName().toString().startsWith(fresh)) {
              Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(5))));
            }
          }
        }
        Files.setLastModifiedTime(path(cfg, fresh), FileTime.from(now.minus(Duration.ofDays(1))));
        RetentionPass.Result r = new RetentionPass(app.db.dataSource(), cfg.dataDir(), new Retention(30, 30))
            .run(now);
        assertEquals(1, r.checks(), "only the first unchanged check: nothing names it and it is not the last");
        List<Long> left = longs(app, "SELECT id FROM source_check ORDER BY id");
        assertFalse(left.contains(ids.get(2)), left.toString());
        for (int i : new int[] {0, 1, 3, 4}) {
          assertTrue(left.contains(ids.get(i)), "check " + i + " kept: " + left);
        }
        assertEquals(0L, longs(app, "SELECT COUNT(*) FROM change_event e WHERE e.check_id IS NOT NULL AND NOT EXISTS"
            + " (SELECT 1 FROM source_check k WHERE k.id = e.check_id)").get(0), "every event still names its check");
        // The orphan and the first page, superseded by the second (its check stays: its points name it).
        assertEquals(2, r.bodies(), "the orphan body and the superseded first page");
        assertFalse(Files.exists(path(cfg, orphan)));
        assertFalse(Files.exists(path(cfg, first)), "the first page is no source's last body");
        assertTrue(Files.exists(path(cfg, fresh)), "younger than the limit");
        assertTrue(Files.exists(path(cfg, latest)), "the source's last extracted body");
        assertTrue(archive.contains(latest));
      }
    }
  }

  private static Path path(AppConfig cfg, String hash) {
    return cfg.dataDir().resolve("archive").resolve(hash.substring(0, 2)).resolve(hash + ".gz");
  }

  private static String one(App app, String sql) throws Exception {
    try (Connection c = app.db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<Long> longs(App app, String sql) throws Exception {
    List<Long> out = new ArrayList<>();
    try (Connection c = app.db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
