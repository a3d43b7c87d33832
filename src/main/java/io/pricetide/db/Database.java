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
 * migrated by the same Flyway scripts in {@code db/migration} at open.
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
    hc.setMaximumPoolSize(cfg.isPostgres() ? 10 : 6);
    hc.setPoolName("pricetide-db");
    hc.setAutoCommit(true);
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration")
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
   * order of ids (one process owns an H2 file) and costs at most a gap in them after a crash. PostgreSQL keeps its
   * sequences apart from the data and is left as migrated.
   */
  private static void tuneH2(DataSource ds) {
    try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
      for (String table : BULK_IDENTITIES) {
        st.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE 4096");
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("database: cannot set identity caches: " + e.getMessage(), e);
    }
  }

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
