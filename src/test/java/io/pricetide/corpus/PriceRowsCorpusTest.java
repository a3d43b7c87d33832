package io.pricetide.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.db.Database;
import io.pricetide.history.PriceRows;
import io.pricetide.testing.ReplayedCorpus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The price table's rows ({@code price_row}) are kept row by row as checks change prices; after every corpus
 * replayed check by check they are exactly what a rebuild from the series gives, for every source.
 */
class PriceRowsCorpusTest {
  private static final String ROW = "SELECT model, cond, provider, canonical_model, currency, input_usd, output_usd, "
      + "cache_read_usd, blended_usd, input_amount, output_amount, cache_read_amount, last_changed, search FROM "
      + "price_row WHERE source_id = ? ORDER BY model, cond";

  @Test
  @DisplayName("After the whole corpus is replayed, every source's price rows equal a rebuild from its series")
  void keptRowsEqualARebuild() throws Exception {
    try (Database db = Database.open(ReplayedCorpus.config(ReplayedCorpus.root()));
        Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      TreeSet<String> sources = new TreeSet<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT DISTINCT source_id FROM series")) {
        while (rs.next()) {
          sources.add(rs.getString(1));
        }
      }
      assertTrue(sources.size() >= 10, "replayed sources: " + sources);
      int compared = 0;
      for (String source : sources) {
        List<String> kept = rows(c, source);
        PriceRows.rebuild(c, source);
        List<String> rebuilt = rows(c, source);
        c.rollback();
        assertEquals(rebuilt.size(), kept.size(), source + ": rows kept by the checks vs rebuilt");
        for (int i = 0; i < kept.size(); i++) {
          assertEquals(rebuilt.get(i), kept.get(i), source + ": row " + i);
        }
        compared += kept.size();
      }
      assertTrue(compared > 5_000, "rows compared: " + compared);
    }
  }

  private static List<String> rows(Connection c, String source) throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(ROW)) {
      ps.setString(1, source);
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder b = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            b.append(rs.getString(i)).append('|');
          }
          out.add(b.toString());
        }
      }
    }
    return out;
  }
}
