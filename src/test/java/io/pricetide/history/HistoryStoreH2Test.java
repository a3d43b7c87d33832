package io.pricetide.history;

import io.pricetide.db.Database;
import io.pricetide.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The history contract on the default embedded database: H2 in file mode, as {@code run} uses it. */
class HistoryStoreH2Test extends HistoryStoreContract {
  private static Database db;

  @BeforeAll
  static void open() throws Exception {
    Path data = Files.createTempDirectory("pricetide-h2");
    db = Database.open(ConfigLoader.load(null, data, data, Map.of()));
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Override
  protected DataSource dataSource() {
    return db.dataSource();
  }
}
