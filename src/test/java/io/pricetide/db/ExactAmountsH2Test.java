package io.pricetide.db;

import java.nio.file.Files;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Exact amounts on H2 in file mode, as {@code run} uses it (the default URL's PostgreSQL mode and settings). */
class ExactAmountsH2Test extends ExactAmountsContract {
  @Override
  protected String newDatabaseUrl() throws Exception {
    return "jdbc:h2:file:" + Files.createTempDirectory("pricetide-exact-h2").resolve("db")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  @Override
  protected String user() {
    return "";
  }

  @Override
  protected boolean postgres() {
    return false;
  }

  @Override
  protected DataSource rawDataSource(String url) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    return ds;
  }
}
