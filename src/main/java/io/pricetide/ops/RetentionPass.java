package io.pricetide.ops;

import io.pricetide.config.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * One retention pass (issue #14) over the check log and the raw archive, by {@link Retention}'s days (0 keeps for
 * ever). A check row older than the limit is deleted unless something still names it: a change event or a price
 * point ({@code check_id}), a fetch state ({@code series_check}), an operator's accepted baseline, or it is a
 * source's last check or last check that did not fail (freshness and the next check read those). An archived body
 * older than the limit is deleted unless it is a source's last extracted body ({@code fetch_state.content_hash}) or
 * a check row still kept names it. So a {@code reextract} afterwards rebuilds from the bodies kept. Reads only the
 * history tables named here; writes nothing but these deletions.
 */
public final class RetentionPass {
  private final DataSource ds;
  private final Path archive;
  private final Retention retention;

  /** What one pass deleted. */
  public record Result(int checks, int bodies) {}

  public RetentionPass(DataSource ds, Path dataDir, Retention retention) {
    this.ds = ds;
    this.archive = dataDir.resolve("archive");
    this.retention = retention;
  }

  /** Runs the pass as of {@code now}; blocking. */
  public Result run(Instant now) throws SQLException, IOException {
    int checks = retention.checkLogDays() == 0 ? 0 : checks(now.minus(Duration.ofDays(retention.checkLogDays())));
    int bodies = retention.archiveDays() == 0 ? 0 : bodies(now.minus(Duration.ofDays(retention.archiveDays())));
    return new Result(checks, bodies);
  }

  private int checks(Instant cutoff) throws SQLException {
    String sql = "DELETE FROM source_check WHERE finished_at < ? AND outcome <> 'baseline'"
        + " AND id NOT IN (SELECT check_id FROM change_event WHERE check_id IS NOT NULL)"
        + " AND id NOT IN (SELECT check_id FROM price_point WHERE check_id IS NOT NULL)"
        + " AND id NOT IN (SELECT series_check FROM fetch_state WHERE series_check IS NOT NULL)"
        + " AND id NOT IN (SELECT MAX(id) FROM source_check GROUP BY source_id)"
        + " AND id NOT IN (SELECT MAX(id) FROM source_check WHERE outcome <> 'error' GROUP BY source_id)";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(cutoff));
      return ps.executeUpdate();
    }
  }

  private int bodies(Instant cutoff) throws SQLException, IOException {
    if (!Files.isDirectory(archive)) {
      return 0;
    }
    Set<String> keep = new HashSet<>();
    try (Connection c = ds.getConnection()) {
      collect(c, "SELECT content_hash FROM fetch_state WHERE content_hash IS NOT NULL", null, keep);
      collect(c, "SELECT DISTINCT content_hash FROM source_check WHERE content_hash IS NOT NULL AND finished_at >= ?",
          cutoff, keep);
      // Bodies named by the check rows retention keeps (events and points name their checks).
      collect(c, "SELECT DISTINCT k.content_hash FROM source_check k WHERE k.content_hash IS NOT NULL AND k.id IN"
          + " (SELECT check_id FROM change_event WHERE check_id IS NOT NULL UNION SELECT MAX(id) FROM source_check"
          + " GROUP BY source_id)", null, keep);
    }
    int deleted = 0;
    FileTime limit = FileTime.from(cutoff);
    try (Stream<Path> files = Files.walk(archive)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (!Files.isRegularFile(p) || !name.endsWith(".gz")) {
          continue;
        }
        String hash = name.substring(0, name.length() - 3);
        if (!keep.contains(hash) && Files.getLastModifiedTime(p).compareTo(limit) < 0) {
          Files.deleteIfExists(p);
          deleted++;
        }
      }
    }
    return deleted;
  }

  private static void collect(Connection c, String sql, Instant at, Set<String> into) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (at != null) {
        ps.setTimestamp(1, Timestamp.from(at));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(rs.getString(1));
        }
      }
    }
  }
}
