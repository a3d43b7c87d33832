package io.pricetide.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pricetide.config.AppConfig;
import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The history database: H2 in file mode in the data dir by default, PostgreSQL when the URL says so. Both are
 * migrated by the same Flyway scripts in {@code db/migration} at open, and by {@link V23__cluster}, the one
 * migration that differs between them (Quartz's clustered store tables, on PostgreSQL only).
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource ds;
  private final boolean postgres;

  private Database(HikariDataSource ds, boolean postgres) {
    this.ds = ds;
    this.postgres = postgres;
  }

  /** Opens the pool and runs pending migrations. */
  public static Database open(AppConfig cfg) {
    if (!cfg.isPostgres()) {
      try {
        Files.createDirectories(cfg.dataDir());
      } catch (IOException e) {
        throw new IllegalStateException("cannot create data dir " + cfg.dataDir() + ": " + e.getMessage(), e);
      }
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(cfg.databaseUrl());
    if (!cfg.databaseUser().isEmpty()) {
      hc.setUsername(cfg.databaseUser());
    }
    if (!cfg.databasePassword().isEmpty()) {
      hc.setPassword(cfg.databasePassword());
    }
    // Cluster mode adds Quartz's clustered store (its threads, check-in and misfire handler) and the heartbeat.
    hc.setMaximumPoolSize(cfg.isPostgres() ? (cfg.clustered() ? 16 : 10) : 6);
    hc.setPoolName("pricetide-db");
    hc.setAutoCommit(true);
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").javaMigrations(new V23__cluster())
          .placeholders(java.util.Map.of(EXACT_DECIMAL, exactDecimal(cfg.isPostgres()))).load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new IllegalStateException("database " + redact(cfg.databaseUrl()) + ": migration failed: "
          + e.getMessage(), e);
    }
    if (!cfg.isPostgres()) {
      tuneH2(ds);
    }
    return new Database(ds, cfg.isPostgres());
  }

  /** The migration placeholder of the column type that keeps any decimal exactly, with its own scale. */
  static final String EXACT_DECIMAL = "exact_decimal";

  /**
   * That type: PostgreSQL's NUMERIC without precision keeps every value with its scale; H2's does only in
   * PostgreSQL mode (elsewhere it is NUMERIC(100000, 0), which would round every price to an integer), so H2 gets
   * DECFLOAT, its decimal of variable scale, whatever the URL's mode.
   */
  static String exactDecimal(boolean postgres) {
    return postgres ? "NUMERIC" : "DECFLOAT";
  }

  /** The identity columns of the tables that grow with every check, and with every alert. */
  private static final java.util.List<String> BULK_IDENTITIES = java.util.List.of("series", "price_point",
      "source_check", "change_event", "alert_delivery", "alert_attempt");

  /**
   * H2 writes an identity's high-water mark with a commit of its own each time the values it reserved run out, 32
   * by default; with {@code WRITE_DELAY=0} every such commit writes the store to disk, which made inserting a first
   * check's few hundred series and points cost one disk write per 32 rows. Reserving 4,096 at a time keeps the
   * order of ids (one process owns an H2 file) and costs at most a gap in them after a crash: the mark is on disk
   * before any id past it is handed out. PostgreSQL keeps its sequences apart from the data and is left as migrated.
   *
   * <p>Then {@link #durableH2}.
   */
  private static void tuneH2(DataSource ds) {
    try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
      for (String table : BULK_IDENTITIES) {
        st.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE 4096");
      }
      durableH2(c);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("database: cannot tune the H2 store: " + e.getMessage(), e);
    }
  }

  /**
   * Makes every commit findable after a {@code kill -9} (issue #16, case 1). {@code WRITE_DELAY=0} does write each
   * commit to the file before it returns, but H2 2.5's MVStore, when it puts a chunk into space freed inside the
   * file, writes a store header that still names the chunk before it, and that chunk's "next" pointer predicts a
   * different place. Opening after a crash follows the header and that pointer only, so every commit written there
   * since (until the next header, up to 20 versions later) is rolled back: the check, its events, and the identity
   * marks with them, so the next run hands the same ids out again. With space reuse off each chunk is appended
   * where the one before predicted, and recovery finds the last one. The dead space this leaves (a few KB per
   * commit) is reclaimed here at every start, before the service serves, and by H2 itself at every clean stop.
   */
  private static void durableH2(java.sql.Connection c) throws java.sql.SQLException {
    org.h2.mvstore.MVStore store = ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class)
        .getSession()).getDatabase().getStore().getMvStore();
    // Compacting moves live chunks into the freed space, so it runs with reuse still on, before anything is
    // answered; with reuse off it finds no space to move into and does nothing.
    store.compactFile(COMPACT_AT_OPEN_MS);
    store.setReuseSpace(false);
  }

  /** How long compacting the H2 file at open may take. */
  private static final int COMPACT_AT_OPEN_MS = 2_000;

  private static String redact(String url) {
    return url.replaceAll("password=[^&;]*", "password=***");
  }

  public DataSource dataSource() {
    return ds;
  }

  public boolean isPostgres() {
    return postgres;
  }

  @Override
  public void close() {
    ds.close();
  }
}
