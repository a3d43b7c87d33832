package io.pricetide.history;

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
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new IllegalStateException("database " + redact(cfg.databaseUrl()) + ": migration failed: "
          + e.getMessage(), e);
    }
    return new Database(ds, cfg.isPostgres());
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
