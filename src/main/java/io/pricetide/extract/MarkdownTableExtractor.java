package io.pricetide.extract;

import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Declarative markdown tables: every pipe table whose header holds the model column and a mapped price column;
 * {@code heading} (optional) keeps only tables under a heading containing that text.
 */
final class MarkdownTableExtractor implements Extractor {
  static final ExtractorFactory FACTORY = new ExtractorFactory() {
    @Override
    public Set<String> keys() {
      Set<String> keys = new HashSet<>(TableMapping.KEYS);
      keys.add("heading");
      return keys;
    }

    @Override
    public Extractor create(SourceDefinition source, Map<String, Object> config) {
      return new MarkdownTableExtractor(Configs.string(config, "heading", ""), new TableMapping(config, source.unit()));
    }
  };

  private final String heading;
  private final TableMapping mapping;

  private MarkdownTableExtractor(String heading, TableMapping mapping) {
    this.heading = heading.toLowerCase(Locale.ROOT);
    this.mapping = mapping;
  }

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    List<Observation> out = new ArrayList<>();
    boolean found = false;
    for (MarkdownTables.Table t : MarkdownTables.read(body)) {
      if (!t.heading().toLowerCase(Locale.ROOT).contains(heading) || !mapping.matches(t.headers())) {
        continue;
      }
      found = true;
      out.addAll(mapping.read(t.headers(), t.rows(), ctx));
    }
    if (!found) {
      throw ctx.fail("no markdown table with the configured model and price columns"
          + (heading.isEmpty() ? "" : " under a heading containing '" + heading + "'"));
    }
    return out;
  }
}
