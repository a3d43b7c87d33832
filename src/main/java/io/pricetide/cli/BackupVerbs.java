package io.pricetide.cli;

import io.pricetide.app.App;
import io.pricetide.config.AppConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code backup --to DIR} and {@code restore --from DIR} of an H2 data dir (issue #14). The database is copied by
 * H2's own {@code BACKUP TO}, a consistent copy taken while it is open (so backup runs in a running service too,
 * handed over like the other verbs); the raw archive is copied after it: bodies are archived before any row names
 * them and never change, so every body the copied rows name is in the copy. Restore fills an empty data dir and
 * opens it once, which migrates a backup made by an earlier version.
 */
final class BackupVerbs extends Verbs {
  static final String DATABASE = "database.zip";
  static final String MANIFEST = "backup.json";

  BackupVerbs(PrintStream out, PrintStream err, Map<String, String> env, App live) {
    super(out, err, env, live);
  }

  int backup(List<String> argv) {
    Args a = parse(argv, Set.of("to"), Set.of());
    if (help(a, "Usage: pricetide backup --to DIR\n  Writes a consistent copy of the data dir into DIR (new or empty):"
        + " database.zip (H2 BACKUP TO, taken while the database is open), archive/ (the raw bodies) and"
        + " backup.json.\n  Runs inside the service when one runs on the data dir. PostgreSQL: use pg_dump.")) {
      return OK;
    }
    if (a.get("to") == null || !a.positional.isEmpty()) {
      throw new Args.UsageException("backup needs --to DIR");
    }
    AppConfig cfg = config(a);
    if (cfg.isPostgres()) {
      err.println("pricetide backup: the database is PostgreSQL; back it up with pg_dump (backup copies H2 data dirs)");
      return FAILURE;
    }
    Path to = Path.of(a.get("to")).toAbsolutePath().normalize();
    if (!emptyOrAbsent(to)) {
      err.println("pricetide backup: " + to + " is not empty; give a new or empty directory");
      return FAILURE;
    }
    try (Db db = db(cfg)) {
      Files.createDirectories(to);
      Path zip = to.resolve(DATABASE);
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("BACKUP TO '" + zip.toString().replace("'", "''") + "'");
      }
      long files = copyArchive(cfg.dataDir().resolve("archive"), to.resolve("archive"));
      JsonObject manifest = new JsonObject().put("created_at", Instant.now().toString())
          .put("version", Version.get()).put("data_dir", cfg.dataDir().toString())
          .put("database_bytes", Files.size(zip)).put("archive_files", files);
      Files.writeString(to.resolve(MANIFEST), manifest.encodePrettily() + "\n");
      out.println(new JsonObject().put("backup", to.toString()).put("archive_files", files).encode());
      return OK;
    } catch (IOException | SQLException e) {
      err.println("pricetide backup: cannot write " + to + ": " + e.getMessage());
      return FAILURE;
    }
  }

  int restore(List<String> argv) {
    Args a = parse(argv, Set.of("from"), Set.of());
    if (help(a, "Usage: pricetide restore --from DIR --data DATA_DIR\n  Restores a backup into DATA_DIR, which must be"
        + " new or empty, then opens it once (an older backup is migrated in place).")) {
      return OK;
    }
    if (a.get("from") == null || !a.positional.isEmpty()) {
      throw new Args.UsageException("restore needs --from DIR");
    }
    AppConfig cfg = config(a);
    if (cfg.isPostgres()) {
      err.println("pricetide restore: the database is PostgreSQL; restore it with pg_restore");
      return FAILURE;
    }
    Path from = Path.of(a.get("from")).toAbsolutePath().normalize();
    Path zip = from.resolve(DATABASE);
    if (!Files.isRegularFile(zip)) {
      err.println("pricetide restore: " + from + " holds no " + DATABASE + "; is it a backup directory?");
      return FAILURE;
    }
    Path data = cfg.dataDir();
    if (!emptyOrAbsent(data)) {
      err.println("pricetide restore: the data dir " + data + " is not empty; restore into a new or empty one");
      return FAILURE;
    }
    try {
      Files.createDirectories(data);
      unzip(zip, data);
      long files = copyArchive(from.resolve("archive"), data.resolve("archive"));
      open(cfg).close(); // migrates a backup of an earlier version
      out.println(new JsonObject().put("restored", data.toString()).put("archive_files", files).encode());
      return OK;
    } catch (IOException e) {
      err.println("pricetide restore: cannot restore into " + data + ": " + e.getMessage());
      return FAILURE;
    }
  }

  private static boolean emptyOrAbsent(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** Copies every archived body (not a write in progress); returns how many. */
  private static long copyArchive(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return 0;
    }
    long[] n = {0};
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(p) || p.getFileName().toString().endsWith(".tmp")) {
          continue;
        }
        Path target = to.resolve(from.relativize(p).toString());
        Files.createDirectories(target.getParent());
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        n[0]++;
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return n[0];
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path target = into.resolve(e.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("the backup names a file outside the data dir: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy((InputStream) in, target);
        }
      }
    }
  }
}
