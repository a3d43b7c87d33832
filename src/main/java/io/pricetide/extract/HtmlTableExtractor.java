package io.pricetide.extract;

import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.jsoup.select.Evaluator;
import org.jsoup.select.Selector;

/**
 * Declarative HTML tables: {@code table} is a CSS selector (default {@code table}); every selected table whose
 * header row holds the model column and a mapped price column is read. No matching table is an error.
 */
final class HtmlTableExtractor implements Extractor {
  static final ExtractorFactory FACTORY = new ExtractorFactory() {
    @Override
    public Set<String> keys() {
      Set<String> keys = new HashSet<>(TableMapping.KEYS);
      keys.add("table");
      return keys;
    }

    @Override
    public Extractor create(SourceDefinition source, Map<String, Object> config) {
      return new HtmlTableExtractor(Configs.string(config, "table", "table"), new TableMapping(config, source.unit()));
    }
  };

  // Selectors compiled once: parsing "td" again for every row of every page cost more than matching it.
  private static final Evaluator ROW = Selector.evaluatorOf("tr");
  private static final Evaluator DATA_CELL = Selector.evaluatorOf("td");
  private static final Evaluator HEAD_ROW = Selector.evaluatorOf("thead tr");

  private final String tableSelector;
  /** The compiled table selector; null when it does not compile, so extraction fails as it always did. */
  private final Evaluator tableQuery;
  private final TableMapping mapping;

  private HtmlTableExtractor(String tableSelector, TableMapping mapping) {
    this.tableSelector = tableSelector;
    this.tableQuery = compile(tableSelector);
    this.mapping = mapping;
  }

  private static Evaluator compile(String css) {
    try {
      return Selector.evaluatorOf(css);
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    Document doc = Jsoup.parse(body);
    List<Observation> out = new ArrayList<>();
    boolean found = false;
    Elements tables = tableQuery == null ? doc.select(tableSelector) : doc.select(tableQuery);
    for (Element table : tables) {
      List<String> headers = headers(table);
      if (!mapping.matches(headers)) {
        continue;
      }
      found = true;
      List<List<String>> rows = new ArrayList<>();
      for (Element tr : table.select(ROW)) {
        if (tr.selectFirst(DATA_CELL) == null) {
          continue;
        }
        List<String> cells = new ArrayList<>();
        for (Element cell : tr.children()) {
          cells.add(cell.text());
        }
        rows.add(cells);
      }
      out.addAll(mapping.read(headers, rows, ctx));
    }
    if (!found) {
      throw ctx.fail("no table matching '" + tableSelector + "' with the configured model and price columns");
    }
    return out;
  }

  private static List<String> headers(Element table) {
    Element row = table.selectFirst(HEAD_ROW);
    if (row == null) {
      row = table.selectFirst(ROW);
    }
    List<String> headers = new ArrayList<>();
    if (row != null) {
      for (Element cell : row.children()) {
        headers.add(cell.text());
      }
    }
    return headers;
  }
}
