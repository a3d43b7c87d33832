package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unchanged body (same bytes, or a 304) is not parsed again, except once per UTC day. */
class UnchangedBodyTest {
  @TempDir
  Path root;

  private static String page() {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {"10.00", "30.00", "5.00"});
    return Pages.table(rows);
  }

  private static void extractedYesterday(App app) throws Exception {
    try (Connection c = app.db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE fetch_state SET extracted_at = extracted_at - INTERVAL '1' DAY WHERE source_id = 'acme'")) {
      assertEquals(1, ps.executeUpdate());
    }
  }

  @Test
  @DisplayName("Same bytes or 304: unchanged without parsing; the first check of a new UTC day parses once")
  void unchangedIsNotParsedButDailyIs() throws Exception {
    for (boolean etags : new boolean[] {false, true}) {
      try (FakeVendor vendor = new FakeVendor().serve(page()).etags(etags)) {
        var cfg = TestApp.config(root.resolve("etags-" + etags), Map.of("acme.yaml",
            Pages.sourceYaml("acme", vendor.url("/pricing"), "0 0 0 * * ?")));
        try (App app = TestApp.start(cfg, false)) {
          assertEquals("new", TestApp.check(app, "acme").outcome());
          CheckOutcome same = TestApp.check(app, "acme");
          assertEquals("unchanged", same.outcome());
          assertEquals(0, same.observations(), "not parsed again");
          assertEquals(etags ? 1 : 0, vendor.notModified());
          extractedYesterday(app);
          CheckOutcome daily = TestApp.check(app, "acme");
          assertEquals("unchanged", daily.outcome());
          assertEquals(3, daily.observations(), "parsed once on a new day");
          assertEquals(0, TestApp.check(app, "acme").observations(), "and not again that day");
        }
      }
    }
  }
  @Test
  @DisplayName("A gzipped page is archived as the bytes sent, extracted without reading them back, unchanged next")
  void gzipBodyIsArchivedAsSent() throws Exception {
    try (FakeVendor vendor = new FakeVendor().serve(page()).gzip(true)) {
      var cfg = TestApp.config(root.resolve("gzip"), Map.of("acme.yaml",
          Pages.sourceYaml("acme", vendor.url("/pricing"), "0 0 0 * * ?")));
      try (App app = TestApp.start(cfg, false)) {
        CheckOutcome first = TestApp.check(app, "acme");
        assertEquals("new", first.outcome());
        assertEquals(3, first.observations());
        assertEquals(1, vendor.gzipped(), "the fetcher asked for gzip");
        String hash = app.queries.checks("acme", 1).getJsonObject(0).getString("content_hash");
        assertEquals(io.pricetide.archive.RawArchive.sha256(page().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            hash, "the hash is of the page, not of its gzip");
        java.nio.file.Path stored = cfg.dataDir().resolve("archive").resolve(hash.substring(0, 2))
            .resolve(hash + ".gz");
        org.junit.jupiter.api.Assertions.assertArrayEquals(FakeVendor.gzip(page()),
            java.nio.file.Files.readAllBytes(stored), "stored as sent, not compressed again");
        assertEquals(page(), new String(app.archive.get(hash), java.nio.charset.StandardCharsets.UTF_8));
        CheckOutcome same = TestApp.check(app, "acme");
        assertEquals("unchanged", same.outcome());
        assertEquals(0, same.observations());
        extractedYesterday(app);
        assertEquals(3, TestApp.check(app, "acme").observations(), "the daily pass reads the archived gzip");
      }
    }
  }
}
